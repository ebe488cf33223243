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
    "schema.type.bool": {"ja": "はい/いいえ", "en": "yes/no"},
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
        "ja": "出典：合成市の住民基本台帳・人口動態・保育申込（合成データ）から推計。",
        "en": "Source: projected from the synthetic city's residents, population change and applications "
              "(synthetic)."},
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
              "内閣府「量の見込み」の算出方法に準じる。推計値であり実数ではありません。",
        "en": "Projection = children by district (cohort-component) × application rates fitted on history "
              "(binomial logit with a yearly trend), as in the Cabinet Office's demand-estimation manual. "
              "Estimates, not counts."},
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
        "ja": "新たな定員が徒歩圏内の待機児童を受け入れる人数の推計（公表値と児童の居住分布から推計）。",
        "en": "Estimated waiting children within walking distance who take the new places (from published "
              "figures and where children live)."},
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
        "ja": "橙＝整備する候補地（円は徒歩圏）、灰＝その他の候補地、緑のメッシュ＝受け入れる待機児童の住まい。",
        "en": "Orange: chosen sites (circle = walking reach); grey: other sites; green meshes: where the "
              "children served live."},
    "nursery.table.sites": {"ja": "整備する候補地と年齢区分別の定員", "en": "Chosen sites and places by age band"},
    "nursery.table.before_after": {"ja": "{fy}の地区別の待機（推計）：整備前と整備後",
                                   "en": "Waiting by district in {fy} (estimates): before and after"},
    "nursery.plan.note": {
        "ja": "配置は貪欲法＋局所改善。待機の推計は公表値（{limit}人未満は秘匿）と"
              "児童の居住分布によるもので、"
              "実数ではありません。",
        "en": "Placement by lazy greedy with local improvement. Waiting estimates come from published figures "
              "(counts under {limit} are suppressed) and where children live; they are not counts."},
    "nursery.plan.check": {"ja": "厳密解（整数計画）と比較", "en": "Compare with the exact optimum (MILP)"},
    "nursery.plan.checking": {"ja": "整数計画で最適解を計算しています…", "en": "Solving the MILP…"},
    "nursery.plan.checked": {"ja": "この配置は最適解の{ratio}（最適 {optimum}、この配置 {served}）",
                             "en": "This placement reaches {ratio} of the optimum ({served} of {optimum})"},
    "indicator.nursery_official": {"ja": "待機児童", "en": "Official waitlist"},
    "indicator.nursery_hidden": {"ja": "隠れ待機児童", "en": "Hidden waitlist"},
    "nursery.plan.checked_limit": {
        "ja": "この配置は整数計画が制限時間内に見つけた最良解の{ratio}（最良解 {optimum}、この配置 {served}）",
        "en": "This placement reaches {ratio} of the best the MILP found within its time limit "
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
