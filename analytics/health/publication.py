"""The health block of the publication, its download and the readers of what it publishes.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from analytics.city import SEXES, publication_districts
from analytics.core.publication import Publication, PublicationBuilder, mark_counts
from analytics.health.trial import EFFECT_COLUMNS, TrialReadout, _effects, readout_from_counts
from analytics.health.uptake import AGE_BANDS, PATTERNS, age_band, attendance_patterns, past_attendance, rates

# ----------------------------------------------------------------------------- publication


MEASURES: tuple[str, ...] = ("eligible", "attended")
TRIAL_MEASURES: tuple[str, ...] = ("invited", "attended")
TRIAL_SEGMENTS: tuple[str, ...] = ("sex", "age_band", "past")
TRIAL_PAST: tuple[str, ...] = ("attended_last", "lapsed", "never")  # past attendance, the trial's strata


def health_table(fiscal_year: int, part: str) -> str:
    """Name of a health table in the publication, e.g. ``health/2025/cells``."""
    return f"health/{int(fiscal_year)}/{part}"


def health_years(pub: Publication) -> list[int]:
    """Fiscal years whose checkups the publication holds, in order."""
    return sorted({int(n.split("/")[1]) for n in pub.names("health/") if n.endswith("/cells")})


def health_block(b: PublicationBuilder, data: Mapping[str, pd.DataFrame]) -> None:
    """Publish the checkup counts (people), per fiscal year and for the latest year's trial.

    Per fiscal year: ``cells`` (``measure`` eligible/attended × district × sex × 5-year band,
    age at 31 March), ``district`` and ``band_sex`` margins and ``city``; ``guidance``
    (city: guidance eligible, guidance completed). Latest year: ``patterns`` (attendance
    pattern over the last 3 years × sex × band, persons insured in all three), ``untreated``
    (the latest year's non-attenders under treatment, city); for the trial (rows with an
    ``arm``), ``trial_<segment>`` (arm × segment value × invited/attended) for sex, band and past
    attendance, and ``trial`` (arm × invited/attended). Relations: every sum; attended ≤
    eligible in every cell; guidance completed ≤ eligible for guidance ≤ attended; patterns ≤ the
    latest year's insured of that sex and band, those attending in the latest year (every year,
    returning) ≤ its attendees, and ``lapsed + never + attended ≤ eligible``; under treatment ≤
    non-attenders; the trial's invited and attenders are all or part of the year's insured and
    attendees (equal when everyone was randomised).
    """
    if "checkups" not in data:
        return
    ck = data["checkups"]
    districts = publication_districts(data)
    d_index = pd.Index(districts)
    bands = tuple(AGE_BANDS)
    D, S, B = ("district_id", districts), ("sex", SEXES), ("age_band", bands)
    M = ("measure", MEASURES)
    years = sorted(int(y) for y in ck["fiscal_year"].unique())
    margins = {}
    for fy in years:
        rows = ck[ck["fiscal_year"] == fy]
        body = np.zeros((len(MEASURES), len(districts), len(SEXES), len(bands)))
        d = d_index.get_indexer(rows["district_id"].astype(str))
        s = pd.Index(SEXES).get_indexer(rows["sex"].astype(str))
        k = pd.Index(bands).get_indexer(age_band(rows["age"]).astype(str))
        keep = (d >= 0) & (s >= 0) & (k >= 0)
        np.add.at(body[0], (d[keep], s[keep], k[keep]), 1)
        np.add.at(body[1], (d[keep], s[keep], k[keep]), rows["attended"].to_numpy()[keep])
        cells = b.table(health_table(fy, "cells"), body, [M, D, S, B])
        district = b.table(health_table(fy, "district"), body.sum((2, 3)), [M, D])
        band_sex = b.table(health_table(fy, "band_sex"), body.sum(1).transpose(0, 2, 1), [M, B, S])
        city = b.table(health_table(fy, "city"), body.sum((1, 2, 3)), [M])
        b.body("checkups", health_table(fy, "cells"), health_table(fy, "city"))
        for m in range(len(MEASURES)):
            for i in range(len(districts)):
                b.sums(cells[m, i], district[m, i])
            for j in range(len(SEXES)):
                for kk in range(len(bands)):
                    b.sums(cells[m, :, j, kk], band_sex[m, kk, j])
            b.sums(district[m], city[m])
            b.sums(band_sex[m], city[m])
        for part, whole in ((cells[1], cells[0]), (district[1], district[0]), (band_sex[1], band_sex[0])):
            for p, w in zip(part.ravel(), whole.ravel(), strict=True):
                b.part_of([p], [w])
        b.part_of([city[1]], [city[0]])
        attended = rows[rows["attended"] == 1]
        guidance = b.table(health_table(fy, "guidance"),
                           np.array([attended["guidance_eligible"].sum(), attended["guidance_completed"].sum()],
                                    dtype=float), [("measure", ("guidance_eligible", "guidance_completed"))])
        b.part_of([guidance[0]], [city[1]])
        b.part_of([guidance[1]], [guidance[0]])
        margins[fy] = (city, band_sex)
    if not years:
        return
    latest = years[-1]
    _pattern_tables(b, ck, latest, margins[latest], bands)
    _untreated_table(b, ck, latest, margins[latest])
    _trial_tables(b, ck, latest, margins[latest], bands)


def _untreated_table(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins) -> None:
    """Non-attenders of the latest year under treatment (any number of years on file)."""
    city, _ = margins
    non = ck[(ck["fiscal_year"] == latest) & (ck["attended"] == 0)]
    untreated = b.table(health_table(latest, "untreated"), np.array([float(non["under_treatment"].sum())]),
                        [("measure", ("non_attenders_under_treatment",))])
    # under treatment ≤ non-attenders = eligible − attended
    b.part_of([untreated[0], city[1]], [city[0]])


def _pattern_tables(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins, bands) -> None:
    city, band_sex = margins
    window = [latest - 2, latest - 1, latest]
    if not set(window) <= set(ck["fiscal_year"].unique()):
        return
    pats = attendance_patterns(ck, latest).by_person
    now = ck[ck["fiscal_year"] == latest].set_index("person_id")
    pats = pats.join(now[["sex", "age"]], on="person_id")
    body = np.zeros((len(PATTERNS), len(SEXES), len(bands)))
    p = pd.Index(PATTERNS).get_indexer(pats["pattern"])
    s = pd.Index(SEXES).get_indexer(pats["sex"].astype(str))
    k = pd.Index(bands).get_indexer(age_band(pats["age"]).astype(str))
    keep = (p >= 0) & (s >= 0) & (k >= 0)
    np.add.at(body, (p[keep], s[keep], k[keep]), 1)
    t = b.table(health_table(latest, "patterns"), body, [("pattern", PATTERNS), ("sex", SEXES), ("age_band", bands)])
    every, returning, lapsed, never = (PATTERNS.index(x) for x in PATTERNS)
    for j in range(len(SEXES)):
        for kk in range(len(bands)):
            b.part_of(t[:, j, kk], [band_sex[0, kk, j]])
            b.part_of([t[every, j, kk], t[returning, j, kk]], [band_sex[1, kk, j]])
            b.part_of([t[lapsed, j, kk], t[never, j, kk], band_sex[1, kk, j]], [band_sex[0, kk, j]])


def _trial_tables(b: PublicationBuilder, ck: pd.DataFrame, latest: int, margins, bands) -> None:
    city, _ = margins
    rows = ck[(ck["fiscal_year"] == latest) & ck["arm"].notna()]
    if rows.empty:
        return
    arms = tuple(a for a in ("control", "standard", "nudge") if a in set(rows["arm"])) + tuple(
        sorted(set(rows["arm"]) - {"control", "standard", "nudge"}))
    past = past_attendance(ck, latest).reindex(rows["person_id"]).to_numpy()
    segments = {"sex": (rows["sex"].astype(str).to_numpy(), SEXES),
                "age_band": (age_band(rows["age"]).astype(str).to_numpy(), bands), "past": (past, TRIAL_PAST)}
    a_idx = pd.Index(arms).get_indexer(rows["arm"].astype(str))
    att = rows["attended"].to_numpy()
    total = np.zeros((len(arms), 2))
    np.add.at(total[:, 0], a_idx, 1)
    np.add.at(total[:, 1], a_idx, att)
    arm_t = b.table(health_table(latest, "trial"), total, [("arm", arms), ("measure", TRIAL_MEASURES)])
    for name, (values, labels) in segments.items():
        v = pd.Index(labels).get_indexer(np.asarray(values, dtype=object))
        body = np.zeros((len(arms), len(labels), 2))
        ok = v >= 0
        np.add.at(body[:, :, 0], (a_idx[ok], v[ok]), 1)
        np.add.at(body[:, :, 1], (a_idx[ok], v[ok]), att[ok])
        seg = b.table(health_table(latest, f"trial_{name}"), body,
                      [("arm", arms), ("value", labels), ("measure", TRIAL_MEASURES)])
        for i in range(len(arms)):
            for m in range(2):
                if ok.all():
                    b.sums(seg[i, :, m], arm_t[i, m])
                else:
                    b.part_of(seg[i, :, m], [arm_t[i, m]])
            for j in range(len(labels)):
                b.part_of([seg[i, j, 1]], [seg[i, j, 0]])
    everyone = len(rows) == int((ck["fiscal_year"] == latest).sum())
    for m in range(2):
        if everyone:
            b.sums(arm_t[:, m], city[m])
        else:
            b.part_of(arm_t[:, m], [city[m]])
    for i in range(len(arms)):
        b.part_of([arm_t[i, 1]], [arm_t[i, 0]])


def published_uptake(pub: Publication, fiscal_year: int, part: str = "cells") -> pd.DataFrame:
    """Published eligible and attended people of ``fiscal_year`` (``part``: ``cells`` district ×
    sex × band, ``district``, ``band_sex`` or ``city``) with the uptake rate and its Wilson 95%
    interval where both counts are shown (:func:`rates`); counts marked as counts of people."""
    out = rates(pub.wide(health_table(fiscal_year, part)))
    return mark_counts(out, ["eligible", "attended", "eligible_label", "attended_label"])


def uptake_trend(pub: Publication) -> pd.DataFrame:
    """The city's uptake by fiscal year: ``fiscal_year``, eligible, attended (with labels), rate
    and interval."""
    frames = [published_uptake(pub, fy, "city").assign(fiscal_year=fy) for fy in health_years(pub)]
    if not frames:
        return mark_counts(pd.DataFrame(columns=["fiscal_year", *MEASURES, "rate"]), list(MEASURES))
    return mark_counts(pd.concat(frames, ignore_index=True), ["eligible", "attended", "eligible_label",
                                                              "attended_label"])


def published_funnel(pub: Publication, fiscal_year: int) -> pd.DataFrame:
    """Eligible → attended → eligible for guidance → completed guidance (city, published):
    ``step``, ``people``, ``people_label``, ``share_of_previous`` (NaN unless both shown)."""
    city, guidance = pub.get(health_table(fiscal_year, "city")), pub.get(health_table(fiscal_year, "guidance"))
    values = np.concatenate([city.value, guidance.value])
    labels = np.concatenate([city.label, guidance.label])
    out = pd.DataFrame({"step": ["eligible", "attended", "guidance_eligible", "guidance_completed"],
                        "people": values, "people_label": labels})
    out["share_of_previous"] = out["people"] / out["people"].shift(1)
    return mark_counts(out, ["people", "people_label"])


def published_patterns(pub: Publication) -> pd.DataFrame:
    """Attendance patterns of the latest three years by sex × band (published): ``pattern``,
    ``sex``, ``age_band``, ``people`` (NaN where hidden), ``people_label``."""
    names = [n for n in pub.names("health/") if n.endswith("/patterns")]
    if not names:
        return mark_counts(pd.DataFrame(columns=["pattern", "sex", "age_band", "people", "people_label"]),
                           ["people"])
    out = pub.frame(names[-1], "people")
    return mark_counts(out, ["people", "people_label"])


def published_untreated(pub: Publication) -> dict[str, float | str]:
    """Non-attenders of the latest year and those of them under treatment (published): the
    counts, their labels and the share (NaN unless both are shown)."""
    fy = health_years(pub)[-1]
    city = pub.get(health_table(fy, "city"))
    under = pub.get(health_table(fy, "untreated"))
    non = city.value[0] - city.value[1]
    return {"fiscal_year": fy, "non_attenders": non, "under_treatment": float(under.value[0]),
            "under_treatment_label": str(under.label[0]), "share": float(under.value[0]) / non if non > 0 else np.nan}


def trial_years(pub: Publication) -> list[int]:
    return sorted(int(n.split("/")[1]) for n in pub.names("health/") if n.endswith("/trial"))


def published_trial(pub: Publication, *, control: str = "control",
                    cost_per_letter_yen: float | Mapping[str, float] | None = None) -> TrialReadout | None:
    """:func:`trial_readout` of the latest trial from its published counts (arm totals; each
    segment from its own published arm × value table). None without a trial or with an arm's
    counts hidden (a readout from a hidden count would reveal it)."""
    years = trial_years(pub)
    if not years:
        return None
    fy = years[-1]
    arm_t = pub.wide(health_table(fy, "trial"))
    if arm_t[list(TRIAL_MEASURES)].isna().any().any() or control not in set(arm_t["arm"]):
        return None
    readout = readout_from_counts(arm_t, control=control, cost_per_letter_yen=cost_per_letter_yen)
    others = [a for a in readout.arms["arm"] if a != control]
    parts = []
    for name in TRIAL_SEGMENTS:
        table = pub.wide(health_table(fy, f"trial_{name}"))
        for value, g in table.groupby("value", sort=False):
            c = g.set_index("arm")[list(TRIAL_MEASURES)]
            if c.isna().any().any() or control not in c.index or c.at[control, "invited"] == 0:
                continue  # a hidden count, or nothing to compare with
            e = _effects(c, control, others, cost_per_letter_yen)
            n = c["invited"].reindex(others).to_numpy(dtype=float)
            with np.errstate(invalid="ignore", divide="ignore"):
                rate = c["attended"].reindex(others).to_numpy(dtype=float) / np.where(n > 0, n, np.nan)
            e.insert(0, "segment", name)
            e.insert(1, "value", value)
            e.insert(3, "n", n)
            e.insert(4, "n_control", float(c.at[control, "invited"]))
            e.insert(5, "rate", rate)
            e.insert(6, "control_rate", float(c.at[control, "attended"] / c.at[control, "invited"]))
            parts.append(e)
    by_segment = pd.concat(parts, ignore_index=True) if parts else pd.DataFrame(
        columns=["segment", "value", "arm", "n", "n_control", "rate", "control_rate", *EFFECT_COLUMNS])
    return replace(readout, by_segment=by_segment)


@dataclass(frozen=True)
class RolloutPanel:
    """The roll-out DiD's panel and the districts left out of it because a count of theirs is
    hidden in some fiscal year (the DiD needs every district in every year: a hidden count
    drops its district from all years, and the page says which)."""

    panel: pd.DataFrame
    suppressed_districts: tuple[str, ...]


def did_panel(pub: Publication, sites: pd.DataFrame) -> RolloutPanel:
    """The district × fiscal-year panel of :func:`analytics.core.evaluation.rollout_did` from published
    counts: ``district_id``, ``fiscal_year``, ``eligible``, ``attended``, ``treated`` (1 from the
    fiscal year a checkup site opened in the district). Districts whose site opened before the
    first year are always treated and left out (they compare nothing); a district with a hidden
    count in any year is left out of every year (the panel stays balanced) and named in
    :attr:`RolloutPanel.suppressed_districts`."""
    columns = ["district_id", "fiscal_year", "eligible", "attended", "treated"]
    frames = [pub.wide(health_table(fy, "district")).assign(fiscal_year=fy) for fy in health_years(pub)]
    if not frames:
        return RolloutPanel(pd.DataFrame(columns=columns), ())
    panel = pd.concat(frames, ignore_index=True)
    first = int(panel["fiscal_year"].min())
    opened = sites.groupby("district_id")["opened_fiscal_year"].min()
    always = set(opened[opened <= first].index)
    panel = panel[~panel["district_id"].isin(always)]
    hidden = panel[list(MEASURES)].isna().any(axis=1)
    suppressed = tuple(sorted(set(panel.loc[hidden, "district_id"].astype(str))))
    panel = panel[~panel["district_id"].astype(str).isin(suppressed)].copy()
    start = panel["district_id"].map(opened)
    panel["treated"] = (start.notna() & (panel["fiscal_year"] >= start)).astype(int)
    return RolloutPanel(panel[columns].reset_index(drop=True), suppressed)


def health_download(pub: Publication, total_label: str = "合計") -> pd.DataFrame:
    """Insured (eligible) and attendees by fiscal year × district × sex × 5-year band with
    district and city totals, as display strings (a number, ``<10`` or ``χ``)."""
    frames = []
    for fy in health_years(pub):
        cells = pub.wide(health_table(fy, "cells"))
        district = pub.wide(health_table(fy, "district")).assign(sex=total_label, age_band=total_label)
        band_sex = pub.wide(health_table(fy, "band_sex")).assign(district_id=total_label)
        c = pub.get(health_table(fy, "city"))
        city = pd.DataFrame({"district_id": [total_label], "sex": [total_label], "age_band": [total_label],
                             "eligible_label": [c.label[0]], "attended_label": [c.label[1]]})
        part = pd.concat([cells, district, band_sex, city], ignore_index=True)
        part.insert(0, "fiscal_year", fy)
        frames.append(part[["fiscal_year", "district_id", "sex", "age_band", "eligible_label", "attended_label"]])
    columns = ["fiscal_year", "district_id", "sex", "age_band", "eligible", "attended"]
    if not frames:
        return pd.DataFrame(columns=columns)
    out = pd.concat(frames, ignore_index=True).rename(columns={"eligible_label": "eligible",
                                                               "attended_label": "attended"})
    return mark_counts(out[columns], ["eligible", "attended"])


def shown_segments(segments: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """The targeting's segment cells that may be shown: each arm holds at least ``threshold``
    people who attended and ``threshold`` who did not (a rate from a cell with a small count
    could reveal it); without the counts themselves (the cells are not a published table)."""
    ok = pd.Series(True, index=segments.index)
    for arm in ("treatment", "control"):
        n, rate = segments[f"n_{arm}"].astype(float), segments[f"rate_{arm}"].astype(float)
        attended = (n * rate).round()
        ok &= (attended >= threshold) & (n - attended >= threshold)
    return segments[ok].drop(columns=["n", "n_treatment", "n_control"]).reset_index(drop=True)


def top_segments(segments: pd.DataFrame, threshold: int, n: int = 12) -> pd.DataFrame:
    """The ``n`` cells of the targeting to list on the page: those :func:`shown_segments` allows,
    ranked by their empirical-Bayes uplift ``uplift_eb`` (largest first), never by the raw
    uplift — the cells with the largest raw uplifts overstate their effects (the winner's curse;
    :mod:`analytics.core.evaluation`)."""
    return shown_segments(segments, threshold).sort_values("uplift_eb", ascending=False).head(n).reset_index(drop=True)


def patterns_by_band(pub: Publication) -> pd.DataFrame:
    """Published attendance patterns summed over sex, one row per age band and one column per
    pattern (NaN where a part is hidden: a sum with a hidden part would reveal it), marked as
    counts of people."""
    long = published_patterns(pub)
    if long.empty:
        return mark_counts(pd.DataFrame(columns=["age_band", *PATTERNS]), list(PATTERNS))
    summed = long.groupby(["age_band", "pattern"], sort=False)["people"].agg(lambda v: v.sum(min_count=len(v)))
    wide = summed.unstack("pattern").reindex(index=list(AGE_BANDS), columns=list(PATTERNS))
    wide.index.name = "age_band"
    wide.columns.name = None
    return mark_counts(wide.reset_index(), list(PATTERNS))
