"""One measurement per process: ``python -m benchmarks.workers TASK [ARGS]`` prints one JSON line.

Run by :mod:`benchmarks.run`, which starts a fresh process for every cold measurement (empty
in-memory caches; suppression patterns stored on disk beside the data count as available).
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
WARM_RUNS = 5


def _peak_mb() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def page(path: str) -> dict:
    """Cold run of one page under AppTest (new process), then the median of warm reruns."""
    from streamlit.testing.v1 import AppTest

    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=600)
    if path != "pages/home.py":
        at.switch_page(path)
    start = time.perf_counter()
    at.run()
    cold = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{path}: {[e.value for e in at.exception]}")
    warm = []
    for _ in range(WARM_RUNS):
        start = time.perf_counter()
        at.run()
        warm.append(time.perf_counter() - start)
    return {"cold_s": cold, "warm_s": statistics.median(warm), "peak_mb": _peak_mb()}


def calls() -> dict:
    """The heavy analytics calls alone, on the city in $EBPM_DATA_DIR (or sample_data/)."""
    import shutil
    import tempfile

    from analytics import registry
    from analytics.catalog import Catalog
    from analytics.city import city_overview
    from analytics.core.privacy import DEFAULT_THRESHOLD

    catalog = Catalog()
    data = catalog.data()
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(tmp) / "publication.npz"
        start = time.perf_counter()
        pub = registry.publish(data, DEFAULT_THRESHOLD, cache)  # the whole suppression and audit
        out["publish_s"] = time.perf_counter() - start
        start = time.perf_counter()
        registry.publish(data, DEFAULT_THRESHOLD, cache)  # with the pattern stored on disk (changed code)
        out["publish_pattern_s"] = time.perf_counter() - start
        folder = Path(tmp) / "data"  # the data folder's files, with the pattern a first visit stores
        folder.mkdir()
        for entry in registry.DATASETS.values():
            (folder / entry.file).symlink_to(registry.data_dir().resolve() / entry.file)
        first = Catalog(folder)
        (folder / "cache").mkdir()
        shutil.copyfile(cache, first.publication_cache(DEFAULT_THRESHOLD))
        first.publication(DEFAULT_THRESHOLD)  # builds and stores the whole publication
        start = time.perf_counter()
        Catalog(folder).publication(DEFAULT_THRESHOLD)  # what every later process does
        out["publish_cached_s"] = time.perf_counter() - start
        beside = catalog.publication_cache(DEFAULT_THRESHOLD)
        if beside is not None and not beside.exists():  # what a first visit stores: cold pages find it
            beside.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(cache, beside)
    start = time.perf_counter()
    city_overview(pub, data["districts"])
    out["city_overview_s"] = time.perf_counter() - start
    start = time.perf_counter()
    registry.download_tables(data, pub, "合計")
    out["download_tables_s"] = time.perf_counter() - start
    out["cells"] = int(pub.shown.size)
    out["hidden_share"] = float(pub.hidden.sum() / max(int((pub.shown != 0).sum()), 1))
    out["solves"] = pub.audit.solves
    out["peak_mb"] = _peak_mb()
    return out


def nursery_calls() -> dict:
    """The nursery analyses alone (no publication: they run on the exact data), on $EBPM_DATA_DIR."""
    from analytics import nursery
    from analytics.catalog import Catalog

    data = Catalog().data()
    out = {}
    start = time.perf_counter()
    nursery.waitlist_breakdown(data["nursery_applications"], data["nurseries"], data["nursery_capacity"])
    out["waitlist_breakdown_s"] = time.perf_counter() - start
    from analytics.city import with_district

    inputs = nursery.DemandInputs(nursery.application_cells(data["nursery_applications"]),
                                  with_district(data["population"], data["meshes"]), data["population_change"])
    start = time.perf_counter()
    nursery.project_demand(inputs)
    out["project_demand_s"] = time.perf_counter() - start
    from analytics.city import ProjectionParams, project_population

    start = time.perf_counter()
    project_population(data["population"], data["population_change"], data["meshes"], ProjectionParams(years=10))
    out["project_population_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    return out


def facilities_calls() -> dict:
    """The facilities analyses on $EBPM_DATA_DIR: the MIC projection, the three scenarios side by
    side, and a consolidation closing three 公民館 (its access over every mesh of the city). The
    exact residents per mesh stand in for the published ones (the same meshes, so the same work):
    at scale 7 the publication cannot be built within the benchmark's limit yet."""
    from analytics import facilities as fac
    from analytics.catalog import Catalog
    from analytics.city import with_district

    data = Catalog().data()
    buildings, past = data["buildings"], data["past_investment"]
    out = {"buildings": len(buildings), "meshes": int(data["meshes"]["mesh_code"].nunique())}
    start = time.perf_counter()
    projection = fac.renewal_cost_projection(buildings, past_investment=past)
    out["renewal_s"] = time.perf_counter() - start
    params = fac.FacilitiesParams()
    start = time.perf_counter()
    fac.compare_scenarios(buildings, params.renewal_scenarios(buildings), past_investment=past)
    out["scenarios_s"] = time.perf_counter() - start
    pop = data["population"]
    latest = with_district(pop[pop["fiscal_year"] == pop["fiscal_year"].max()], data["meshes"])
    residents = latest.groupby(["mesh_code", "district_id"], as_index=False)["population"].sum().rename(
        columns={"population": "residents"})
    facilities = data["facilities"]
    plan = fac.ConsolidationPlan(closures=tuple(facilities.loc[facilities["subcategory"] == "公民館",
                                                               "facility_id"].iloc[:3]))
    start = time.perf_counter()
    cards = fac.facility_cards(facilities, buildings, data["facility_operations"],
                               fac.latest_year(data["facility_operations"]))
    fac.consolidation(facilities, buildings, cards, projection, plan, residents, beyond_m=1000)
    out["consolidation_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    return out


def health_calls() -> dict:
    """The health models on $EBPM_DATA_DIR: the non-attendance logit (latest year), the roll-out
    DiD on the district × year panel (exact counts stand in for the published ones: the same
    panel, and at scale 7 the publication cannot be built within the limit yet) and the
    targeting of 10,000 nudge letters by cross-fitted uplift."""
    from analytics import health
    from analytics.catalog import Catalog
    from analytics.core import evaluation

    data = Catalog().data()
    ck, sites = data["checkups"], data["checkup_sites"]
    out = {"people": int((ck["fiscal_year"] == ck["fiscal_year"].max()).sum())}
    start = time.perf_counter()
    health.nonattendance_model(ck, int(ck["fiscal_year"].max()))
    out["logit_s"] = time.perf_counter() - start
    panel = health.uptake_counts(ck, ["district_id", "fiscal_year"])
    opened = sites.groupby("district_id")["opened_fiscal_year"].min()
    first = int(panel["fiscal_year"].min())
    panel = panel[~panel["district_id"].map(opened).le(first).fillna(False).astype(bool)]
    start_fy = panel["district_id"].map(opened)
    panel = panel.assign(treated=(start_fy.notna() & (panel["fiscal_year"] >= start_fy)).astype(int))
    start = time.perf_counter()
    evaluation.rollout_did(panel)
    out["did_s"] = time.perf_counter() - start
    out["districts"] = int(panel["district_id"].nunique())
    start = time.perf_counter()
    rows = health.trial_frame(ck)
    rows = rows[rows["arm"].isin(["control", "nudge"])]
    evaluation.uplift_targeting(rows, treatment="nudge", segments=["sex", "age_band", "past"], budget=10_000)
    out["targeting_s"] = time.perf_counter() - start
    out["peak_mb"] = _peak_mb()
    return out


def placement(n_sites: str, n_points: str) -> dict:
    """``place_capacity``'s heuristic against the exact MILP on a random instance of the given size."""
    from analytics.core import location

    problem = location.benchmark_instance(int(n_sites), int(n_points), seed=1)
    start = time.perf_counter()
    heuristic = location.place_heuristic(problem)
    h = time.perf_counter() - start
    start = time.perf_counter()
    exact = location.place_optimal(problem, node_limit=100_000)
    e = time.perf_counter() - start
    return {"heuristic_s": h, "milp_s": e, "ratio": heuristic.served / exact.served if exact.served else 1.0,
            "optimal": bool(exact.optimal)}


def city_placement(budget: str) -> dict:
    """The page's own scenario on the default city (projected, fractional demand; its 150 sites):
    the heuristic, then the MILP (proved within 0.1% or stopped at its node limit; its time is the
    exact run minus the heuristic it repeats)."""
    from analytics import nursery
    from analytics.catalog import Catalog

    catalog = Catalog()
    data = catalog.data()
    params = nursery.NurseryParams(fiscal_year=2026, placement=nursery.PlacementParams(budget=float(budget)))
    pub = catalog.publication(10)
    demand = nursery.project_demand(nursery.published_demand_inputs(pub), params.demand)
    places = nursery.vacancies(data["nursery_capacity"], data["nurseries"])
    points = nursery.scenario_demand(pub, demand, data["meshes"], params, places)
    start = time.perf_counter()
    nursery.place_capacity(points, data["nursery_sites"], params.placement)
    h = time.perf_counter() - start
    start = time.perf_counter()
    checked = nursery.place_capacity(points, data["nursery_sites"], params.placement, exact=True)
    return {"heuristic_s": h, "milp_s": max(time.perf_counter() - start - h, 0.0),
            "ratio": nursery.optimum_ratio(checked), "optimal": bool(checked.optimum_proved)}


def perturbation(moved_dir: str) -> dict:
    """The perturbation sweep on the city in $EBPM_DATA_DIR (or sample_data/): people moved where
    the publication cannot see (written to ``moved_dir`` with the city's suppression pattern
    offered as its cache), then every page of ``tests.test_perturbation.full_settings`` opened on
    both at the default threshold; the elements compared and those that differ (must be 0)."""
    import shutil

    from analytics import registry
    from analytics.catalog import Catalog
    from analytics.core.privacy import DEFAULT_THRESHOLD
    from analytics.core.testing import move_within_published_cells
    from analytics.synth import SyntheticCity, write_sample_data
    from tests.test_perturbation import differences, full_settings

    city = Catalog()
    moved = Path(moved_dir)
    write_sample_data(SyntheticCity(seed=0, scale=1.0, datasets=move_within_published_cells(city.data(), seed=1)),
                      moved)
    copy = Catalog(moved)
    city.publication(DEFAULT_THRESHOLD)
    copy.publication_cache(DEFAULT_THRESHOLD).parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(city.publication_cache(DEFAULT_THRESHOLD), copy.publication_cache(DEFAULT_THRESHOLD))
    if not (city.publication(DEFAULT_THRESHOLD).labels == copy.publication(DEFAULT_THRESHOLD).labels).all():
        raise RuntimeError("the moves changed a published figure")
    start = time.perf_counter()
    settings, compared, differ = 0, 0, []
    for path, name, setup in full_settings():
        n, d = differences(path, setup, DEFAULT_THRESHOLD, registry.data_dir(), moved)
        settings, compared = settings + 1, compared + n
        differ += [f"{path} {name}: {w}" for w, _, _ in d]
    return {"settings": settings, "elements": compared, "differences": len(differ), "examples": differ[:5],
            "seconds": time.perf_counter() - start, "peak_mb": _peak_mb()}


def population_csv(mb: str, path: str) -> dict:
    """Write a CSV of population rows of about ``mb`` MB (the synthetic city's rows again and again,
    ten fiscal years later each time, so that every key is distinct and every mesh known)."""
    from analytics.catalog import Catalog

    pop = Catalog().get("population")
    target = int(float(mb) * 1024**2)
    with open(path, "wb") as out:
        size = out.write(b"fiscal_year,mesh_code,sex,age,population\r\n")
        shift = 0
        while size < target:
            chunk = pop.assign(fiscal_year=pop["fiscal_year"] - 20 + 10 * shift).to_csv(
                index=False, header=False, lineterminator="\r\n").encode()
            if size + len(chunk) > target:
                chunk = chunk[: chunk.rfind(b"\n", 0, target - size) + 1]
            if not chunk:
                break
            size += out.write(chunk)
            shift += 1
    return {"mb": size / 1024**2}


def load_file(path: str) -> dict:
    """``Catalog.load_file`` of a planner's population CSV (read, normalised, validated, checked
    against the meshes, stored): time and peak memory of this fresh process."""
    from analytics.catalog import Catalog

    cat = Catalog()
    cat.get("meshes")  # the data in use are loaded before: measure the file alone
    start = time.perf_counter()
    problems = cat.load_file("population", path)
    seconds = time.perf_counter() - start
    errors = [p.message_en for p in problems if p.severity == "error"]
    return {"load_s": seconds, "rows": cat.n_rows("population") if not errors else 0, "errors": errors[:3],
            "peak_mb": _peak_mb()}


def main() -> None:
    task, *args = sys.argv[1:]
    result = {"page": page, "calls": calls, "nursery": nursery_calls, "facilities": facilities_calls,
              "health": health_calls,
              "placement": placement,
              "city_placement": city_placement, "population_csv": population_csv,
              "load_file": load_file, "perturbation": perturbation}[task](*args)
    print(json.dumps(result))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONWARNINGS", "ignore")
    main()
