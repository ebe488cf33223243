"""The one registry of datasets: each dataset is declared here once.

An entry (:class:`DatasetSpec`) says everything the app needs to know of a dataset: its
contract (columns, types, units, allowed values, keys, labels, accepted Japanese headers),
its file in ``sample_data/``, the generator part that makes it (:mod:`analytics.synth`), the
department that usually holds it and the personal items it contains (for the data-use
worksheet), its publication block (the linked tables of people it contributes to the one
publication, :mod:`analytics.core.publication`), its download form, and the district indicators
its domain offers the cross-department district view.

The catalog, the Data page, the sample-data README and manifest, the regeneration check and
every test that lists datasets enumerate :data:`DATASETS`. Adding a dataset is: declare it
here, write its generator part, contribute its publication block, list its page in
``ui/nav.py``.

This module reads nothing at import time and never imports the generator.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import geopandas as gpd
import pandas as pd

from analytics import city as population
from analytics import facilities, health, nursery
from analytics.core.publication import Block, Publication, build_publication
from analytics.core.schemas import DISTRICT_ID, FISCAL_YEAR, MESH_CODE, Column, DatasetSchema

SAMPLE_DATA_DIR = Path(__file__).resolve().parents[1] / "sample_data"
DATA_DIR_ENV = "EBPM_DATA_DIR"  # serve a city generated elsewhere (e.g. at another scale)
Download = Callable[[Publication, str], pd.DataFrame]


def data_dir() -> Path:
    """Where the synthetic city is read from: ``$EBPM_DATA_DIR`` or the committed ``sample_data/``."""
    env = os.environ.get(DATA_DIR_ENV)
    return Path(env) if env else SAMPLE_DATA_DIR


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


_ENTRIES = (
    DatasetSpec(
        schema=DatasetSchema(
            name="districts",
            title_ja="地区境界（小学校区）",
            title_en="District boundaries (elementary-school districts)",
            description_ja="小学校区ごとの境界ポリゴンと名称。地図と地区別集計の単位。",
            description_en=("Boundary polygon and name of each elementary-school district: "
                            "the unit of maps and district tables."),
            key=("district_id",),
            columns=(
                DISTRICT_ID,
                Column(
                    "name_ja",
                    "string",
                    "地区名",
                    "Name (Japanese)",
                    "地区名（日本語）",
                    "District name in Japanese",
                    aliases=("地区名", "校区名", "名称"),
                ),
                Column(
                    "name_en",
                    "string",
                    "地区名（英語）",
                    "Name (English)",
                    "地区名（英語）",
                    "District name in English",
                    aliases=("地区名英語",),
                ),
                Column(
                    "area_type",
                    "string",
                    "地域区分",
                    "Kind of area",
                    "地域の性格（core=中心市街地, suburb=郊外住宅地, industrial=臨海工業地, "
                    "mountain=中山間地, island=島しょ部）",
                    "Character of the area (core, suburb, industrial, mountain, island)",
                    categories=("core", "suburb", "industrial", "mountain", "island"),
                    aliases=("地域区分",),
                ),
                Column(
                    "area_km2",
                    "float",
                    "面積",
                    "Area",
                    "面積（平面直角座標系 V 系 EPSG:6673 で計測）",
                    "Area measured in EPSG:6673",
                    unit="km²",
                    minimum=0.0,
                    maximum=5000.0,
                    aliases=("面積", "面積km2"),
                ),
                Column(
                    "geometry", "geometry", "境界", "Boundary", "境界ポリゴン（JGD2011）", "Boundary polygon (JGD2011)"
                ),
            ),
        ),
        file="districts.parquet",
        generator="city",
        holder_ja="教育委員会・都市計画課",
        holder_en="Board of education / urban planning",
        form_ja="地区の属性（境界はGeoJSONで別途）",
        form_en="District attributes (boundaries as GeoJSON)",
        publication=None,
        download=None,
        district_indicators=(),
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="meshes",
            title_ja="メッシュと地区の対応表",
            title_en="Mesh-to-district table",
            description_ja="500mメッシュごとに、属する小学校区を示す対応表。",
            description_en="Which elementary-school district each 500 m grid square belongs to.",
            key=("mesh_code",),
            columns=(MESH_CODE, DISTRICT_ID),
        ),
        file="meshes.parquet",
        generator="city",
        holder_ja="都市計画課",
        holder_en="Urban planning",
        form_ja="メッシュと地区の対応（人数を含まない）",
        form_en="Mesh-to-district table (no counts of people)",
        publication=None,
        download=None,
        district_indicators=(),
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="population",
            title_ja="住民基本台帳人口（メッシュ・男女・各歳）",
            title_en="Registered residents by mesh, sex and single year of age",
            description_ja="各年度4月1日現在の住民基本台帳人口。500mメッシュ×男女×各歳（0〜100歳、100は100歳以上）。",
            description_en=("Registered residents on 1 April of each fiscal year by 500 m mesh × sex × "
                            "single year of age (0–100; 100 = 100 and over)."),
            key=("fiscal_year", "mesh_code", "sex", "age"),
            person_counts=("population",),
            columns=(
                FISCAL_YEAR,
                MESH_CODE,
                Column(
                    "sex",
                    "string",
                    "性別",
                    "Sex",
                    "性別（M=男性, F=女性）",
                    "Sex (M = male, F = female)",
                    categories=("M", "F"),
                    aliases=("性別", "男女"),
                ),
                Column(
                    "age",
                    "int",
                    "年齢",
                    "Age",
                    "4月1日現在の満年齢（100は100歳以上）",
                    "Age in completed years on 1 April (100 = 100 and over)",
                    unit="歳 / years",
                    minimum=0,
                    maximum=100,
                    aliases=("年齢", "歳"),
                ),
                Column(
                    "population",
                    "int",
                    "人口",
                    "Residents",
                    "住民数",
                    "Number of residents",
                    unit="人 / persons",
                    minimum=0,
                    maximum=10_000_000,
                    aliases=("人口", "人数", "住民数"),
                ),
            ),
        ),
        file="population.parquet",
        generator="city",
        holder_ja="市民課（住民基本台帳）",
        holder_en="Citizens' division (resident registry)",
        form_ja="年度×地区×男女×5歳階級の人口（秘匿処理済み、合計行つき）",
        form_en="Residents by fiscal year × district × sex × 5-year age group (suppressed, with totals)",
        publication=population.population_block,
        download=population.population_download,
        district_indicators=("population", "ageing_rate", "change_pct"),
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="population_change",
            title_ja="人口動態（地区別・年度別）",
            title_en="Population change by district and fiscal year",
            description_ja="年度中（4月〜翌3月）の出生・死亡・転入・転出（地区間移動を含む）。",
            description_en=("Births, deaths, moves in and out (including moves between districts) "
                            "during each fiscal year (April–March)."),
            key=("district_id", "fiscal_year"),
            person_counts=("births", "deaths", "moved_in", "moved_out"),
            columns=(
                DISTRICT_ID,
                FISCAL_YEAR,
                *(
                    Column(n, "int", ja, en, dja, den, unit="人 / persons", minimum=0, maximum=10_000_000, aliases=al)
                    for n, ja, en, dja, den, al in (
                        (
                            "births",
                            "出生数",
                            "Births",
                            "年度中の出生数",
                            "Births during the fiscal year",
                            ("出生", "出生数"),
                        ),
                        (
                            "deaths",
                            "死亡数",
                            "Deaths",
                            "年度中の死亡数",
                            "Deaths during the fiscal year",
                            ("死亡", "死亡数"),
                        ),
                        (
                            "moved_in",
                            "転入数",
                            "Moved in",
                            "年度中の転入数（地区間移動を含む）",
                            "Moves into the district (incl. from other districts)",
                            ("転入", "転入数"),
                        ),
                        (
                            "moved_out",
                            "転出数",
                            "Moved out",
                            "年度中の転出数（地区間移動を含む）",
                            "Moves out of the district (incl. to other districts)",
                            ("転出", "転出数"),
                        ),
                    )
                ),
                Column(
                    "net_migration",
                    "int",
                    "社会増減",
                    "Net migration",
                    "転入数−転出数",
                    "Moved in minus moved out",
                    unit="人 / persons",
                    minimum=-10_000_000,
                    maximum=10_000_000,
                    aliases=("社会増減",),
                ),
            ),
            differences=(("net_migration", "moved_in", "moved_out"),),
        ),
        file="population_change.parquet",
        generator="city",
        holder_ja="市民課（住民基本台帳）",
        holder_en="Citizens' division (resident registry)",
        form_ja="地区×年度の出生・死亡・転入・転出（秘匿処理済み、合計行つき）",
        form_en="Births, deaths and moves by district × fiscal year (suppressed, with totals)",
        publication=population.change_block,
        download=population.change_download,
        district_indicators=(),
    ),
)

def _flag(name: str, ja: str, en: str, dja: str, den: str) -> Column:
    """A yes/no column of person-level records."""
    return Column(name, "bool", ja, en, dja, den, aliases=(ja,))


def _lon_lat(what_ja: str, what_en: str) -> tuple[Column, Column]:
    return (
        Column("lon", "float", "経度", "Longitude", f"{what_ja}の経度（JGD2011、度）", f"Longitude of the {what_en} "
               "(JGD2011 degrees)", unit="度 / degrees", minimum=122.0, maximum=154.0, aliases=("経度", "X")),
        Column("lat", "float", "緯度", "Latitude", f"{what_ja}の緯度（JGD2011、度）", f"Latitude of the {what_en} "
               "(JGD2011 degrees)", unit="度 / degrees", minimum=20.0, maximum=46.0, aliases=("緯度", "Y")),
    )


def _names(what_ja: str, what_en: str) -> tuple[Column, Column]:
    return (
        Column("name_ja", "string", "名称", "Name (Japanese)", f"{what_ja}の名称", f"Name of the {what_en} in Japanese",
               aliases=("名称", "施設名")),
        Column("name_en", "string", "名称（英語）", "Name (English)", f"{what_ja}の英語名",
               f"Name of the {what_en} in English", aliases=("英語名",)),
    )


_FACILITY_ID = Column("facility_id", "string", "施設ID", "Facility ID", "保育施設のID", "ID of the childcare facility",
                      pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: N0001）",
                      pattern_hint_en="up to 20 letters or digits (e.g. N0001)", aliases=("施設ID", "施設コード"))
_CHILD_AGE = Column("child_age", "int", "年齢", "Age", "4月1日現在の満年齢（0〜5歳）",
                    "Age in completed years on 1 April (0–5)",
                    unit="歳 / years", minimum=0, maximum=5, aliases=("年齢", "歳児", "クラス年齢"))
_SEATS = dict(unit="人 / places", minimum=0, maximum=10_000)


def _preferred(k: int) -> Column:
    return Column(f"preferred_{k}", "string", f"第{k}希望", f"Choice {k}", f"第{k}希望の施設ID（空欄可）",
                  f"Facility ID of choice {k} (may be empty)", pattern=r"[A-Za-z0-9_\-]{1,20}",
                  pattern_hint_ja="施設ID（例: N0001）", pattern_hint_en="a facility ID (e.g. N0001)",
                  aliases=(f"第{k}希望",), nullable=True)


_NURSERY_ENTRIES = (
    DatasetSpec(
        schema=DatasetSchema(
            name="nurseries",
            title_ja="保育施設一覧",
            title_en="Childcare facilities",
            description_ja="認可保育所・認定こども園・小規模保育・家庭的保育と、企業主導型・地方単独の保育施設。",
            description_en=("Authorised nurseries, kodomo-en, small and home-based nurseries, and workplace "
                            "and city-certified (non-authorised) care."),
            key=("facility_id",),
            columns=(
                _FACILITY_ID,
                *_names("施設", "facility"),
                Column("facility_type", "string", "施設類型", "Type", "施設の類型（認可外は企業主導型・地方単独）",
                       "Type of facility (企業主導型 and 地方単独 are not authorised)",
                       categories=nursery.FACILITY_TYPES, aliases=("施設類型", "類型", "種別")),
                DISTRICT_ID,
                *_lon_lat("施設", "facility"),
            ),
        ),
        file="nurseries.parquet",
        generator="nursery",
        holder_ja="こども保育課",
        holder_en="Childcare division",
        form_ja="施設の一覧（人数を含まない）",
        form_en="List of facilities (no counts of people)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="nursery_capacity",
            title_ja="保育施設の定員と在籍（年齢別、4月1日）",
            title_en="Places and enrolment by facility and age (1 April)",
            description_ja="各年度4月1日現在の施設×年齢別の利用定員と在籍児童数（空き状況として公表される施設統計）。",
            description_en=("Places and children enrolled by facility × age on 1 April of each fiscal year "
                            "(a facility statistic that cities publish as vacancies)."),
            key=("fiscal_year", "facility_id", "child_age"),
            columns=(
                FISCAL_YEAR,
                _FACILITY_ID,
                _CHILD_AGE,
                Column("capacity", "int", "利用定員", "Places", "その年齢の利用定員", "Places for that age",
                       aliases=("定員", "利用定員"), **_SEATS),
                Column("enrolled", "int", "在籍児童数", "Enrolled", "4月1日に在籍する児童数",
                       "Children enrolled on 1 April",
                       aliases=("在籍", "在籍児童数", "入所児童数"), **_SEATS),
            ),
        ),
        file="nursery_capacity.parquet",
        refers=(("facility_id", "nurseries", "facility_id"),),
        generator="nursery",
        holder_ja="こども保育課",
        holder_en="Childcare division",
        form_ja="施設×年齢の定員・在籍・空き（施設統計）",
        form_en="Places, enrolment and vacancies by facility × age (facility statistics)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="nursery_applications",
            title_ja="保育利用申込（児童ごと、4月1日）",
            title_en="Nursery applications (one row per child, 1 April)",
            description_ja=("各年度4月1日現在の保育利用申込児童（継続児を含む）。1行が1人の児童。"
                            "待機児童の区分は保存せず、分析が国の調査要領に沿って判定する。"),
            description_en=("Children applying for care on 1 April of each fiscal year, continuing children "
                            "included; one row per child. The waitlist category is not stored: the analysis "
                            "derives it under the national counting rules."),
            key=("application_id",),
            person_level=True,
            columns=(
                Column("application_id", "string", "申込ID", "Application ID", "申込の仮名ID", "Pseudonymous ID",
                       pattern=r"[A-Za-z0-9_\-]{1,30}", pattern_hint_ja="半角英数字30文字以内",
                       pattern_hint_en="up to 30 letters or digits", aliases=("申込ID", "受付番号")),
                FISCAL_YEAR,
                _CHILD_AGE,
                MESH_CODE,
                DISTRICT_ID,
                _preferred(1),
                _preferred(2),
                _preferred(3),
                _flag("admitted", "入所", "Admitted", "4月1日に認可保育所等で保育を受けている",
                      "In care at an authorised facility on 1 April"),
                _flag("parental_leave", "育児休業中", "Parental leave", "保護者が育児休業中",
                      "A parent is on childcare leave"),
                _flag("return_intent_confirmed", "復職意思確認", "Return confirmed",
                      "入所できれば復職する意思が確認できている", "Intention to return to work on admission confirmed"),
                _flag("only_specific_facilities", "特定園のみ希望", "Only listed facilities",
                      "希望した施設以外は利用しない意向", "The family wants only the facilities it listed"),
                _flag("uses_local_program", "地方単独事業等利用", "Local programme",
                      "地方単独保育・企業主導型・幼稚園預かり保育等を利用",
                      "Cared for in a local programme, workplace care or kindergarten extended care"),
                _flag("job_search_paused", "求職活動休止", "Job search paused", "求職活動の休止が確認されている",
                      "The parents' job search is confirmed paused"),
            ),
        ),
        file="nursery_applications.parquet",
        refers=tuple((f"preferred_{k}", "nurseries", "facility_id") for k in (1, 2, 3)),
        generator="nursery",
        holder_ja="こども保育課（保育システム）",
        holder_en="Childcare division (nursery system)",
        form_ja="年度×地区×年齢区分の申込・未入所・待機児童と、市全体の年齢別の全区分（秘匿処理済み）",
        form_en=("Applicants, admitted and waiting children by fiscal year × district × age band, and the "
                 "city by age with every step of the national count (suppressed)"),
        publication=nursery.nursery_block,
        download=nursery.nursery_download,
        personal_items=("mesh_code", "child_age", "parental_leave", "return_intent_confirmed", "job_search_paused"),
        district_indicators=("nursery_official", "nursery_hidden"),
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="nursery_sites",
            title_ja="保育施設の整備候補地",
            title_en="Candidate sites for new nursery places",
            description_ja="新たな保育定員を整備できる候補地（市有地、学校の余裕教室など）と上限定員・1人分の整備費。",
            description_en=("Sites where new places could be built (city land, school spare rooms…), "
                            "with the most places each can take and the cost per place."),
            key=("site_id",),
            columns=(
                Column("site_id", "string", "候補地ID", "Site ID", "候補地のID", "ID of the site",
                       pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: S0001）",
                       pattern_hint_en="up to 20 letters or digits (e.g. S0001)", aliases=("候補地ID",)),
                *_names("候補地", "site"),
                Column("kind", "string", "種別", "Kind", "候補地の種別", "Kind of site",
                       categories=("市有地", "学校余裕教室", "公共施設内", "民間賃貸物件"), aliases=("種別",)),
                DISTRICT_ID,
                *_lon_lat("候補地", "site"),
                Column("max_capacity", "int", "上限定員", "Most places", "整備できる定員の上限",
                       "The most places the site can take", aliases=("上限定員",), **_SEATS),
                Column("cost_per_seat_yen", "int", "1人当たり整備費", "Cost per place", "定員1人分の整備費",
                       "Building cost per place", unit="円 / yen", minimum=0, maximum=100_000_000,
                       aliases=("整備費", "1人当たり整備費")),
            ),
        ),
        file="nursery_sites.parquet",
        generator="nursery",
        holder_ja="こども保育課・資産活用課",
        holder_en="Childcare division / asset management",
        form_ja="候補地の一覧（人数を含まない）",
        form_en="List of sites (no counts of people)",
    ),
)


_FACILITY_CODE = Column("facility_id", "string", "施設ID", "Facility ID", "公共施設のID", "ID of the public facility",
                       pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: F0001）",
                       pattern_hint_en="up to 20 letters or digits (e.g. F0001)",
                       aliases=("施設ID", "施設コード", "施設番号"))
_CATEGORY = Column("category", "string", "施設類型（大分類）", "Category", "総務省の施設類型の大分類",
                   "The MIC facility category (大分類)", categories=facilities.CATEGORIES,
                   aliases=("大分類", "施設類型", "施設分類"))
_YEN = dict(unit="円 / yen", minimum=0, maximum=1e13)


def _yen(name: str, ja: str, en: str, dja: str, den: str) -> Column:
    return Column(name, "int", ja, en, dja, den, aliases=(ja,), **_YEN)


def _count(name: str, ja: str, en: str, dja: str, den: str, unit: str, nullable: bool = False) -> Column:
    return Column(name, "int", ja, en, dja, den, unit=unit, minimum=0, maximum=1e9, aliases=(ja,), nullable=nullable)


_FACILITY_ENTRIES = (
    DatasetSpec(
        schema=DatasetSchema(
            name="facilities",
            title_ja="公共施設一覧",
            title_en="Public facilities",
            description_ja="市の公共施設（総務省の施設類型の大分類・中分類）と所在地、年間の受入可能人数。",
            description_en="The city's public facilities (MIC category and subcategory), location and yearly capacity.",
            key=("facility_id",),
            columns=(
                _FACILITY_CODE,
                *_names("施設", "facility"),
                _CATEGORY,
                Column("subcategory", "string", "中分類", "Subcategory", "施設の中分類（例: 公民館、図書館、小学校）",
                       "The subcategory (e.g. community hall, library, elementary school)",
                       aliases=("中分類", "施設種別")),
                DISTRICT_ID,
                *_lon_lat("施設", "facility"),
                _count("capacity", "年間受入可能数", "Capacity", "1年に受け入れられる延べ利用者数（該当する施設のみ）",
                       "Visits a year it can take (where it applies)", "人回 / visits", nullable=True),
            ),
        ),
        file="facilities.parquet",
        generator="facilities",
        holder_ja="資産経営課（公共施設マネジメント）",
        holder_en="Asset management division",
        form_ja="施設の一覧（人数を含まない）",
        form_en="List of facilities (no counts of people)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="buildings",
            title_ja="公共施設の建物（棟別）",
            title_en="Buildings of public facilities",
            description_ja="施設を構成する建物ごとの建築年度・延床面積・構造・耐震性（固定資産台帳・施設台帳）。",
            description_en=("Each building of a facility: fiscal year of completion, floor area, structure and "
                            "seismic status (asset register)."),
            key=("building_id",),
            columns=(
                Column("building_id", "string", "棟ID", "Building ID", "建物のID", "ID of the building",
                       pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: B00001）",
                       pattern_hint_en="up to 20 letters or digits (e.g. B00001)",
                       aliases=("棟ID", "建物ID", "棟番号")),
                _FACILITY_CODE,
                _CATEGORY,
                Column("built_year", "int", "建築年度", "Built (fiscal year)", "竣工した年度",
                       "Fiscal year of completion", unit="年度 / fiscal year", minimum=1868, maximum=2100,
                       aliases=("建築年度", "竣工年度", "建築年")),
                Column("floor_area_m2", "float", "延床面積", "Floor area", "延床面積", "Gross floor area", unit="m²",
                       minimum=0.0, maximum=1e7, aliases=("延床面積", "延べ床面積", "床面積")),
                Column("structure", "string", "構造", "Structure",
                       "構造（RC=鉄筋コンクリート, SRC=鉄骨鉄筋コンクリート, "
                       "S=鉄骨, W=木造）", "Structure (reinforced concrete, steel-reinforced concrete, steel, wood)",
                       categories=("RC", "SRC", "S", "W"), aliases=("構造",)),
                Column("seismic", "string", "耐震性", "Seismic status", "新耐震基準（1981年）による耐震性",
                       "Seismic status under the 1981 standard",
                       categories=("新耐震", "旧耐震・補強済", "旧耐震・未補強"),
                       aliases=("耐震性", "耐震")),
            ),
        ),
        file="buildings.parquet",
        refers=(("facility_id", "facilities", "facility_id"),),
        generator="facilities",
        holder_ja="資産経営課（固定資産台帳）",
        holder_en="Asset management division (asset register)",
        form_ja="建物の一覧（人数を含まない）",
        form_en="List of buildings (no counts of people)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="facility_operations",
            title_ja="施設の利用と経費（年度別）",
            title_en="Facility use and costs by fiscal year",
            description_ja=("施設ごと年度ごとの延べ利用者数（人数ではなく利用回数）、開館日数、経費、使用料収入、"
                            "予約枠（予約制の施設のみ）。施設カルテの元データ。"),
            description_en=("Per facility and fiscal year: visits (not persons), opening days, costs, fee revenue "
                            "and booking slots (bookable facilities only): the facility card's data."),
            key=("fiscal_year", "facility_id"),
            columns=(
                FISCAL_YEAR,
                _FACILITY_CODE,
                _count("visits", "延べ利用者数", "Visits", "年度中の延べ利用者数（施設統計）",
                       "Visits during the fiscal year",
                       "人回 / visits", nullable=True),
                _count("opening_days", "開館日数", "Opening days", "年度中の開館日数",
                       "Days open during the fiscal year",
                       "日 / days"),
                _yen("cost_staff_yen", "人件費", "Staff cost", "人件費", "Staff cost"),
                _yen("cost_utilities_yen", "光熱水費", "Utilities", "光熱水費", "Utilities"),
                _yen("cost_outsourcing_yen", "委託料", "Outsourcing", "委託料（指定管理料を含む）",
                     "Outsourcing (incl. designated managers)"),
                _yen("cost_repairs_yen", "修繕費", "Repairs", "修繕費", "Repairs"),
                _yen("fee_revenue_yen", "使用料収入", "Fee revenue", "使用料・利用料収入", "Fees collected"),
                _count("slots_available", "予約可能コマ数", "Slots available", "予約できるコマ数（部屋×時間帯）",
                       "Bookable slots (rooms × time slots)", "コマ / slots", nullable=True),
                _count("slots_used", "利用コマ数", "Slots used", "予約されたコマ数", "Slots booked", "コマ / slots",
                       nullable=True),
            ),
        ),
        file="facility_operations.parquet",
        refers=(("facility_id", "facilities", "facility_id"),),
        generator="facilities",
        holder_ja="各施設所管課・資産経営課",
        holder_en="Departments running the facilities / asset management",
        form_ja="施設×年度の利用と経費（施設統計。延べ利用者数は人数ではない）",
        form_en="Use and costs by facility × fiscal year (facility statistics; visits are not persons)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="past_investment",
            title_ja="建物への投資的経費の実績",
            title_en="Past investment in buildings",
            description_ja="過去の年度ごと施設類型ごとの投資的経費（建物の更新・改修に充てた額）。更新費用との比較に使う。",
            description_en="Investment in buildings by fiscal year and category: what renewal is compared with.",
            key=("fiscal_year", "category"),
            columns=(
                FISCAL_YEAR,
                _CATEGORY,
                _yen("investment_yen", "投資的経費", "Investment", "建物への投資的経費", "Investment in buildings"),
            ),
        ),
        file="past_investment.parquet",
        generator="facilities",
        holder_ja="財政課",
        holder_en="Finance division",
        form_ja="年度×類型の投資的経費",
        form_en="Investment by fiscal year × category",
    ),
)


_SITE_CODE = Column("site_id", "string", "会場ID", "Site ID", "健診会場のID", "ID of the checkup site",
                    pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: K001）",
                    pattern_hint_en="up to 20 letters or digits (e.g. K001)", aliases=("会場ID", "会場番号"))

_HEALTH_ENTRIES = (
    DatasetSpec(
        schema=DatasetSchema(
            name="checkup_sites",
            title_ja="特定健診の会場",
            title_en="Checkup sites",
            description_ja="特定健診を受けられる会場（健診センター・地区会場）と開設年度。地区展開の評価に使う。",
            description_en=("Where the NHI checkup can be taken (checkup centres, community sites) and the fiscal "
                            "year each opened: the district roll-out's evaluation uses it."),
            key=("site_id",),
            columns=(
                _SITE_CODE,
                *_names("会場", "site"),
                DISTRICT_ID,
                *_lon_lat("会場", "site"),
                Column("opened_fiscal_year", "int", "開設年度", "Opened (fiscal year)", "会場を開設した年度",
                       "Fiscal year the site opened", unit="年度 / fiscal year", minimum=1900, maximum=2100,
                       aliases=("開設年度", "開始年度")),
            ),
        ),
        file="checkup_sites.parquet",
        generator="health",
        holder_ja="保険年金課（国保）・健康推進課",
        holder_en="NHI division / health promotion",
        form_ja="会場の一覧（人数を含まない）",
        form_en="List of sites (no counts of people)",
    ),
    DatasetSpec(
        schema=DatasetSchema(
            name="checkups",
            title_ja="特定健診の対象者と受診（年度×個人）",
            title_en="NHI checkups (one row per insured person and fiscal year)",
            description_ja=("国民健康保険の40〜74歳の被保険者（特定健診の対象者）の年度ごとの受診状況。1行が1人×1年度。"
                            "年齢は年度末（3月31日）現在。最新年度は受診勧奨の無作為化試験の群を含む。"),
            description_en=("The NHI insured aged 40–74 (those the checkup is for), one row per person and fiscal "
                            "year: attendance, guidance, and in the latest year the arm of the reminder trial. "
                            "Age at the end of the fiscal year (31 March)."),
            key=("person_id", "fiscal_year"),
            person_level=True,
            columns=(
                Column("person_id", "string", "被保険者ID", "Person ID", "被保険者の仮名ID", "Pseudonymous ID",
                       pattern=r"[A-Za-z0-9_\-]{1,30}", pattern_hint_ja="半角英数字30文字以内",
                       pattern_hint_en="up to 30 letters or digits", aliases=("被保険者ID", "個人ID", "仮名ID")),
                FISCAL_YEAR,
                Column("age", "int", "年齢", "Age", "年度末（3月31日）現在の年齢", "Age on 31 March (end of the "
                       "fiscal year)", unit="歳 / years", minimum=40, maximum=74, aliases=("年齢", "年度末年齢")),
                Column("sex", "string", "性別", "Sex", "性別（M=男, F=女）", "Sex (M, F)", categories=("M", "F"),
                       aliases=("性別",)),
                DISTRICT_ID,
                MESH_CODE,
                _flag("under_treatment", "通院中", "Under treatment", "生活習慣病で通院中（レセプトから）",
                      "Under treatment for a lifestyle disease (from claims)"),
                Column("attended", "int", "受診", "Attended", "特定健診を受診した（1）かどうか（0）",
                       "Took the checkup that fiscal year (1) or not (0)", minimum=0, maximum=1,
                       aliases=("受診", "受診有無")),
                _flag("guidance_eligible", "保健指導対象", "Guidance eligible", "特定保健指導の対象になった",
                      "Eligible for specific health guidance"),
                _flag("guidance_completed", "保健指導終了", "Guidance completed", "特定保健指導を終了した",
                      "Completed the guidance"),
                Column("arm", "string", "勧奨群", "Trial arm",
                       "受診勧奨試験の群（control=勧奨なし, standard=通常の通知, nudge=ナッジ通知）。"
                       "試験のない年度は空欄",
                       "Reminder-trial arm (control, standard letter, tailored nudge); empty in years without a trial",
                       categories=("control", "standard", "nudge"),
                       nullable=True, aliases=("勧奨群", "群")),
            ),
        ),
        file="checkups.parquet",
        generator="health",
        holder_ja="保険年金課（国保データベース）",
        holder_en="NHI division (KDB)",
        form_ja="年度×地区×性別×5歳階級の対象者数と受診者数（秘匿処理済み）",
        form_en="Insured and attendees by fiscal year × district × sex × 5-year band (suppressed)",
        publication=health.health_block,
        download=health.health_download,
        personal_items=("mesh_code", "age", "sex", "under_treatment", "attended", "guidance_eligible",
                        "guidance_completed"),
    ),
)


DATASETS: dict[str, DatasetSpec] = {s.name: s for s in (*_ENTRIES, *_NURSERY_ENTRIES, *_FACILITY_ENTRIES,
                                                        *_HEALTH_ENTRIES)}


def names() -> list[str]:
    """Dataset names in the registry's order."""
    return list(DATASETS)


