"""The synthetic city (合成市): every domain's generator part, run in the order of the domain list.

``generate_city(seed, scale)`` builds the whole city deterministically by running every
generator part of :func:`generator_parts` in order; ``write_sample_data`` stores each dataset
of the registry (:mod:`analytics.registry`) under ``sample_data/`` (run
``python -m analytics.synth``). A domain adds its datasets with its own part, which sees the
datasets made before it (the same districts, meshes and residents) and draws from its own
random stream, so adding a part never changes the datasets of the parts before it.

Everything produced here is synthetic: no real person, district or figure of any city.
"""

from __future__ import annotations

import importlib
import json
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

from analytics import domains
from analytics.city.synth import (  # noqa: F401 — the city's calendar and size, for the manifest and tests
    LATEST_FISCAL_YEAR,
    N_FISCAL_YEARS,
    RESIDENTS_PER_SCALE,
)
from analytics.core.calibration import CalibrationFigure, calibration_table
from analytics.core.domain import SynthPart
from analytics.core.schemas import format_number
from analytics.registry import DATASETS, SAMPLE_DATA_DIR

DEFAULT_SEED = 20260401


@dataclass(frozen=True)
class SyntheticCity:
    """All datasets of the synthetic city, keyed as in :mod:`analytics.core.schemas`."""

    seed: int
    scale: float
    datasets: dict[str, pd.DataFrame] = field(repr=False)

    def __getitem__(self, name: str) -> pd.DataFrame:
        return self.datasets[name]


def generate_city(seed: int = DEFAULT_SEED, scale: float = 1.0) -> SyntheticCity:
    """Generate the synthetic city: every part of :func:`generator_parts`, in order.

    ``scale`` multiplies both the number of residents (≈ 530,000 × scale in the latest
    fiscal year) and the number of districts (≈ 40 × scale) over a proportionally larger
    area. Population is as of 1 April of fiscal years ``LATEST_FISCAL_YEAR − 5`` …
    ``LATEST_FISCAL_YEAR``; population change covers the six fiscal years before each of
    those (April–March) ending with ``LATEST_FISCAL_YEAR − 1``.
    """
    if scale <= 0:
        raise ValueError("scale must be positive")
    datasets: dict[str, pd.DataFrame] = {}
    for part, make in generator_parts().items():
        made = make(part_rng(seed, part), scale, datasets)
        expected = {s.name for s in DATASETS.values() if s.generator == part}
        if set(made) != expected:
            raise RuntimeError(f"generator part {part!r} made {sorted(made)}, the registry expects {sorted(expected)}")
        datasets.update(made)
    return SyntheticCity(seed=seed, scale=scale, datasets=datasets)


def part_rng(seed: int, part: str) -> np.random.Generator:
    """The random stream of one generator part: the seed itself for the first part (the city),
    the seed and the part's name for every other, so parts never share draws."""
    return np.random.default_rng(seed if part == "city" else [seed, zlib.crc32(part.encode())])


# Generator parts in the order they run; each registry entry names the part that makes it.
def generator_parts() -> dict[str, SynthPart]:
    """The generator part of every listed domain (:mod:`analytics.domains`), in the list's order
    (the city first), keyed by the domain's name."""
    parts = {}
    for domain in domains.domains():
        if domain.synth_part is not None:
            module, _, function = domain.synth_part.partition(":")
            parts[domain.name] = getattr(importlib.import_module(module), function)
    return parts



