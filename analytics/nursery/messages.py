"""The nursery domain's UI strings, in Japanese and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # Nursery page
    "nursery.title": {"ja": "保育所配置：待機児童と隠れ待機児童",
        "en": "Nursery placement: official and hidden waitlist"},
    "nursery.lead": {
        "ja": "住民基本台帳と保育の申込を突き合わせ、国の調査要領で数える待機児童と、そこから除かれる"
              "「隠れ待機児童」を地区・年齢別に示します。将来の需要を推計し、新たな定員をどこに置けば"
              "待機児童を最も多く受け入れられるかを試算します（姫路市の取組を合成市で再現）。",
        "en": "Joining the resident registry with nursery applications, this page counts the official waitlist "
              "under the national rules and the hidden waitlist those rules exclude, by district and age; "
              "projects demand; and tests where new places would cut waiting most (the Himeji case, on the "
              "synthetic city)."},
    "nursery.no_data": {"ja": "保育の申込データがありません。", "en": "There are no nursery applications."},
    "nursery.year": {"ja": "年度（4月1日現在）", "en": "Fiscal year (as of 1 April)"},
    "nursery.metric.official": {"ja": "待機児童", "en": "Official waitlist"},
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
    "nursery.metric.ratio.help": {
        "ja": "全国では隠れ待機児童は待機児童の25〜30倍（2024年）。ただしこれは全国の合計で、多くの市区町村は"
              "待機児童がゼロです（2024年4月に1,524市区町村）。待機児童のいる不足都市ではこの比はずっと低くなります。",
        "en": "Nationally the hidden waitlist is 25–30 times the official one (2024). That ratio comes from "
              "national totals in which most municipalities have no official waitlist at all (1,524 at zero "
              "in April 2024); in a city with a real shortage the ratio is much lower."},
    "nursery.tab.now": {"ja": "現状", "en": "Now"},
    "nursery.tab.future": {"ja": "将来推計", "en": "Projection"},
    "nursery.tab.plan": {"ja": "配置シナリオ", "en": "Placement scenario"},
    "nursery.assumptions": {"ja": "将来推計の前提を変える（将来推計と配置シナリオに使います）",
                            "en": "Edit the projection's assumptions (used by the projection and the placement)"},
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
              "births, deaths and moves, and applications (synthetic)."},
    "nursery.source.supply": {"ja": "出典：合成市の施設別定員・在籍（4月1日、合成データ）。",
                              "en": "Source: synthetic city's places and enrolment by facility (1 April; synthetic)."},
    "nursery.knob.horizon": {"ja": "推計年数", "en": "Years ahead"},
    "nursery.knob.rate": {"ja": "申込率の上乗せ（ポイント/年）", "en": "Application rate, added (pt/year)"},
    "nursery.knob.births": {"ja": "出生率の変化（%）", "en": "Fertility adjustment (%)"},
    "nursery.knob.migration": {"ja": "転入超過の倍率", "en": "Net migration ×"},
    "nursery.knob.families": {"ja": "住宅開発の世帯数", "en": "Families in a housing development"},
    "nursery.knob.district": {"ja": "住宅開発の地区", "en": "District of the development"},
    "nursery.chart.projection": {"ja": "申込児童の推計（{years}年後に{change}）",
                                 "en": "Projected applicants ({change} in {years} years)"},
    "nursery.projection.note": {
        "ja": "推計＝地区別のコーホート要因法による児童数×過去の申込率（二項ロジットで年次傾向を推定）。"
              "過去の申込率の傾向を延ばす推計で、内閣府の手引きが用いる家庭類型別の利用意向率（ニーズ調査）"
              "による「量の見込み」とは別の方法です。入力は公表表のみ：地区×男女×5歳階級の人口を各歳に"
              "分け（0〜9歳は公表された出生数と前年の同じ世代の構成から）、秘匿された値は公表された合計から"
              "推計します。推計値であり実数ではありません。",
        "en": "Projection = children by district (cohort-component) × application rates fitted on history "
              "(binomial logit with a yearly trend): a trend-based variant, not the Cabinet Office manual's "
              "量の見込み, which uses use-intention rates by household type from needs surveys. "
              "Its inputs are the published tables only: residents by district × sex × 5-year group split into "
              "single ages (ages 0–9 from the published births and the same cohorts a year before), suppressed "
              "cells estimated from the published totals. Estimates, not counts."},
    "nursery.projection.fan": {
        "ja": "帯は申込率の推定の不確かさの幅：推定した係数をその共分散から{draws}回抽出（乱数の種は固定）して"
              "推計し直した申込児童の合計の80%（濃い帯）と95%（薄い帯）の範囲、線はその中央値。児童数の推計の"
              "不確かさは含みません。",
        "en": "Bands: the uncertainty of the fitted application rates. The coefficients are drawn {draws} times from "
              "their estimated covariance (fixed seed) and the applicants projected again; the bands hold the "
              "central 80% (dark) and 95% (light) of the totals, the line their median. The uncertainty of the "
              "children's projection is not included."},
    "nursery.projection.cap": {
        "ja": "申込率の上限：各地区・年齢区分の児童の{cap}（本プロジェクトの仮定、出典なし）。傾向の延長や"
              "上乗せがこれを超える年は上限の値で推計します。",
        "en": "Application rates are capped at {cap} of a district's children of the band (project assumption; "
              "no source): where the extended trend or the added points go beyond it, the cap is used."},
    "nursery.table.fan": {"ja": "{fy}の申込児童の推計と範囲（申込率の不確かさ）",
                          "en": "Projected applicants in {fy} with their ranges (rate uncertainty)"},
    "col.projected_point": {"ja": "推計（人）", "en": "Projected"},
    "col.range80": {"ja": "80%の範囲", "en": "80% range"},
    "col.range95": {"ja": "95%の範囲", "en": "95% range"},
    "nursery.fan.median": {"ja": "中央値（全年齢）", "en": "Median (all ages)"},
    "nursery.fan.80": {"ja": "80%の範囲", "en": "80% band"},
    "nursery.fan.95": {"ja": "95%の範囲", "en": "95% band"},
    "nursery.table.backtest": {"ja": "推計の検証（前の年度までで推計し、直近2年度の実績と比較）",
                               "en": "Back-test: fitted on earlier years, compared with the last two"},
    "nursery.backtest.note": {
        "ja": "市全体の誤差と、地区別の誤差率の中央値。実績が公表されない区分は誤差を表示しません。",
        "en": "City-wide error and the median district error; errors are blank where the observed count is "
              "not published."},
    "nursery.knob.walk": {"ja": "距離（直線）", "en": "Distance (straight line)"},
    "nursery.knob.walk.help": {
        "ja": "候補地から待機児童が住むメッシュの中心までの直線距離です。道のりは直線より長くなります。"
              "国の調査要領（2017年改正）は、通える範囲を距離ではなく時間で定めています（通常の交通手段で"
              "おおむね20〜30分）。",
        "en": "Straight-line distance from a site to the centre of the mesh where waiting children live; the "
              "route is longer. The national survey guideline (2017 revision) sets the reach in time, not "
              "distance (about 20–30 minutes by ordinary means)."},
    "nursery.table.reach": {"ja": "空きを数える距離の目安と待機児童数（{fy}、直線距離）",
                            "en": "Official and hidden waitlist by the reach within which a free place counts "
                                  "({fy}, straight line)"},
    "nursery.reach.note": {
        "ja": "国の調査要領（2017年改正）は、特定の園のみを希望する児童を除く「通える範囲」を時間で定めています"
              "（通常の交通手段でおおむね20〜30分）。本アプリは直線距離で代用しており、既定は{default}kmです。"
              "距離の目安によって公式の待機児童数は大きく異なるため、1・2・3・5kmの4通りを、ほかの集計と同じ"
              "秘匿処理・監査を経た公表値として示します（それ以外の距離は公表値がないため選べません）。",
        "en": "The national survey guideline (2017 revision) sets the reach within which a child who wants only "
              "specific facilities is left out of the count in time (about 20–30 minutes by ordinary means). "
              "The app uses a straight-line distance instead, {default} km by default. The official count "
              "differs a lot with this reach, so it is published at 1, 2, 3 and 5 km, suppressed and audited "
              "with every other count (no other reach can be chosen: it has no published count)."},
    "nursery.reach.km": {"ja": "{r} km", "en": "{r} km"},
    "nursery.reach.km_default": {"ja": "{r} km（既定）", "en": "{r} km (default)"},
    "nursery.knob.reach": {"ja": "空きを数える距離", "en": "Reach for a free place"},
    "nursery.knob.reach.help": {
        "ja": "空きのある施設を「通える範囲」とみなす直線距離。公式の待機児童をこの距離で数え、推計年度の"
              "待機児童はこの距離内の定員と申込を突き合わせて求めます。公表されている1・2・3・5kmから選びます"
              "（国の調査要領は時間でおおむね20〜30分と定めています）。",
        "en": "The straight-line distance within which a free place counts as reachable: the official waitlist "
              "is counted at it, and a projected year's waitlist weighs applications against the places within "
              "it. One of the published 1, 2, 3 and 5 km (the national guideline sets about 20–30 minutes)."},
    "nursery.knob.budget_kind": {"ja": "予算の単位", "en": "Budget in"},
    "nursery.budget.seats": {"ja": "定員数", "en": "places"},
    "nursery.budget.yen": {"ja": "整備費", "en": "yen"},
    "nursery.knob.budget_seats": {"ja": "新たな定員の上限（人）", "en": "New places (most)"},
    "nursery.knob.budget_oku": {"ja": "整備費の上限（億円）", "en": "Building budget (¥100 m)"},
    "nursery.knob.target": {"ja": "受け入れる対象", "en": "Serve"},
    "nursery.target.all": {"ja": "待機＋隠れ待機", "en": "official + hidden"},
    "nursery.target.official": {"ja": "待機児童のみ", "en": "official only"},
    "nursery.knob.add": {"ja": "必ず整備する候補地", "en": "Sites to open by hand"},
    "nursery.knob.remove": {"ja": "除外する候補地", "en": "Sites to rule out"},
    "nursery.knob.projected": {"ja": "{years}年後の需要", "en": "In {years} years"},
    "nursery.knob.projected.help": {
        "ja": "オンで{years}年後の推計需要（上の「将来推計の前提」による）に、オフで今年度の待機に定員を配置します。",
        "en": "On: places for the demand projected {years} years ahead (with the projection's assumptions above); "
              "off: for this year's waiting children."},
    "nursery.plan.invalid": {"ja": "この条件では配置できません：{reason}",
        "en": "This scenario cannot be placed: {reason}"},
    "nursery.metric.reached": {"ja": "{walk}m圏で受入",
                               "en": "Served ≤ {walk} m"},
    "nursery.metric.reached.help": {
        "ja": "新たな定員が直線距離{walk}mの圏内の待機児童を受け入れる人数の推計（公表された地区別の待機を、公表された"
              "メッシュ別人口の比で各メッシュに配分して推計）。",
        "en": "Estimated waiting children within {walk} m in a straight line who take the new places "
              "(published waiting children of each district, spread over its meshes in proportion to their "
              "published residents)."},
    "nursery.estimate": {"ja": "約{n}人", "en": "≈ {n}"},
    "nursery.metric.share": {"ja": "受け入れ割合", "en": "Share served"},
    "nursery.metric.sites": {"ja": "整備箇所", "en": "Sites"},
    "nursery.sites": {"ja": "{k}か所", "en": "{k}"},
    "nursery.metric.places": {"ja": "新たな定員", "en": "New places"},
    "nursery.places": {"ja": "{seats}人", "en": "{seats}"},
    "nursery.compare.scenario": {"ja": "配置の条件", "en": "Placement"},
    "nursery.compare.scenario.text": {"ja": "{demand}、直線{walk}m圏、予算{budget}",
                                      "en": "{demand}, {walk} m reach, budget {budget}"},
    "nursery.compare.projected": {"ja": "{fy}の申込児童の推計（95%範囲）",
                                  "en": "Applicants projected for {fy} (95% range)"},
    "nursery.compare.chart": {"ja": "申込児童の推計（合計）", "en": "Projected applicants (all ages)"},
    "nursery.scenario.map": {"ja": "{fy}、{band}の申込・待機の地図", "en": "Applications and waiting, {band}, {fy}"},
    "nursery.scenario.projection": {
        "ja": "{years}年後までの需要推計：申込率{rate}ポイント/年、出生{births}%、移動×{migration}、"
              "{district}に{families}世帯の開発",
        "en": "Demand {years} years ahead: application rate {rate} points a year, births {births}%, "
              "moves ×{migration}, {families} new households in {district}"},
    "nursery.plan.scenario": {
        "claim": "descriptive",
        "ja": "シナリオ：{fy}の{demand}（{target}）、直線{walk}m圏、予算{budget}",
        "en": "Scenario: {demand} in {fy} ({target}), {walk} m reach (straight line), budget {budget}"},
    "nursery.plan.demand.projected": {"ja": "推計待機", "en": "projected waiting"},
    "nursery.plan.demand.current": {"ja": "待機", "en": "waiting"},
    "nursery.plan.budget_seats": {"ja": "{n}人分", "en": "{n} places"},
    "nursery.plan.all_reached": {
        "ja": "予算の上限まで使っていないのは、この案で届く人数が最大だからです。"
              "どの候補地も最大定員まで使えるとしても、直線{walk}m以内で受け入れられるのは推計{most}人で、この案はそのすべてに届きます（残る推計{rest}人は"
              "候補地から遠いか、近くの候補地が最大定員に達しています）。",
        "en": "More places would reach no more waiting children: even with every candidate site at its largest "
              "size, ≈ {most} can be taken within {walk} m (straight line), and this plan reaches them all (the "
              "other ≈ {rest} are farther away or their nearby sites are full)."},
    "nursery.metric.cost": {"ja": "整備費", "en": "Building cost"},
    "nursery.access.now": {
        "ja": "{fy}の未入所児童のうち、直線{walk}m以内に年齢に合う空きが今ある児童の割合：{share}。",
        "en": "{fy}: share of waiting children with a free place for their age within {walk} m (straight line) "
              "today: {share}."},
    "nursery.map.site": {"ja": "<b>{name}</b><br/>上限 {seats}人", "en": "<b>{name}</b><br/>up to {seats} places"},
    "nursery.map.chosen": {"ja": "<b>{name}</b><br/>新定員 {seats}人・受け入れ（推計）{reached}",
                           "en": "<b>{name}</b><br/>{seats} new places, served (est.) {reached}"},
    "nursery.map.plan": {"ja": "整備する{k}か所（{seats}人分）と直線{walk}m圏",
                         "en": "{k} sites ({seats} places) and their {walk} m reach (straight line)"},
    "nursery.map.plan_legend": {
        "ja": "橙＝整備する候補地（円は直線距離の圏内）、灰＝その他の候補地、緑のメッシュ＝受け入れる待機児童が"
              "住むと推計したメッシュ（住民のいるメッシュ）。",
        "en": "Orange: chosen sites (circle = straight-line reach); grey: other sites; green meshes: where the "
              "children served are estimated to live (meshes with residents)."},
    "nursery.table.sites": {"ja": "整備する候補地と年齢区分別の定員", "en": "Chosen sites and places by age band"},
    "nursery.table.before_after": {"ja": "{fy}の地区別の待機（推計）：整備前と整備後",
                                   "en": "Waiting by district in {fy} (estimates): before and after"},
    "nursery.plan.note": {
        "ja": "配置は貪欲法＋局所改善。待機の推計は公表値（{limit}人未満は秘匿）のみから：地区×年齢区分の"
              "待機（秘匿値は公表された合計から推計）を1人単位に丸め、公表されたメッシュ別人口（全年齢）の比で"
              "メッシュに1人単位で配分します（各メッシュは比例配分との差が1人未満）。メッシュ別の児童数は公表していないため使いません（使うとシナリオの結果から"
              "児童のいるメッシュが分かってしまいます）。推計値であり実数ではありません。",
        "en": "Placement by lazy greedy with local improvement. Waiting estimates come from published figures "
              "only (counts under {limit} are suppressed): waiting children by district × age band (suppressed "
              "cells estimated from the published totals), rounded to whole children and spread over meshes "
              "in proportion to their published residents of all ages, in whole children (each mesh within one "
              "child of its share). Children per mesh are not published and not used (a scenario's results "
              "would otherwise tell which meshes have children). Estimates, not counts."},
    "nursery.plan.projected_note": {
        "ja": "{fy}の待機（推計）：今（{base}）の未入所児童を申込の推計に比例させ、そのうえで通える範囲"
              "（直線{reach}km）の定員が受け入れられない申込が今の割合より多い分を加えたものです。定員は{base}の"
              "認可施設のままとし、線形計画で各メッシュの申込に一度ずつ配分します（ある地区の空きを二つの地区で"
              "数えません）。待機児童と隠れ待機児童の内訳は、範囲内に空きのないこの不足分には国の基準の"
              "「特定園のみ希望」の除外が当たらないため待機児童とし、家庭の事情による除外（地方単独事業等・"
              "育休・求職休止）は今の市全体の割合（{share}）を、それ以外は今の地区別の割合を用います。",
        "en": "Waiting in {fy} (estimate): today's ({base}) children not placed, in proportion to the projected "
              "applications, plus the applications that the places within reach ({reach} km, straight line) "
              "cannot take beyond today's share. Places stay those of the authorised facilities in {base}, "
              "allocated once to each mesh's applications by a linear programme (one district's free places are "
              "never counted for two). Official vs hidden: the rule excluding families who want only listed "
              "facilities cannot apply to this shortage (no free place within reach), so it counts as official "
              "less the city's current share excluded for family reasons (local programmes, leave, a paused "
              "search: {share}); the rest keeps today's shares by district."},
    "nursery.estimate_below": {"ja": "<{limit}（推計）", "en": "<{limit} (est.)"},
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
    "axis.children": {"ja": "児童（人）", "en": "Children"},
    "axis.applications_estimate": {"ja": "申込児童（推計、人）", "en": "Applicants (estimate)"},
    "col.band": {"ja": "年齢区分", "en": "Age band"},
    "col.places": {"ja": "定員", "en": "Places"},
    "col.enrolled": {"ja": "在籍", "en": "Enrolled"},
    "col.vacancies": {"ja": "空き", "en": "Free places"},
    "col.applications": {"ja": "申込", "en": "Applied"},
    "col.waiting": {"ja": "未入所", "en": "Not placed"},
    "col.official": {"ja": "待機児童", "en": "Official"},
    "col.hidden": {"ja": "隠れ待機児童", "en": "Hidden"},
    "col.reach": {"ja": "距離の目安（直線）", "en": "Reach (straight line)"},
    "col.ratio": {"ja": "隠れ÷公式", "en": "Hidden ÷ official"},
    "col.gap": {"ja": "申込−定員", "en": "Applied − places"},
    "col.mean_distance": {"ja": "平均距離（{band}）", "en": "Mean distance ({band})"},
    "col.predicted": {"ja": "推計（人）", "en": "Projected"},
    "col.error_city": {"ja": "市全体の誤差", "en": "City error"},
    "col.error_district": {"ja": "地区別誤差の中央値", "en": "Median district error"},
    "col.site": {"ja": "候補地", "en": "Site"},
    "col.cost": {"ja": "整備費", "en": "Cost"},
    "col.reached": {"ja": "受け入れ（推計）", "en": "Served (est.)"},
    "col.before": {"ja": "整備前", "en": "Before"},
    "col.after": {"ja": "整備後", "en": "After"},
    "col.reduction": {"ja": "減少", "en": "Reduction"},
    "home.theme.nursery": {"ja": "保育所配置", "en": "Nursery placement"},
    "home.theme.nursery.q": {
        "ja": "待機児童と隠れ待機児童はどこに何人いて、新たな定員をどこに置けば最も多く受け入れられるか。",
        "en": "Where are the official and hidden waitlists, and where would new places take in the most?",
    },
    "needs.backtest_years": {
        "ja": "予測の検証（バックテスト）には、3年度分以上の保育利用申込が必要です。",
        "en": "The back-test needs applications of three fiscal years or more.",
    },
}
