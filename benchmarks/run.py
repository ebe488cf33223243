"""``make bench``: generation, the heavy calls and every page, at scale 1 and 7, as one table.

Medians of several runs; each cold measurement is a new process. The city at scale 7 is
generated once into ``benchmarks/.data/scale7`` (not committed) and served through
``EBPM_DATA_DIR``. Prints a Markdown table (paste it into the README) and writes it to
``benchmarks/results.md``. Never a timed test: nothing here fails on a slow machine.

    python -m benchmarks.run [--repeat N] [--scales 1 7] [--no-browser] [--only GROUP ...] [--limit S]

``--only`` runs the rows of some groups (``generation``, ``analyses``, ``publication``,
``placement``, ``perturbation``, ``pages``, ``browser``) and prints them without touching
``benchmarks/results.md``; a city not generated yet is generated first. ``--limit``: seconds any
one measurement (a child process) may take; past it the process is stopped and its group's row
says so.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "benchmarks" / ".data"
sys.path.insert(0, str(ROOT))

from analytics import registry  # noqa: E402  (after the path set-up, for `python benchmarks/run.py`)
from ui.nav import PAGES  # noqa: E402

# (what, scale) → target text; met is judged by the number after "<".
TARGETS = {
    ("generation", 1): "—", ("generation", 7): "< 120 s",
    ("page cold", 1): "< 2 s", ("page warm", 1): "< 0.3 s", ("page warm", 7): "< 1 s",
    ("browser ready", 1): "< 3 s", ("server peak RSS", 7): "< 2,048 MB",
    ("publication: suppression + LP audit", 1): "< 20 s", ("publication: suppression + LP audit", 7): "< 180 s",
    ("publication from the disk cache", 1): "< 0.5 s",
    ("publication from the stored pattern (code changed)", 1): "< 5 s",
    ("waitlist_breakdown", 1): "< 1 s", ("waitlist_breakdown", 7): "< 5 s",
    ("project_population (10 years, every district × sex × age)", 1): "< 2 s",
    ("renewal_cost_projection", 1): "< 0.5 s", ("renewal_cost_projection", 7): "< 2 s",
    ("consolidation (3 公民館 closed, access over every mesh)", 1): "< 1 s",
    ("consolidation (3 公民館 closed, access over every mesh)", 7): "< 3 s",
    ("nonattendance_model (logit, cluster-robust)", 1): "< 2 s",
    ("nonattendance_model (logit, cluster-robust)", 7): "< 15 s",
    ("rollout_did (Callaway–Sant'Anna + bootstrap)", 1): "< 1 s",
    ("rollout_did (Callaway–Sant'Anna + bootstrap)", 7): "< 5 s",
    ("uplift_targeting (trial frame + cross-fitting)", 1): "< 2 s",
    ("uplift_targeting (trial frame + cross-fitting)", 7): "< 15 s",
    ("load_file: 150 MB population CSV", 1): "< 60 s",
    ("load_file: 150 MB population CSV, peak memory", 1): "< 3,072 MB",
    ("load_file: 250 MB population CSV refused", 1): "< 1 s",
}


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{cpu}, {os.cpu_count()} cores, {mem:.0f} GiB, Python {platform.python_version()}, {platform.system()}"


class TooSlow(Exception):
    """A measurement ran past the bench's limit for one step."""


def run_child(args: list[str], env: dict | None = None, limit: float | None = None) -> tuple[float, float, str]:
    """Run a child process; (wall seconds, peak RSS in MB, stdout). :class:`TooSlow` past ``limit`` s."""
    start = time.perf_counter()
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    try:
        out, err = proc.communicate(timeout=limit)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.communicate()
        raise TooSlow from None
    wall = time.perf_counter() - start
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(args)} failed:\n{err[-2000:]}")
    # ru_maxrss of the finished child, read from /proc is gone: use the JSON it printed when it has one
    peak = 0.0
    try:
        peak = float(json.loads(out.strip().splitlines()[-1]).get("peak_mb", 0.0))
    except (ValueError, IndexError, AttributeError):
        pass
    return wall, peak, out


