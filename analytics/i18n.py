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
    "problem.file": {"ja": "ファイル", "en": "file"},
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
    "schema.type.bool": {"ja": "はい/いいえ", "en": "yes/no"},
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
    # Nursery page
    "nursery.title": {"ja": "保育所配置：待機児童と隠れ待機児童",
        "en": "Nursery placement: official and hidden waitlist"},
    "nursery.lead": {
        "ja": "住民基本台帳と保育の申込を突き合わせ、国の調査要領で数える待機児童と、そこから除かれる"
              "「隠れ待機児童」を地区・年齢別に示します。将来の需要を推計し、新たな定員をどこに置けば"
              "待機を最も減らせるかを試算します（姫路市の取組を合成市で再現）。",
        "en": "Joining the resident registry with nursery applications, this page counts the official waitlist "
              "under the national rules and the hidden waitlist those rules exclude, by district and age; "
              "projects demand; and tests where new places would cut waiting most (the Himeji case, on the "
              "synthetic city)."},
    "nursery.no_data": {"ja": "保育の申込データがありません。", "en": "There are no nursery applications."},
    "nursery.year": {"ja": "年度（4月1日現在）", "en": "Fiscal year (as of 1 April)"},
    "nursery.metric.official": {"ja": "待機児童（国基準）", "en": "Official waitlist"},
    "nursery.metric.official.help": {
        "ja": "国の「保育所等利用待機児童数調査要領」で数える4月1日現在の待機児童数。",
        "en": "Children waiting on 1 April as counted under the national rules."},
    "nursery.metric.hidden": {"ja": "隠れ待機児童", "en": "Hidden waitlist"},
    "nursery.metric.hidden.help": {
        "ja": "入所できなかったが、地方単独事業等の利用・育休中（復職意思未確認）・求職活動休止・"
              "特定園のみ希望（2km以内に空きあり）のため国の数から除かれた児童。",
        "en": "Children not placed but excluded from the official count: in local programmes, on leave "
              "without a confirmed return, job search paused, or wanting only listed facilities with a free "
              "place within 2 km."},
    "nursery.metric.applications": {"ja": "申込児童（継続児を含む）", "en": "Applicants (incl. continuing)"},
    "nursery.metric.ratio": {"ja": "隠れ待機÷待機児童", "en": "Hidden per official"},
    "nursery.metric.ratio.help": {"ja": "全国では隠れ待機児童は待機児童の25〜30倍（2024年）。",
                                  "en": "Nationally the hidden waitlist is 25–30 times the official one (2024)."},
    "nursery.tab.now": {"ja": "現状", "en": "Now"},
    "nursery.tab.future": {"ja": "将来推計", "en": "Projection"},
    "nursery.tab.plan": {"ja": "配置シナリオ", "en": "Placement scenario"},
    "nursery.official": {"ja": "待機児童", "en": "Official waitlist"},
    "nursery.hidden": {"ja": "隠れ待機児童", "en": "Hidden waitlist"},
    "nursery.step.applications": {"ja": "申込", "en": "Applied"},
    "nursery.step.admitted": {"ja": "入所", "en": "Admitted"},
    "nursery.step.not_admitted": {"ja": "未入所", "en": "Not placed"},
    "nursery.step.local_program": {"ja": "地方単独等", "en": "Local prog."},
    "nursery.step.parental_leave": {"ja": "育休中", "en": "Leave"},
    "nursery.step.job_search_paused": {"ja": "求職休止", "en": "Search paused"},
    "nursery.step.specific_only": {"ja": "特定園のみ", "en": "Listed only"},
    "nursery.step.official": {"ja": "待機児童", "en": "Official"},
    "nursery.chart.waterfall": {
        "ja": "{fy}：申込{applications}人のうち入所{admitted}人、未入所{waiting}人は国の基準で"
              "待機児童{official}人と隠れ待機児童{hidden}人に",
        "en": "{fy}: {admitted} of {applications} applicants placed; of the {waiting} not placed, "
              "{official} officially waiting and {hidden} hidden"},
    "nursery.chart.trend": {"ja": "待機児童と隠れ待機児童の推移、{first}〜{last}",
                            "en": "Official and hidden waitlist, {first}–{last}"},
    "nursery.chart.age": {"ja": "{fy}：年齢別の待機児童と隠れ待機児童",
        "en": "{fy}: official and hidden waitlist by age"},
    "nursery.map.band": {"ja": "年齢区分", "en": "Age band"},
    "nursery.map.title": {"ja": "{fy}：地区別の未入所児童（{band}）",
        "en": "{fy}: children not placed by district ({band})"},
    "nursery.map.tooltip": {
        "ja": "<b>{name}</b><br/>申込 {applications}人<br/>未入所 {waiting}人（うち待機児童 {official}人）"
              "<br/>地区内の定員 {places}人・空き {vacancies}人",
        "en": "<b>{name}</b><br/>Applied {applications}<br/>Not placed {waiting} (official {official})"
              "<br/>Places in district {places}, free {vacancies}"},
    "nursery.map.hidden_note": {"ja": "灰色の地区は秘匿（<10・χ）のため色分けしていません。",
                                "en": "Grey districts are suppressed (<10 or χ) and not coloured."},
    "nursery.table.supply": {"ja": "{fy}：地区×年齢区分の需要と供給"
                                   "（定員・在籍・空きは施設所在地、申込・未入所は居住地）",
                             "en": "{fy}: supply and demand by district × age band (places where the facility is, "
                                   "applicants where the child lives)"},
    "nursery.table.distance": {"ja": "{fy}：未入所児童の住まいから空きのある施設までの平均距離",
                               "en": "{fy}: mean distance from waiting children's homes to a free place"},
    "nursery.distance.note": {
        "ja": "直線距離（500mメッシュの中心から）。未入所児童が{limit}人未満の区分は表示しません。",
        "en": "Straight-line distance from the centre of the 500 m mesh; groups of fewer than {limit} waiting "
              "children are not shown."},
    "nursery.source.rules": {
        "ja": "出典：合成市の保育申込データ（合成データ）。区分は国の調査要領（2017年改正）による。",
        "en": "Source: synthetic city's nursery applications (synthetic). Categories per the national rules "
              "(2017 revision)."},
    "nursery.source.projection": {
        "ja": "出典：合成市の住民基本台帳・人口動態・保育申込の公表表（秘匿処理済み、合成データ）から推計。",
        "en": "Source: projected from the synthetic city's published (suppressed) tables of residents, "
              "population change and applications (synthetic)."},
    "nursery.source.supply": {"ja": "出典：合成市の施設別定員・在籍（4月1日、合成データ）。",
                              "en": "Source: synthetic city's places and enrolment by facility (1 April; synthetic)."},
    "nursery.knob.horizon": {"ja": "推計年数", "en": "Years ahead"},
    "nursery.knob.rate": {"ja": "申込率の上乗せ（ポイント/年）", "en": "Extra application-rate change (pt/year)"},
    "nursery.knob.births": {"ja": "出生率の変化（%）", "en": "Fertility change (%)"},
    "nursery.knob.migration": {"ja": "転入超過の倍率", "en": "Net migration ×"},
    "nursery.knob.families": {"ja": "住宅開発の世帯数", "en": "Families in a housing development"},
    "nursery.knob.district": {"ja": "住宅開発の地区", "en": "District of the development"},
    "nursery.chart.projection": {"ja": "申込児童の推計（{years}年後に{change}）",
                                 "en": "Projected applicants ({change} in {years} years)"},
    "nursery.projection.note": {
        "ja": "推計＝地区別のコーホート要因法による児童数×過去の申込率（二項ロジットで年次傾向を推定）。"
              "内閣府「量の見込み」の算出方法に準じる。入力は公表表のみ：地区×男女×5歳階級の人口を各歳に"
              "分け（0〜9歳は公表された出生数と前年の同じ世代の構成から）、秘匿された値は公表された合計から"
              "推計します。推計値であり実数ではありません。",
        "en": "Projection = children by district (cohort-component) × application rates fitted on history "
              "(binomial logit with a yearly trend), as in the Cabinet Office's demand-estimation manual. "
              "Its inputs are the published tables only: residents by district × sex × 5-year group split into "
              "single ages (ages 0–9 from the published births and the same cohorts a year before), suppressed "
              "cells estimated from the published totals. Estimates, not counts."},
    "nursery.table.backtest": {"ja": "推計の検証（前の年度までで推計し、直近2年度の実績と比較）",
                               "en": "Back-test: fitted on earlier years, compared with the last two"},
    "nursery.backtest.note": {
        "ja": "市全体の誤差と、地区別の誤差率の中央値。実績が公表されない区分は誤差を表示しません。",
        "en": "City-wide error and the median district error; errors are blank where the observed count is "
              "not published."},
    "nursery.knob.walk": {"ja": "徒歩圏", "en": "Walking distance"},
    "nursery.knob.budget_kind": {"ja": "予算の単位", "en": "Budget in"},
    "nursery.budget.seats": {"ja": "定員数", "en": "places"},
    "nursery.budget.yen": {"ja": "整備費", "en": "yen"},
    "nursery.knob.budget_seats": {"ja": "新たな定員の上限（人）", "en": "New places (most)"},
    "nursery.knob.budget_oku": {"ja": "整備費の上限（億円）", "en": "Building budget (¥100 m)"},
    "nursery.knob.target": {"ja": "減らす対象", "en": "Cut"},
    "nursery.target.all": {"ja": "待機＋隠れ待機", "en": "official + hidden"},
    "nursery.target.official": {"ja": "待機児童のみ", "en": "official only"},
    "nursery.knob.add": {"ja": "必ず整備する候補地", "en": "Sites to open by hand"},
    "nursery.knob.remove": {"ja": "除外する候補地", "en": "Sites to rule out"},
    "nursery.knob.projected": {"ja": "{years}年後の推計で配置", "en": "Plan for {years} years ahead"},
    "nursery.plan.invalid": {"ja": "この条件では配置できません：{reason}",
        "en": "This scenario cannot be placed: {reason}"},
    "nursery.metric.reached": {"ja": "徒歩{walk}m圏で受け入れ（推計）", "en": "Served within {walk} m (est.)"},
    "nursery.metric.reached.help": {
        "ja": "新たな定員が徒歩圏内の待機児童を受け入れる人数の推計（公表された地区別の待機を、公表された"
              "メッシュ別人口の比で各メッシュに配分して推計）。",
        "en": "Estimated waiting children within walking distance who take the new places (published waiting "
              "children of each district, spread over its meshes in proportion to their published residents)."},
    "nursery.estimate": {"ja": "約{n}人", "en": "≈ {n}"},
    "nursery.metric.share": {"ja": "待機のうち解消する割合", "en": "Share of waiting served"},
    "nursery.metric.sites": {"ja": "整備箇所", "en": "Sites"},
    "nursery.sites": {"ja": "{k}か所", "en": "{k}"},
    "nursery.metric.places": {"ja": "新たな定員", "en": "New places"},
    "nursery.places": {"ja": "{seats}人", "en": "{seats}"},
    "nursery.metric.cost": {"ja": "整備費", "en": "Building cost"},
    "nursery.access.now": {
        "ja": "{fy}の未入所児童のうち、徒歩{walk}m以内に年齢に合う空きが今ある児童の割合：{share}。",
        "en": "{fy}: share of waiting children with a free place for their age within {walk} m today: {share}."},
    "nursery.map.site": {"ja": "<b>{name}</b><br/>上限 {seats}人", "en": "<b>{name}</b><br/>up to {seats} places"},
    "nursery.map.chosen": {"ja": "<b>{name}</b><br/>新定員 {seats}人・受け入れ約{reached}人",
                           "en": "<b>{name}</b><br/>{seats} new places, ≈ {reached} served"},
    "nursery.map.plan": {"ja": "整備する{k}か所（{seats}人分）と徒歩{walk}m圏",
                         "en": "{k} sites ({seats} places) and their {walk} m reach"},
    "nursery.map.plan_legend": {
        "ja": "橙＝整備する候補地（円は徒歩圏）、灰＝その他の候補地、緑のメッシュ＝受け入れる待機児童が"
              "住むと推計したメッシュ（住民のいるメッシュ）。",
        "en": "Orange: chosen sites (circle = walking reach); grey: other sites; green meshes: where the "
              "children served are estimated to live (meshes with residents)."},
    "nursery.table.sites": {"ja": "整備する候補地と年齢区分別の定員", "en": "Chosen sites and places by age band"},
    "nursery.table.before_after": {"ja": "{fy}の地区別の待機（推計）：整備前と整備後",
                                   "en": "Waiting by district in {fy} (estimates): before and after"},
    "nursery.plan.note": {
        "ja": "配置は貪欲法＋局所改善。待機の推計は公表値（{limit}人未満は秘匿）のみから：地区×年齢区分の"
              "待機（秘匿値は公表された合計から推計）を、公表されたメッシュ別人口（全年齢）の比でメッシュに"
              "配分します。メッシュ別の児童数は公表していないため使いません（使うとシナリオの結果から"
              "児童のいるメッシュが分かってしまいます）。推計値であり実数ではありません。",
        "en": "Placement by lazy greedy with local improvement. Waiting estimates come from published figures "
              "only (counts under {limit} are suppressed): waiting children by district × age band (suppressed "
              "cells estimated from the published totals), spread over meshes in proportion to their published "
              "residents of all ages. Children per mesh are not published and not used (a scenario's results "
              "would otherwise tell which meshes have children). Estimates, not counts."},
    "nursery.plan.check": {"ja": "厳密解（整数計画）と比較", "en": "Compare with the exact optimum (MILP)"},
    "nursery.plan.checking": {"ja": "整数計画で最適解を計算しています…", "en": "Solving the MILP…"},
    "nursery.plan.checked": {"ja": "この配置は最適解の{ratio}（最適 {optimum}、この配置 {served}）",
                             "en": "This placement reaches {ratio} of the optimum ({served} of {optimum})"},
    "indicator.nursery_official": {"ja": "待機児童", "en": "Official waitlist"},
    "indicator.nursery_hidden": {"ja": "隠れ待機児童", "en": "Hidden waitlist"},
    "nursery.plan.checked_limit": {
        "ja": "この配置は整数計画が探索上限までに見つけた最良解の{ratio}（最良解 {optimum}、この配置 {served}）",
        "en": "This placement reaches {ratio} of the best the MILP found within its search limit "
              "({served} of {optimum})"},
    "band.0": {"ja": "0歳", "en": "Age 0"},
    "band.1-2": {"ja": "1・2歳", "en": "Ages 1–2"},
    "band.3-5": {"ja": "3〜5歳", "en": "Ages 3–5"},
    "age.single": {"ja": "{age}歳", "en": "Age {age}"},
    "axis.children": {"ja": "児童（人）", "en": "Children"},
    "axis.applications_estimate": {"ja": "申込児童（推計、人）", "en": "Applicants (estimate)"},
    "col.band": {"ja": "年齢区分", "en": "Age band"},
    "col.places": {"ja": "定員", "en": "Places"},
    "col.enrolled": {"ja": "在籍", "en": "Enrolled"},
    "col.vacancies": {"ja": "空き", "en": "Free places"},
    "col.applications": {"ja": "申込", "en": "Applied"},
    "col.waiting": {"ja": "未入所", "en": "Not placed"},
    "col.official": {"ja": "待機児童", "en": "Official"},
    "col.gap": {"ja": "申込−定員", "en": "Applied − places"},
    "col.mean_distance": {"ja": "平均距離（{band}）", "en": "Mean distance ({band})"},
    "col.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
    "col.predicted": {"ja": "推計（人）", "en": "Projected"},
    "col.error_city": {"ja": "市全体の誤差", "en": "City error"},
    "col.error_district": {"ja": "地区別誤差の中央値", "en": "Median district error"},
    "col.site_id": {"ja": "候補地ID", "en": "Site ID"},
    "col.site": {"ja": "候補地", "en": "Site"},
    "col.cost": {"ja": "整備費", "en": "Cost"},
    "col.reached": {"ja": "受け入れ（推計）", "en": "Served (est.)"},
    "col.before": {"ja": "整備前", "en": "Before"},
    "col.after": {"ja": "整備後", "en": "After"},
    "col.reduction": {"ja": "減少", "en": "Reduction"},
    # Public facility management (pages/facilities.py)
    "nav.facilities": {"ja": "公共施設マネジメント", "en": "Public facilities"},
    "facilities.title": {"ja": "公共施設マネジメント", "en": "Public facility management"},
    "facilities.lead": {
        "ja": "建物の老朽化、総務省の方法による今後40年間の更新費用と過去の投資額との差、長寿命化・延床面積削減の効果、"
              "施設カルテと統廃合による費用と住民の利便性の変化を示します。",
        "en": "How old the buildings are, what renewing them costs over 40 years by the national (MIC) method "
              "against what the city has been spending, what life extension and a floor-area target change, and "
              "what closing or merging facilities saves and does to residents' access."},
    "facilities.no_data": {"ja": "施設・建物のデータがありません。データのページで読み込んでください。",
                           "en": "There are no facilities or buildings. Load them on the Data page."},
    "facilities.invalid": {"ja": "前提条件を確認してください：{reason}",
                           "en": "Please check the assumptions: {reason}"},
    "facilities.assumptions": {"ja": "前提条件（単価・周期）を変える",
                               "en": "Change the assumptions (unit costs, cycles)"},
    "facilities.knob.start": {"ja": "試算の開始年度", "en": "First fiscal year"},
    "facilities.knob.renovation_age": {"ja": "大規模改修（築年数）", "en": "Major renovation at age"},
    "facilities.knob.rebuild_age": {"ja": "建替え（築年数）", "en": "Rebuild at age"},
    "facilities.knob.backlog_years": {"ja": "積み残しを処理する年数", "en": "Years to clear the backlog"},
    "facilities.knob.costs_note": {
        "ja": "単価は万円/㎡（総務省 更新費用試算ソフトの既定値）。表の数値を直接書き換えられます。",
        "en": "Unit costs in 10,000 yen per m² (the MIC software's defaults). Edit the table to change them."},
    "facilities.knob.mid_repairs": {"ja": "中規模改修を含める", "en": "Mid-scale repairs (long life)"},
    "select.placeholder": {"ja": "選んでください", "en": "Choose"},
    "facilities.knob.mid_repairs.help": {
        "ja": "長寿命化シナリオで、加古川市の例のとおり築20年と60年に建替え費の30%の中規模改修を行います。",
        "en": "加古川市's example: mid-scale repairs at 20 and 60 years, each 30% of the rebuild cost."},
    "facilities.knob.target": {"ja": "延床面積の削減目標（40年間、建替え時）",
                               "en": "Floor-area target (over 40 years, at rebuilds)"},
    "facilities.knob.scenario": {"ja": "採用するシナリオ", "en": "Scenario in force"},
    "facilities.scenario.simple": {"ja": "単純更新", "en": "Simple renewal"},
    "facilities.scenario.long_life": {"ja": "長寿命化（80年）", "en": "Long life (80 years)"},
    "facilities.scenario.reduction": {"ja": "延床面積削減", "en": "Floor-area reduction"},
    "facilities.metric.floor_area": {"ja": "公共建築物の延床面積", "en": "Floor area of public buildings"},
    "facilities.metric.floor_area.help": {"ja": "{n}施設・{b}棟の合計。", "en": "{n} facilities, {b} buildings."},
    "facilities.metric.aged": {"ja": "築30年以上の割合（{fy}）", "en": "Aged 30+ years ({fy})"},
    "facilities.metric.aged.help": {"ja": "延床面積に占める、築30年以上の建物の割合。",
                                    "en": "Share of the floor area in buildings aged 30 years or more."},
    "facilities.metric.yearly": {"ja": "更新費用（{years}年間の年平均）",
                                 "en": "Renewal cost ({years}-year yearly average)"},
    "facilities.metric.yearly.help": {"ja": "採用するシナリオ：{scenario}。", "en": "Scenario in force: {scenario}."},
    "facilities.metric.ratio": {"ja": "過去5年の投資額との比", "en": "Against the last 5 years' spending"},
    "facilities.metric.ratio.help": {
        "ja": "過去5年度の公共建築物への投資的経費の平均は年{past}。総務省の111団体調査（2012年）では平均2.6倍。",
        "en": "The last 5 fiscal years' investment in buildings averaged {past} a year. MIC's survey of 111 "
              "municipalities (2012) found 2.6× on average."},
    "facilities.tab.now": {"ja": "現状", "en": "Stock"},
    "facilities.tab.cost": {"ja": "更新費用", "en": "Renewal cost"},
    "facilities.tab.cards": {"ja": "施設カルテ", "en": "Facility cards"},
    "facilities.tab.plan": {"ja": "統廃合シナリオ", "en": "Consolidation scenario"},
    "facilities.seismic_line": {"ja": "1981年 新耐震基準", "en": "1981 seismic code"},
    "facilities.chart.built": {
        "ja": "建築年度別の延床面積：{fy}に築30年以上は延床面積の{aged}",
        "en": "Floor area by year built: {aged} of it is 30 years or older in {fy}"},
    "facilities.chart.by_category": {"ja": "施設類型別の延床面積（割合）",
                                     "en": "Floor area by kind of facility (share)"},
    "facilities.table.per_resident": {"ja": "住民1人当たりの延床面積（現在と推計人口、{scenario}）",
                                      "en": "Floor area per resident (now and with the projected population; {scenario}"
                                      ")"},
    "facilities.per_resident.note": {
        "ja": "人口は公表値（基準年度）と{years}年先までの推計（100人単位、公表表のみからコーホート要因法で推計）。"
              "延床面積は採用するシナリオの建替え後。",
        "en": "Residents: the published count for the base year, then the projection up to {years} years ahead "
              "(rounded to hundreds; cohort-component from the published tables only). Floor area after the "
              "rebuilds of the scenario in force."},
    "facilities.chart.projection": {
        "ja": "{scenario}：今後{years}年間の更新費用は年平均{average}、過去5年平均の{ratio}倍",
        "en": "{scenario}: renewal will cost {average} a year over {years} years, {ratio}× recent spending"},
    "facilities.past_line": {"ja": "過去5年平均の投資額", "en": "Last 5 years' average spending"},
    "facilities.kind.renovation": {"ja": "大規模改修", "en": "Major renovation"},
    "facilities.kind.backlog_renovation": {"ja": "大規模改修（積み残し）", "en": "Renovation backlog"},
    "facilities.kind.mid_repair": {"ja": "中規模改修", "en": "Mid-scale repair"},
    "facilities.kind.rebuild": {"ja": "建替え", "en": "Rebuild"},
    "facilities.kind.backlog_rebuild": {"ja": "建替え（積み残し）", "en": "Rebuild backlog"},
    "facilities.chart.scenarios": {"ja": "シナリオ別の更新費用（{years}年間）",
                                   "en": "Renewal cost by scenario ({years} years)"},
    "facilities.chart.shortfall": {
        "ja": "過去の投資水準に対する不足額の累計：単純更新では{years}年間で{simple}",
        "en": "Cumulative shortfall against recent spending: {simple} over {years} years with simple renewal"},
    "facilities.table.scenarios": {"ja": "シナリオの比較（{fy}から{years}年間）",
                                   "en": "Scenarios compared ({years} years from {fy})"},
    "facilities.scenarios.note": {
        "ja": "長寿命化：築80年まで使用し築40年で大規模改修（加古川市の例）、中規模改修 {mid}。"
              "延床面積削減：40年間で{target}%減らすよう、期間内に建て替える建物をすべて同じ割合で縮小。"
              "不足額 = 更新費用 − 過去5年平均 × 年数。",
        "en": "Long life: used to 80 years, renovated at 40 (加古川市's example); mid-scale repairs {mid}. "
              "Floor-area reduction: every building rebuilt within the horizon shrinks by the same factor so that "
              "the total falls by {target}% by the end. Shortfall = renewal cost − the last 5 years' average × years."},
    "facilities.download.cards": {"ja": "施設カルテをCSVでダウンロード", "en": "Download the facility cards (CSV)"},
    "facilities.download.yearly": {"ja": "年度別・シナリオ別の更新費用（円）をCSVでダウンロード",
                                   "en": "Download the yearly cost by scenario (yen, CSV)"},
    "facilities.seismic.新耐震": {"ja": "新耐震", "en": "1981 code"},
    "facilities.seismic.旧耐震・補強済": {"ja": "旧耐震・補強済", "en": "Pre-1981, retrofitted"},
    "facilities.seismic.旧耐震・未補強": {"ja": "旧耐震・未補強", "en": "Pre-1981, not retrofitted"},
    "facilities.knob.subcategory": {"ja": "施設の種類", "en": "Kind of facility"},
    "facilities.all": {"ja": "すべて", "en": "All"},
    "facilities.knob.utilisation": {"ja": "利用が少ないとみなす順位（種類内の下位）",
                                    "en": "Little used: bottom share within its kind"},
    "facilities.knob.age": {"ja": "老朽とみなす築年数", "en": "Poor condition from age"},
    "facilities.chart.quadrant": {
        "ja": "施設の評価（{fy}）：利用×建物の状態、「見直し」は{review}施設",
        "en": "Screening ({fy}): use × building condition; {review} facilities to review"},
    "facilities.screening.title": {"ja": "4つの区分", "en": "Four groups"},
    "facilities.group.line": {"ja": "- **{group}**（{n}施設）：{means}", "en": "- **{group}** ({n}): {means}"},
    "facilities.group.keep": {"ja": "継続", "en": "Keep"},
    "facilities.group.promote_use": {"ja": "利用促進", "en": "Promote use"},
    "facilities.group.renew": {"ja": "改修・更新", "en": "Renew"},
    "facilities.group.review": {"ja": "見直し", "en": "Review"},
    "facilities.group.keep.means": {"ja": "よく使われ、建物も健全", "en": "well used, sound building"},
    "facilities.group.promote_use.means": {"ja": "建物は健全だが利用が少ない", "en": "sound building, little used"},
    "facilities.group.renew.means": {"ja": "よく使われるが建物が老朽・未耐震",
                                     "en": "well used, old or not retrofitted"},
    "facilities.group.review.means": {"ja": "利用が少なく建物も老朽：統廃合の候補",
                                      "en": "little used and old: candidates for consolidation"},
    "facilities.screening.note": {
        "ja": "利用率は同じ種類の施設の中での順位で比べます（枚方市の例）。旧耐震・未補強は築年数によらず老朽とみなしま"
        "す。"
              "利用率のない施設（学校など）は区分しません。",
        "en": "Use is ranked within facilities of the same kind (as in 枚方市). Buildings not seismically "
              "retrofitted count as poor whatever their age. Facilities without a utilisation (schools…) are "
              "not grouped."},
    "facilities.table.cards": {"ja": "施設カルテ（{fy}）", "en": "Facility cards ({fy})"},
    "facilities.cards.note": {
        "ja": "利用者数は延べ人数（施設の統計で、個人の数ではありません）。運営費 = 人件費＋光熱水費＋委託料＋修繕費。"
              "受益者負担率 = 使用料収入 ÷ 運営費。利用率 = 予約枠の利用率、ない施設は延べ利用者数 ÷ 受入能力。",
        "en": "Visits are facility statistics (延べ利用者数), not persons. Operating cost = staff + utilities + "
              "outsourcing + repairs. Cost recovery = fees ÷ operating cost. Utilisation = booked slots ÷ "
              "slots, or visits ÷ capacity where nothing is booked."},
    "facilities.knob.close": {"ja": "廃止する施設", "en": "Facilities to close"},
    "facilities.knob.proposal": {"ja": "「見直し」の{n}施設を入れる", "en": "Take the {n} to review"},
    "facilities.knob.proposal.help": {
        "ja": "施設カルテの「見直し」区分（各種類に少なくとも1施設は残す）を廃止候補にします。",
        "en": "Puts the facility cards' 'review' group up for closure (at least one of each kind stays)."},
    "facilities.knob.merge": {"ja": "統合（集約・複合化）する施設", "en": "Facilities to merge"},
    "facilities.knob.receiver": {"ja": "統合先", "en": "Merge into"},
    "facilities.knob.receiver.none": {"ja": "統合先を選ぶ", "en": "Choose where they move"},
    "facilities.merge.no_receiver": {"ja": "統合先を選ぶと、統合する施設が計算に入ります。",
                                     "en": "Choose where they move to include the merged facilities."},
    "facilities.knob.beyond": {"ja": "遠いとみなす距離", "en": "Far means beyond"},
    "facilities.knob.access_sub": {"ja": "利便性を見る施設の種類", "en": "Access to which kind of facility"},
    "facilities.metric.area_saved": {"ja": "延床面積の削減", "en": "Floor area saved"},
    "facilities.metric.operating_saved": {"ja": "運営費の削減（年）", "en": "Running costs saved a year"},
    "facilities.metric.operating_saved.help": {"ja": "{fy}の運営費 − 使用料収入。受け入れる施設の費用増は含みません。",
                                               "en": "Operating cost less fees in {fy}; extra costs of the receiving "
                                                     "facilities are not included."},
    "facilities.metric.renewal_avoided": {"ja": "不要になる更新費用（{years}年間）",
                                          "en": "Renewal avoided ({years} years)"},
    "facilities.metric.renewal_avoided.help": {"ja": "{scenario}による試算。", "en": "Under the scenario {scenario}."},
    "facilities.metric.total_saved": {"ja": "効果の合計（{years}年間）", "en": "Total saved ({years} years)"},
    "facilities.action.close": {"ja": "廃止", "en": "Close"},
    "facilities.action.merge": {"ja": "統合", "en": "Merge"},
    "facilities.table.savings": {"ja": "廃止・統合する施設と効果",
                                 "en": "Facilities closed or merged and what they save"},
    "facilities.table.reassignment": {"ja": "利用者の移り先と受け入れ施設の負荷",
                                      "en": "Where the visits go and the load on the receiving facility"},
    "facilities.no_receiver": {"ja": "（同じ種類の施設がなくなる）", "en": "(no facility of the kind remains)"},
    "facilities.load.note": {
        "ja": "廃止した施設の延べ利用者は最も近い同じ種類の施設へ、統合した施設の利用者は統合先へ移るとしました。"
              "負荷 = 移転後の延べ利用者数 ÷ 受入能力。",
        "en": "Visits of a closed facility go to the nearest facility of the same kind; those of a merged one to "
              "where it moves. Load = visits after ÷ capacity."},
    "facilities.map.title": {"ja": "{sub}までの平均距離（統廃合後）と{beyond}mより遠い住民",
                             "en": "Mean distance to a {sub} after the changes, and residents beyond {beyond} m"},
    "facilities.map.tooltip": {
        "ja": "<b>{name}</b><br>平均距離：{d_before}m → {d_after}m<br>{beyond}mより遠い住民：{before}人 → {after}人",
        "en": "<b>{name}</b><br>Mean distance: {d_before} m → {d_after} m<br>Residents beyond {beyond} m: "
              "{before} → {after}"},
    "facilities.map.legend_low": {"ja": "近い", "en": "near"},
    "facilities.map.legend_high": {"ja": "遠い", "en": "far"},
    "facilities.map.legend": {"ja": "青：残る施設、緑：統合先、赤：廃止・統合する施設。",
                              "en": "Blue: facilities kept; green: where merged services move; red: closed or merged."},
    "facilities.metric.beyond": {"ja": "遠い住民：{sub}まで{beyond}m超（統廃合後）",
                                 "en": "Residents far from a {sub}: beyond {beyond} m (after)"},
    "facilities.metric.beyond.delta": {"ja": "統廃合前 {before}人", "en": "before: {before}"},
    "facilities.table.access": {"ja": "小学校区別の{sub}までの距離", "en": "Distance to a {sub} by district"},
    "facilities.access.note": {
        "ja": "住民数は公表している500mメッシュ人口（秘匿したメッシュは地区の残りを均等に配分した推計）から集計。"
              "{limit}人未満は表示しません。距離は500mメッシュの中心からの直線距離。",
        "en": "Residents are summed from the published 500 m mesh counts (hidden meshes estimated by sharing out "
              "what their district's total leaves). Below {limit} shows as '<{limit}'. Distances are straight "
              "lines from the centre of each 500 m mesh."},
    "facilities.source.stock": {"ja": "出典：合成市 公有財産台帳（合成データ）。",
                                "en": "Source: Synthetic City property register (synthetic)."},
    "facilities.source.method": {
        "ja": "出典：合成市 公有財産台帳・決算（合成データ）。方法：総務省 公共施設等更新費用試算ソフト（2011）、長寿命"
        "化は加古川市 公共施設等総合管理計画。",
        "en": "Source: Synthetic City property register and accounts (synthetic). Method: MIC 公共施設等更新費用試算 "
              "(2011); long life after 加古川市's 公共施設等総合管理計画."},
    "facilities.source.cards": {"ja": "出典：合成市 施設別の利用・コスト（合成データ）。",
                                "en": "Source: Synthetic City facility use and costs (synthetic)."},
    "facilities.source.access": {"ja": "出典：合成市 施設位置・住民基本台帳（合成データ）。",
                                 "en": "Source: Synthetic City facility locations and resident registry (synthetic)."},
    "facilities.category.市民文化系施設": {"ja": "市民文化系施設", "en": "Civic & cultural"},
    "facilities.category.社会教育系施設": {"ja": "社会教育系施設", "en": "Social education"},
    "facilities.category.スポーツ・レクリエーション系施設": {"ja": "スポーツ・レクリエーション系施設",
                                             "en": "Sports & recreation"},
    "facilities.category.産業系施設": {"ja": "産業系施設", "en": "Industry"},
    "facilities.category.学校教育系施設": {"ja": "学校教育系施設", "en": "Schools"},
    "facilities.category.子育て支援施設": {"ja": "子育て支援施設", "en": "Child care"},
    "facilities.category.保健・福祉施設": {"ja": "保健・福祉施設", "en": "Health & welfare"},
    "facilities.category.医療施設": {"ja": "医療施設", "en": "Medical"},
    "facilities.category.行政系施設": {"ja": "行政系施設", "en": "Administration"},
    "facilities.category.公営住宅": {"ja": "公営住宅", "en": "Public housing"},
    "facilities.category.公園": {"ja": "公園", "en": "Parks"},
    "facilities.category.供給処理施設": {"ja": "供給処理施設", "en": "Supply & treatment"},
    "facilities.category.その他": {"ja": "その他", "en": "Other"},
    "facilities.subcategory.小学校": {"ja": "小学校", "en": "Elementary school"},
    "facilities.subcategory.中学校": {"ja": "中学校", "en": "Junior high school"},
    "facilities.subcategory.公民館": {"ja": "公民館", "en": "Community hall"},
    "facilities.subcategory.集会所": {"ja": "集会所", "en": "Meeting house"},
    "facilities.subcategory.文化ホール": {"ja": "文化ホール", "en": "Cultural hall"},
    "facilities.subcategory.図書館": {"ja": "図書館", "en": "Library"},
    "facilities.subcategory.博物館": {"ja": "博物館", "en": "Museum"},
    "facilities.subcategory.体育館": {"ja": "体育館", "en": "Gymnasium"},
    "facilities.subcategory.プール": {"ja": "プール", "en": "Pool"},
    "facilities.subcategory.産業振興センター": {"ja": "産業振興センター", "en": "Industry centre"},
    "facilities.subcategory.公立保育所": {"ja": "公立保育所", "en": "Public nursery"},
    "facilities.subcategory.児童館": {"ja": "児童館", "en": "Children's centre"},
    "facilities.subcategory.老人福祉センター": {"ja": "老人福祉センター", "en": "Seniors' centre"},
    "facilities.subcategory.保健センター": {"ja": "保健センター", "en": "Health centre"},
    "facilities.subcategory.診療所": {"ja": "診療所", "en": "Clinic"},
    "facilities.subcategory.本庁舎": {"ja": "本庁舎", "en": "City hall"},
    "facilities.subcategory.支所": {"ja": "支所", "en": "Branch office"},
    "facilities.subcategory.消防署": {"ja": "消防署", "en": "Fire station"},
    "facilities.subcategory.市営住宅": {"ja": "市営住宅", "en": "Municipal housing"},
    "facilities.subcategory.公園管理棟": {"ja": "公園管理棟", "en": "Park building"},
    "facilities.subcategory.駐輪場": {"ja": "駐輪場", "en": "Bicycle parking"},
    "facilities.subcategory.倉庫": {"ja": "倉庫", "en": "Warehouse"},
    "facilities.subcategory.ごみ処理施設": {"ja": "ごみ処理施設", "en": "Waste plant"},
    "facilities.subcategory.下水処理場": {"ja": "下水処理場", "en": "Sewage plant"},
    "axis.built_period": {"ja": "建築年度", "en": "Fiscal year built"},
    "axis.floor_area": {"ja": "延床面積（㎡）", "en": "Floor area (m²)"},
    "axis.oku_yen": {"ja": "億円", "en": "100 million yen (億円)"},
    "axis.utilisation_rank": {"ja": "利用の順位（種類内、右ほどよく使われる）",
                              "en": "Use, ranked within its kind (right = more used)"},
    "axis.building_age": {"ja": "築年数（面積加重）", "en": "Age (area-weighted years)"},
    "col.action": {"ja": "区分", "en": "Action"},
    "col.age": {"ja": "築年数", "en": "Age"},
    "col.beyond_before": {"ja": "{beyond}m超（前）", "en": "Beyond {beyond} m (before)"},
    "col.beyond_after": {"ja": "{beyond}m超（後）", "en": "Beyond {beyond} m (after)"},
    "col.category": {"ja": "施設類型", "en": "Kind of facility"},
    "col.change_m": {"ja": "増減（m）", "en": "Change (m)"},
    "col.change_vs_simple": {"ja": "単純更新との差", "en": "Against simple renewal"},
    "col.cost_per_m2": {"ja": "㎡当たりコスト（円）", "en": "Cost per m² (yen)"},
    "col.cost_per_visit": {"ja": "利用1回当たりコスト（円）", "en": "Cost per visit (yen)"},
    "col.cost_recovery": {"ja": "受益者負担率", "en": "Cost recovery"},
    "col.distance": {"ja": "距離", "en": "Distance"},
    "col.facility": {"ja": "施設", "en": "Facility"},
    "col.facility_id": {"ja": "施設ID", "en": "Facility ID"},
    "col.floor_area": {"ja": "延床面積", "en": "Floor area"},
    "col.floor_area_end": {"ja": "期間末の延床面積", "en": "Floor area at the end"},
    "col.load_after": {"ja": "受け入れ後の負荷", "en": "Load after"},
    "col.m2_per_resident": {"ja": "1人当たり（㎡）", "en": "m² per resident"},
    "col.mean_distance_before": {"ja": "平均距離 前（m）", "en": "Mean distance before (m)"},
    "col.mean_distance_after": {"ja": "平均距離 後（m）", "en": "Mean distance after (m)"},
    "col.net_operating_man": {"ja": "運営費−使用料（万円/年）", "en": "Net running cost (10,000 yen/yr)"},
    "col.operating_cost_man": {"ja": "運営費（万円）", "en": "Operating cost (10,000 yen)"},
    "col.ratio_to_past": {"ja": "過去投資との比", "en": "× recent spending"},
    "col.rebuild_unit": {"ja": "建替え（万円/㎡）", "en": "Rebuild (10,000 yen/m²)"},
    "col.receiver": {"ja": "移り先", "en": "Goes to"},
    "col.renewal_avoided": {"ja": "不要になる更新費用（{years}年）", "en": "Renewal avoided ({years} yrs)"},
    "col.renovation_unit": {"ja": "大規模改修（万円/㎡）", "en": "Renovation (10,000 yen/m²)"},
    "col.residents_outlook": {"ja": "人口", "en": "Residents"},
    "col.scenario": {"ja": "シナリオ", "en": "Scenario"},
    "col.screening": {"ja": "評価", "en": "Screening"},
    "col.seismic": {"ja": "耐震", "en": "Seismic"},
    "col.shortfall": {"ja": "不足額", "en": "Shortfall"},
    "col.subcategory": {"ja": "種類", "en": "Kind"},
    "col.total_cost": {"ja": "{years}年間の総額", "en": "{years}-year total"},
    "col.utilisation": {"ja": "利用率", "en": "Utilisation"},
    "col.visits": {"ja": "延べ利用者数", "en": "Visits"},
    "col.visits_moved": {"ja": "移る延べ利用者", "en": "Visits moved"},
    "col.yearly_average": {"ja": "年平均", "en": "Yearly average"},
    # Health checkups (pages/health.py)
    "nav.health": {"ja": "健診受診", "en": "Health checkups"},
    "health.title": {"ja": "特定健診の受診", "en": "Health-checkup uptake"},
    "health.lead": {"ja": "国保の特定健診（40〜74歳）の受診状況、受けていない人の特徴、受診勧奨の試験と会場の地区展開の"
    "効果、限られた予算で誰に勧奨を送るかを示します。",
                    "en": "Uptake of the NHI checkup (ages 40–74), who does not attend, what the reminder trial and the"
                    " district roll-out of checkup sites achieved, and whom to remind under a budget."},
    "health.no_data": {"ja": "特定健診のデータがありません。データのページで読み込んでください。",
                       "en": "There is no checkup data. Load it on the Data page."},
    "health.no_trial": {"ja": "公表できる勧奨試験の集計がありません。", "en": "There is no publishable trial."},
    "health.metric.uptake": {"ja": "受診率（{fy}）", "en": "Uptake ({fy})"},
    "health.metric.uptake.help": {"ja": "95%信頼区間 {low}〜{high}（Wilson）。",
                                  "en": "95% interval {low}–{high} (Wilson)."},
    "health.metric.eligible": {"ja": "対象者（40〜74歳の国保被保険者）", "en": "Eligible (NHI insured 40–74)"},
    "health.metric.to_target": {"ja": "国の目標との差", "en": "Against the national target"},
    "health.metric.to_target.help": {"ja": "市町村国保の目標は{target}。",
                                     "en": "The target for municipal NHI is {target}."},
    "health.metric.national": {"ja": "全国の国保平均との差", "en": "Against the national NHI average"},
    "health.metric.national.help": {"ja": "全国の市町村国保の受診率は{national}（2023年度）。",
                                    "en": "National municipal NHI uptake was {national} (FY2023)."},
    "health.tab.status": {"ja": "受診状況", "en": "Uptake"},
    "health.tab.who": {"ja": "未受診者の特徴", "en": "Who does not attend"},
    "health.tab.trial": {"ja": "介入効果", "en": "Trial"},
    "health.tab.rollout": {"ja": "地区展開", "en": "District roll-out"},
    "health.tab.targeting": {"ja": "勧奨の最適化", "en": "Targeting"},
    "health.year": {"ja": "年度", "en": "Fiscal year"},
    "health.uptake": {"ja": "受診率", "en": "Uptake"},
    "health.target_line": {"ja": "国の目標 60%", "en": "National target 60%"},
    "health.national_line": {"ja": "全国の国保平均", "en": "National NHI average"},
    "health.band": {"ja": "{band}歳", "en": "{band}"},
    "health.chart.trend": {"ja": "特定健診の受診率の推移：{last}は{rate}", "en": "Checkup uptake: {rate} in {last}"},
    "health.ci": {"ja": "{low}〜{high}", "en": "{low} to {high}"},
    "health.did.unavailable": {"ja": "地区展開の効果を推定できません：{reason}",
                               "en": "The roll-out's effect cannot be estimated: {reason}"},
    "health.trend.note": {"ja": "帯は95%信頼区間（Wilson）。{first}〜{last}。",
                          "en": "Band: 95% interval (Wilson). {first}–{last}."},
    "health.term": {"ja": "{variable}：{level}（基準：{reference}）", "en": "{variable}: {level} vs {reference}"},
    "health.var.sex": {"ja": "性別", "en": "Sex"},
    "health.var.age_band": {"ja": "年齢", "en": "Age"},
    "health.var.under_treatment": {"ja": "通院中", "en": "Under treatment"},
    "health.var.past_attendance": {"ja": "前年度の受診", "en": "Attended last year"},
    "health.var.distance_band": {"ja": "会場までの距離", "en": "Distance to a site"},
    "health.level.yes": {"ja": "あり", "en": "yes"},
    "health.level.no": {"ja": "なし", "en": "no"},
    "health.level.no_record": {"ja": "記録なし（新規加入）", "en": "no record (new)"},
    "health.chart.band_sex": {"ja": "性別・年齢別の受診率（{fy}）：どの年代も女性が高い",
                              "en": "Uptake by sex and age ({fy})"},
    "health.map.title": {"ja": "{fy}の小学校区別の受診率", "en": "Uptake by district, {fy}"},
    "health.map.tooltip": {"ja": "<b>{name}</b><br>受診率：{rate}<br>受診者：{attended}人／対象者：{eligible}人",
                           "en": "<b>{name}</b><br>Uptake: {rate}<br>Attended: {attended} of {eligible}"},
    "health.map.low": {"ja": "低い", "en": "low"},
    "health.map.high": {"ja": "高い", "en": "high"},
    "health.table.funnel": {"ja": "{fy}の対象者から特定保健指導の終了まで",
                            "en": "From eligible to completed guidance, {fy}"},
    "health.step.eligible": {"ja": "対象者", "en": "Eligible"},
    "health.step.attended": {"ja": "受診者", "en": "Attended"},
    "health.step.guidance_eligible": {"ja": "特定保健指導の対象", "en": "Eligible for guidance"},
    "health.step.guidance_completed": {"ja": "特定保健指導の終了", "en": "Completed guidance"},
    "health.funnel.note": {"ja": "割合は前の段階に対する比。全国の特定保健指導の終了率は27.6%（2023年度、全保険者）。",
                           "en": "Shares are of the step before. National guidance completion: 27.6% (FY2023, all insur"
                           "ers)."},
    "health.chart.patterns": {"ja": "過去3年の受診パターン（{first}〜{last}、3年とも加入の人）",
                              "en": "Attendance over three years ({first}–{last}; insured all three)"},
    "health.pattern.every_year": {"ja": "毎年受診", "en": "Every year"},
    "health.pattern.returning": {"ja": "今年度受診（毎年ではない）", "en": "Returning"},
    "health.pattern.lapsed": {"ja": "以前は受診・今年度は未受診", "en": "Lapsed"},
    "health.pattern.never": {"ja": "3年とも未受診", "en": "Never"},
    "health.untreated": {"ja": "{fy}の未受診者のうち{share}はすでに生活習慣病で通院中です（医療機関と連携した受診勧奨の"
    "対象）。",
                         "en": "Of {fy}'s non-attenders, {share} are already under treatment for a lifestyle disease (r"
                         "each them through their doctors)."},
    "health.chart.forest": {"ja": "受診しない要因（{fy}、オッズ比、1より大きいほど受診しにくい）",
                            "en": "What goes with not attending ({fy}; odds ratio, above 1 = less likely to attend)"},
    "health.forest.note": {"ja": "ロジスティック回帰（未受診=1）。95%信頼区間は小学校区（{clusters}地区）でクラスターロ"
    "バスト。",
                           "en": "Logistic regression of not attending. 95% intervals cluster-robust by district ({clus"
                           "ters} districts)."},
    "health.table.ame": {"ja": "平均限界効果：未受診の確率がどれだけ変わるか",
                         "en": "Average marginal effects on the probability of not attending"},
    "health.reading.who": {"ja": "読み方：{term} で、受診しない確率が{ame}（95%信頼区間 {ci}）変わります。",
                           "en": "Reading: {term} changes the probability of not attending by {ame} (95% interval {ci})"
                           "."},
    "health.knob.cost_standard": {"ja": "通常通知の1通あたり費用（円）", "en": "Standard letter, yen each"},
    "health.knob.cost_nudge": {"ja": "ナッジ通知の1通あたり費用（円）", "en": "Nudge letter, yen each"},
    "health.arm.control": {"ja": "勧奨なし（対照）", "en": "No letter (control)"},
    "health.arm.standard": {"ja": "通常の通知", "en": "Standard letter"},
    "health.arm.nudge": {"ja": "ナッジ通知", "en": "Tailored nudge"},
    "health.table.arms": {"ja": "{fy}の受診勧奨試験：群別の受診率", "en": "The {fy} reminder trial: uptake by arm"},
    "health.table.effects": {"ja": "勧奨なしと比べた効果", "en": "Effect against no letter"},
    "health.reading.trial": {"ja": "{arm}は受診率を{diff}（95%信頼区間 {ci}ポイント）上げました。受診者1人増あたり{cost"
    "}円。",
                             "en": "The {arm} raised uptake by {diff} (95% interval {ci} points), at {cost} yen per ext"
                             "ra attendee."},
    "health.chart.segments": {"ja": "{arm}の効果：対象者の区分別（探索的）",
                              "en": "Effect of the {arm} by segment (exploratory)"},
    "health.segments.note": {"ja": "区分別の効果は探索的な分析です（多重比較に注意）。過去の受診：前年度に受診／以前受"
    "診・前年度は未受診／観察期間に受診なし。",
                             "en": "Effects by segment are exploratory (many comparisons). Past attendance: attended la"
                             "st year / lapsed / never in the years observed."},
    "health.segment.sex": {"ja": "性別", "en": "Sex"},
    "health.segment.age_band": {"ja": "年齢", "en": "Age"},
    "health.segment.past": {"ja": "過去の受診", "en": "Past attendance"},
    "health.past.attended_last": {"ja": "前年度受診", "en": "Attended last year"},
    "health.past.lapsed": {"ja": "以前受診・前年度未受診", "en": "Lapsed"},
    "health.past.never": {"ja": "受診歴なし", "en": "Never"},
    "health.power.title": {"ja": "次の試験に必要な人数", "en": "People needed for the next trial"},
    "health.knob.baseline": {"ja": "現在の受診率（%）", "en": "Current uptake (%)"},
    "health.knob.lift": {"ja": "検出したい上昇（ポイント）", "en": "Lift to detect (points)"},
    "health.metric.per_arm": {"ja": "1群あたりの人数", "en": "People per arm"},
    "health.power.note": {"ja": "両側検定、有意水準5%、検出力80%（statsmodels NormalIndPower）。",
                          "en": "Two-sided test, α = 5%, power 80% (statsmodels NormalIndPower)."},
    "health.metric.did": {"ja": "会場開設の効果（受診率）", "en": "Effect of a new site (uptake)"},
    "health.metric.did_ci": {"ja": "95%信頼区間（ポイント）", "en": "95% interval (points)"},
    "health.metric.twfe": {"ja": "参考：二方向固定効果", "en": "For comparison: two-way FE"},
    "health.metric.twfe.help": {"ja": "開設年が地区で異なるとき、二方向固定効果の推定は偏ることがあります（Goodman-Baco"
    "n 2021）。",
                                "en": "With openings in different years the two-way fixed-effects estimate can be biase"
                                "d (Goodman-Bacon 2021)."},
    "health.method.twfe": {"ja": "差の差（地区・年度の固定効果、地区クラスターロバスト）。",
                           "en": "Difference-in-differences with district and year fixed effects, cluster-robust by dis"
                           "trict."},
    "health.method.callaway_santanna": {"ja": "開設年が異なるため Callaway & Sant'Anna (2021) の方法（未開設の地区と比"
    "較）。",
                                        "en": "Openings in different years: Callaway & Sant'Anna (2021), against distri"
                                        "cts not yet treated."},
    "health.did.warning": {"ja": "注意：{codes}。開設した地区が少ないと区間は信頼しにくく、並べ替え検定で計算しています"
    "。",
                           "en": "Caution: {codes}. With few treated districts the interval comes from randomisation in"
                           "ference."},
    "health.reading.did": {"ja": "新しい健診会場を開いた{treated}地区では、受診率が{att}（95%信頼区間 {ci}ポイント）上"
    "がりました（比較に使った地区は計{districts}）。",
                           "en": "Where a new checkup site opened ({treated} districts), uptake rose by {att} (95% inte"
                           "rval {ci} points; {districts} districts compared)."},
    "health.chart.event": {"ja": "開設前後の効果（開設前の差の検定 p={p}）",
                           "en": "Effect before and after the opening (pre-trend test p = {p})"},
    "health.event.note": {"ja": "横軸は開設年度からの年数（-1が基準）。開設前の効果が0に近ければ、比較の前提（平行トレ"
    "ンド）が支持されます。",
                          "en": "Years from the opening (−1 is the reference). Effects near 0 before the opening suppor"
                          "t the parallel-trends assumption."},
    "health.map.sites": {"ja": "健診会場", "en": "Checkup sites"},
    "health.map.new_site": {"ja": "{name}（{fy}開設）", "en": "{name} (opened {fy})"},
    "health.map.sites_legend": {"ja": "青：以前からの会場、赤：期間中に開設した会場。",
                                "en": "Blue: earlier sites; red: sites opened during the period."},
    "health.knob.arm": {"ja": "送る通知", "en": "Letter to send"},
    "health.knob.letters": {"ja": "送る通数", "en": "Letters"},
    "health.reading.targeting": {"ja": "{arm}を{letters}通送るとき、効果の大きい区分に送れば受診者は約{best}人増え（95%"
    "信頼区間 {low}〜{high}人）、無作為に送るより約{more}人多くなります（無作為：約{random}人）。",
                                 "en": "With {letters} {arm} letters, sending to the segments with the largest effect a"
                                 "dds about {best} attendees (95% interval {low}–{high}), about {more} more than at ran"
                                 "dom ({random})."},
    "health.chart.policies": {"ja": "{letters}通を送ったときに増える受診者（推計）",
                              "en": "Extra attendees from {letters} letters (estimate)"},
    "health.policy.random": {"ja": "無作為に送る", "en": "At random"},
    "health.policy.highest_nonattendance": {"ja": "受診しそうにない人に送る", "en": "To the least likely to attend"},
    "health.policy.highest_uplift": {"ja": "効果の大きい区分に送る", "en": "To the largest effect"},
    "health.chart.qini": {"ja": "送る割合と増える受診者（Qini曲線）",
                          "en": "Share reached and extra attendees (Qini curve)"},
    "health.table.segments": {"ja": "効果の大きい区分（交差検証による推計）",
                              "en": "Segments with the largest effect (cross-fitted)"},
    "health.targeting.note": {"ja": "効果は試験の結果から区分別に推計し、別の分割で評価しています（交差適合）。受診者・"
    "未受診者が各群{limit}人未満の区分は表示しません。",
                              "en": "Effects are estimated by segment from the trial and evaluated on other folds (cros"
                              "s-fitting). Segments with fewer than {limit} attendees or non-attendees in an arm are no"
                              "t shown."},
    "health.source.checkups": {"ja": "出典：合成市 国保データベース（合成データ）。年齢は年度末現在。",
                               "en": "Source: Synthetic City NHI database (synthetic). Age on 31 March."},
    "health.source.trial": {"ja": "出典：合成市 受診勧奨の無作為化試験（合成データ）。方法：Newcombe区間、Holm補正（sta"
    "tsmodels）。",
                            "en": "Source: Synthetic City reminder trial (synthetic). Method: Newcombe intervals, Holm "
                            "adjustment (statsmodels)."},
    "health.source.did": {"ja": "出典：合成市 国保データベース・健診会場（合成データ）。方法：差の差分析（Callaway & Sa"
    "nt'Anna 2021）。",
                          "en": "Source: Synthetic City NHI database and checkup sites (synthetic). Method: difference-"
                          "in-differences (Callaway & Sant'Anna 2021)."},
    "axis.diff": {"ja": "受診率の差", "en": "Difference in uptake"},
    "axis.event_time": {"ja": "開設年度からの年数", "en": "Years from the opening"},
    "axis.extra_attendees": {"ja": "増える受診者（人）", "en": "Extra attendees"},
    "axis.odds_ratio": {"ja": "オッズ比（対数目盛）", "en": "Odds ratio (log scale)"},
    "axis.share_targeted": {"ja": "通知を送る割合", "en": "Share sent a letter"},
    "axis.uptake": {"ja": "受診率", "en": "Uptake"},
    "col.age_band": {"ja": "年齢", "en": "Age"},
    "col.ame": {"ja": "限界効果", "en": "Marginal effect"},
    "col.arm": {"ja": "群", "en": "Arm"},
    "col.attended": {"ja": "受診者", "en": "Attended"},
    "col.ci95": {"ja": "95%信頼区間", "en": "95% interval"},
    "col.cost_per_extra": {"ja": "受診者1人増あたり費用（円）", "en": "Yen per extra attendee"},
    "col.diff": {"ja": "受診率の差", "en": "Difference"},
    "col.invited": {"ja": "対象者", "en": "Invited"},
    "col.letters_per_extra": {"ja": "受診者1人増あたり通数", "en": "Letters per extra attendee"},
    "col.p_holm": {"ja": "p値（Holm補正）", "en": "p (Holm)"},
    "col.p_value": {"ja": "p値", "en": "p"},
    "col.past": {"ja": "過去の受診", "en": "Past attendance"},
    "col.people": {"ja": "人数", "en": "People"},
    "col.risk_ratio": {"ja": "比（95%区間）", "en": "Ratio (95% interval)"},
    "col.sex": {"ja": "性別", "en": "Sex"},
    "col.share_of_previous": {"ja": "前の段階に対する割合", "en": "Share of the step before"},
    "col.step": {"ja": "段階", "en": "Step"},
    "col.term": {"ja": "要因", "en": "Factor"},
    "col.uplift": {"ja": "効果", "en": "Effect"},
    "col.uptake": {"ja": "受診率", "en": "Uptake"},
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
        "en": "The projection needs residents on two consecutive 1 Aprils and the population change of the year "
              "between. Check the fiscal years of the data.",
    },
    "needs.backtest_years": {
        "ja": "予測の検証（バックテスト）には、3年度分以上の保育利用申込が必要です。",
        "en": "The back-test needs applications of three fiscal years or more.",
    },
    "error.page": {
        "ja": "このページを表示できませんでした（{what}）。データを確かめるか、ページを再読み込みしてください。",
        "en": "This page could not be shown ({what}). Check the data or reload the page.",
    },
}


def has(key: str) -> bool:
    """Whether the table holds ``key`` (for names that may come from a planner's data)."""
    return key in MESSAGES


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
