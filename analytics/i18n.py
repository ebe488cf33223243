"""Every UI string in Japanese and English: one table, looked up per session.

Japanese is the default. The language is passed in by the caller (the page keeps it in
the session state); nothing here is process-wide, because all Streamlit sessions share
one process.
"""

from __future__ import annotations

LANGUAGES: tuple[str, ...] = ("ja", "en")
DEFAULT_LANGUAGE = "ja"

MESSAGES: dict[str, dict[str, str]] = {
    # App shell
    "app.title": {"ja": "EBPMダッシュボード", "en": "EBPM dashboard"},
    "table.total": {"ja": "合計", "en": "Total"},
    "unit.persons": {"ja": "{n}人", "en": "{n}"},
    "unit.points": {"ja": "{n}ポイント", "en": "{n} pt"},
    # Problems found in a dataset (schemas.problems_frame)
    "problem.severity": {"ja": "区分", "en": "severity"},
    "problem.row": {"ja": "行", "en": "row"},
    "problem.column": {"ja": "列", "en": "column"},
    "problem.value": {"ja": "値", "en": "value"},
    "problem.problem": {"ja": "内容", "en": "problem"},
    "problem.fix": {"ja": "直し方", "en": "how to fix"},
    "problem.error": {"ja": "エラー", "en": "error"},
    "problem.warning": {"ja": "警告", "en": "warning"},
    # Dataset contracts (schemas.describe_schema)
    "schema.column": {"ja": "列名", "en": "column"},
    "schema.label": {"ja": "項目", "en": "label"},
    "schema.type": {"ja": "型", "en": "type"},
    "schema.unit": {"ja": "単位", "en": "unit"},
    "schema.allowed": {"ja": "許容値", "en": "allowed values"},
    "schema.meaning": {"ja": "説明", "en": "meaning"},
    "schema.aliases": {"ja": "別名", "en": "accepted headers"},
    "schema.key": {"ja": "キー", "en": "key"},
    "schema.type.string": {"ja": "文字列", "en": "text"},
    "schema.type.int": {"ja": "整数", "en": "whole number"},
    "schema.type.float": {"ja": "数値", "en": "number"},
    "schema.type.geometry": {"ja": "図形", "en": "geometry"},
    "app.city": {"ja": "合成市", "en": "Synthetic City"},
    "app.language": {"ja": "表示言語 / Language", "en": "表示言語 / Language"},
    "app.badge_synthetic": {"ja": "合成データ / Synthetic data", "en": "Synthetic data / 合成データ"},
    "app.synthetic_note": {
        "ja": "表示しているのは架空の「合成市」の合成データです。実在の人物・地区・自治体の数値ではありません。",
        "en": (
            "You are looking at synthetic data for the fictional 'Synthetic City'. "
            "No real person, district or city is shown."
        ),
    },
    "app.privacy_note": {
        "ja": (
            "人数は {threshold} 人未満を「<{threshold}」、"
            "それを計算で割り出せないよう追加で秘匿したセルを「χ」（{threshold} 人以上）と表示します。"
        ),
        "en": (
            "Counts under {threshold} show as '<{threshold}'; "
            "counts hidden so that no arithmetic can narrow those down show as 'χ' ({threshold} or more)."
        ),
    },
    "app.threshold": {
        "ja": "秘匿の閾値: {threshold} 人（管理者が設定）",
        "en": "Suppression threshold: {threshold} (set by the administrator)",
    },
    "app.threshold_invalid": {
        "ja": (
            "秘匿の閾値の設定（.streamlit/secrets.toml の suppression_threshold）が不正です（{value}）。"
            "3 以上の整数を設定してください。設定されるまで人数は表示しません。"
        ),
        "en": (
            "The suppression threshold setting (suppression_threshold in .streamlit/secrets.toml) "
            "is invalid ({value}). "
            "Set a whole number of 3 or more; no counts of people are shown until then."
        ),
    },
    "privacy.legend": {
        "ja": (
            "「<{threshold}」: 1〜{below} 人（少人数のため秘匿）／"
            "「χ」: {threshold} 人以上（他の秘匿値を計算で割り出せないよう秘匿）／ 0 はそのまま表示"
        ),
        "en": (
            "'<{threshold}': 1 to {below} persons (small, hidden) / 'χ': {threshold} or more "
            "(hidden so that no arithmetic can narrow a small count down) / zeros are shown"
        ),
    },
    "privacy.building": {
        "ja": "人数の秘匿処理と監査（線形計画）を実行しています。新しいデータでは数十秒かかることがあります…",
        "en": "Suppressing small counts and auditing them by linear programming; new data can take a minute…",
    },
    "data.loss": {
        "ja": "秘匿の状況: 0 でないセル {cells} 個のうち {hidden} 個（{share}）を秘匿、人数では {persons}",
        "en": "Suppression: {hidden} of {cells} non-zero cells hidden ({share}); {persons} of the persons",
    },
    "nav.home": {"ja": "ホーム", "en": "Home"},
    "nav.data": {"ja": "データ", "en": "Data"},
    "nav.section.overview": {"ja": "概要", "en": "Overview"},
    "source.synthetic": {
        "ja": "出典: 合成市 合成データ（住民基本台帳を模したもの）、各年度4月1日現在",
        "en": (
            "Source: Synthetic City synthetic data (modelled on a resident registry), "
            "as of 1 April of each fiscal year"
        ),
    },
    "source.change": {
        "ja": "出典: 合成市 合成データ（人口動態）、年度 = 4月〜翌3月",
        "en": "Source: Synthetic City synthetic data (population change); fiscal year = April–March",
    },
    # Home
    "home.title": {"ja": "合成市 EBPMダッシュボード", "en": "Synthetic City EBPM dashboard"},
    "home.lead": {
        "ja": (
            "市のデータを部局横断で使い、根拠に基づく政策立案（EBPM）を支えるダッシュボードです。"
            "答える問いは次の3つです。"
        ),
        "en": (
            "A dashboard for evidence-based policy making with the city's own data across departments. "
            "It answers three questions:"
        ),
    },
    "home.theme.nursery": {"ja": "保育所配置", "en": "Nursery placement"},
    "home.theme.nursery.q": {
        "ja": "待機児童と隠れ待機児童はどこに何人いて、どこに定員を増やせば最も減るか。",
        "en": "Where are the official and hidden waitlists, and where would new places cut them most?",
    },
    "home.theme.facilities": {"ja": "公共施設マネジメント", "en": "Public facility management"},
    "home.theme.facilities.q": {
        "ja": "施設の老朽化と40年間の更新費用は、統廃合で費用と住民の利便性がどう変わるか。",
        "en": "How old are our buildings, what will renewal cost over 40 years, and what do consolidations change?",
    },
    "home.theme.health": {"ja": "健診受診", "en": "Health-checkup uptake"},
    "home.theme.health.q": {
        "ja": "誰が特定健診を受けていないか、勧奨はどれだけ効いたか、限られた予算で誰に送るか。",
        "en": "Who skips the checkup, what did reminders achieve, and whom should a limited budget remind?",
    },
    "home.theme.soon": {"ja": "（準備中）", "en": "(coming soon)"},
    "home.headline": {"ja": "{fy} の合成市", "en": "Synthetic City, {fy}"},
    "home.metric.population": {"ja": "人口", "en": "Population"},
    "home.metric.population.help": {
        "ja": "{fy}4月1日現在。差は{first}比。", "en": "On 1 April, {fy}. Change since {first}.",
    },
    "home.metric.ageing": {"ja": "高齢化率（65歳以上）", "en": "Ageing rate (65+)"},
    "home.metric.ageing.help": {
        "ja": "65歳以上人口 ÷ 総人口。差は{first}比（ポイント）。",
        "en": "Residents 65+ ÷ all residents. Change since {first} in points.",
    },
    "home.metric.births": {"ja": "出生数（{fy}）", "en": "Births ({fy})"},
    "home.metric.births.help": {
        "ja": "差は前年度比。{first}からは {since}。",
        "en": "Change vs the previous fiscal year. Since {first}: {since}.",
    },
    "home.metric.districts": {"ja": "小学校区", "en": "School districts"},
    "home.metric.districts.help": {
        "ja": "地図の単位。面積計 {area} km²。", "en": "The unit of the map. Total area {area} km².",
    },
    "home.map.title": {
        "ja": "小学校区別の{indicator}（{fy}）", "en": "{indicator} by elementary-school district ({fy})",
    },
    "home.map.indicator": {"ja": "地図に表示する指標", "en": "Indicator on the map"},
    "home.map.legend_low": {"ja": "低", "en": "low"},
    "home.map.legend_high": {"ja": "高", "en": "high"},
    "home.map.tooltip": {
        "ja": "{name}<br/>人口 {population} 人<br/>高齢化率 {ageing}<br/>{years}年間の増減 {change}",
        "en": "{name}<br/>Population {population}<br/>Ageing rate {ageing}<br/>{years}-year change {change}",
    },
    "indicator.population": {"ja": "人口", "en": "Population"},
    "indicator.ageing_rate": {"ja": "高齢化率", "en": "Ageing rate"},
    "indicator.change_pct": {"ja": "{years}年間の人口増減率", "en": "{years}-year population change"},
    "home.chart.trend": {
        "ja": "人口は{years}年間で{change}、高齢化率は{rate_from}→{rate_to}",
        "en": "Population {change} in {years} years; ageing rate {rate_from} → {rate_to}",
    },
    "home.chart.births": {"ja": "出生数は{years}年間で{change}", "en": "Births {change} in {years} years"},
    "home.chart.pyramid": {"ja": "人口ピラミッド（{fy}）", "en": "Population pyramid ({fy})"},
    "home.chart.district_table": {
        "ja": "小学校区別の人口と高齢化率（{fy}）", "en": "Population and ageing by district ({fy})",
    },
    "age.age_0_14": {"ja": "0〜14歳", "en": "0–14"},
    "age.age_15_64": {"ja": "15〜64歳", "en": "15–64"},
    "age.age_65_plus": {"ja": "65歳以上", "en": "65+"},
    "sex.M": {"ja": "男性", "en": "Male"},
    "sex.F": {"ja": "女性", "en": "Female"},
    "axis.persons": {"ja": "人", "en": "persons"},
    "axis.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "axis.age": {"ja": "年齢", "en": "Age"},
    "axis.births": {"ja": "出生数（人）", "en": "Births"},
    "axis.population": {"ja": "人口（人）", "en": "Population"},
    "col.district_id": {"ja": "地区ID", "en": "District ID"},
    "col.district": {"ja": "小学校区", "en": "District"},
    "col.area_type": {"ja": "地域区分", "en": "Kind of area"},
    "col.population": {"ja": "人口", "en": "Population"},
    "col.ageing_rate": {"ja": "高齢化率", "en": "Ageing rate"},
    "col.change_pct": {"ja": "{years}年間の増減率", "en": "{years}-year change"},
    "col.age_0_14": {"ja": "0〜14歳", "en": "Age 0–14"},
    "area.core": {"ja": "中心市街地", "en": "Urban core"},
    "area.suburb": {"ja": "郊外住宅地", "en": "Suburb"},
    "area.industrial": {"ja": "臨海工業地", "en": "Coastal industry"},
    "area.mountain": {"ja": "中山間地", "en": "Mountain villages"},
    "area.island": {"ja": "島しょ部", "en": "Islands"},
    # Data page
    "data.title": {"ja": "データカタログ", "en": "Data catalog"},
    "data.lead": {
        "ja": (
            "ダッシュボードが使うデータセットと、その定義（列・型・単位・許容値）です。"
            "ダウンロードは集計表のみで、少人数のセルは秘匿済みです。個人単位のデータは出力しません。"
        ),
        "en": (
            "The datasets the dashboard uses and their contracts (columns, types, units, allowed values). "
            "Downloads are aggregate tables with small counts suppressed; person-level rows are never exported."
        ),
    },
    "data.source": {"ja": "提供元", "en": "Source"},
    "data.rows": {"ja": "行数", "en": "Rows"},
    "data.columns": {"ja": "列数", "en": "Columns"},
    "data.key": {"ja": "キー", "en": "Key"},
    "data.holder": {"ja": "主な保有部署", "en": "Usually held by"},
    "data.schema": {"ja": "データ定義", "en": "Contract"},
    "data.download": {
        "ja": "集計表をCSVでダウンロード（Excel対応）", "en": "Download the aggregate table as CSV (Excel-ready)",
    },
    "data.download_geojson": {"ja": "境界をGeoJSONでダウンロード", "en": "Download the boundaries as GeoJSON"},
    "data.download_form": {"ja": "ダウンロードの形: {form}", "en": "Download form: {form}"},
    "data.preview": {"ja": "ダウンロード内容の先頭 {n} 行", "en": "First {n} rows of the download"},
    "data.overview": {"ja": "データセット一覧", "en": "Datasets"},
    "data.col.name": {"ja": "名前", "en": "Name"},
    "data.col.title": {"ja": "内容", "en": "Contents"},
    "source.kind.synthetic": {"ja": "合成データ", "en": "Synthetic"},
    "source.kind.upload": {"ja": "アップロード: {label}", "en": "Upload: {label}"},
    "error.page": {
        "ja": "このページを表示できませんでした（{what}）。データを確かめるか、ページを再読み込みしてください。",
        "en": "This page could not be shown ({what}). Check the data or reload the page.",
    },
}


