"""UI strings shared by the app shell and several domains, in Japanese and English.

A string used by one domain lives in that domain's ``messages.py``; :mod:`analytics.i18n` joins them.
"""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # App shell
    "app.title": {"ja": "EBPMダッシュボード", "en": "EBPM dashboard"},
    "table.total": {"ja": "合計", "en": "Total"},
    "unit.persons": {"ja": "{n}人", "en": "{n}"},
    "unit.points": {"ja": "{n}pt", "en": "{n} pt"},
    "app.city": {"ja": "合成市", "en": "Synthetic City"},
    "app.language": {"ja": "表示言語 / Language", "en": "表示言語 / Language"},
    "app.badge_synthetic": {"ja": "合成データ / Synthetic data", "en": "Synthetic data / 合成データ"},
    "app.badge_own": {"ja": "自分のデータ: {names}（ほかは合成データ）",
                      "en": "Your data: {names} (the rest synthetic)"},
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
    "nav.nursery": {"ja": "保育所配置", "en": "Nursery placement"},
    "col.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "col.site_id": {"ja": "候補地ID", "en": "Site ID"},
    # Public facility management (pages/facilities.py)
    "nav.facilities": {"ja": "公共施設マネジメント", "en": "Public facilities"},
    "select.placeholder": {"ja": "選んでください", "en": "Choose"},
    # Health checkups (pages/health.py)
    "nav.health": {"ja": "健診受診", "en": "Health checkups"},
    "home.theme.open": {"ja": "分析を開く", "en": "Open the analysis"},
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
        "en": "Source: Synthetic City synthetic data (births, deaths and moves); fiscal year = April–March",
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
    "home.theme.soon": {"ja": "（準備中）", "en": "(coming soon)"},
    "home.headline": {"ja": "{fy} の合成市", "en": "Synthetic City, {fy}"},
    "home.metric.population": {"ja": "人口", "en": "Population"},
    "home.metric.population.help": {
        "ja": "{fy}4月1日現在。差は{first}比。", "en": "On 1 April, {fy}. Difference from {first}.",
    },
    "home.metric.ageing": {"ja": "高齢化率（65歳以上）", "en": "Ageing rate (65+)"},
    "home.metric.ageing.help": {
        "ja": "65歳以上人口 ÷ 総人口。差は{first}比（ポイント）。",
        "en": "Residents 65+ ÷ all residents. Difference from {first} in points.",
    },
    "home.metric.births": {"ja": "出生数（{fy}）", "en": "Births ({fy})"},
    "home.metric.births.help": {
        "ja": "差は前年度比。{first}からは {since}。",
        "en": "Difference from the previous fiscal year. Since {first}: {since}.",
    },
    "home.metric.districts": {"ja": "小学校区", "en": "School districts"},
    "home.metric.districts.help": {
        "ja": "地図の単位。面積計 {area} km²。", "en": "The unit of the map. Total area {area} km².",
    },
    "home.map.title": {
        "ja": "小学校区別の{indicator}（{fy}）", "en": "{indicator} by elementary-school district ({fy})",
    },
    "home.map.indicator": {"ja": "地図に表示する指標", "en": "Indicator on the map"},
    "home.scenario": {"ja": "地図：小学校区別の{indicator}（{fy}）", "en": "Map: {indicator} by district ({fy})"},
    "home.map.legend_low": {"ja": "低", "en": "low"},
    "home.map.legend_high": {"ja": "高", "en": "high"},
    "home.map.tooltip": {
        "ja": "{name}<br/>人口 {population} 人<br/>高齢化率 {ageing}<br/>{years}年間の増減 {change}",
        "en": "{name}<br/>Population {population}<br/>Ageing rate {ageing}<br/>{years}-year difference {change}",
    },
    "home.chart.trend": {
        "ja": "人口は{years}年間で{change}、高齢化率は{rate_from}→{rate_to}",
        "en": "Population {change} in {years} years; ageing rate {rate_from} → {rate_to}",
    },
    "home.chart.births": {"ja": "出生数は{years}年間で{change}", "en": "Births {change} in {years} years"},
    "home.chart.pyramid": {"ja": "人口ピラミッド（{fy}）", "en": "Population pyramid ({fy})"},
    "home.chart.district_table": {
        "ja": "小学校区別の人口と高齢化率（{fy}）", "en": "Population and ageing by district ({fy})",
    },
    "sex.M": {"ja": "男性", "en": "Male"},
    "sex.F": {"ja": "女性", "en": "Female"},
    "axis.persons": {"ja": "人", "en": "persons"},
    "axis.age": {"ja": "年齢", "en": "Age"},
    "axis.births": {"ja": "出生数（人）", "en": "Births"},
    "axis.population": {"ja": "人口（人）", "en": "Population"},
    "col.district_id": {"ja": "地区ID", "en": "District ID"},
    "col.district": {"ja": "小学校区", "en": "District"},
    "col.area_type": {"ja": "地域区分", "en": "Kind of area"},
    "col.population": {"ja": "人口", "en": "Population"},
    "col.ageing_rate": {"ja": "高齢化率", "en": "Ageing rate"},
    "col.change_pct": {"ja": "{years}年間の増減率", "en": "{years}-year difference"},
    "col.age_0_14": {"ja": "0〜14歳", "en": "Age 0–14"},
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
    "data.rows.people_note": {
        "ja": "人に関するデータ（—）の行数は、自分で読み込んだものを除き表示しません。行数は公表表より細かい"
              "区分（メッシュ×各歳など）で人がいるかを表すためです。人数は下の公表表（秘匿処理済み）でご覧ください。",
        "en": "Rows of datasets about people (—) are shown only for your own files: the number of rows says in how "
              "many cells finer than the published tables (mesh × single age…) someone lives. See the published "
              "tables below (suppressed) for the numbers of people."},
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
    "data.upload.title": {"ja": "自分のデータを読み込む", "en": "Load your own data"},
    "data.upload.lead": {
        "ja": "置き換えるデータを選び、ファイルを読み込みます。互いに参照するデータ（地区境界とメッシュなど）は一緒に"
              "読み込むと、まとめて確認してから同時に置き換えます。ファイルはこの画面を開いている間だけメモリ上で使い、"
              "保存も他の利用者への公開もしません（1ファイル {limit} MB まで）。",
        "en": "Choose the datasets to replace and load your files. Datasets that refer to each other (such as "
              "districts and meshes) loaded together are checked together and replaced at once. Files stay in this "
              "session's memory only: never saved, never visible to anyone else (up to {limit} MB a file).",
    },
    "data.upload.choose": {"ja": "置き換えるデータ", "en": "Datasets to replace"},
    "data.upload.choose_placeholder": {"ja": "データを選んでください", "en": "Choose datasets"},
    "data.upload.label": {"ja": "{title} のファイル（CSV・Excel・GeoJSON）",
                          "en": "File for {title} (CSV, Excel, GeoJSON)"},
    "data.upload.help": {
        "ja": "文字コード（UTF-8・Shift_JIS・UTF-16）、区切り文字と見出し行は自動で判定します。"
              "{limit} MB を超えるファイルは読み込みません。",
        "en": "The encoding (UTF-8, Shift_JIS, UTF-16), the delimiter and the header row are found automatically. "
              "Files over {limit} MB are refused.",
    },
    "data.upload.file": {"ja": "ファイル", "en": "File"},
    "data.upload.status": {"ja": "状態", "en": "Status"},
    "data.upload.status.ok": {"ja": "使えます", "en": "Ready"},
    "data.upload.status.refused": {"ja": "直す必要があります", "en": "Needs fixing"},
    "data.upload.checking": {"ja": "ファイルを確認しています（{mb} MB）…", "en": "Checking the files ({mb} MB)…"},
    "data.upload.step.read": {"ja": "{title}: ファイルを読み込んでいます…", "en": "{title}: reading the file…"},
    "data.upload.step.check": {"ja": "{title}: 値を確認しています…", "en": "{title}: checking the values…"},
    "data.upload.step.cross": {"ja": "ほかのデータとの対応を確認しています…",
                               "en": "Checking against the other datasets…"},
    "data.upload.problems": {"ja": "指摘の一覧をCSVでダウンロード", "en": "Download the list of problems (CSV)"},
    "data.upload.lines": {"ja": "該当するすべての行をCSVでダウンロード（行番号と値）",
                          "en": "Download every line concerned (CSV: line numbers and values)"},
    "data.upload.lines.note": {
        "ja": "「該当する行」の列に、指摘ごとに該当するすべての行を示しています。行ごとの一覧（行番号・列・値・内容）は"
              "ダウンロードできます。一度にすべて直してから読み込み直してください。",
        "en": "The 'lines' column lists every line each problem concerns; the download lists them line by line "
              "(line number, column, value, problem), so you can fix them all before loading the file again.",
    },
    "data.upload.refused": {
        "ja": "「{file}」には直す必要のある点が{n}件あります。表の「直し方」に沿って直し、もう一度選んでください。"
              "いま使っているデータはそのままです。",
        "en": "'{file}' has {n} problems to fix. Fix them as the table says and choose the file again; the data in "
              "use stay as they are.",
    },
    "data.upload.ready": {"ja": "「{file}」は使えます。", "en": "'{file}' can be used."},
    "data.upload.use": {"ja": "読み込んだ {n} 件のファイルを使う", "en": "Use the {n} file(s) loaded"},
    "data.upload.reset": {"ja": "合成市のデータに戻す", "en": "Back to the synthetic city"},
    "data.upload.used": {"ja": "自分のデータを使っています: {names}。すべてのページに反映されます。",
                         "en": "Your data are in use: {names}. Every page now shows them."},
    "data.upload.reset_also": {
        "ja": "次のデータも合成市に戻しました（戻したデータにない値を参照していたため）: {names}",
        "en": "These datasets went back to the synthetic city too (they referred to values only your file held): "
              "{names}",
    },
    "data.template.xlsx": {"ja": "Excelテンプレートをダウンロード", "en": "Download the Excel template"},
    "data.template.csv": {"ja": "CSVテンプレートをダウンロード（Excelの行数を超えるため）",
                          "en": "Download the CSV template (beyond Excel's rows)"},
    "data.template.geojson": {"ja": "GeoJSONテンプレートをダウンロード", "en": "Download the GeoJSON template"},
    "data.overview": {"ja": "データセット一覧", "en": "Datasets"},
    "data.col.name": {"ja": "名前", "en": "Name"},
    "data.col.title": {"ja": "内容", "en": "Contents"},
    "source.kind.synthetic": {"ja": "合成データ", "en": "Synthetic"},
    "source.kind.upload": {"ja": "アップロード: {label}", "en": "Upload: {label}"},
    "needs.projection_history": {
        "ja": "人口推計には、連続する2年度の4月1日人口とその間の年度の人口動態が必要です。"
              "データの年度を確かめてください。",
        "en": "The projection needs residents on two consecutive 1 Aprils and the births, deaths and moves of the year "
              "between. Check the fiscal years of the data.",
    },
    "error.page": {
        "ja": "このページを表示できませんでした（{what}）。データを確かめるか、ページを再読み込みしてください。",
        "en": "This page could not be shown ({what}). Check the data or reload the page.",
    },
    # Scenario links (ui/scenario.py)
    "scenario.problems": {
        "ja": "リンクの一部を読めなかったため、次の設定は既定値にしています：{items}",
        "en": "Part of the link could not be read, so these settings keep their defaults: {items}",
    },
    "scenario.problem.unknown": {"ja": "「{name}」（このページにない設定）",
                                 "en": "“{name}” (not a setting of this page)"},
    "scenario.problem.type": {"ja": "{name}（「{value}」は正しい形式ではありません）",
                              "en": "{name} (“{value}” is not a valid value)"},
    "scenario.problem.range": {"ja": "{name}（「{value}」は選べる範囲の外です）",
                               "en": "{name} (“{value}” is outside the values it can take)"},
    "scenario.problem.choice": {"ja": "{name}（「{value}」はこのデータにありません）",
                                "en": "{name} (“{value}” is not in this data)"},
    "scenario.problem.state": {"ja": "表の設定（s）が壊れています", "en": "the table settings (s) are damaged"},
    "scenario.problem.version": {"ja": "表の設定（s）はこの版のアプリで読めない形式です",
                                 "en": "the table settings (s) are in a format this version cannot read"},
    "scenario.problem.stored": {"ja": "保存されたシナリオ「{value}」が見つかりません（保存期間を過ぎたか削除済み）",
                                "en": "the saved scenario “{value}” was not found "
                                      "(past its keeping period, or deleted)"},
    "scenario.store_unavailable": {
        "ja": "シナリオの保存先を読み書きできないため、保存と長いリンクは使えません。"
              "設定を含む通常のリンクは使えます。",
        "en": "The scenario store cannot be read or written: saving and long links are unavailable. "
              "Ordinary links with their settings still work.",
    },
    "scenario.data_differs": {
        "ja": "このリンクは別のデータで作られました（異なるデータ：{datasets}）。"
              "表示している数値は、このブラウザで使っているデータによるものです。",
        "en": "This link was made on other data ({datasets} differ). The figures shown are computed on the data "
              "in use here.",
    },
    "scenario.data_unknown": {
        "ja": "このリンクが同じデータで作られたか確かめられません（アプリの版が違う可能性があります）。",
        "en": "Cannot tell whether this link was made on the same data (it may come from another version of the app).",
    },
    "scenario.copy": {"ja": "リンク", "en": "Link"},
    "scenario.tab": {"ja": "表示するタブ", "en": "Tab to open"},
    "scenario.too_long": {"ja": "この設定はリンクに収まりません（{n}文字）。保存して短いリンクを作ります。",
                          "en": "These settings do not fit in a link ({n} characters): save them for a short link."},
    "scenario.make_short": {"ja": "短いリンクを作る", "en": "Make a short link"},
    "scenario.compare.title": {"ja": "シナリオを保存・比較する", "en": "Save and compare scenarios"},
    "scenario.save.name": {"ja": "このシナリオの名前", "en": "Name of this scenario"},
    "scenario.save.placeholder": {"ja": "例：A案（予算520人）", "en": "e.g. Plan A (520 places)"},
    "scenario.save": {"ja": "保存", "en": "Save"},
    "scenario.saved": {"ja": "「{name}」を保存しました。このリンクで開けます：", "en": "Saved “{name}”. Its link:"},
    "scenario.compare.none": {
        "ja": "このページの保存済みシナリオはまだありません。名前を付けて保存すると、ここで並べて比較できます。",
        "en": "No saved scenario for this page yet. Save one under a name to compare it here."},
    "scenario.compare.choose": {"ja": "比べるシナリオ（3つまで、現在の設定と並べます）",
                                "en": "Scenarios to compare (up to 3, beside the current settings)"},
    "scenario.compare.current": {"ja": "現在の設定", "en": "Current settings"},
    "scenario.copy.help": {
        "ja": "このリンクを開くと、同じ設定で同じ数値が表示されます（右上のボタンでコピーできます）。",
        "en": "This link opens the same settings with the same figures (copy it with the button at its top right).",
    },
}
