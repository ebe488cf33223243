"""The health domain's datasets: checkup sites and checkups."""

from __future__ import annotations

from analytics.core.datasets import DatasetSpec, flag_column, lon_lat_columns, name_columns
from analytics.core.schemas import DISTRICT_ID, FISCAL_YEAR, MESH_CODE, Column, DatasetSchema
from analytics.health.publication import health_block, health_download

_SITE_CODE = Column("site_id", "string", "会場ID", "Site ID", "健診会場のID", "ID of the checkup site",
                    pattern=r"[A-Za-z0-9_\-]{1,20}", pattern_hint_ja="半角英数字20文字以内（例: K001）",
                    pattern_hint_en="up to 20 letters or digits (e.g. K001)", aliases=("会場ID", "会場番号"))

DATASETS = (
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
                *name_columns("会場", "site"),
                DISTRICT_ID,
                *lon_lat_columns("会場", "site"),
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
                flag_column("under_treatment", "通院中", "Under treatment", "生活習慣病で通院中（レセプトから）",
                      "Under treatment for a lifestyle disease (from claims)"),
                Column("attended", "int", "受診", "Attended", "特定健診を受診した（1）かどうか（0）",
                       "Took the checkup that fiscal year (1) or not (0)", minimum=0, maximum=1,
                       aliases=("受診", "受診有無")),
                flag_column("guidance_eligible", "保健指導対象", "Guidance eligible", "特定保健指導の対象になった",
                      "Eligible for specific health guidance"),
                flag_column("guidance_completed", "保健指導終了", "Guidance completed", "特定保健指導を終了した",
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
        publication=health_block,
        download=health_download,
        personal_items=("mesh_code", "age", "sex", "under_treatment", "attended", "guidance_eligible",
                        "guidance_completed"),
    ),
)