def write_sample_data(city: SyntheticCity, directory: Path = SAMPLE_DATA_DIR) -> list[Path]:
    """Write every dataset of the registry as (Geo)Parquet plus ``manifest.json`` and the schema ``README.md``."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, entry in DATASETS.items():
        path = directory / entry.file
        df = city[name]
        if isinstance(df, gpd.GeoDataFrame):
            df.to_parquet(path, index=False, compression="zstd", write_covering_bbox=False)
        else:
            df.to_parquet(path, index=False, compression="zstd")
        written.append(path)
    (directory / "manifest.json").write_text(json.dumps(manifest(city), ensure_ascii=False, indent=2) + "\n",
                                             encoding="utf-8")
    (directory / "README.md").write_text(sample_data_readme(city), encoding="utf-8")
    return written + [directory / "manifest.json", directory / "README.md"]


def manifest(city: SyntheticCity) -> dict:
    """What ``sample_data/manifest.json`` says of a generated city."""
    return {
        "city": "合成市 (Synthetic City) — synthetic data, not a real city",
        "seed": city.seed,
        "scale": city.scale,
        "latest_fiscal_year": LATEST_FISCAL_YEAR,
        "fiscal_years": list(range(LATEST_FISCAL_YEAR - N_FISCAL_YEARS + 1, LATEST_FISCAL_YEAR + 1)),
        "rows": {name: int(len(city[name])) for name in DATASETS},
    }


def calibration_figures(city: SyntheticCity) -> tuple[CalibrationFigure, ...]:
    """Every domain's calibration figures (:mod:`analytics.core.calibration`), computed from
    ``city``'s datasets, in the order of the domain list."""
    figures: list[CalibrationFigure] = []
    for domain in domains.domains():
        if domain.calibration is not None:
            module, _, function = domain.calibration.partition(":")
            figures += getattr(importlib.import_module(module), function)(city.datasets)
    return tuple(figures)


def sample_data_readme(city: SyntheticCity) -> str:
    """``sample_data/README.md``: every dataset of the registry, column by column (from the contracts)."""
    lines = [
        "# sample_data — 合成市 (Synthetic City)",
        "",
        "**合成データ / synthetic data.** Everything here is generated by `analytics/synth` from a fixed",
        f"seed ({city.seed}, scale {city.scale:g}); no real person, district or city is described.",
        "Regenerate with `python -m analytics.synth`; `tests/test_synth.py` checks that the files equal a fresh",
        "generation. Do not edit these files by hand. `cache/` holds the suppression patterns computed from these",
        "files (keyed on their content, the threshold and the rule's version; the threshold-10 pattern is committed)",
        "and the whole built publication (keyed also on its code; not committed); both are rebuilt when missing.",
        "",
        f"- Population is as of 1 April of fiscal years {LATEST_FISCAL_YEAR - N_FISCAL_YEARS + 1}–{LATEST_FISCAL_YEAR}"
        " (年度 = April to March; FY2026 = 令和8年度).",
        "- Geometry is JGD2011 (EPSG:6668); areas and distances are computed in EPSG:6673 (Japan Plane"
        " Rectangular CS V); maps are served in EPSG:4326.",
        "- Mesh codes are JIS X 0410 1/2 grid squares (9 digits, 15″ × 22.5″, about 460 m × 570 m here).",
        "",
    ]
    figures = calibration_figures(city)
    if figures:
        lines += [
            "## How the synthetic city compares with real ones / 実在の市との比較",
            "",
            "Each figure is computed from the files below when they are generated; `tests/test_synth.py` checks",
            "that it lies in the range shown. Real values are approximate: check the year before citing one.",
            "",
            *calibration_table(figures),
            "",
        ]
    for name, entry in DATASETS.items():
        sch = entry.schema
        lines += [
            f"## `{entry.file}` — {sch.title_en} / {sch.title_ja}",
            "",
            f"{sch.description_en}  ",
            f"{sch.description_ja}",
            "",
            f"Rows: {len(city[name]):,}. Key: {', '.join(sch.key)}. "
            f"Usually held by: {entry.holder_en} ({entry.holder_ja}).",
            "",
            "| column | type | unit | allowed values | meaning |",
            "|---|---|---|---|---|",
        ]
        for c in sch.columns:
            allowed = ", ".join(c.categories) if c.categories else (
                f"{format_number(c.minimum)}–{format_number(c.maximum)}" if c.minimum is not None
                else c.pattern_hint_en)
            lines.append(f"| `{c.name}` | {c.dtype} | {c.unit} | {allowed} | {c.description_en} / {c.description_ja} |")
        lines.append("")
    return "\n".join(lines)
