"""The health checkups of the synthetic city against national NHI figures (``sample_data/README.md``)."""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analytics.core.calibration import CalibrationFigure

MHLW_STATUS = "厚生労働省「特定健康診査・特定保健指導の実施状況」"


def calibration_figures(datasets: Mapping[str, pd.DataFrame]) -> tuple[CalibrationFigure, ...]:
    """Uptake of 特定健診, the share of attendees eligible for 特定保健指導 and its completion, in
    the latest fiscal year of ``checkups`` (percent)."""
    checkups = datasets["checkups"]
    latest = checkups[checkups["fiscal_year"] == checkups["fiscal_year"].max()]
    fy = int(latest["fiscal_year"].iloc[0])
    attended = latest[latest["attended"].astype(bool)]
    eligible = attended["guidance_eligible"].astype(bool)
    completed = attended["guidance_completed"].astype(bool)
    return (
        CalibrationFigure(
            "health", f"特定健診 uptake, NHI, FY{fy}", f"特定健診受診率（国保、{fy}年度）",
            100 * latest["attended"].astype(bool).mean(), "%", 30.0, 45.0,
            "37.5% (FY2022), 38.2% (FY2023), national 市町村国保", MHLW_STATUS,
            "large insurers lie below the mean (26.7% against 39.0% for small ones, FY2020)"),
        CalibrationFigure(
            "health", f"Attendees eligible for 特定保健指導, FY{fy}", f"受診者のうち特定保健指導の対象者（{fy}年度）",
            100 * eligible.mean(), "%", 7.0, 12.0,
            "roughly 9% in 市町村国保 (roughly 17% across all insurers)", MHLW_STATUS),
        CalibrationFigure(
            "health", f"特定保健指導 completion among the eligible, FY{fy}", f"特定保健指導の終了率（{fy}年度）",
            100 * completed[eligible].mean(), "%", 20.0, 35.0,
            "26.5% (FY2022), 27.6% (FY2023), all insurers", MHLW_STATUS),
    )