def data_env(scale: float) -> dict:
    return {} if scale == 1 else {registry.DATA_DIR_ENV: str(DATA / f"scale{scale:g}")}


def generation(scale: float) -> tuple[float, float]:
    """Generate the city at ``scale`` into benchmarks/.data (time and peak memory)."""
    out = DATA / f"scale{scale:g}"
    code = (
        "import json, resource, time, sys\n"
        "from pathlib import Path\n"
        "from analytics.synth import generate_city, write_sample_data\n"
        f"t = time.perf_counter(); city = generate_city(scale={scale}); write_sample_data(city, Path({str(out)!r}))\n"
        "print(json.dumps({'s': time.perf_counter() - t,"
        " 'peak_mb': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))\n"
    )
    _, peak, stdout = run_child([sys.executable, "-c", code])
    return json.loads(stdout.strip().splitlines()[-1])["s"], peak


GROUPS = ("generation", "analyses", "publication", "placement", "perturbation", "pages", "browser")
LIMIT: float | None = None  # seconds one child process may take (--limit)


def worker(task: str, *args: str, scale: float, limit: float | None = None) -> dict:
    _, _, stdout = run_child([sys.executable, "-m", "benchmarks.workers", task, *args], data_env(scale),
                             limit if limit is not None else LIMIT)
    return json.loads(stdout.strip().splitlines()[-1])


def median_of(repeat: int, fn) -> dict:
    runs = [fn() for _ in range(repeat)]
    return {k: statistics.median(r[k] for r in runs) for k in runs[0] if isinstance(runs[0][k], (int, float))}


def browser(repeat: int, scale: float) -> tuple[dict[str, float], float]:
    """Page-ready time in headless Chromium per page (median over ``repeat`` fresh visits after one
    warm-up visit each), and the server's peak RSS after all of them."""
    from playwright.sync_api import sync_playwright

    from tests.e2e.browser import start_app, stop_app, wait_for_charts, wait_for_run
    from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

    proc, url = start_app(ROOT, subprocess.DEVNULL, data_env(scale))
    try:
        ready: dict[str, float] = {}
        with sync_playwright() as p:
            b = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            for spec in PAGES:
                times = []
                for i in range(repeat + 1):
                    context = b.new_context(viewport={"width": 1400, "height": 1000})
                    page = context.new_page()
                    start = time.perf_counter()
                    page.goto(f"{url}/{spec.url_path}")
                    wait_for_run(page, 600_000)
                    wait_for_charts(page, 600_000)
                    if i:  # the first visit warms the server's caches
                        times.append(time.perf_counter() - start)
                    context.close()
                ready[spec.url_path or "home"] = statistics.median(times)
            b.close()
        status = Path(f"/proc/{proc.pid}/status").read_text()
        peak = next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024
    finally:
        stop_app(proc)
    return ready, peak


def upload_rows(row, rows: list) -> None:
    """A planner's 150 MB population CSV through ``Catalog.load_file``, and the refusal of a 250 MB one."""
    DATA.mkdir(parents=True, exist_ok=True)
    for mb in (150, 250):
        path = DATA / f"population_{mb}mb.csv"
        if not path.exists():
            worker("population_csv", str(mb), str(path), scale=1)
    res = worker("load_file", str(DATA / "population_150mb.csv"), scale=1)
    if res["errors"]:
        raise RuntimeError(f"the 150 MB file was refused: {res['errors']}")
    row("load_file: 150 MB population CSV", 1, res["load_s"], "s", f" ({res['rows']:,} rows)")
    row("load_file: 150 MB population CSV, peak memory", 1, res["peak_mb"], "MB")
    res = worker("load_file", str(DATA / "population_250mb.csv"), scale=1)
    if not res["errors"]:
        raise RuntimeError("the 250 MB file was not refused")
    row("load_file: 250 MB population CSV refused", 1, res["load_s"], "s")


