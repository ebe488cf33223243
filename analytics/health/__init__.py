"""Health checkups (特定健診): uptake, attendance patterns, who does not attend, and nudge trials.

The statistics behind the 特定健診 page, on the ``checkups`` dataset (one row per NHI-insured
person aged 40–74 and fiscal year; ``attended`` 0/1, ``under_treatment`` = 通院中, the
特定保健指導 flags, and ``arm`` of the FY2025 letter trial). Fiscal years are 年度 (April–March);
``age`` is the age on 31 March of the fiscal year, as 特定健診 counts it. Proportions are
fractions (0.04 = 4%), never percentages; money is in yen (円).

* **Uptake (受診率)** = attended ÷ eligible (the insured aged 40–74), with Wilson 95% intervals
  (:func:`wilson_interval`, :func:`rates`). The national target for municipal NHI is
  :data:`TARGET_UPTAKE` (60%); :data:`NATIONAL_NHI_UPTAKE` is the national municipal-NHI figure.
* **Attendance patterns** over three fiscal years (毎年受診, 未受診, 中断, 再開):
  :func:`attendance_patterns`.
* **Who does not attend**: a logistic regression of not attending with cluster-robust standard
  errors by district (:func:`nonattendance_model`).
* **Nudge trial (受診勧奨通知の効果検証)**: uptake per arm, differences and risk ratios against
  the control arm with their intervals, Holm-adjusted p-values, letters and yen per extra
  attendee (:func:`trial_readout`), and the people per arm a trial needs
  (:func:`sample_size_per_arm`).

Privacy: :func:`uptake_counts`, :func:`funnel`, :attr:`AttendancePatterns.counts` and the
trial's counts are **exact counts of people**; they must go through the publication
(suppression) before a page shows them, and :func:`rates` is then called on the *published*
counts (a rate is computed only where both counts are shown). :attr:`AttendancePatterns.by_person`
is person-level and must never reach a page or a download.
"""

from __future__ import annotations

from analytics.core.domain import Domain
from analytics.health.datasets import DATASETS
from analytics.health.home_card import HOME_CARD
from analytics.health.messages import MESSAGES
from analytics.health.params import (
    HealthParams,
)
from analytics.health.publication import (
    MEASURES,
    TRIAL_MEASURES,
    TRIAL_PAST,
    TRIAL_SEGMENTS,
    RolloutPanel,
    did_panel,
    health_block,
    health_download,
    health_table,
    health_years,
    patterns_by_band,
    published_funnel,
    published_patterns,
    published_trial,
    published_untreated,
    published_uptake,
    shown_segments,
    top_segments,
    trial_years,
    uptake_trend,
)
from analytics.health.trial import (
    EFFECT_COLUMNS,
    TrialReadout,
    newcombe_p_value,
    readout_from_counts,
    sample_size_per_arm,
    trial_frame,
    trial_readout,
)
from analytics.health.uptake import (
    AGE_BANDS,
    AGE_MAX,
    AGE_MIN,
    DISTANCE_BANDS_KM,
    FUNNEL_STEPS,
    MODEL_COVARIATES,
    NATIONAL_NHI_UPTAKE,
    PAST_LEVELS,
    PATTERNS,
    TARGET_UPTAKE,
    UPTAKE_BY,
    AttendancePatterns,
    LogitResult,
    Share,
    age_band,
    attendance_patterns,
    funnel,
    nonattendance_model,
    past_attendance,
    rates,
    uptake_counts,
    wilson_interval,
    with_site_distance,
)

DOMAIN = Domain("health", DATASETS, MESSAGES, synth_part="analytics.health.synth:health_part", home_card=HOME_CARD,
                calibration="analytics.health.calibration:calibration_figures")

# the public API: pages and other packages import these names from the package, never its modules
__all__ = [
    "DOMAIN",
    "AGE_BANDS",
    "AGE_MAX",
    "AGE_MIN",
    "AttendancePatterns",
    "DATASETS",
    "DISTANCE_BANDS_KM",
    "EFFECT_COLUMNS",
    "FUNNEL_STEPS",
    "HOME_CARD",
    "HealthParams",
    "LogitResult",
    "MEASURES",
    "MESSAGES",
    "MODEL_COVARIATES",
    "NATIONAL_NHI_UPTAKE",
    "PAST_LEVELS",
    "PATTERNS",
    "Share",
    "TARGET_UPTAKE",
    "TRIAL_MEASURES",
    "TRIAL_PAST",
    "TRIAL_SEGMENTS",
    "TrialReadout",
    "UPTAKE_BY",
    "age_band",
    "attendance_patterns",
    "RolloutPanel",
    "did_panel",
    "funnel",
    "health_block",
    "health_download",
    "health_table",
    "health_years",
    "nonattendance_model",
    "past_attendance",
    "patterns_by_band",
    "published_funnel",
    "published_patterns",
    "published_trial",
    "published_untreated",
    "published_uptake",
    "rates",
    "newcombe_p_value",
    "readout_from_counts",
    "sample_size_per_arm",
    "shown_segments",
    "top_segments",
    "trial_frame",
    "trial_readout",
    "trial_years",
    "uptake_counts",
    "uptake_trend",
    "wilson_interval",
    "with_site_distance",
]
