"""The health domain's UI strings, in Japanese and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "health.title": {"ja": "特定健診の受診", "en": "Health-checkup uptake"},
    "health.lead": {"claim": "causal",
                    "ja": "国保の特定健診（40〜74歳）の受診状況、受けていない人の特徴、受診勧奨の試験と会場の地区展開の"
    "効果、限られた予算で誰に勧奨を送るかを示します。",
                    "en": "Uptake of the NHI checkup (ages 40–74), who does not attend, what the reminder trial and the"
                    " district roll-out of checkup sites achieved, and whom to remind under a budget."},
    "health.no_data": {"ja": "特定健診のデータがありません。データのページで読み込んでください。",
                       "en": "There is no checkup data. Load it on the Data page."},
    "health.no_trial": {"ja": "公表できる勧奨試験の集計がありません。", "en": "There is no publishable trial."},
    "health.metric.uptake": {"ja": "受診率（{fy}）", "en": "Uptake ({fy})"},
    "health.metric.uptake.help": {"ja": "95%信頼区間 {low}〜{high}（Wilson）。",
                                  "en": "95% interval {low}–{high} (Wilson)."},
    "health.metric.eligible": {"ja": "対象者数", "en": "Eligible"},
    "health.metric.eligible.help": {"ja": "40〜74歳の国保被保険者（年度末の年齢）。",
                                    "en": "NHI insured aged 40–74 (age on 31 March)."},
    "health.unit.pt": {"ja": "{n}pt", "en": "{n} pt"},
    "health.metric.to_target": {"ja": "国の目標との差", "en": "vs national target"},
    "health.metric.to_target.help": {"ja": "市町村国保の目標は{target}。差はポイント（pt）。",
                                     "en": "The target for municipal NHI is {target}. The difference is in "
                                           "percentage points (pt)."},
    "health.metric.national": {"ja": "全国平均との差", "en": "vs national average"},
    "health.metric.national.help": {"ja": "全国の市町村国保の受診率は{national}（2023年度）。差はポイント（pt）。",
                                    "en": "National municipal NHI uptake was {national} (FY2023). The difference "
                                          "is in percentage points (pt)."},
    "health.tab.status": {"ja": "受診状況", "en": "Uptake"},
    "health.tab.who": {"ja": "未受診者の特徴", "en": "Who does not attend"},
    "health.tab.trial": {"claim": "causal", "ja": "介入効果", "en": "Trial"},
    "health.tab.rollout": {"claim": "causal", "ja": "地区展開", "en": "District roll-out"},
    "health.tab.targeting": {"ja": "勧奨の最適化", "en": "Targeting"},
    "health.year": {"ja": "年度", "en": "Fiscal year"},
    "health.compare.letters": {"ja": "送る通数（通知）", "en": "Letters (letter)"},
    "health.compare.best": {"claim": "causal", "ja": "効果の大きい区分に送る：増える受診者（95%区間）",
                            "en": "To the segments with the largest effect: extra attendees (95% interval)"},
    "health.compare.random": {"ja": "無作為に送る：増える受診者（95%区間）",
                              "en": "At random: extra attendees (95% interval)"},
    "health.compare.gain": {"ja": "狙って送ることで増える受診者（95%区間）",
                            "en": "Extra attendees from targeting (95% interval)"},
    "health.compare.cost": {"claim": "causal", "ja": "受診者1人増やす費用（試験、95%区間）",
                            "en": "Yen per extra attendee (trial, 95% interval)"},
    "health.compare.per_arm": {"ja": "試験に必要な人数（1群）", "en": "People needed per arm (trial)"},
    "health.compare.chart": {"ja": "送る割合と増える受診者（Qini曲線、効果の大きい区分から）",
                             "en": "Extra attendees by share reached (Qini curve, largest effect first)",
                             "claim": "causal"},
    "health.scenario.status": {"ja": "{fy}の受診状況", "en": "Uptake in {fy}"},
    "health.scenario.who": {"claim": "association", "ja": "{fy}に受診しなかった人の特徴（関連）",
                            "en": "Who did not attend in {fy} (associations)"},
    "health.scenario.trial": {"claim": "causal", "ja": "{fy}の受診勧奨試験、1通あたり通常{standard}円・ナッジ{nudge}円",
                              "en": "The {fy} reminder trial; letters cost {standard} yen (standard) "
                                    "and {nudge} yen (nudge)"},
    "health.scenario.power": {"ja": "必要な人数：現在の受診率{baseline}、検出したい上昇{lift}ポイント",
                              "en": "People needed: current uptake {baseline}, lift to detect {lift} points"},
    "health.scenario.rollout": {"claim": "causal", "ja": "地区展開の効果（差の差分析）",
                                "en": "The district roll-out's effect (difference in differences)"},
    "health.scenario.targeting": {"ja": "{arm}を{letters}通送る場合の送り先",
                                  "en": "Where to send {letters} letters ({arm})"},
    "health.uptake": {"ja": "受診率", "en": "Uptake"},
    "health.target_line": {"ja": "国の目標 60%", "en": "National target 60%"},
    "health.national_line": {"ja": "全国の国保平均", "en": "National NHI average"},
    "health.band": {"ja": "{band}歳", "en": "{band}"},
    "health.chart.trend": {"ja": "特定健診の受診率の推移：{last}は{rate}", "en": "Checkup uptake: {rate} in {last}"},
    "health.ci": {"ja": "{low}〜{high}", "en": "{low} to {high}"},
    "health.did.unavailable": {"claim": "causal", "ja": "地区展開の効果を推定できません：{reason}",
                               "en": "The roll-out's effect cannot be estimated: {reason}"},
    "health.did.left_out": {
        "ja": "受診者数か対象者数が秘匿された年度がある{n}地区（{districts}）は、すべての年度で比較から除き、"
              "残りの地区で推定しています。",
        "en": "{n} district(s) with a hidden count in some fiscal year ({districts}) are left out of every year; "
              "the estimate uses the other districts."},
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
    "バスト、自由度（地区数−1）のt分布による。",
                           "en": "Logistic regression of not attending. 95% intervals cluster-robust by district ({clus"
                           "ters} districts), from t with districts − 1 degrees of freedom."},
    "health.table.ame": {"claim": "association",
                         "ja": "平均限界差：ほかの項目を一定としたとき、未受診の確率がどれだけ違うか",
                         "en": "Average marginal differences in the probability of not attending, others held fixed"},
    "health.reading.who": {"claim": "association",
                           "ja": "読み方：ほかの項目が同じ人どうしで比べると、{term} の人は受診しない確率が{ame}"
                                 "（95%信頼区間 {ci}）違います。関連を示すもので、原因とは限りません。",
                           "en": "Reading: among people alike in the other items, {term} is associated with a "
                                 "probability of not attending that differs by {ame} (95% interval {ci}). An "
                                 "association only."},
    "health.knob.cost_standard": {"ja": "通常通知の1通あたり費用（円）", "en": "Standard letter, yen each"},
    "health.knob.cost_nudge": {"ja": "ナッジ通知の1通あたり費用（円）", "en": "Nudge letter, yen each"},
    "health.arm.control": {"ja": "勧奨なし（対照）", "en": "No letter (control)"},
    "health.arm.standard": {"ja": "通常の通知", "en": "Standard letter"},
    "health.arm.nudge": {"ja": "ナッジ通知", "en": "Tailored nudge"},
    "health.table.arms": {"ja": "{fy}の受診勧奨試験：群別の受診率", "en": "The {fy} reminder trial: uptake by arm"},
    "health.table.effects": {"claim": "causal", "ja": "勧奨なしと比べた効果", "en": "Effect against no letter"},
    "health.reading.trial": {"claim": "causal",
                             "ja": "{arm}は受診率を{diff}（95%信頼区間 {ci}ポイント）上げました。"
                                   "受診者1人増あたりの費用（円）：{cost}。",
                             "en": "The {arm} raised uptake by {diff} (95% interval {ci} points); yen per extra "
                                   "attendee: {cost}."},
    "health.chart.segments": {"claim": "causal", "ja": "{arm}の効果：対象者の区分別（探索的）",
                              "en": "Effect of the {arm} by segment (exploratory)"},
    "health.segments.note": {"claim": "causal",
                             "ja": "区分別の効果は探索的な分析です（多重比較に注意）。過去の受診：前年度に受診／以前受"
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
    "health.power.invalid": {
        "ja": "基準の受診率（{baseline}）に上昇幅（{lift}ポイント）を足すと100%以上になります。"
              "上昇幅を小さくしてください。",
        "en": "The baseline uptake ({baseline}) plus the lift ({lift} points) reaches 100% or more: "
              "choose a smaller lift."},
    "health.power.note": {"ja": "両側検定、有意水準5%、検出力80%（statsmodels NormalIndPower）。",
                          "en": "Two-sided test, α = 5%, power 80% (statsmodels NormalIndPower)."},
    "health.metric.did": {"claim": "causal", "ja": "会場開設の効果（受診率）", "en": "Effect of a new site (uptake)"},
    "health.metric.did_ci": {"ja": "95%信頼区間（ポイント）", "en": "95% interval (points)"},
    "health.metric.twfe": {"claim": "causal", "ja": "参考：二方向固定効果", "en": "For comparison: two-way FE"},
    "health.metric.twfe.help": {"claim": "causal",
                                "ja": "開設年が地区で異なるとき、二方向固定効果の推定は偏ることがあります（Goodman-Baco"
    "n 2021）。",
                                "en": "With openings in different years the two-way fixed-effects estimate can be biase"
                                "d (Goodman-Bacon 2021)."},
    "health.method.twfe": {"claim": "causal", "ja": "差の差（地区・年度の固定効果、地区クラスターロバスト）。",
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
    "health.chart.event": {"claim": "causal", "ja": "開設前後の効果（開設前の差の検定 p={p}）",
                           "en": "Effect before and after the opening (pre-trend test p = {p})"},
    "health.event.note": {"claim": "causal",
                          "ja": "横軸は開設年度からの年数（-1が基準）。開設前の効果が0に近ければ、比較の前提（平行トレ"
    "ンド）が支持されます。",
                          "en": "Years from the opening (−1 is the reference). Effects near 0 before the opening suppor"
                          "t the parallel-trends assumption."},
    "health.map.sites": {"ja": "健診会場", "en": "Checkup sites"},
    "health.map.new_site": {"ja": "{name}（{fy}開設）", "en": "{name} (opened {fy})"},
    "health.map.sites_legend": {"ja": "青：以前からの会場、赤：期間中に開設した会場。",
                                "en": "Blue: earlier sites; red: sites opened during the period."},
    "health.knob.arm": {"ja": "送る通知", "en": "Letter to send"},
    "health.knob.letters": {"ja": "送る通数", "en": "Letters"},
    "health.reading.targeting": {"claim": "causal",
                                 "ja": "{arm}を{letters}通送るとき、効果の大きい区分に送れば受診者は約{best}人増え（95%"
    "信頼区間 {low}〜{high}人）、無作為に送る場合（約{random}人）との差は{more}人です（95%ブートストラップ区間 "
    "{more_low}〜{more_high}人）。",
                                 "en": "With {letters} {arm} letters, sending to the segments with the largest effect a"
                                 "dds about {best} attendees (95% interval {low}–{high}); against sending at random "
                                 "({random}) that is {more} attendees (95% bootstrap interval {more_low} to "
                                 "{more_high})."},
    "health.chart.policies": {"ja": "{letters}通を送ったときに増える受診者（推計）",
                              "en": "Extra attendees from {letters} letters (estimate)"},
    "health.policy.random": {"ja": "無作為に送る", "en": "At random"},
    "health.policy.highest_nonattendance": {"ja": "受診しそうにない人に送る", "en": "To the least likely to attend"},
    "health.policy.highest_uplift": {"claim": "causal", "ja": "効果の大きい区分に送る", "en": "To the largest effect"},
    "health.chart.qini": {"ja": "送る割合と増える受診者（Qini曲線）",
                          "en": "Share reached and extra attendees (Qini curve)"},
    "health.table.segments": {"claim": "causal", "ja": "効果の大きい区分（経験ベイズ法による縮小推計）",
                              "en": "Segments with the largest effect (empirical-Bayes shrunk estimates)"},
    "health.targeting.note": {
        "claim": "causal",
        "ja": "区分別の効果は経験ベイズ法による縮小推計です。各区分の試験での差（通知群と対照群の受診率の差）を、"
              "性別・年齢・過去の受診を足し合わせたモデル（試験の差が区分で異なるとデータが示す項目だけを含む。"
              "Wald検定、5%）の値へ、区分どうしの本当のばらつき（DerSimonian–Laird法で推定）に比べて偶然の誤差が大きいほど強く引き寄せた値で、この値の大きい順に並べています。試験での差"
              "そのものの大きい順に選ぶと、偶然大きく出た区分が上に来て効果を過大に見積もります（勝者の呪い）。"
              "区間は近似的な95%信頼区間です。送り方ごとの推計は交差適合（本人を含まない分割で求めた値で順位づけ）"
              "によります。受診者・未受診者が各群{limit}人未満の区分は表示しません。",
        "en": "Effects by segment are empirical-Bayes (shrunk) estimates: each segment's difference in the trial "
              "(letter minus control uptake) is pulled toward an additive model of sex, age and past attendance "
              "(only the items whose segments differ in the trial, by a Wald test at 5%), the more so the larger "
              "its chance error is against the real spread between segments "
              "(DerSimonian–Laird); segments are ranked by these estimates. Ranking by the raw differences would put "
              "lucky segments on top and overstate their effects (the winner's curse). Intervals are approximate "
              "95% intervals. The policies are valued by cross-fitting (ranked by scores from folds without the "
              "person). Segments with fewer than {limit} attendees or non-attendees in an arm are not shown."},
    "health.source.checkups": {"ja": "出典：合成市 国保データベース（合成データ）。年齢は年度末現在。",
                               "en": "Source: Synthetic City NHI database (synthetic). Age on 31 March."},
    "health.source.trial": {"ja": "出典：合成市 受診勧奨の無作為化試験（合成データ）。方法：Newcombe区間と"
                                  "その区間から求めたp値（statsmodels）、Holm補正（Holm 1979）。",
                            "en": "Source: Synthetic City reminder trial (synthetic). Method: Newcombe intervals and "
                                  "the p-values of the same intervals (statsmodels), Holm adjustment (Holm 1979)."},
    "health.effects.note": {
        "claim": "causal",
        "ja": "p値は差の95%信頼区間と同じ方法（Newcombe）から求めています。複数の通知を比べるため、判断には"
              "Holm補正後のp値を使ってください。信頼区間は多重比較の補正をしていません。",
        "en": "The p-value comes from the same method as the 95% interval of the difference (Newcombe). With "
              "several letters compared, judge by the Holm-adjusted p; the intervals are not adjusted for "
              "multiple comparisons."},
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
    "col.ame": {"claim": "association", "ja": "限界差", "en": "Marginal difference"},
    "col.arm": {"ja": "群", "en": "Arm"},
    "col.attended": {"ja": "受診者", "en": "Attended"},
    "col.ci95": {"ja": "95%信頼区間", "en": "95% interval"},
    "col.cost_per_extra": {"ja": "受診者1人増あたり費用（円、95%信頼区間）",
                           "en": "Yen per extra attendee (95% interval)"},
    "health.cost.range": {"ja": "{cost}（{low}〜{high}）", "en": "{cost} ({low} to {high})"},
    "health.cost.no_upper": {"ja": "上限なし", "en": "no upper bound"},
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
    "col.uplift": {"claim": "causal", "ja": "効果", "en": "Effect"},
    "col.uplift_eb": {"claim": "causal", "ja": "効果（縮小推計）", "en": "Effect (shrunk estimate)"},
    "col.uptake": {"ja": "受診率", "en": "Uptake"},
    "home.theme.health": {"ja": "健診受診", "en": "Health-checkup uptake"},
    "home.theme.health.q": {
        "ja": "誰が特定健診を受けていないか、勧奨はどれだけ効いたか、限られた予算で誰に送るか。",
        "en": "Who skips the checkup, what did reminders achieve, and whom should a limited budget remind?",
    },
}
