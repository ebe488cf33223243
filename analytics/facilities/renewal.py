"""The 40-year renewal cost of public buildings by the MIC method (総務省「公共施設等更新費用試算ソフト」),
the stock of floor area and the scenarios side by side (simple renewal, long life, reduction).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

CATEGORIES: tuple[str, ...] = (
    "市民文化系施設", "社会教育系施設", "スポーツ・レクリエーション系施設", "産業系施設", "学校教育系施設",
    "子育て支援施設", "保健・福祉施設", "医療施設", "行政系施設", "公営住宅", "公園", "供給処理施設", "その他",
)

MAN_YEN = 10_000  # 1 万円 in yen

# 総務省「公共施設等更新費用試算ソフト」default unit costs, 万円/m²: (大規模改修, 建替え).
_MIC_MAN_YEN_PER_M2: dict[str, tuple[float, float]] = {
    "市民文化系施設": (25, 40),
    "社会教育系施設": (25, 40),
    "スポーツ・レクリエーション系施設": (20, 36),
    "産業系施設": (25, 40),
    "学校教育系施設": (17, 33),
    "子育て支援施設": (17, 33),
    "保健・福祉施設": (20, 36),
    "医療施設": (25, 40),
    "行政系施設": (25, 40),
    "公営住宅": (17, 28),
    "公園": (17, 33),
    "供給処理施設": (20, 36),
    "その他": (20, 36),
}

MIC_RENOVATION_YEN_PER_M2: Mapping[str, float] = MappingProxyType(
    {c: float(v[0] * MAN_YEN) for c, v in _MIC_MAN_YEN_PER_M2.items()})
"""MIC default renovation (大規模改修) cost per m², in 円/m²."""

MIC_REBUILD_YEN_PER_M2: Mapping[str, float] = MappingProxyType(
    {c: float(v[1] * MAN_YEN) for c, v in _MIC_MAN_YEN_PER_M2.items()})
"""MIC default rebuild (建替え) cost per m², in 円/m²."""

KINDS: tuple[str, ...] = ("renovation", "rebuild", "backlog_renovation", "backlog_rebuild", "mid_repair")
"""Kinds of cost in a projection, in display order."""

BUILDING_COLUMNS: tuple[str, ...] = ("building_id", "category", "built_year", "floor_area_m2")
PAST_COLUMNS: tuple[str, ...] = ("fiscal_year", "investment_yen")
PAST_AVERAGE_YEARS = 5


@dataclass(frozen=True)
class RenewalParams:
    """Assumptions of a renewal cost projection (defaults: the MIC software's).

    ``backlog_renovation_ages`` is the inclusive range of ages at the start whose renovation
    was missed and is paid as backlog; its lower bound must exceed ``renovation_age`` and its
    upper bound must be below ``rebuild_age``. The MIC default (31, 50) stops ``backlog_years``
    before the rebuild, so backlog renovation and rebuild do not overlap.
    """

    renovation_yen_per_m2: Mapping[str, float] = field(default_factory=lambda: MIC_RENOVATION_YEN_PER_M2)
    rebuild_yen_per_m2: Mapping[str, float] = field(default_factory=lambda: MIC_REBUILD_YEN_PER_M2)
    renovation_age: int = 30
    renovation_years: int = 2
    rebuild_age: int = 60
    rebuild_years: int = 3
    backlog_years: int = 10
    backlog_renovation_ages: tuple[int, int] = (31, 50)
    floor_area_factor_at_rebuild: float = 1.0
    mid_repair_ages: tuple[int, ...] = ()
    mid_repair_share: float = 0.3

    def __post_init__(self) -> None:
        for name in ("renovation_years", "rebuild_years", "backlog_years"):
            if int(getattr(self, name)) != getattr(self, name) or getattr(self, name) < 1:
                raise ValueError(f"{name} must be a whole number ≥ 1, got {getattr(self, name)!r}")
        if not 0 < self.renovation_age < self.rebuild_age:
            raise ValueError(f"need 0 < renovation_age < rebuild_age, got {self.renovation_age} and {self.rebuild_age}")
        if len(self.backlog_renovation_ages) != 2:
            raise ValueError(f"backlog_renovation_ages must be (lowest, highest), got {self.backlog_renovation_ages!r}")
        lo, hi = self.backlog_renovation_ages
        if not self.renovation_age < lo <= hi < self.rebuild_age:
            raise ValueError(f"backlog_renovation_ages {self.backlog_renovation_ages} must lie within "
                             f"{self.renovation_age + 1} … {self.rebuild_age - 1} (renovation_age+1 … rebuild_age−1)")
        if not self.floor_area_factor_at_rebuild > 0:
            raise ValueError(f"floor_area_factor_at_rebuild must be > 0, got {self.floor_area_factor_at_rebuild}")
        if not self.mid_repair_share >= 0:
            raise ValueError(f"mid_repair_share must be ≥ 0, got {self.mid_repair_share}")
        bad = [m for m in self.mid_repair_ages if not 0 < m < self.rebuild_age]
        if bad:
            raise ValueError(f"mid_repair_ages must lie within 1 … rebuild_age − 1 = {self.rebuild_age - 1}, got {bad}")
        if len(set(self.mid_repair_ages)) != len(self.mid_repair_ages):
            raise ValueError(f"mid_repair_ages repeat an age: {self.mid_repair_ages}")
        for name in ("renovation_yen_per_m2", "rebuild_yen_per_m2"):
            bad_costs = {c: v for c, v in getattr(self, name).items() if not (v >= 0 and math.isfinite(v))}
            if bad_costs:
                raise ValueError(f"{name} must be finite and ≥ 0: {bad_costs}")


LONG_LIFE_BACKLOG_RENOVATION_AGES: tuple[int, int] = (41, 50)
"""Ages at the start whose missed renovation the 加古川市 long-life scenario spreads over the
backlog period (41–50); buildings aged 51 and over skip it."""


def long_life_params(base: RenewalParams = RenewalParams(), *, with_mid_repairs: bool = True) -> RenewalParams:
    """The long-life (長寿命化) scenario of 加古川市's plan: use to 80 years, renovation at 40.

    Renovation moves to age 40 and rebuild to age 80; with ``with_mid_repairs`` mid-scale
    repairs (中規模改修) are added at ages 20 and 60, each ``base.mid_repair_share`` (30%) of
    the rebuild cost. Buildings aged 41–50 at the start have the missed renovation spread over
    ``base.backlog_years`` (10) years, as the plan does; older ones skip it and are rebuilt at 80.
    Unit costs, spreads, backlog period and floor-area factor are kept from ``base``.
    """
    renovation_age, rebuild_age = 40, 80
    return replace(
        base,
        renovation_age=renovation_age,
        rebuild_age=rebuild_age,
        backlog_renovation_ages=LONG_LIFE_BACKLOG_RENOVATION_AGES,
        mid_repair_ages=(20, 60) if with_mid_repairs else (),
    )


@dataclass(frozen=True)
class RenewalProjection:
    """Result of :func:`renewal_cost_projection`.

    ``by_building``: ``building_id``, ``fiscal_year``, ``kind``, ``cost_yen`` — one row per
    building × year × kind with a cost in the horizon, buildings in input order. ``by_year``: ``fiscal_year``,
    ``category``, ``kind``, ``cost_yen`` — the same summed over buildings, again only rows with
    a cost, sorted by year, :data:`CATEGORIES` order and :data:`KINDS` order (use
    :meth:`yearly_totals` for a complete year grid). ``total_yen`` is the sum over
    the horizon, ``yearly_average_yen`` = ``total_yen / years``; ``past_average_yen`` is the
    average yearly investment of the last 5 fiscal years of ``past_investment`` (None without
    it) and ``ratio_to_past`` = ``yearly_average_yen / past_average_yen`` (None without it or
    when the past average is 0).
    """

    by_building: pd.DataFrame
    by_year: pd.DataFrame
    start_fy: int
    years: int
    total_yen: float
    yearly_average_yen: float
    past_average_yen: float | None
    ratio_to_past: float | None

    def yearly_totals(self) -> pd.DataFrame:
        """Cost by fiscal year (index, every year of the horizon) × kind (columns, :data:`KINDS`
        order, every kind), zeros where nothing is spent, plus a ``total`` column."""
        years = pd.RangeIndex(self.start_fy, self.start_fy + self.years, name="fiscal_year")
        wide = (self.by_year.groupby(["fiscal_year", "kind"])["cost_yen"].sum()
                .unstack("kind").reindex(index=years, columns=list(KINDS)).fillna(0.0))
        wide.columns.name = None
        wide["total"] = wide.sum(axis=1)
        return wide


# ----------------------------------------------------------------------------- validation


def _check_buildings(buildings: pd.DataFrame, columns: tuple[str, ...]) -> None:
    if not isinstance(buildings, pd.DataFrame):
        raise ValueError(f"buildings must be a DataFrame, got {type(buildings).__name__}")
    missing = [c for c in columns if c not in buildings.columns]
    if missing:
        raise ValueError(f"buildings lacks column(s) {missing}; needs {list(columns)}")
    for c in columns:
        if buildings[c].isna().any():
            raise ValueError(f"buildings has missing values in {c!r} (rows {_rows(buildings[c].isna())})")
    if "built_year" in columns:
        year = pd.to_numeric(buildings["built_year"], errors="coerce")
        bad = year.isna() | (year != np.round(year))
        if bad.any():
            raise ValueError(f"built_year must be a whole fiscal year (rows {_rows(bad)})")
    if "floor_area_m2" in columns:
        area = pd.to_numeric(buildings["floor_area_m2"], errors="coerce")
        if area.isna().any() or not np.isfinite(area).all():
            raise ValueError(f"floor_area_m2 must be a finite number (rows {_rows(area.isna() | ~np.isfinite(area))})")
        if (area < 0).any():
            raise ValueError(f"floor_area_m2 must not be negative (rows {_rows(area < 0)})")
    if "building_id" in columns and buildings["building_id"].duplicated().any():
        dup = buildings.loc[buildings["building_id"].duplicated(), "building_id"].unique().tolist()[:5]
        raise ValueError(f"building_id must be unique; repeated: {dup}")


def _rows(mask: pd.Series) -> list:
    return mask[mask].index.tolist()[:5]


def _unit_costs(categories: pd.Series, params: RenewalParams) -> tuple[np.ndarray, np.ndarray]:
    known = set(params.renovation_yen_per_m2) & set(params.rebuild_yen_per_m2)
    unknown = sorted(set(categories.unique()) - known, key=str)
    if unknown:
        raise ValueError(f"unknown category {unknown}: no renovation and rebuild unit cost for it in params "
                         f"(known: {sorted(known, key=str)})")
    renovation = categories.map(dict(params.renovation_yen_per_m2)).to_numpy(dtype=float)
    rebuild = categories.map(dict(params.rebuild_yen_per_m2)).to_numpy(dtype=float)
    return renovation, rebuild


def _past_average(past: pd.DataFrame, start_fy: int) -> float:
    if not isinstance(past, pd.DataFrame):
        raise ValueError(f"past_investment must be a DataFrame, got {type(past).__name__}")
    missing = [c for c in PAST_COLUMNS if c not in past.columns]
    if missing:
        raise ValueError(f"past_investment lacks column(s) {missing}; needs {list(PAST_COLUMNS)} (and category)")
    if past.empty:
        raise ValueError("past_investment has no rows")
    fy = pd.to_numeric(past["fiscal_year"], errors="coerce")
    yen = pd.to_numeric(past["investment_yen"], errors="coerce")
    if fy.isna().any() or (fy != np.round(fy)).any():
        raise ValueError("past_investment.fiscal_year must be whole fiscal years")
    if yen.isna().any() or not np.isfinite(yen).all() or (yen < 0).any():
        raise ValueError("past_investment.investment_yen must be finite and ≥ 0")
    if (fy >= start_fy).any():
        raise ValueError(f"past_investment must be before start_fy {start_fy}; has {sorted(set(fy[fy >= start_fy]))}")
    totals = yen.groupby(fy.astype(int)).sum()
    last = int(totals.index.max())
    window = list(range(last - PAST_AVERAGE_YEARS + 1, last + 1))
    absent = [y for y in window if y not in totals.index]
    if absent:
        raise ValueError(f"past_investment lacks fiscal year(s) {absent} of the last {PAST_AVERAGE_YEARS} "
                         f"({window[0]}–{last}); add a row with investment_yen 0 for a year without investment")
    return float(totals.loc[window].mean())


# ----------------------------------------------------------------------------- projection


def earliest_start_fy(past: pd.DataFrame | None) -> int | None:
    """The first fiscal year a projection compared with past investment can start: the year after
    the last fiscal year of ``past`` (``fiscal_year`` column), or ``None`` without past investment
    (any year then)."""
    if past is None or past.empty or "fiscal_year" not in past.columns:
        return None
    fy = pd.to_numeric(past["fiscal_year"], errors="coerce").dropna()
    return int(fy.max()) + 1 if len(fy) else None


def _cycle_events(built: np.ndarray, area: np.ndarray, ren: np.ndarray, reb: np.ndarray, start_fy: int,
                  p: RenewalParams) -> tuple[list[tuple[np.ndarray, np.ndarray, np.ndarray, int, str]], np.ndarray]:
    """Events of one life cycle of the given buildings (positions 0…n−1 of these arrays).

    Returns ``(events, new_built)``: each event is (positions, first year, total cost, spread
    years, kind); ``new_built`` is the fiscal year the rebuilt building counts as built.
    """
    age = start_fy - built
    events: list[tuple[np.ndarray, np.ndarray, np.ndarray, int, str]] = []

    def add(mask: np.ndarray, first: np.ndarray, cost: np.ndarray, spread: int, kind: str) -> None:
        idx = np.flatnonzero(mask)
        if idx.size:
            events.append((idx, first[idx], cost[idx], spread, kind))

    everyone = np.full(built.shape, start_fy)
    lo, hi = p.backlog_renovation_ages
    in_backlog = (age >= lo) & (age <= hi)
    for m in p.mid_repair_ages:
        # a mid-scale repair due while the backlog renovation is under way is part of that work
        absorbed = in_backlog & (built + m < start_fy + p.backlog_years)
        add((age <= m) & ~absorbed, built + m, p.mid_repair_share * area * reb, 1, "mid_repair")
    add(age <= p.renovation_age, built + p.renovation_age, area * ren, p.renovation_years, "renovation")
    add((age >= lo) & (age <= hi), everyone, area * ren, p.backlog_years, "backlog_renovation")
    new_area_cost = area * p.floor_area_factor_at_rebuild * reb
    on_time = age < p.rebuild_age
    add(on_time, built + p.rebuild_age, new_area_cost, p.rebuild_years, "rebuild")
    add(~on_time, everyone, new_area_cost, p.backlog_years, "backlog_rebuild")
    new_built = np.where(on_time, built + p.rebuild_age + p.rebuild_years - 1, start_fy + p.backlog_years - 1)
    return events, new_built


@dataclass(frozen=True)
class TimingRule:
    """One rule of when a building's renewal falls due: ``kind`` names it (a UI string
    ``facilities.rule.<kind>``) and ``values`` fill it (ages in years, spreads in years)."""

    kind: str
    values: Mapping[str, int | str]


def timing_rules(params: RenewalParams) -> tuple[TimingRule, ...]:
    """The timing rules :func:`renewal_cost_projection` applies under ``params``, in the order a
    building meets them: the page states them next to the projection (the backlog years make a
    hump a reader needs explained). Ages are at the start of the projection unless they say
    "at age"."""
    lo, hi = params.backlog_renovation_ages
    rules = [TimingRule("renovation", {"age": params.renovation_age, "years": params.renovation_years}),
             TimingRule("rebuild", {"age": params.rebuild_age, "years": params.rebuild_years}),
             TimingRule("backlog_renovation", {"low": lo, "high": hi, "years": params.backlog_years})]
    if hi + 1 <= params.rebuild_age - 1:
        rules.append(TimingRule("no_renovation", {"low": hi + 1, "high": params.rebuild_age - 1}))
    rules.append(TimingRule("backlog_rebuild", {"age": params.rebuild_age, "years": params.backlog_years}))
    if params.mid_repair_ages:
        rules.append(TimingRule("mid_repair", {"ages": "・".join(str(a) for a in params.mid_repair_ages),
                                               "share": round(params.mid_repair_share * 100)}))
    rules.append(TimingRule("new_cycle", {}))
    return tuple(rules)


def renewal_cost_projection(buildings: pd.DataFrame, start_fy: int = 2026, years: int = 40,
                            params: RenewalParams = RenewalParams(),
                            past_investment: pd.DataFrame | None = None) -> RenewalProjection:
    """Renewal costs of ``buildings`` over fiscal years ``start_fy … start_fy + years − 1``.

    ``buildings`` needs ``building_id`` (unique), ``category`` (a key of both unit-cost maps of
    ``params``, e.g. one of :data:`CATEGORIES`), ``built_year`` (fiscal year of completion)
    and ``floor_area_m2`` (≥ 0); other columns are ignored. ``past_investment`` (optional) has
    ``fiscal_year`` and ``investment_yen`` (``category`` may be there and is summed over); the
    last 5 fiscal years in it must all be present and before ``start_fy``. The rules are in
    the module docstring. Raises ValueError on invalid input.
    """
    if int(years) != years or years < 1:
        raise ValueError(f"years must be a whole number ≥ 1, got {years!r}")
    if int(start_fy) != start_fy:
        raise ValueError(f"start_fy must be a whole fiscal year, got {start_fy!r}")
    start_fy, years = int(start_fy), int(years)
    _check_buildings(buildings, BUILDING_COLUMNS)
    ren, reb = _unit_costs(buildings["category"], params)
    end_fy = start_fy + years - 1

    built = pd.to_numeric(buildings["built_year"]).to_numpy().round().astype(np.int64)
    area = pd.to_numeric(buildings["floor_area_m2"]).to_numpy(dtype=float)
    pos = np.arange(len(buildings))  # position of the building in `buildings`

    pieces_pos, pieces_year, pieces_cost, pieces_kind = [], [], [], []
    while pos.size:
        events, new_built = _cycle_events(built, area, ren, reb, start_fy, params)
        for idx, first, cost, spread, kind in events:
            offsets = np.arange(spread)
            year = (first[:, None] + offsets[None, :]).ravel()
            keep = (year >= start_fy) & (year <= end_fy)
            if not keep.any():
                continue
            pieces_pos.append(np.repeat(pos[idx], spread)[keep])
            pieces_year.append(year[keep])
            pieces_cost.append(np.repeat(cost / spread, spread)[keep])
            pieces_kind.append(np.full(int(keep.sum()), KINDS.index(kind), dtype=np.int8))
        # next cycle: the rebuilt building, for those whose first cost can still fall in the horizon
        alive = new_built + 1 <= end_fy
        pos, built = pos[alive], new_built[alive]
        area = area[alive] * params.floor_area_factor_at_rebuild
        ren, reb = ren[alive], reb[alive]

    if pieces_pos:
        all_pos = np.concatenate(pieces_pos)
        long = pd.DataFrame({
            "pos": all_pos,
            "fiscal_year": np.concatenate(pieces_year),
            "kind_code": np.concatenate(pieces_kind),
            "cost_yen": np.concatenate(pieces_cost),
        })
    else:
        long = pd.DataFrame({"pos": np.array([], dtype=np.int64), "fiscal_year": np.array([], dtype=np.int64),
                             "kind_code": np.array([], dtype=np.int8), "cost_yen": np.array([], dtype=float)})
    long = long[long["cost_yen"] > 0]

    kind_dtype = pd.CategoricalDtype(list(KINDS), ordered=True)
    summed = long.groupby(["pos", "fiscal_year", "kind_code"], sort=True, as_index=False)["cost_yen"].sum()
    kind = pd.Categorical.from_codes(summed["kind_code"].to_numpy(), dtype=kind_dtype)
    by_building = pd.DataFrame({
        "building_id": buildings["building_id"].to_numpy()[summed["pos"].to_numpy()],
        "fiscal_year": summed["fiscal_year"].to_numpy(dtype=np.int64),
        "kind": kind.astype(str),
        "cost_yen": summed["cost_yen"].to_numpy(dtype=float),
    })

    cat = buildings["category"].to_numpy()[summed["pos"].to_numpy()]
    by_year = (pd.DataFrame({"fiscal_year": by_building["fiscal_year"], "category": cat, "kind": kind,
                             "cost_yen": by_building["cost_yen"]})
               .groupby(["fiscal_year", "category", "kind"], sort=True, as_index=False, observed=True)["cost_yen"]
               .sum())
    by_year["kind"] = by_year["kind"].astype(str)
    order = {c: i for i, c in enumerate(_category_order(pd.Index(by_year["category"].unique())))}
    by_year = (by_year.assign(_c=by_year["category"].map(order), _k=by_year["kind"].map(KINDS.index))
               .sort_values(["fiscal_year", "_c", "_k"])[["fiscal_year", "category", "kind", "cost_yen"]]
               .reset_index(drop=True))

    total = float(by_building["cost_yen"].sum())
    average = total / years
    past = _past_average(past_investment, start_fy) if past_investment is not None else None
    ratio = average / past if past else None
    return RenewalProjection(by_building=by_building, by_year=by_year, start_fy=start_fy, years=years,
                             total_yen=total, yearly_average_yen=average, past_average_yen=past, ratio_to_past=ratio)


# ----------------------------------------------------------------------------- stock helpers


def _category_order(categories: pd.Index) -> list:
    known = [c for c in CATEGORIES if c in set(categories)]
    return known + sorted((c for c in categories if c not in CATEGORIES), key=str)


def floor_area_by_category(buildings: pd.DataFrame) -> pd.DataFrame:
    """Floor area by category: ``category``, ``buildings`` (count), ``floor_area_m2``, ``share``
    (of the total floor area, 0–1; NaN when the total is 0), in :data:`CATEGORIES` order, other
    categories after them."""
    _check_buildings(buildings, ("category", "floor_area_m2"))
    area = pd.to_numeric(buildings["floor_area_m2"]).astype(float)
    g = area.groupby(buildings["category"])
    out = pd.DataFrame({"buildings": g.size(), "floor_area_m2": g.sum()})
    out = out.reindex(_category_order(out.index))
    out.index.name = "category"
    out = out.reset_index()
    total = out["floor_area_m2"].sum()
    out["share"] = out["floor_area_m2"] / total if total > 0 else np.nan
    out["buildings"] = out["buildings"].astype(np.int64)
    return out


def ageing_share(buildings: pd.DataFrame, fiscal_year: int, age: int = 30) -> float:
    """Share (0–1) of the floor area standing in ``fiscal_year`` that is aged ``age`` or more
    (age = ``fiscal_year − built_year``). Buildings completed after ``fiscal_year`` do not exist
    yet and are left out. NaN when no floor area stands in that year."""
    _check_buildings(buildings, ("built_year", "floor_area_m2"))
    built = pd.to_numeric(buildings["built_year"])
    area = pd.to_numeric(buildings["floor_area_m2"]).astype(float)
    standing = built <= fiscal_year
    total = float(area[standing].sum())
    if total <= 0:
        return math.nan
    return float(area[standing & (fiscal_year - built >= age)].sum()) / total


def built_year_histogram(buildings: pd.DataFrame, bin_years: int = 5) -> pd.DataFrame:
    """Floor area by construction period × category: ``bin_start``, ``category``,
    ``floor_area_m2``. Bins are ``bin_years`` fiscal years wide and start at multiples of
    ``bin_years`` (1970, 1975, … for 5); only bins × categories with buildings are listed,
    sorted by bin and :data:`CATEGORIES` order."""
    if int(bin_years) != bin_years or bin_years < 1:
        raise ValueError(f"bin_years must be a whole number ≥ 1, got {bin_years!r}")
    _check_buildings(buildings, ("category", "built_year", "floor_area_m2"))
    built = pd.to_numeric(buildings["built_year"]).round().astype(np.int64)
    frame = pd.DataFrame({
        "bin_start": (built // int(bin_years)) * int(bin_years),
        "category": buildings["category"].to_numpy(),
        "floor_area_m2": pd.to_numeric(buildings["floor_area_m2"]).astype(float).to_numpy(),
    })
    out = frame.groupby(["bin_start", "category"], as_index=False)["floor_area_m2"].sum()
    order = {c: i for i, c in enumerate(_category_order(pd.Index(out["category"].unique())))}
    out = out.assign(_o=out["category"].map(order)).sort_values(["bin_start", "_o"]).drop(columns="_o")
    return out.reset_index(drop=True)


# ----------------------------------------------------------------------------- scenarios side by side


def rebuilt_floor_area(buildings: pd.DataFrame, start_fy: int = 2026, years: int = 40,
                       params: RenewalParams = RenewalParams()) -> float:
    """Floor area (m²) whose first rebuild is finished within ``start_fy … start_fy + years − 1``
    under ``params`` (its new building counts as built by the horizon's last year)."""
    _check_buildings(buildings, ("built_year", "floor_area_m2"))
    built = pd.to_numeric(buildings["built_year"]).to_numpy().round().astype(np.int64)
    area = pd.to_numeric(buildings["floor_area_m2"]).to_numpy(dtype=float)
    on_time = start_fy - built < params.rebuild_age
    new_built = np.where(on_time, built + params.rebuild_age + params.rebuild_years - 1,
                         start_fy + params.backlog_years - 1)
    return float(area[new_built <= start_fy + years - 1].sum())


def reduction_params(buildings: pd.DataFrame, target: float, start_fy: int = 2026, years: int = 40,
                     base: RenewalParams = RenewalParams()) -> tuple[RenewalParams, float]:
    """Parameters that cut the total floor area by ``target`` (0.2 = −20%) by the horizon's end,
    applied at rebuilds (the rule of 廿日市市-style 延床面積削減目標 as this app models it): every
    building rebuilt within the horizon is rebuilt at the same factor ``f`` of its floor area,
    ``f = 1 − target · A_total / A_rebuilt`` (``A_rebuilt`` from :func:`rebuilt_floor_area`),
    so the stock at the end is ``(1 − target) · A_total``. Buildings not due for rebuild keep
    their size; ``f`` is at least 0 (a target beyond what rebuilds can deliver is cut to
    demolishing every rebuilt building). Returns ``(params, achieved reduction)``."""
    if not 0 <= target < 1:
        raise ValueError(f"target must be a share from 0 to below 1 (0.2 = −20%), got {target!r}")
    total = float(pd.to_numeric(buildings["floor_area_m2"]).sum())
    rebuilt = rebuilt_floor_area(buildings, start_fy, years, base)
    if total <= 0 or rebuilt <= 0:
        return replace(base, floor_area_factor_at_rebuild=1.0), 0.0
    factor = max(0.0, 1.0 - target * total / rebuilt)
    # RenewalParams needs a factor > 0: a full demolition is modelled as a negligible rebuild.
    params = replace(base, floor_area_factor_at_rebuild=max(factor, 1e-9))
    return params, rebuilt * (1.0 - factor) / total


@dataclass(frozen=True)
class ScenarioComparison:
    """Renewal scenarios side by side (:func:`compare_scenarios`).

    ``yearly``: ``scenario``, ``fiscal_year``, ``cost_yen``, ``cumulative_shortfall_yen`` (Σ of
    cost − past average up to that year: what the recent budget leaves unpaid; negative while
    spending stays below it). ``summary``: ``scenario``, ``total_yen``, ``yearly_average_yen``,
    ``ratio_to_past``, ``shortfall_yen`` (total − past average × years),
    ``floor_area_end_m2`` (stock after the horizon's rebuilds), ``change_vs_first`` (yearly
    average against the first scenario's, e.g. −0.25). ``past_average_yen`` as in
    :class:`RenewalProjection` (None without past investment; then shortfalls are NaN).
    ``timing``: each scenario's :func:`timing_rules`.
    """

    yearly: pd.DataFrame
    summary: pd.DataFrame
    past_average_yen: float | None
    projections: Mapping[str, RenewalProjection] = field(repr=False)
    timing: Mapping[str, tuple[TimingRule, ...]] = field(default_factory=dict, repr=False)


def compare_scenarios(buildings: pd.DataFrame, scenarios: Mapping[str, RenewalParams], start_fy: int = 2026,
                      years: int = 40, past_investment: pd.DataFrame | None = None) -> ScenarioComparison:
    """Run :func:`renewal_cost_projection` once per named scenario (the first is the reference)."""
    if not scenarios:
        raise ValueError("scenarios must name at least one RenewalParams")
    projections = {name: renewal_cost_projection(buildings, start_fy, years, p, past_investment)
                   for name, p in scenarios.items()}
    first = next(iter(projections.values()))
    past = first.past_average_yen
    yearly, summary = [], []
    total_area = float(pd.to_numeric(buildings["floor_area_m2"]).sum())
    for name, proj in projections.items():
        cost = proj.yearly_totals()["total"]
        gap = (cost - past).cumsum() if past is not None else pd.Series(np.nan, index=cost.index)
        yearly.append(pd.DataFrame({"scenario": name, "fiscal_year": cost.index, "cost_yen": cost.to_numpy(),
                                    "cumulative_shortfall_yen": gap.to_numpy()}))
        factor = scenarios[name].floor_area_factor_at_rebuild
        rebuilt = rebuilt_floor_area(buildings, start_fy, years, scenarios[name])
        summary.append({
            "scenario": name, "total_yen": proj.total_yen, "yearly_average_yen": proj.yearly_average_yen,
            "ratio_to_past": proj.ratio_to_past if proj.ratio_to_past is not None else np.nan,
            "shortfall_yen": proj.total_yen - past * years if past is not None else np.nan,
            "floor_area_end_m2": total_area - rebuilt * (1 - factor),
            "change_vs_first": proj.yearly_average_yen / first.yearly_average_yen - 1
            if first.yearly_average_yen > 0 else np.nan,
        })
    return ScenarioComparison(yearly=pd.concat(yearly, ignore_index=True), summary=pd.DataFrame(summary),
                              past_average_yen=past, projections=dict(projections),
                              timing={name: timing_rules(p) for name, p in scenarios.items()})


def floor_area_stock(buildings: pd.DataFrame, start_fy: int = 2026, years: int = 40,
                     params: RenewalParams = RenewalParams()) -> pd.Series:
    """Floor area in use (m²) by fiscal year over the horizon: a rebuilt building takes its new
    size (× ``floor_area_factor_at_rebuild``) from the year its rebuild ends (see the module
    docstring for when that is)."""
    _check_buildings(buildings, ("built_year", "floor_area_m2"))
    end = start_fy + years - 1
    built = pd.to_numeric(buildings["built_year"]).to_numpy().round().astype(np.int64)
    area = pd.to_numeric(buildings["floor_area_m2"]).to_numpy(dtype=float)
    change = np.zeros(years)
    first = True
    f = params.floor_area_factor_at_rebuild
    while built.size:
        age = start_fy - built
        on_time = age < params.rebuild_age if first else np.ones(built.shape, bool)
        new_built = np.where(on_time, built + params.rebuild_age + params.rebuild_years - 1,
                             start_fy + params.backlog_years - 1)
        alive = new_built <= end
        np.add.at(change, new_built[alive] - start_fy, area[alive] * (f - 1))
        built, area, first = new_built[alive], area[alive] * f, False
    total = float(pd.to_numeric(buildings["floor_area_m2"]).sum())
    return pd.Series(total + change.cumsum(), index=pd.RangeIndex(start_fy, end + 1, name="fiscal_year"))


# ----------------------------------------------------------------------------- the page's parameters

DEFAULT_START_FY = 2026
NEW_SEISMIC_FY = 1981  # 新耐震基準: building permits from 1 June 1981 (建築基準法施行令 改正)


def unit_cost_table(params: RenewalParams = RenewalParams(), categories=()) -> pd.DataFrame:
    """The unit costs of ``params`` per category in 万円/m² (as the MIC table and council
    papers state them): ``category``, ``renovation_man_yen``, ``rebuild_man_yen``; a category of
    ``categories`` (e.g. those of the buildings) without a cost is listed with NaN to fill in."""
    cats = _category_order(pd.Index([*params.renovation_yen_per_m2,
                                     *(c for c in categories if c not in params.renovation_yen_per_m2)]))
    return pd.DataFrame({"category": cats,
                         "renovation_man_yen": [params.renovation_yen_per_m2.get(c, math.nan) / MAN_YEN for c in cats],
                         "rebuild_man_yen": [params.rebuild_yen_per_m2.get(c, math.nan) / MAN_YEN for c in cats]})


def renewal_params_from_table(costs: pd.DataFrame, *, renovation_age: int = 30, rebuild_age: int = 60,
                              backlog_years: int = 10) -> RenewalParams:
    """:class:`RenewalParams` from a unit-cost table in 万円/m² (:func:`unit_cost_table`, as the
    planner edited it) and the cycle. The backlog renovation covers ages ``renovation_age + 1 …
    rebuild_age − backlog_years`` (the MIC 31–50 for 30/60/10), at least one age. Raises
    ValueError for a missing or negative cost."""
    ren = pd.to_numeric(costs["renovation_man_yen"], errors="coerce")
    reb = pd.to_numeric(costs["rebuild_man_yen"], errors="coerce")
    bad = costs.loc[ren.isna() | reb.isna() | (ren < 0) | (reb < 0), "category"].tolist()
    if bad:
        raise ValueError(f"unit costs must be numbers ≥ 0 (万円/m²): {bad}")
    if not 0 < renovation_age < rebuild_age:
        raise ValueError(f"need 0 < renovation_age < rebuild_age, got {renovation_age} and {rebuild_age}")
    lo = renovation_age + 1
    return RenewalParams(
        renovation_yen_per_m2=MappingProxyType(dict(zip(costs["category"], ren * MAN_YEN, strict=True))),
        rebuild_yen_per_m2=MappingProxyType(dict(zip(costs["category"], reb * MAN_YEN, strict=True))),
        renovation_age=renovation_age, rebuild_age=rebuild_age, backlog_years=backlog_years,
        backlog_renovation_ages=(lo, min(rebuild_age - 1, max(lo, rebuild_age - backlog_years))))
