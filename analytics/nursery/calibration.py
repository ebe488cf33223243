"""The nursery waitlist of the synthetic city against a real shortage city (``sample_data/README.md``).

Every figure is counted with the project's own rules (:func:`analytics.nursery.waitlist_breakdown`
at the default reach, :func:`analytics.nursery.vacancies`), from the generated datasets.
"""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
import pandas as pd

from analytics.core.calibration import CalibrationFigure
from analytics.nursery.counting import BAND_OF_AGE, hidden_to_official, vacancies, waitlist_breakdown

CFA_STATUS = "こども家庭庁「保育所等関連状況取りまとめ」"
ASSUMPTION = "project assumption"
MIN_CELL = 10  # the default publication threshold: a district × age band shown on the page


def calibration_figures(datasets: Mapping[str, pd.DataFrame]) -> tuple[CalibrationFigure, ...]:
    """Vacant places, the mix and size of the hidden waitlist and the official waitlist (latest
    fiscal year unless said; counts of children over the whole city, no cell of the publication)."""
    nurseries, capacity = datasets["nurseries"], datasets["nursery_capacity"]
    applications = datasets["nursery_applications"]
    table = waitlist_breakdown(applications, nurseries, capacity).table
    by_year = table.groupby("fiscal_year")[["official", "hidden", "specific_only"]].sum()
    fy = int(by_year.index.max())
    first = int(by_year.index.min())
    latest = by_year.loc[fy]
    ratios = [hidden_to_official(row) for _, row in by_year.iterrows()]

    places = vacancies(capacity, nurseries)
    places = places[places["authorised"] & (places["fiscal_year"] == fy)]
    vacant = 100 * (places["capacity"] - places["enrolled"]).sum() / places["capacity"].sum()

    cells = table[table["fiscal_year"] == fy]
    band = BAND_OF_AGE[cells["child_age"].to_numpy()]
    by_cell = cells.assign(band=band).groupby(["district_id", "band"])["official"].sum()
    under3 = cells.loc[band < 2, "official"].sum()

    official_years = f"FY{first}–FY{fy}"
    return (
        CalibrationFigure(
            "nursery", f"Vacant authorised places, 1 April FY{fy}", f"認可保育施設の空き定員の割合（{fy}年度4月1日）",
            float(vacant), "%", 7.0, 13.0,
            "about 10% (定員充足率 about 89–90%, 2023–2024, national)", CFA_STATUS,
            "places minus enrolled over places; concentrated in ages 3–5 and where births fall"),
        CalibrationFigure(
            "nursery", f"特定の保育所等のみ希望 among the hidden waitlist, FY{fy}",
            f"隠れ待機児童のうち特定の保育所等のみ希望（{fy}年度）",
            100 * float(latest["specific_only"]) / float(latest["hidden"]), "%", 25.0, 60.0,
            "the largest group excluded from the count (1 April 2024, national)", CFA_STATUS,
            "at the default reach of 2 km (straight line)"),
        CalibrationFigure(
            "nursery", f"Hidden per official waitlist, FY{fy}", f"隠れ待機児童÷待機児童（{fy}年度）",
            ratios[-1], "", 3.0, 10.0,
            "25–30 nationally (2024), from totals in which most municipalities count none", ASSUMPTION,
            f"a shortage city's ratio; {official_years}: {np.nanmin(ratios):.1f}–{np.nanmax(ratios):.1f}"),
        CalibrationFigure(
            "nursery", f"Official waitlist, fewest in a year {official_years}",
            f"待機児童数の最少年（{first}〜{fy}年度）",
            float(by_year["official"].min()), "children", 100.0, 200.0,
            "100–200: a shortage city (2,567 nationally, April 2024; only 大津市 184 and 西宮市 121 above 100)",
            ASSUMPTION),
        CalibrationFigure(
            "nursery", f"Official waitlist, most in a year {official_years}",
            f"待機児童数の最多年（{first}〜{fy}年度）",
            float(by_year["official"].max()), "children", 100.0, 200.0,
            "100–200: a shortage city", ASSUMPTION),
        CalibrationFigure(
            "nursery", f"District × age band cells with ≥ {MIN_CELL} officially waiting, FY{fy}",
            f"待機児童{MIN_CELL}人以上の地区×年齢区分（{fy}年度）",
            float((by_cell >= MIN_CELL).sum()), "cells", 10.0, float(max(10, len(by_cell))),
            "at least 10, so the page stays readable at the default threshold", ASSUMPTION,
            "a concentrated shortage: most cells are below the threshold and hidden"),
        CalibrationFigure(
            "nursery", f"Aged 0–2 among the official waitlist, FY{fy}", f"待機児童のうち0〜2歳（{fy}年度）",
            100 * float(under3) / float(np.maximum(latest["official"], 1)), "%", 80.0, 92.0,
            "about 90% (national)", CFA_STATUS),
    )
