"""The nursery domain's datasets: facilities, capacity, applications and candidate sites."""

from __future__ import annotations

from analytics.core.datasets import DatasetSpec, flag_column, lon_lat_columns, name_columns
from analytics.core.schemas import DISTRICT_ID, FISCAL_YEAR, MESH_CODE, Column, DatasetSchema
from analytics.nursery.counting import FACILITY_TYPES
from analytics.nursery.publication import nursery_block, nursery_download

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


DATASETS = (
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
                *name_columns("施設", "facility"),
                Column("facility_type", "string", "施設類型", "Type", "施設の類型（認可外は企業主導型・地方単独）",
                       "Type of facility (企業主導型 and 地方単独 are not authorised)",
                       categories=FACILITY_TYPES, aliases=("施設類型", "類型", "種別")),
                DISTRICT_ID,
                *lon_lat_columns("施設", "facility"),
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
                flag_column("admitted", "入所", "Admitted", "4月1日に認可保育所等で保育を受けている",
                      "In care at an authorised facility on 1 April"),
                flag_column("parental_leave", "育児休業中", "Parental leave", "保護者が育児休業中",
                      "A parent is on childcare leave"),
                flag_column("return_intent_confirmed", "復職意思確認", "Return confirmed",
                      "入所できれば復職する意思が確認できている", "Intention to return to work on admission confirmed"),
                flag_column("only_specific_facilities", "特定園のみ希望", "Only listed facilities",
                      "希望した施設以外は利用しない意向", "The family wants only the facilities it listed"),
                flag_column("uses_local_program", "地方単独事業等利用", "Local programme",
                      "地方単独保育・企業主導型・幼稚園預かり保育等を利用",
                      "Cared for in a local programme, workplace care or kindergarten extended care"),
                flag_column("job_search_paused", "求職活動休止", "Job search paused", "求職活動の休止が確認されている",
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
        publication=nursery_block,
        download=nursery_download,
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
                *name_columns("候補地", "site"),
                Column("kind", "string", "種別", "Kind", "候補地の種別", "Kind of site",
                       categories=("市有地", "学校余裕教室", "公共施設内", "民間賃貸物件"), aliases=("種別",)),
                DISTRICT_ID,
                *lon_lat_columns("候補地", "site"),
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
