"""How a dataset is declared: its contract, file, holder, publication block and download form.

Each domain declares its datasets (``analytics/<domain>/datasets.py``) as :class:`DatasetSpec`
records; the registry (:mod:`analytics.registry`) collects them from the domains' declarations.
The column builders below are the shapes several domains share (yes/no flags, coordinates,
names in both languages).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analytics.core.publication import Block, Publication
from analytics.core.schemas import Column, DatasetSchema

Download = Callable[[Publication, str], pd.DataFrame]


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset of the registry.

    ``download`` is ``None`` for reference data (the rows as they are, without geometry; such
    a dataset may hold no count of people) and otherwise builds the downloadable table from
    the publication (aggregated and suppressed). ``publication`` is the block this dataset
    contributes to the publication, or ``None``.
    """

    schema: DatasetSchema
    file: str  # in sample_data/
    generator: str  # the part of analytics.synth that makes it
    holder_ja: str  # the department that usually holds such data (保有部署)
    holder_en: str
    form_ja: str  # what the download holds (Data page)
    form_en: str
    publication: Block | None = None
    download: Download | None = None
    personal_items: tuple[str, ...] = ()  # columns with personal information (個人情報項目)
    district_indicators: tuple[str, ...] = ()  # indicators this dataset gives the district view
    # (column, dataset, its column): values that must exist in another dataset, beyond the
    # mesh codes and district IDs every dataset refers to (see :func:`references`)
    refers: tuple[tuple[str, str, str], ...] = ()

    def __post_init__(self) -> None:
        if (self.schema.person_counts or self.schema.person_level) and (
                self.download is None or self.publication is None):
            raise ValueError(f"{self.name}: a dataset of people is published only through its block")
        unknown = set(self.personal_items) - set(self.schema.column_names)
        if unknown:
            raise ValueError(f"{self.name}: personal items {sorted(unknown)} are not columns")

    @property
    def name(self) -> str:
        return self.schema.name

    @property
    def has_geometry(self) -> bool:
        return self.schema.has_geometry

    def holder(self, lang: str) -> str:
        return self.holder_ja if lang == "ja" else self.holder_en

    def form(self, lang: str) -> str:
        return self.form_ja if lang == "ja" else self.form_en

    def read(self, directory: Path) -> pd.DataFrame:
        """Read this dataset's (Geo)Parquet file from ``directory``."""
        path = Path(directory) / self.file
        return gpd.read_parquet(path) if self.has_geometry else pd.read_parquet(path)

    def reference_table(self, df: pd.DataFrame) -> pd.DataFrame:
        """The download of a reference dataset: its rows without geometry."""
        return pd.DataFrame(df.drop(columns="geometry", errors="ignore"))


def flag_column(name: str, ja: str, en: str, dja: str, den: str) -> Column:
    """A yes/no column of person-level records."""
    return Column(name, "bool", ja, en, dja, den, aliases=(ja,))


def lon_lat_columns(what_ja: str, what_en: str) -> tuple[Column, Column]:
    return (
        Column("lon", "float", "経度", "Longitude", f"{what_ja}の経度（JGD2011、度）", f"Longitude of the {what_en} "
               "(JGD2011 degrees)", unit="度 / degrees", minimum=122.0, maximum=154.0, aliases=("経度", "X")),
        Column("lat", "float", "緯度", "Latitude", f"{what_ja}の緯度（JGD2011、度）", f"Latitude of the {what_en} "
               "(JGD2011 degrees)", unit="度 / degrees", minimum=20.0, maximum=46.0, aliases=("緯度", "Y")),
    )


def name_columns(what_ja: str, what_en: str) -> tuple[Column, Column]:
    return (
        Column("name_ja", "string", "名称", "Name (Japanese)", f"{what_ja}の名称", f"Name of the {what_en} in Japanese",
               aliases=("名称", "施設名")),
        Column("name_en", "string", "名称（英語）", "Name (English)", f"{what_ja}の英語名",
               f"Name of the {what_en} in English", aliases=("英語名",)),
    )
