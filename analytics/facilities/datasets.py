"""The facilities domain's datasets: public facilities, buildings, operations and past investment."""

from __future__ import annotations

from analytics.core.datasets import DatasetSpec, lon_lat_columns, name_columns
from analytics.core.schemas import DISTRICT_ID, FISCAL_YEAR, Column, DatasetSchema
from analytics.facilities.renewal import CATEGORIES

_FACILITY_CODE = Column("facility_id", "string", "施設ID", "Facility ID", "公共施設のID", "ID of the public facility",
                       pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: F0001）",
                       pattern_hint_en="up to 20 letters or digits (e.g. F0001)",
                       aliases=("施設ID", "施設コード", "施設番号"))
_CATEGORY = Column("category", "string", "施設類型（大分類）", "Category", "総務省の施設類型の大分類",
                   "The MIC facility category (大分類)", categories=CATEGORIES,
                   aliases=("大分類", "施設類型", "施設分類"))
_YEN = dict(unit="円 / yen", minimum=0, maximum=1e13)


def _yen(name: str, ja: str, en: str, dja: str, den: str) -> Column:
    return Column(name, "int", ja, en, dja, den, aliases=(ja,), **_YEN)


def _count(name: str, ja: str, en: str, dja: str, den: str, unit: str, nullable: bool = False) -> Column:
    return Column(name, "int", ja, en, dja, den, unit=unit, minimum=0, maximum=1e9, aliases=(ja,), nullable=nullable)


DATASETS = (
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
                *name_columns("施設", "facility"),
                _CATEGORY,
                Column("subcategory", "string", "中分類", "Subcategory", "施設の中分類（例: 公民館、図書館、小学校）",
                       "The subcategory (e.g. community hall, library, elementary school)",
                       aliases=("中分類", "施設種別")),
                DISTRICT_ID,
                *lon_lat_columns("施設", "facility"),
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