def spec(name: str) -> DatasetSpec:
    """The registry entry of ``name`` (KeyError names the known datasets)."""
    try:
        return DATASETS[name]
    except KeyError:
        raise KeyError(f"unknown dataset {name!r}; known: {names()}") from None


def contract(name: str) -> DatasetSchema:
    """The contract of dataset ``name``."""
    return spec(name).schema


def references(name: str) -> tuple[tuple[str, str, str], ...]:
    """What dataset ``name`` refers to, as (column, dataset, its column): its mesh codes must be
    in ``meshes``, its district IDs in ``districts`` (except in those datasets themselves), plus
    the entry's own ``refers`` (e.g. facility IDs)."""
    columns = contract(name).column_names
    shared = tuple((c, ref, c) for c, ref in (("mesh_code", "meshes"), ("district_id", "districts"))
                   if c in columns and name != ref)
    return (*shared, *spec(name).refers)


def publication_blocks(data: Mapping[str, pd.DataFrame]) -> list[Block]:
    """The publication blocks of the datasets present in ``data``, in the registry's order."""
    return [s.publication for s in DATASETS.values() if s.publication is not None and s.name in data]


def publish(data: Mapping[str, pd.DataFrame], threshold: int, cache: Path | None = None) -> Publication:
    """The one publication of ``data``: every registered block, suppressed together."""
    return build_publication(data, threshold, publication_blocks(data), cache)


def download_tables(data: Mapping[str, pd.DataFrame], pub: Publication, total_label: str) -> dict[str, pd.DataFrame]:
    """The downloadable form of every dataset in ``data``: reference rows, or the suppressed
    tables of the publication ``pub`` (never person-level rows)."""
    return {
        s.name: s.reference_table(data[s.name]) if s.download is None else s.download(pub, total_label)
        for s in DATASETS.values()
        if s.name in data
    }


@contextmanager
def registered(entry: DatasetSpec) -> Iterator[DatasetSpec]:
    """Add ``entry`` to the registry for the duration of a ``with`` block (for tests and tools)."""
    if entry.name in DATASETS:
        raise ValueError(f"dataset {entry.name!r} is already registered")
    DATASETS[entry.name] = entry
    try:
        yield entry
    finally:
        DATASETS.pop(entry.name, None)
