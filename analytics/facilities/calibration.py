"""The public facilities of the synthetic city against a real city's (``sample_data/README.md``).

Every figure is computed from ``buildings``, ``facilities`` and the latest fiscal year of
``population``. Ranges without a source are typical of municipal 公共施設等総合管理計画 or the
project's own choice, and say so.
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from analytics.core.calibration import CalibrationFigure
from analytics.facilities.renewal import ageing_share, floor_area_by_category

TOYO_PPP = "東洋大学 PPP研究センター「全国自治体公共施設延床面積データ」(2012)"
TYPICAL_PLANS = "typical of municipal 公共施設等総合管理計画"
MEXT = "文部科学省 (公立小中学校の耐震化率, 2023)"
PROJECT = "project assumption"
SCHOOLS = "学校教育系施設"
UNRETROFITTED = "旧耐震・未補強"


def _share(area: pd.Series, mask: pd.Series) -> float:
    total = float(area.sum())
    return 100 * float(area[mask].sum()) / total if total > 0 else float("nan")


def calibration_figures(datasets: Mapping[str, pd.DataFrame]) -> tuple[CalibrationFigure, ...]:
    """Floor area per resident, the shares of schools, 公営住宅 and 行政系施設 in the floor area,
    the age of the stock and its construction peak, seismic retrofit of schools and of the other
    buildings, and the number of schools (percent figures 0–100)."""
    buildings, facilities, population = datasets["buildings"], datasets["facilities"], datasets["population"]
    fy = int(population["fiscal_year"].max())
    residents = float(population.loc[population["fiscal_year"] == fy, "population"].sum())
    area = pd.to_numeric(buildings["floor_area_m2"]).astype(float)
    standing = pd.to_numeric(buildings["built_year"]) <= fy
    share = floor_area_by_category(buildings).set_index("category")["share"].mul(100)
    built = pd.to_numeric(buildings["built_year"])
    school = buildings["category"] == SCHOOLS
    unretrofitted = buildings["seismic"] == UNRETROFITTED
    schools = facilities["subcategory"].value_counts()
    districts = len(datasets["districts"])
    return (
        CalibrationFigure(
            "facilities", f"Public floor area per resident, FY{fy}", f"住民1人当たり公共施設延床面積（{fy}年度）",
            float(area[standing].sum()) / residents, "m²/人", 3.0, 3.8,
            "3.42 m²/人, mean of municipalities (larger in small towns, smaller in big cities)", TOYO_PPP,
            "residents: 1 April of the latest fiscal year; buildings only (no infrastructure)"),
        CalibrationFigure(
            "facilities", "Share of floor area: 学校教育系施設", "延床面積に占める学校教育系施設の割合",
            float(share.get(SCHOOLS, 0.0)), "%", 35.0, 45.0,
            "about 35–45%, the largest category", TYPICAL_PLANS),
        CalibrationFigure(
            "facilities", "Share of floor area: 公営住宅", "延床面積に占める公営住宅の割合",
            float(share.get("公営住宅", 0.0)), "%", 15.0, 25.0, "about 15–25%", TYPICAL_PLANS),
        CalibrationFigure(
            "facilities", "Share of floor area: 行政系施設", "延床面積に占める行政系施設の割合",
            float(share.get("行政系施設", 0.0)), "%", 5.0, 10.0, "about 5–10%", TYPICAL_PLANS),
        CalibrationFigure(
            "facilities", f"Floor area aged 30 years or more, FY{fy}", f"築30年以上の延床面積の割合（{fy}年度）",
            100 * ageing_share(buildings, fy), "%", 60.0, 80.0, "roughly 60–80% around 2025", TYPICAL_PLANS),
        CalibrationFigure(
            "facilities", "Floor area built in FY1970–1989", "1970〜1989年度に建築された延床面積の割合",
            _share(area, (built >= 1970) & (built <= 1989)), "%", 40.0, 60.0,
            "the construction peak lies in the 1970s–80s",
            f"{TYPICAL_PLANS} (the peak); the range is a {PROJECT}"),
        CalibrationFigure(
            "facilities", "School floor area not earthquake-resistant (旧耐震・未補強)",
            "学校教育系施設の延床面積のうち旧耐震・未補強の割合",
            _share(area[school], unretrofitted[school]), "%", 0.0, 1.0,
            "耐震化率 about 99.8% of public elementary and junior-high school buildings", MEXT),
        CalibrationFigure(
            "facilities", "Other floor area not earthquake-resistant (旧耐震・未補強)",
            "学校以外の延床面積のうち旧耐震・未補強の割合",
            _share(area[~school], unretrofitted[~school]), "%", 2.0, 15.0,
            "a few percent to about 10% of the stock besides schools", PROJECT,
            "kept on purpose so that the screening's seismic criterion has buildings to find"),
        CalibrationFigure(
            "facilities", "Elementary schools", "小学校数",
            float(schools.get("小学校", 0)), "校", float(districts), float(districts),
            f"one per elementary-school district ({districts} districts)", f"{PROJECT}: one per district",
            "a real city of about 530,000 mostly has more, roughly 50–70, each with fewer pupils; "
            "here each school serves a whole district and is larger"),
        CalibrationFigure(
            "facilities", "Junior high schools", "中学校数",
            float(schools.get("中学校", 0)), "校", float(districts // 3), float(-(-districts // 2)),
            "one per two or three districts", f"{PROJECT}: one per two or three districts",
            "a real city of about 530,000 mostly has roughly 25–35, each with fewer pupils"),
    )
