"""Residents of the synthetic city: an April-1 age pyramid per cell, rolled forward year by year.

The base pyramid is Japan's 2020 census shape (総務省統計局 令和2年国勢調査, 5-year groups,
interpolated to single years), tilted by kind of area: the centre holds young adults, the
suburbs young families, the mountains and islands the old. Each fiscal year (April–March)
the population is rolled forward by a cohort-component step per cell: deaths (Gompertz
mortality close to Japan's life tables), births (age-specific fertility with a falling
trend, as national births fell about 5% a year in 2020–2024), and moves in and out of each
cell (young adults leave the villages, families move to the suburbs' new estates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

MAX_AGE = 100  # age 100 stands for 100 and over
AGES = np.arange(MAX_AGE + 1)
SEXES = ("M", "F")

# Japan, 2020 census, thousands of people by 5-year group 0–4 … 95–99, 100+.
_CENSUS_2020_THOUSANDS = np.array(
    [4541, 5114, 5376, 5706, 6320, 6384, 6714, 7498, 8476, 9868,
     8738, 7940, 7442, 8236, 9189, 7075, 5399, 3785, 1841, 510, 80], dtype=float)

# Relative fertility by kind of area (suburbs' young families have more children).
_FERTILITY_FACTOR = {"core": 0.85, "suburb": 1.12, "industrial": 1.0, "mountain": 0.9, "island": 0.8}
TOTAL_FERTILITY_BASE = 1.32  # Japan's TFR was 1.33 in 2020 (MHLW 人口動態統計)
FERTILITY_TREND = 0.975  # × per fiscal year


def base_age_distribution() -> np.ndarray:
    """Share of residents by sex × single year of age (shape 2 × 101), national 2020 shape."""
    per_year = _CENSUS_2020_THOUSANDS[:20] / 5
    mids = np.arange(20) * 5 + 2
    single = np.interp(AGES[:100], mids, per_year)
    # Keep each 5-year group's total exactly while smoothing within it.
    for g in range(20):
        s = slice(5 * g, 5 * g + 5)
        single[s] *= per_year[g] * 5 / single[s].sum()
    both = np.append(single, _CENSUS_2020_THOUSANDS[20])
    male_share = np.interp(AGES, [0, 19, 20, 59, 65, 75, 85, 95, 100],
                           [0.512, 0.512, 0.505, 0.502, 0.49, 0.46, 0.40, 0.26, 0.14])
    dist = np.vstack([both * male_share, both * (1 - male_share)])
    return dist / dist.sum()


def _age_tilt(area_type: str) -> np.ndarray:
    """Multiplicative tilt of the age profile for a kind of area."""
    a = AGES.astype(float)
    bump = lambda lo, hi: ((a >= lo) & (a <= hi)).astype(float)  # noqa: E731
    f = np.ones_like(a)
    if area_type == "core":
        f += 0.25 * bump(18, 39) - 0.12 * bump(0, 14)
    elif area_type == "suburb":
        f += 0.15 * bump(0, 14) + 0.08 * bump(30, 44) - 0.04 * bump(65, 100)
    elif area_type == "industrial":
        f += 0.08 * bump(20, 59)
    elif area_type == "mountain":
        f += -0.40 * bump(0, 14) - 0.45 * bump(18, 39) + 0.55 * bump(65, 100)
    elif area_type == "island":
        f += -0.55 * bump(0, 14) - 0.55 * bump(18, 39) + 0.9 * bump(65, 100)
    return f


def mortality(sex: int) -> np.ndarray:
    """Probability of dying within a year by single age (Gompertz fit to Japan's 2020 life tables)."""
    a = AGES.astype(float)
    if sex == 0:
        q = 1.54e-5 * np.exp(0.102 * a)
    else:
        q = 3.3e-6 * np.exp(0.113 * a)
    q[0] = 0.0018
    return np.clip(np.maximum(q, 0.0001), 0, 0.55)


def fertility(year_index: int) -> np.ndarray:
    """Births per woman per year by age 0–100 (non-zero at 15–49), falling with ``year_index``."""
    a = AGES.astype(float)
    shape = np.where((a >= 15) & (a <= 49), np.exp(-0.5 * ((a - 31.5) / 5.2) ** 2), 0.0)
    return TOTAL_FERTILITY_BASE * FERTILITY_TREND**year_index * shape / shape.sum()


def migration_rates(area_type: str, new_estate: np.ndarray | float = 0.0) -> tuple[np.ndarray, np.ndarray]:
    """Yearly out- and in-migration rates by age for a cell (fractions of the age group).

    ``new_estate`` (0–1) raises family in-migration where new housing is being built.
    """
    a = AGES.astype(float)
    out = 0.012 + 0.07 * np.exp(-0.5 * ((a - 24) / 5) ** 2) + 0.03 * (a <= 6)
    family = ((a <= 9) | ((a >= 27) & (a <= 44))).astype(float)
    young = ((a >= 18) & (a <= 29)).astype(float)
    factor = {
        "core": 1.0 + 0.15 * young - 0.18 * family,
        "suburb": 0.97 + 0.12 * family,
        "industrial": 0.97 + 0.05 * young,
        "mountain": 0.92 - 0.45 * (a < 40),
        "island": 0.90 - 0.55 * (a < 40),
    }[area_type]
    return out, out * (factor + 2.2 * np.asarray(new_estate, float)[..., None] * family)


@dataclass(frozen=True)
class PopulationHistory:
    """Cell-level residents on April 1 of each year, and the flows of each fiscal year.

    ``stock`` has shape (years, cells, 2, 101): April-1 residents by cell × sex × age for
    ``fiscal_years``. ``births``, ``deaths``, ``moved_in``, ``moved_out`` have shape
    (years − 1, cells): the flows during fiscal years ``fiscal_years[:-1]`` that turn each
    stock into the next.
    """

    fiscal_years: tuple[int, ...]
    stock: np.ndarray
    births: np.ndarray
    deaths: np.ndarray
    moved_in: np.ndarray
    moved_out: np.ndarray


def simulate_population(
    rng: np.random.Generator,
    cells: pd.DataFrame,
    total_residents: int,
    first_fiscal_year: int,
    n_years: int,
    new_estate: np.ndarray,
) -> PopulationHistory:
    """Draw the base population and roll it forward ``n_years − 1`` fiscal years.

    ``cells`` needs ``area_type`` and ``weight``; ``new_estate`` (0–1 per cell) marks
    housing developments that keep drawing families.
    """
    n = len(cells)
    w = cells["weight"].to_numpy()
    per_cell = rng.multinomial(total_residents, w / w.sum())
    base = base_age_distribution()
    areas = cells["area_type"].to_numpy()
    stock0 = np.zeros((n, 2, MAX_AGE + 1), dtype=np.int64)
    for kind in np.unique(areas):
        m = areas == kind
        p = base * _age_tilt(kind)[None, :]
        stock0[m] = rng.multinomial(per_cell[m], (p / p.sum()).ravel()).reshape(-1, 2, MAX_AGE + 1)

    q = np.stack([mortality(0), mortality(1)])  # 2 × 101
    fert_factor = np.vectorize(_FERTILITY_FACTOR.get)(areas).astype(float)
    out_rate = np.zeros((n, MAX_AGE + 1))
    in_rate = np.zeros((n, MAX_AGE + 1))
    for kind in np.unique(areas):
        m = areas == kind
        o, i = migration_rates(kind, new_estate[m])
        out_rate[m], in_rate[m] = o, i

    stocks = [stock0]
    flows = {k: [] for k in ("births", "deaths", "moved_in", "moved_out")}
    for y in range(n_years - 1):
        p = stocks[-1]
        survivors = rng.binomial(p, 1 - q[None, :, :])
        # Births: the city's total follows the expected value (a smooth national-like
        # decline); cells share it at random in proportion to their expected births.
        expected = (p[:, 1, :] * fertility(y)[None, :]).sum(1) * fert_factor
        n_births = int(round(expected.sum()))
        births = rng.multinomial(n_births, expected / expected.sum())
        boys = rng.binomial(births, 0.512)
        infants = np.stack([rng.binomial(boys, 1 - q[0, 0] / 2), rng.binomial(births - boys, 1 - q[1, 0] / 2)], axis=1)
        aged = np.zeros_like(p)
        aged[:, :, 1:] = survivors[:, :, :-1]
        aged[:, :, MAX_AGE] += survivors[:, :, MAX_AGE]
        aged[:, :, 0] = infants
        moved_out = rng.binomial(aged, out_rate[:, None, :])
        moved_in = rng.poisson(aged * in_rate[:, None, :])
        stocks.append(aged - moved_out + moved_in)
        flows["births"].append(births)
        flows["deaths"].append(p.sum((1, 2)) - survivors.sum((1, 2)) + births - infants.sum(1))
        flows["moved_in"].append(moved_in.sum((1, 2)))
        flows["moved_out"].append(moved_out.sum((1, 2)))
    return PopulationHistory(
        fiscal_years=tuple(range(first_fiscal_year, first_fiscal_year + n_years)),
        stock=np.stack(stocks),
        **{k: np.stack(v) for k, v in flows.items()},
    )