def met(what: str, scale: float, value: float) -> tuple[str, str]:
    """The target of a measurement and whether ``value`` meets it."""
    target = TARGETS.get((what, scale), "—")
    if not target.startswith("<"):
        return target, ""
    limit = float(target.strip("< sMB").replace(",", ""))
    return target, "yes" if value < limit else "**no**"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--scales", type=float, nargs="+", default=[1, 7])
    parser.add_argument("--no-browser", action="store_true")
    parser.add_argument("--limit", type=float, default=900, help="seconds any one measurement may take")
    parser.add_argument("--only", nargs="+", choices=GROUPS, help="run only these groups of rows")
    args = parser.parse_args()
    global LIMIT
    LIMIT = args.limit
    rows: list[tuple[str, str, str, str, str]] = []

    def wanted(group: str) -> bool:
        return not args.only or group in args.only

    def stopped(group: str, scale: float) -> None:
        rows.append((f"{group}: stopped", f"{scale:g}", f"> {args.limit:g} s (stopped)", "—", ""))
        print(f"  {group} @ scale {scale:g}: stopped after {args.limit:g} s", file=sys.stderr)

    def row(what: str, scale: float, value: float, unit: str, note: str = "") -> None:
        kind = what if (what, scale) in TARGETS or unit != "s" else what.split(":")[0]  # page cold: home
        target, ok = met(kind, scale, value)
        text = f"{value:,.0f} {unit}" if unit == "MB" else f"{value:.2f} {unit}"
        rows.append((f"{what}{note}", f"{scale:g}", text, target, ok))
        print(f"  {what}{note} @ scale {scale:g}: {text}", file=sys.stderr)

    def analyses(scale: float) -> None:
        res = median_of(args.repeat, lambda s=scale: worker("nursery", scale=s))
        row("waitlist_breakdown", scale, res["waitlist_breakdown_s"], "s")
        row("project_demand (cohort projection + GLM)", scale, res["project_demand_s"], "s")
        row("project_population (10 years, every district × sex × age)", scale, res["project_population_s"], "s")
        res = median_of(args.repeat, lambda s=scale: worker("facilities", scale=s))
        row("renewal_cost_projection", scale, res["renewal_s"], "s", f" ({res['buildings']:,} buildings, 40 years)")
        row("compare_scenarios (simple, long life, −20% floor area)", scale, res["scenarios_s"], "s")
        row("consolidation (3 公民館 closed, access over every mesh)", scale, res["consolidation_s"], "s",
            f" ({res['meshes']:,} meshes)")
        res = median_of(args.repeat, lambda s=scale: worker("health", scale=s))
        row("nonattendance_model (logit, cluster-robust)", scale, res["logit_s"], "s",
            f" ({res['people']:,} insured)")
        row("rollout_did (Callaway–Sant'Anna + bootstrap)", scale, res["did_s"], "s",
            f" ({res['districts']} districts)")
        row("uplift_targeting (trial frame + cross-fitting)", scale, res["targeting_s"], "s")

    def publication(scale: float) -> bool:
        # the suppression and audit take minutes at scale 7: one run there, stopped past the limit
        try:
            calls = median_of(args.repeat if scale == 1 else 1, lambda s=scale: worker("calls", scale=s))
        except TooSlow:
            target, ok = met("publication: suppression + LP audit", scale, args.limit)
            rows.append(("publication: suppression + LP audit", f"{scale:g}", f"> {args.limit:.0f} s (stopped)",
                         target, "unknown" if ok == "yes" else ok))
            rows.append(("pages and browser (need the publication)", f"{scale:g}", "not measured", "—", ""))
            print(f"  publication @ scale {scale:g}: stopped after {args.limit:.0f} s", file=sys.stderr)
            return False
        row("publication: suppression + LP audit", scale, calls["publish_s"], "s",
            f" ({calls['cells']:,.0f} counts, {calls['hidden_share']:.1%} of non-zero hidden,"
            f" {calls['solves']:,.0f} LPs)")
        row("publication from the disk cache", scale, calls["publish_cached_s"], "s")
        row("publication from the stored pattern (code changed)", scale, calls["publish_pattern_s"], "s")
        row("city_overview", scale, calls["city_overview_s"], "s")
        row("download_tables (every download)", scale, calls["download_tables_s"], "s")
        if scale == 1:
            upload_rows(row, rows)
        return True

    def placement(scale: float) -> None:
        if scale != 1:
            return
        res = worker("city_placement", "300", scale=scale)
        what = "place_capacity: the page's scenario (300 places, projected demand)"
        row(f"{what}, heuristic", scale, res["heuristic_s"], "s")
        row(f"{what}, MILP", scale, res["milp_s"], "s", "" if res["optimal"] else " (node limit: best found)")
        rows.append((f"{what}, heuristic ÷ MILP objective", "1", f"{res['ratio']:.2%}", "≥ 99%",
                     "yes" if res["ratio"] >= 0.99 else "**no**"))
        meshes = len(registry.spec("meshes").read(registry.SAMPLE_DATA_DIR))
        for n_sites in (150, 300):
            res = worker("placement", str(n_sites), str(meshes), scale=scale)
            what = f"place_capacity: {n_sites} sites × {meshes:,} meshes"
            row(f"{what}, heuristic", scale, res["heuristic_s"], "s")
            row(f"{what}, MILP", scale, res["milp_s"], "s", "" if res["optimal"] else " (node limit)")
            rows.append((f"{what}, heuristic ÷ MILP objective", "1", f"{res['ratio']:.2%}", "≥ 99%",
                         "yes" if res["ratio"] >= 0.99 else "**no**"))
            faster = res["milp_s"] / res["heuristic_s"]
            rows.append((f"{what}, MILP time ÷ heuristic time", "1", f"{faster:.0f}×",
                         "≥ 10× at 300" if n_sites == 300 else "—",
                         ("yes" if faster >= 10 else "**no**") if n_sites == 300 else ""))

    def perturbation(scale: float) -> None:
        if scale != 1:
            return
        res = worker("perturbation", str(DATA / "moved_scale1"), scale=scale)
        rows.append((f"perturbation sweep: pages × settings ({res['settings']} settings, "
                     f"{res['elements']:,} elements compared in {res['seconds']:.0f} s), elements that differ",
                     "1", f"{res['differences']}", "0", "yes" if res["differences"] == 0 else "**no**"))

    def pages(scale: float) -> None:
        for spec in PAGES:
            res = median_of(args.repeat, lambda p=spec.path, s=scale: worker("page", p, scale=s))
            name = spec.url_path or "home"
            row(f"page cold: {name}", scale, res["cold_s"], "s")
            row(f"page warm: {name}", scale, res["warm_s"], "s")

    def browser_rows(scale: float) -> None:
        ready, peak = browser(args.repeat, scale)
        for name, seconds in ready.items():
            row(f"browser ready: {name}", scale, seconds, "s")
        row("server peak RSS", scale, peak, "MB")

    for scale in args.scales:
        data_ready = scale == 1 or (DATA / f"scale{scale:g}" / "manifest.json").exists()
        if wanted("generation") or not data_ready:  # later groups need the city
            seconds, peak = generation(scale)
            if wanted("generation"):
                row("generation", scale, seconds, "s")
                row("generation: peak memory", scale, peak, "MB")
        for group, measure in (("analyses", analyses), ("publication", publication), ("placement", placement),
                               ("perturbation", perturbation), ("pages", pages), ("browser", browser_rows)):
            if not wanted(group) or (group == "browser" and args.no_browser):
                continue
            try:
                if measure(scale) is False:  # no publication: the pages cannot be measured
                    break
            except TooSlow:
                stopped(group, scale)

    lines = [f"Machine: {machine()}. Medians of {args.repeat} runs ({time.strftime('%Y-%m-%d')}).", "",
             "| measurement | scale | result | target | met |", "|---|---|---|---|---|"]
    lines += [f"| {w} | {s} | {v} | {t} | {m} |" for w, s, v, t, m in rows]
    text = "\n".join(lines) + "\n"
    if not args.only:  # a selection never replaces the whole table
        (ROOT / "benchmarks" / "results.md").write_text(text, encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
