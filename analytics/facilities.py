"""Public facilities: ageing and the renewal cost projection by the MIC 更新費用試算 method.

:func:`renewal_cost_projection` estimates what keeping every public building costs over a
horizon (40 fiscal years by default), the way 公共施設等総合管理計画 do it: 総務省「公共施設等更新費用
試算ソフト」(2011), whose method comes from 財団法人自治総合センター「地方公共団体の財政分析等に関する
調査研究報告書」(2011). The handling of backlogs (積み残し) follows the same method as restated in
加古川市「公共施設等総合管理計画」, which also supplies the long-life scenario
(:func:`long_life_params`).

Units: money in yen (円; the MIC table is in 万円/m² and is stored ×10,000 in 円/m²), floor
area in m², years are fiscal years (年度, April–March) and an age is ``fiscal_year −
built_year`` (``built_year`` is the fiscal year of completion, so a building completed in
FY2000 is aged 26 in FY2026).

The rules, for a building of category ``c`` and floor area ``A`` (``r``/``R`` the renovation /
rebuild unit costs of ``c``, defaults :data:`MIC_RENOVATION_YEN_PER_M2` /
:data:`MIC_REBUILD_YEN_PER_M2`; ``a`` its age at ``start_fy``; the ages below are those of
:class:`RenewalParams`, defaults 30 / 60):

* **Renovation (大規模改修)** costs ``A·r``. With ``a ≤ renovation_age`` it is on schedule: it
  starts in ``built_year + renovation_age`` and is spread evenly over ``renovation_years``
  (2) years — a building aged exactly 30 at the start is renovated in ``start_fy`` and the
  next year, not as backlog. With ``a`` in ``backlog_renovation_ages`` (inclusive; 31–50) the
  renovation was missed: its cost is spread evenly over the first ``backlog_years`` (10)
  years of the horizon (kind ``backlog_renovation``). Any other age (51–59 by default, or
  ages between ``renovation_age`` and the range's lower bound if that is set higher) gets no
  renovation: the building is too close to its rebuild.
* **Rebuild (建替え)** costs ``A·f·R`` with ``f`` = ``floor_area_factor_at_rebuild``: the
  building is rebuilt at ``f`` times its floor area (1.0 = same size; 0.8 for a −20% floor
  area target) and the rebuild pays for the new, possibly smaller building. With ``a <
  rebuild_age`` it starts in ``built_year + rebuild_age`` and is spread evenly over
  ``rebuild_years`` (3) years. With ``a ≥ rebuild_age`` (60 and over — note the asymmetry
  with renovation: a building aged exactly 60 is already due, as in the MIC software) it is
  spread evenly over the first ``backlog_years`` years (kind ``backlog_rebuild``).
* **Mid-scale repairs (中規模改修)**, only when ``mid_repair_ages`` is set: at each such age
  ``m`` with ``a ≤ m``, one year at ``built_year + m`` costing ``mid_repair_share · A·R``
  (a share of the building's rebuild cost at its current area). A missed mid-scale repair
  (``a > m``) is not carried as backlog, and one that falls due within the backlog period of a
  building getting the backlog renovation is taken to be part of that renovation (under the
  long-life scenario a building aged 55 is renovated over FY2026–2035 and not repaired again at
  60, five years on).
* **New cycle.** The rebuilt building (floor area ``A·f``) counts as built in the *last* year
  of its rebuild spending: ``built_year + rebuild_age + rebuild_years − 1`` for an on-schedule
  rebuild (a building completed in FY1970 is rebuilt FY2030–2032 and the new one counts as
  built in FY2032, renovated from FY2062), ``start_fy + backlog_years − 1`` for a backlog
  rebuild (FY2035 for a start in FY2026). Its cycle then runs on schedule with the same
  rules (renovation at +``renovation_age``, mid-scale repairs, rebuild at +``rebuild_age``
  with area ``A·f²`` …), for as many cycles as reach into the horizon.

Costs of years outside ``start_fy … start_fy + years − 1`` are dropped (a renovation starting
in the horizon's last year contributes only its first slice).

The page compares the yearly average with the city's recent investment in its buildings
(``past_investment``; 投資的経費 for 公共施設): :attr:`RenewalProjection.ratio_to_past`.

The helpers :func:`floor_area_by_category`, :func:`ageing_share` and
:func:`built_year_histogram` describe the stock for the same page.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from types import MappingProxyType

import numpy as np
import pandas as pd

from analytics.core import geo

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


def long_life_params(base: RenewalParams = RenewalParams(), *, with_mid_repairs: bool = True) -> RenewalParams:
    """The long-life (長寿命化) scenario of 加古川市: use to 80 years, renovation at 40.

    Renovation moves to age 40 and rebuild to age 80; with ``with_mid_repairs`` mid-scale
    repairs (中規模改修) are added at ages 20 and 60, each ``base.mid_repair_share`` (30%) of
    the rebuild cost. The backlog renovation range follows the ages by analogy with 31–50 for
    30/60: ``(41, 80 − base.backlog_years)`` = (41, 70), so a backlog renovation ends just
    before the rebuild falls due. Unit costs, spreads, backlog period and floor-area factor
    are kept from ``base``.
    """
    renovation_age, rebuild_age = 40, 80
    return replace(
        base,
        renovation_age=renovation_age,
        rebuild_age=rebuild_age,
        backlog_renovation_ages=(renovation_age + 1, max(renovation_age + 1, rebuild_age - base.backlog_years)),
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


# ----------------------------------------------------------------------------- facility cards (施設カルテ)

_COSTS = ("cost_staff_yen", "cost_utilities_yen", "cost_outsourcing_yen", "cost_repairs_yen")
_SEISMIC_ORDER = ("新耐震", "旧耐震・補強済", "旧耐震・未補強")


def facility_cards(facilities: pd.DataFrame, buildings: pd.DataFrame, operations: pd.DataFrame,
                   fiscal_year: int) -> pd.DataFrame:
    """One row per facility for ``fiscal_year`` (施設カルテ): floor area (m²), age in years of its
    floor area (area-weighted, ``fiscal_year − built_year``), oldest building, worst seismic status,
    visits (延べ利用者数, not persons), operating cost (staff + utilities + outsourcing + repairs,
    yen), fee revenue, ``cost_per_visit``, ``cost_per_m2``, ``cost_recovery`` (fees ÷ cost) and
    ``utilisation``: slots used ÷ available where bookable, else visits ÷ capacity (NaN where
    neither applies). Facility statistics: nothing here counts persons."""
    b = buildings.assign(age=fiscal_year - buildings["built_year"].astype(int),
                         seismic_rank=buildings["seismic"].map({s: i for i, s in enumerate(_SEISMIC_ORDER)}))
    per = b.groupby("facility_id").agg(floor_area_m2=("floor_area_m2", "sum"), oldest_built=("built_year", "min"),
                                       seismic_rank=("seismic_rank", "max"))
    weighted = (b["age"] * b["floor_area_m2"]).groupby(b["facility_id"]).sum()
    per["age_years"] = weighted / per["floor_area_m2"].where(per["floor_area_m2"] > 0)
    per["seismic"] = [_SEISMIC_ORDER[int(r)] if pd.notna(r) else None for r in per.pop("seismic_rank")]
    ops = operations[operations["fiscal_year"] == fiscal_year].set_index("facility_id")
    cards = facilities.set_index("facility_id").join(per, how="left").join(ops.drop(columns="fiscal_year"),
                                                                          how="left")
    cost = cards[list(_COSTS)].astype(float).sum(axis=1, min_count=1)
    visits = cards["visits"].astype(float)
    cards["operating_cost_yen"] = cost
    cards["cost_per_visit"] = cost / visits.where(visits > 0)
    cards["cost_per_m2"] = cost / cards["floor_area_m2"].where(cards["floor_area_m2"] > 0)
    cards["cost_recovery"] = cards["fee_revenue_yen"].astype(float) / cost.where(cost > 0)
    slots = cards["slots_available"].astype(float)
    by_slots = cards["slots_used"].astype(float) / slots.where(slots > 0)
    capacity = cards["capacity"].astype(float)
    cards["utilisation"] = by_slots.fillna(visits / capacity.where(capacity > 0))
    return cards.reset_index()


SCREENING_GROUPS = ("keep", "promote_use", "renew", "review")


def utilisation_rank(cards: pd.DataFrame) -> pd.Series:
    """Utilisation as a percentile (0–1] within the facility's subcategory (1 = best used; NaN
    where utilisation is unknown): the horizontal axis of the screening."""
    return cards.groupby("subcategory")["utilisation"].rank(pct=True)


def screening(cards: pd.DataFrame, *, utilisation_percentile: float = 0.4, age_years: float = 40.0) -> pd.Series:
    """The screening quadrant: utilisation ranked within the facility's subcategory (percentile,
    0–1) × building condition (area-weighted age ≥ ``age_years`` or not yet retrofitted counts as
    poor). ``keep`` (well used, sound), ``promote_use`` (little used, sound), ``renew`` (well used,
    poor), ``review`` (little used, poor: candidates for consolidation); NaN where utilisation is
    unknown. After 枚方市's screening (resident use × building performance within each
    sub-category); the thresholds are the planner's."""
    rank = utilisation_rank(cards)
    poor = (cards["age_years"] >= age_years) | (cards["seismic"] == "旧耐震・未補強")
    low = rank <= utilisation_percentile
    group = np.select([~low & ~poor, low & ~poor, ~low & poor, low & poor], SCREENING_GROUPS, default="")
    return pd.Series(np.where(rank.isna(), None, group), index=cards.index, name="screening")


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
    """

    yearly: pd.DataFrame
    summary: pd.DataFrame
    past_average_yen: float | None
    projections: Mapping[str, RenewalProjection] = field(repr=False)


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
                              past_average_yen=past, projections=dict(projections))


def floor_area_per_resident(floor_area_m2: float | pd.Series, residents: pd.Series | pd.DataFrame) -> pd.DataFrame:
    """Floor area per resident (m²/人) by fiscal year: ``fiscal_year``, ``residents``,
    ``floor_area_m2``, ``m2_per_resident``. ``residents`` is indexed by fiscal year (published
    now, projected later), or a frame with ``fiscal_year`` and ``residents`` whose other columns
    are kept (e.g. :func:`analytics.population.residents_outlook`); ``floor_area_m2`` one stock
    for every year or a series by year."""
    if isinstance(residents, pd.DataFrame):
        out = floor_area_per_resident(floor_area_m2, residents.set_index("fiscal_year")["residents"])
        return out.merge(residents.drop(columns="residents"), on="fiscal_year", how="left")
    res = residents.astype(float)
    area = floor_area_m2.reindex(res.index).astype(float) if isinstance(floor_area_m2, pd.Series) \
        else pd.Series(float(floor_area_m2), index=res.index)
    out = pd.DataFrame({"fiscal_year": res.index.astype(int), "residents": res.to_numpy(),
                        "floor_area_m2": area.to_numpy()})
    out["m2_per_resident"] = out["floor_area_m2"] / out["residents"].where(out["residents"] > 0)
    return out


# ----------------------------------------------------------------------------- consolidation (統廃合)


@dataclass(frozen=True)
class ConsolidationPlan:
    """Facilities a scenario closes or merges.

    ``closures``: facilities closed (廃止): their service is gone and their visits go to the
    nearest remaining facility of the same subcategory. ``merges``: closed facility → the
    facility it moves into (集約化・複合化): visits go to that facility, which afterwards offers
    the moved service at its own location (it may be of another subcategory)."""

    closures: tuple[str, ...] = ()
    merges: Mapping[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        object.__setattr__(self, "closures", tuple(dict.fromkeys(str(c) for c in self.closures)))
        object.__setattr__(self, "merges", MappingProxyType({str(k): str(v) for k, v in dict(self.merges).items()}))
        both = set(self.closures) & set(self.merges)
        if both:
            raise ValueError(f"a facility is either closed or merged, not both: {sorted(both)}")
        gone = set(self.closures) | set(self.merges)
        bad = sorted(k for k, v in self.merges.items() if v in gone)
        if bad:
            raise ValueError(f"merged into a facility that itself closes: {bad}")

    @property
    def removed(self) -> tuple[str, ...]:
        return (*self.closures, *self.merges)


@dataclass(frozen=True)
class Consolidation:
    """Result of :func:`consolidation` (money in yen over ``years`` fiscal years).

    * ``savings``, one row per removed facility: ``facility_id``, ``action`` (close / merge),
      ``floor_area_m2``, ``operating_cost_yen`` and ``fee_revenue_yen`` (a year, from the
      facility cards), ``net_operating_yen`` (= cost − fees), ``avoided_renewal_yen`` (the
      projection's costs of its buildings over the horizon), ``total_yen`` = net operating ×
      years + avoided renewal. Receiving facilities' extra running costs are not modelled.
    * ``reassignment``: ``facility_id``, ``receiver_id`` (None when no facility of the
      subcategory remains), ``visits``, ``distance_m`` between the two.
    * ``load``: per receiving facility ``visits_before``, ``received``, ``visits_after``,
      ``capacity`` and ``load`` = visits after ÷ capacity (NaN without a capacity).
    * ``access``: per affected subcategory × district, from mesh residents (published, with
      estimates where hidden): ``residents``, ``mean_distance_before_m``,
      ``mean_distance_after_m`` (residents-weighted, to the nearest facility of the subcategory),
      ``beyond_before`` and ``beyond_after`` (residents farther than ``beyond_m``); the city is
      the row with ``district_id`` :data:`CITY`.
    * ``mesh_access``: ``subcategory``, ``mesh_code``, ``district_id``, ``residents``,
      ``distance_before_m``, ``distance_after_m``.
    """

    savings: pd.DataFrame
    reassignment: pd.DataFrame
    load: pd.DataFrame
    access: pd.DataFrame
    mesh_access: pd.DataFrame
    beyond_m: float
    years: int

    @property
    def floor_area_saved_m2(self) -> float:
        return float(self.savings["floor_area_m2"].sum())

    @property
    def yearly_operating_saved_yen(self) -> float:
        return float(self.savings["net_operating_yen"].sum())

    @property
    def avoided_renewal_yen(self) -> float:
        return float(self.savings["avoided_renewal_yen"].sum())

    @property
    def total_saved_yen(self) -> float:
        return float(self.savings["total_yen"].sum())


CITY = "city"  # district_id of the city row in Consolidation.access


def nearest_facility_access(residents: pd.DataFrame, sites: pd.DataFrame) -> pd.DataFrame:
    """Straight-line distance (m, EPSG:6673) from each mesh centre of ``residents`` (``mesh_code``)
    to the nearest of ``sites`` (``lon``, ``lat`` in JGD2011 degrees) and that site's row position
    (``inf`` and −1 without sites). Returns ``residents`` with ``distance_m`` and ``nearest``."""
    dist, idx = geo.nearest_distance_m(geo.mesh_plane_xy(residents["mesh_code"]), geo.points_plane_xy(sites))
    return residents.assign(distance_m=dist, nearest=idx)


def _access_summary(mesh: pd.DataFrame, beyond_m: float) -> pd.DataFrame:
    w = mesh["residents"].astype(float)
    parts = []
    for key, g in [*mesh.groupby(["subcategory", "district_id"], sort=True),
                   *(((s, CITY), g) for s, g in mesh.groupby("subcategory", sort=True))]:
        wg = w.loc[g.index]
        total = float(wg.sum())

        def mean(col, g=g, wg=wg, total=total):
            d = g[col].to_numpy(dtype=float)
            return float((wg.to_numpy() * d).sum() / total) if total > 0 and np.isfinite(d).all() else np.nan

        parts.append({"subcategory": key[0], "district_id": key[1], "residents": total,
                      "mean_distance_before_m": mean("distance_before_m"),
                      "mean_distance_after_m": mean("distance_after_m"),
                      "beyond_before": float(wg[g["distance_before_m"] > beyond_m].sum()),
                      "beyond_after": float(wg[g["distance_after_m"] > beyond_m].sum())})
    return pd.DataFrame(parts, columns=["subcategory", "district_id", "residents", "mean_distance_before_m",
                                        "mean_distance_after_m", "beyond_before", "beyond_after"])


def consolidation(facilities: pd.DataFrame, buildings: pd.DataFrame, cards: pd.DataFrame,
                  projection: RenewalProjection, plan: ConsolidationPlan, mesh_residents: pd.DataFrame, *,
                  beyond_m: float = 1000.0, subcategories: Sequence[str] = ()) -> Consolidation:
    """What closing and merging the facilities of ``plan`` saves, where their visits go and what it
    does to residents' access (see :class:`Consolidation`).

    ``cards`` is :func:`facility_cards` for the year whose running costs are saved;
    ``projection`` the renewal projection of ``buildings`` under the scenario in force (its
    horizon gives ``years``); ``mesh_residents`` has ``mesh_code``, ``district_id`` and
    ``residents`` (e.g. :func:`analytics.population.published_mesh_residents`). Visits are
    延べ利用者数 (facility statistics); the access figures count residents. Distances are
    straight lines between mesh centres and facility points. Access is measured for every
    subcategory the plan touches and for ``subcategories`` (so the current access of a service
    can be seen before anything closes). Raises ValueError for unknown facilities in ``plan``."""
    fac = facilities.assign(facility_id=facilities["facility_id"].astype(str)).set_index("facility_id", drop=False)
    unknown = sorted({*plan.removed, *plan.merges.values()} - set(fac.index))
    if unknown:
        raise ValueError(f"unknown facility_id in the plan: {unknown}")
    removed = list(plan.removed)
    card = cards.assign(facility_id=cards["facility_id"].astype(str)).set_index("facility_id")

    # -- savings
    per_building = projection.by_building.groupby("building_id")["cost_yen"].sum()
    b = buildings.assign(facility_id=buildings["facility_id"].astype(str))
    renewal = b["building_id"].map(per_building).fillna(0.0).groupby(b["facility_id"]).sum()
    s = pd.DataFrame({"facility_id": removed,
                      "action": ["close"] * len(plan.closures) + ["merge"] * len(plan.merges)})
    for col in ("floor_area_m2", "operating_cost_yen", "fee_revenue_yen"):
        s[col] = card[col].reindex(removed).astype(float).fillna(0.0).to_numpy()
    s["net_operating_yen"] = s["operating_cost_yen"] - s["fee_revenue_yen"]
    s["avoided_renewal_yen"] = renewal.reindex(removed).fillna(0.0).to_numpy()
    s["total_yen"] = s["net_operating_yen"] * projection.years + s["avoided_renewal_yen"]

    # -- where the visits go
    remaining = fac[~fac.index.isin(removed)]
    xy = pd.DataFrame(geo.points_plane_xy(fac),
                      index=fac.index, columns=["x", "y"])
    rows = []
    for fid in removed:
        if fid in plan.merges:
            receiver = plan.merges[fid]
        else:
            same = remaining[remaining["subcategory"] == fac.at[fid, "subcategory"]]
            if len(same):
                d = np.hypot(*(xy.loc[same.index].to_numpy() - xy.loc[fid].to_numpy()).T)
                receiver = str(same.index[int(np.argmin(d))])
            else:
                receiver = None
        dist = float(np.hypot(*(xy.loc[receiver] - xy.loc[fid]))) if receiver is not None else np.nan
        visits = card["visits"].astype(float).get(fid, np.nan)
        rows.append({"facility_id": fid, "receiver_id": receiver, "visits": visits, "distance_m": dist})
    reassignment = pd.DataFrame(rows, columns=["facility_id", "receiver_id", "visits", "distance_m"])
    got = reassignment.dropna(subset=["receiver_id"])
    received = got.groupby("receiver_id")["visits"].sum(min_count=1)
    load = pd.DataFrame({"facility_id": received.index.astype(str)})
    load["visits_before"] = card["visits"].astype(float).reindex(load["facility_id"]).to_numpy()
    load["received"] = received.to_numpy(dtype=float)
    load["visits_after"] = load["visits_before"] + load["received"]
    load["capacity"] = card["capacity"].astype(float).reindex(load["facility_id"]).to_numpy()
    load["load"] = load["visits_after"] / load["capacity"].where(load["capacity"] > 0)

    # -- access, per subcategory whose network changes
    res = mesh_residents[["mesh_code", "district_id", "residents"]].reset_index(drop=True)
    frames = []
    for sub in dict.fromkeys([*fac.loc[removed, "subcategory"], *subcategories]):
        before = fac[fac["subcategory"] == sub]
        moved_in = [plan.merges[f] for f in removed if f in plan.merges and fac.at[f, "subcategory"] == sub]
        after = pd.concat([before[~before.index.isin(removed)], fac.loc[moved_in]])
        d_before = nearest_facility_access(res, before)["distance_m"]
        d_after = nearest_facility_access(res, after)["distance_m"]
        frames.append(res.assign(subcategory=sub, distance_before_m=d_before.to_numpy(),
                                 distance_after_m=d_after.to_numpy()))
    columns = ["subcategory", "mesh_code", "district_id", "residents", "distance_before_m", "distance_after_m"]
    mesh = pd.concat(frames, ignore_index=True)[columns] if frames else pd.DataFrame(columns=columns)
    return Consolidation(savings=s, reassignment=reassignment, load=load, access=_access_summary(mesh, beyond_m),
                         mesh_access=mesh, beyond_m=float(beyond_m), years=projection.years)


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


def latest_year(operations: pd.DataFrame) -> int:
    """The latest fiscal year of ``facility_operations`` (the facility cards' year)."""
    return int(pd.to_numeric(operations["fiscal_year"]).max())


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

SCENARIOS: tuple[str, ...] = ("simple", "long_life", "reduction")
"""Renewal scenarios of the page: the MIC method as it is, long life (加古川市), floor-area target."""


@dataclass(frozen=True)
class FacilitiesParams:
    """Everything the 公共施設マネジメント page lets a planner set (one object, as the model's input).

    ``renewal``: the simple scenario's assumptions (unit costs, cycles); ``mid_repairs``: add
    the 加古川市 mid-scale repairs to the long-life scenario; ``reduction_target``: the
    floor-area target of the third scenario (0.2 = −20% by the horizon's end, at rebuilds);
    ``scenario``: the one in force for the consolidation's avoided renewal costs;
    ``utilisation_percentile`` / ``screening_age_years``: the screening thresholds;
    ``plan``: what closes or merges; ``beyond_m``: the access distance (a step of
    :data:`analytics.core.geo.FACILITY_ACCESS_STEPS_M`)."""

    start_fy: int = 2026
    years: int = 40
    renewal: RenewalParams = field(default_factory=RenewalParams)
    mid_repairs: bool = False
    reduction_target: float = 0.2
    scenario: str = "simple"
    utilisation_percentile: float = 0.4
    screening_age_years: float = 40.0
    plan: ConsolidationPlan = field(default_factory=ConsolidationPlan)
    beyond_m: int = 1000

    def __post_init__(self) -> None:
        if self.scenario not in SCENARIOS:
            raise ValueError(f"scenario must be one of {SCENARIOS}, got {self.scenario!r}")
        if self.beyond_m not in geo.FACILITY_ACCESS_STEPS_M:
            raise ValueError(f"beyond_m must be one of {geo.FACILITY_ACCESS_STEPS_M}, got {self.beyond_m!r}")
        if not 0 < self.utilisation_percentile < 1:
            raise ValueError(f"utilisation_percentile must be within 0 … 1, got {self.utilisation_percentile!r}")

    def renewal_scenarios(self, buildings: pd.DataFrame) -> dict[str, RenewalParams]:
        """The three scenarios' assumptions, in :data:`SCENARIOS` order."""
        reduction, _ = reduction_params(buildings, self.reduction_target, self.start_fy, self.years, self.renewal)
        return {"simple": self.renewal, "long_life": long_life_params(self.renewal, with_mid_repairs=self.mid_repairs),
                "reduction": reduction}


def screening_proposal(cards: pd.DataFrame, groups: pd.Series) -> tuple[str, ...]:
    """Facilities the screening puts in ``review`` (little used, poor building), leaving each
    subcategory at least one facility that is not proposed (so the service stays somewhere)."""
    review = cards[groups == "review"]
    out = []
    for sub, g in review.groupby("subcategory", sort=False):
        n = int((cards["subcategory"] == sub).sum())
        keep = g if len(g) < n else g.iloc[:-1]
        out += list(keep["facility_id"].astype(str))
    return tuple(sorted(out))