def t(key: str, lang: str = DEFAULT_LANGUAGE, **values: object) -> str:
    """The string ``key`` in ``lang`` with ``{placeholders}`` filled from ``values``.

    An unknown key raises ``KeyError`` (a test walks every key used in the code); an
    unknown language falls back to Japanese.
    """
    entry = MESSAGES[key]
    text = entry.get(lang, entry[DEFAULT_LANGUAGE])
    return text.format(**values) if values else text


def fiscal_year_short(fiscal_year: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2026`` → ``"2026年度"`` (ja) / ``"FY2026"`` (en): for axes and narrow labels."""
    return f"{int(fiscal_year)}年度" if lang == "ja" else f"FY{int(fiscal_year)}"


def fiscal_year_label(fiscal_year: int, lang: str = DEFAULT_LANGUAGE) -> str:
    """``2026`` → ``"2026年度（令和8年度）"`` in Japanese, ``"FY2026"`` in English.

    Fiscal year N runs from 1 April N to 31 March N+1; Reiwa 1 = 2019 (Heisei before).
    """
    fy = int(fiscal_year)
    if lang != "ja":
        return f"FY{fy}"
    if fy >= 2019:
        era = "令和" + ("元" if fy == 2019 else str(fy - 2018))
    else:
        era = "平成" + ("元" if fy == 1989 else str(fy - 1988))
    return f"{fy}年度（{era}年度）"
