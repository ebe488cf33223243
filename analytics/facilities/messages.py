"""The facilities domain's UI strings, in Japanese and English."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "facilities.title": {"ja": "公共施設マネジメント", "en": "Public facility management"},
    "facilities.lead": {
        "ja": "建物の老朽化、総務省の方法による今後40年間の更新費用と過去の投資額との差、"
              "長寿命化・延床面積削減の場合の費用、"
              "施設カルテと統廃合による費用と住民の利便性の変化を示します。",
        "en": "How old the buildings are, what renewing them costs over 40 years by the national (MIC) method "
              "against what the city has been spending, what life extension and a floor-area target would cost, and "
              "what closing or merging facilities saves and does to residents' access."},
    "facilities.no_data": {"ja": "施設・建物のデータがありません。データのページで読み込んでください。",
                           "en": "There are no facilities or buildings. Load them on the Data page."},
    "facilities.invalid": {"ja": "前提条件を確認してください：{reason}",
                           "en": "Please check the assumptions: {reason}"},
    "facilities.assumptions": {"ja": "前提条件（単価・周期）を変える",
                               "en": "Edit the assumptions (unit costs, cycles)"},
    "facilities.knob.start": {"ja": "試算の開始年度", "en": "First fiscal year"},
    "facilities.knob.start.help": {
        "ja": "過去の投資的経費（{last}まで）と比べるため、その翌年度から選べます。",
        "en": "Compared with past investment (up to {last}), so it starts the year after."},
    "facilities.knob.renovation_age": {"ja": "大規模改修（築年数）", "en": "Major renovation at age"},
    "facilities.knob.rebuild_age": {"ja": "建替え（築年数）", "en": "Rebuild at age"},
    "facilities.knob.backlog_years": {"ja": "積み残しを処理する年数", "en": "Years to clear the backlog"},
    "facilities.knob.costs_note": {
        "ja": "単価は万円/㎡（総務省 更新費用試算ソフトの既定値）。表の数値を直接書き換えられます。",
        "en": "Unit costs in 10,000 yen per m² (the MIC software's defaults). Edit the table to set your own."},
    "facilities.knob.mid_repairs": {"ja": "中規模改修を含める", "en": "Mid-scale repairs (long life)"},
    "facilities.knob.mid_repairs.help": {
        "ja": "長寿命化シナリオで、加古川市の例のとおり築20年と60年に建替え費の30%の中規模改修を行います。",
        "en": "加古川市's example: mid-scale repairs at 20 and 60 years, each 30% of the rebuild cost."},
    "facilities.knob.target": {"ja": "延床面積の削減目標（40年間、建替え時）",
                               "en": "Floor-area target (over 40 years, at rebuilds)"},
    "facilities.compare.scenario": {"ja": "採用するシナリオ", "en": "Scenario in force"},
    "facilities.compare.closed": {"ja": "廃止・統合する施設数", "en": "Facilities closed or merged"},
    "facilities.compare.chart": {"ja": "年度別の更新費用（採用するシナリオ）",
                                 "en": "Renewal cost per year (scenario in force)"},
    "facilities.knob.costs": {"ja": "単価表", "en": "Unit-cost table"},
    "facilities.scenario.cost": {
        "ja": "{scenario}：{fy}から{years}年間、大規模改修{renovation}年・建替え{rebuild}年、"
              "延床面積−{target}%{edited}",
        "en": "{scenario}: {years} years from {fy}, renovation at {renovation}, rebuilding at {rebuild} years, "
              "floor area −{target}%{edited}"},
    "facilities.scenario.now": {"ja": "{fy}時点の公共建築物と、{scenario}での住民1人あたり延床面積",
                                "en": "Public buildings as of {fy}, and floor area per resident under {scenario}"},
    "facilities.scenario.costs_edited": {"ja": "（単価を変更）", "en": " (unit costs edited)"},
    "facilities.scenario.cards": {"ja": "{sub}の施設カルテ：利用が下位{pct}%かつ築{age}年以上を見直し候補に",
                                  "en": "Cards of {sub}: the lowest {pct}% by use and {age}+ years old to review"},
    "facilities.scenario.plan": {
        "ja": "{closed}施設を廃止・{merged}施設を統合（{scenario}）、{sub}まで{beyond}mを超える住民",
        "en": "{closed} facilities closed, {merged} merged ({scenario}); residents beyond {beyond} m of a {sub}"},
    "facilities.knob.scenario": {"ja": "採用するシナリオ", "en": "Scenario in force"},
    "facilities.scenario.simple": {"ja": "単純更新", "en": "Simple renewal"},
    "facilities.scenario.long_life": {"ja": "長寿命化（80年）", "en": "Long life (80 years)"},
    "facilities.scenario.reduction": {"ja": "延床面積削減", "en": "Floor-area reduction"},
    # metric labels stay short enough for four columns at 1280 px (about 10 full-width characters);
    # the year, the horizon and the detail go to the help
    "facilities.metric.floor_area": {"ja": "公共建築物の延床面積", "en": "Public floor area"},
    "facilities.metric.floor_area.help": {"ja": "公共建築物の延床面積 {area}（{n}施設・{b}棟の合計）。",
                                          "en": "Floor area of public buildings: {area} ({n} facilities, {b} "
                                                "buildings)."},
    "facilities.metric.aged": {"ja": "築30年以上の割合", "en": "Aged 30+ years"},
    "facilities.metric.aged.help": {"ja": "{fy}時点で、延床面積に占める築30年以上の建物の割合。",
                                    "en": "Share of the floor area in buildings aged 30 years or more in {fy}."},
    "facilities.metric.yearly": {"ja": "更新費用（年平均）", "en": "Renewal cost a year"},
    "facilities.metric.yearly.help": {"ja": "{fy}から{years}年間の年平均。採用するシナリオ：{scenario}。",
                                      "en": "Yearly average over {years} years from {fy}. Scenario in force: "
                                            "{scenario}."},
    "facilities.metric.ratio": {"ja": "過去の投資額との比", "en": "× recent spending"},
    "facilities.metric.ratio.help": {
        "ja": "更新費用の年平均 ÷ 過去5年度の公共建築物への投資的経費の平均（年{past}）。"
              "総務省の111団体調査（2012年）では平均2.6倍。",
        "en": "Renewal cost a year ÷ the last 5 fiscal years' average investment in buildings ({past} a year). "
              "MIC's survey of 111 municipalities (2012) found 2.6× on average."},
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
              "延床面積削減：40年間で{target}%小さくなるよう、期間内に建て替える建物をすべて同じ割合で縮小。"
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
    "facilities.knob.close.help": {
        "ja": "施設カルテのタブで、「見直し」区分をまとめて入れることもできます。",
        "en": "The facility cards tab can put its whole 'review' group here in one click."},
    "facilities.knob.proposal.help": {
        "ja": "施設カルテの「見直し」区分（各種類に少なくとも1施設は残す）を、統廃合シナリオのタブの廃止候補にします。",
        "en": "Puts the facility cards' 'review' group up for closure in the consolidation scenario tab "
              "(at least one of each kind stays)."},
    "facilities.knob.merge": {"ja": "統合（集約・複合化）する施設", "en": "Facilities to merge"},
    "facilities.knob.receiver": {"ja": "統合先", "en": "Merge into"},
    "facilities.knob.receiver.none": {"ja": "統合先を選ぶ", "en": "Choose where they move"},
    "facilities.merge.no_receiver": {"ja": "統合先を選ぶと、統合する施設が計算に入ります。",
                                     "en": "Choose where they move to include the merged facilities."},
    "facilities.knob.beyond": {"ja": "遠いとみなす距離", "en": "Far means beyond"},
    "facilities.knob.access_sub": {"ja": "利便性を見る施設の種類", "en": "Access to which kind of facility"},
    "facilities.metric.area_saved": {"ja": "延床面積の削減", "en": "Floor area saved"},
    "facilities.metric.area_saved.help": {"ja": "廃止・統合する施設の延床面積 {area}。",
                                          "en": "Floor area of the facilities closed or merged: {area}."},
    "facilities.metric.operating_saved": {"ja": "運営費の削減（年）", "en": "Running saving a year"},
    "facilities.metric.operating_saved.help": {
        "ja": "{fy}の運営費 − 失われる使用料収入。統合では、統合先へ移る利用の使用料は失われないものとします。"
              "受け入れる施設の費用増は含みません。",
        "en": "Operating cost less the fees lost, in {fy}. For a merge the fees of the visits that move to the "
              "receiver are not lost. Extra costs of the receiving facilities are not included."},
    "facilities.metric.renewal_avoided": {"ja": "不要な更新費用", "en": "Renewal avoided"},
    "facilities.metric.renewal_avoided.help": {"ja": "{years}年間の合計。{scenario}による試算。",
                                               "en": "Over {years} years, under the scenario {scenario}."},
    "facilities.metric.total_saved": {"ja": "削減額の合計", "en": "Total saved"},
    "facilities.metric.total_saved.help": {
        "ja": "{years}年間の合計 = 運営費の削減 × {years}年 ＋ 不要な更新費用 − 除却費用（割引なし）。"
              "前提に基づく記述的な試算で、統廃合の結果を予測するものではありません。",
        "en": "Over {years} years: the running saving × {years} + renewal avoided − demolition (undiscounted). "
              "A descriptive projection under the stated assumptions, not a forecast of what a consolidation "
              "would bring."},
    "facilities.saving.breakdown": {
        "ja": "{years}年間の削減額の内訳：運営費の削減 {operating}/年 × {years}年 = {running} ＋ 不要な更新費用 "
              "{renewal} − 除却費用 {demolition}（延床面積 × {unit}円/㎡、仮定）＝ {total}",
        "en": "Saving over {years} years: running saving {operating} a year × {years} = {running} + renewal "
              "avoided {renewal} − demolition {demolition} (floor area × {unit} yen per m², assumed) = {total}"},
    "facilities.knob.demolition": {"ja": "除却費用（万円/㎡）", "en": "Demolition (10,000 yen/m²)"},
    "facilities.knob.demolition.help": {
        "ja": "廃止・統合する施設の建物を取り壊す費用の単価。総務省の更新費用試算ソフトには含まれず、"
              "計画では自治体ごとの単価（数万円/㎡程度）が使われます。既定の3万円/㎡は本プロジェクトの仮定"
              "（出典なし）です。市の単価に置き換えてください。",
        "en": "Unit cost of demolishing the buildings of closed or merged facilities. The MIC renewal software "
              "leaves demolition out; plans that count it use local unit costs (often a few 10,000 yen per m²). "
              "The default of 30,000 yen per m² is a project assumption (no source): set the city's own."},
    "facilities.knob.decay": {"ja": "移る利用を距離で減衰させる", "en": "Visits that move fall with distance"},
    "facilities.knob.decay.help": {
        "ja": "オフ：廃止・統合する施設の利用はすべて移り先へ移るとします（受け入れ施設の負荷の上限）。"
              "オン：移り先までの距離が遠いほど移る割合が小さいとします。"
              "移る割合 = 0.5 ^（距離 ÷ 半減距離）。本プロジェクトの仮定（出典なし）です。",
        "en": "Off: every visit of a closed or merged facility moves to its receiver (the upper bound of the "
              "receiver's load). On: the farther the receiver, the smaller the share that moves: share = "
              "0.5 ^ (distance ÷ half distance). A project assumption (no source)."},
    "facilities.knob.half_distance": {"ja": "半数が移る距離（仮定）", "en": "Half the visits move at (assumed)"},
    "facilities.action.close": {"ja": "廃止", "en": "Close"},
    "facilities.action.merge": {"ja": "統合", "en": "Merge"},
    "facilities.table.savings": {"ja": "廃止・統合する施設と削減額",
                                 "en": "Facilities closed or merged and what they save"},
    "facilities.table.reassignment": {"ja": "利用者の移り先と受け入れ施設の負荷",
                                      "en": "Where the visits go and the load on the receiving facility"},
    "facilities.no_receiver": {"ja": "（同じ種類の施設がなくなる）", "en": "(no facility of the kind remains)"},
    "facilities.load.note": {
        "ja": "廃止した施設の延べ利用者は最も近い同じ種類の施設へ、統合した施設の利用者は統合先へ移るとしました。"
              "負荷 = 移転後の延べ利用者数 ÷ 受入能力。「上限」はすべての利用が移る場合で、実際の負荷はこれを超えない"
              "と見込む上限です（利用をやめる人や他の施設へ行く人もいるため）。前提に基づく記述的な試算です。",
        "en": "Visits of a closed facility go to the nearest facility of the same kind; those of a merged one to "
              "where it moves. Load = visits after ÷ capacity. The upper bound assumes every visit moves; some "
              "users stop or go elsewhere, so the load is expected not to exceed it. A descriptive projection "
              "under the stated assumptions."},
    "facilities.load.decay_note": {
        "ja": "距離減衰：移る割合 = 0.5 ^（施設間の直線距離 ÷ {half}km）。{half}km先の施設へは半数、"
              "その2倍の距離なら4分の1が移るとします。半減距離は本プロジェクトの仮定（出典なし）です。"
              "統合では、移る利用の使用料だけが統合先で収入として残ります。",
        "en": "Distance decay: share that moves = 0.5 ^ (straight-line distance between the facilities ÷ {half} km): "
              "half the visits move to a facility {half} km away, a quarter at twice that. The half distance is a "
              "project assumption (no source). For a merge, only the fees of the visits that move are kept."},
    "facilities.map.title": {"ja": "{sub}までの平均距離（統廃合後）と{beyond}mより遠い住民",
                             "en": "Mean distance to a {sub} after the closures, and residents beyond {beyond} m"},
    "facilities.map.tooltip": {
        "ja": "<b>{name}</b><br>平均距離：{d_before}m → {d_after}m<br>{beyond}mより遠い住民：{before}人 → {after}人",
        "en": "<b>{name}</b><br>Mean distance: {d_before} m → {d_after} m<br>Residents beyond {beyond} m: "
              "{before} → {after}"},
    "facilities.map.legend_low": {"ja": "近い", "en": "near"},
    "facilities.map.legend_high": {"ja": "遠い", "en": "far"},
    "facilities.map.legend": {"ja": "青：残る施設、緑：統合先、赤：廃止・統合する施設。",
                              "en": "Blue: facilities kept; green: where merged services move; red: closed or merged."},
    "facilities.metric.beyond": {"ja": "遠い住民（{beyond}m超、統廃合後）",
                                 "en": "Residents beyond {beyond} m (after)"},
    "facilities.metric.beyond.help": {"ja": "{sub}までの直線距離が{beyond}mを超える住民（統廃合後）。",
                                      "en": "Residents farther than {beyond} m in a straight line from a {sub}, "
                                            "after the closures."},
    "facilities.metric.beyond.delta": {"ja": "統廃合前 {before}人", "en": "before: {before}"},
    "facilities.table.access": {"ja": "小学校区別の{sub}までの距離", "en": "Distance to a {sub} by district"},
    "facilities.access.note": {
        "ja": "住民数は公表している500mメッシュ人口（秘匿したメッシュは地区の残りを均等に配分した推計）から集計。"
              "{limit}人未満は表示しません。距離は500mメッシュの中心からの直線距離。",
        "en": "Residents are summed from the published 500 m mesh counts (hidden meshes estimated by sharing out "
              "what their district's total leaves). Below {limit} shows as '<{limit}'. Distances are straight "
              "lines from the centre of each 500 m mesh."},
    "facilities.rules": {"ja": "更新の時期（{scenario}）：{rules}",
                         "en": "When renewal falls due ({scenario}): {rules}"},
    "facilities.rule.renovation": {"ja": "築{age}年で大規模改修（{years}年で均等に）",
                                   "en": "major renovation at age {age} (spread over {years} years)"},
    "facilities.rule.rebuild": {"ja": "築{age}年で建替え（{years}年で均等に）",
                                "en": "rebuild at age {age} (spread over {years} years)"},
    "facilities.rule.backlog_renovation": {
        "ja": "開始時に築{low}〜{high}年の建物は、未実施の大規模改修を{years}年で均等に（積み残し）",
        "en": "buildings aged {low}–{high} at the start: the missed renovation spread over {years} years (backlog)"},
    "facilities.rule.no_renovation": {"ja": "築{low}〜{high}年の建物は大規模改修なし",
                                      "en": "aged {low}–{high}: no renovation"},
    "facilities.rule.backlog_rebuild": {"ja": "築{age}年以上の建物は、建替えを{years}年で均等に（積み残し）",
                                        "en": "aged {age} or more: the rebuild spread over {years} years (backlog)"},
    "facilities.rule.mid_repair": {
        "ja": "築{ages}年で中規模改修（建替え費の{share}%、積み残しの大規模改修中に来るものはそれに含む）",
        "en": "mid-scale repair at ages {ages} ({share}% of the rebuild cost; one due during a backlog "
              "renovation is part of it)"},
    "facilities.rule.new_cycle": {"ja": "建替えた建物は建替え完了の年度から新しい周期",
                                  "en": "a rebuilt building starts a new cycle from the year its rebuild ends"},
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
    "col.change_m": {"ja": "増減（m）", "en": "Difference (m)"},
    "col.change_vs_simple": {"ja": "単純更新との差", "en": "Against simple renewal"},
    "col.cost_per_m2": {"ja": "㎡当たりコスト（円）", "en": "Cost per m² (yen)"},
    "col.cost_per_visit": {"ja": "利用1回当たりコスト（円）", "en": "Cost per visit (yen)"},
    "col.cost_recovery": {"ja": "受益者負担率", "en": "Cost recovery"},
    "col.distance": {"ja": "距離", "en": "Distance"},
    "col.facility": {"ja": "施設", "en": "Facility"},
    "col.facility_id": {"ja": "施設ID", "en": "Facility ID"},
    "col.floor_area": {"ja": "延床面積", "en": "Floor area"},
    "col.floor_area_end": {"ja": "期間末の延床面積", "en": "Floor area at the end"},
    "col.load_after": {"ja": "負荷（距離減衰）", "en": "Load after (distance decay)"},
    "col.load_upper": {"ja": "負荷の上限（すべての利用が移る）", "en": "Load after (upper bound: all visits move)"},
    "col.share_moved": {"ja": "移る割合", "en": "Share moved"},
    "col.demolition_man": {"ja": "除却費用（万円）", "en": "Demolition (10,000 yen)"},
    "col.fees_kept_man": {"ja": "移る使用料（万円/年）", "en": "Fees kept (10,000 yen/yr)"},
    "col.m2_per_resident": {"ja": "1人当たり（㎡）", "en": "m² per resident"},
    "col.mean_distance_before": {"ja": "平均距離 前（m）", "en": "Mean distance before (m)"},
    "col.mean_distance_after": {"ja": "平均距離 後（m）", "en": "Mean distance after (m)"},
    "col.net_operating_man": {"ja": "運営費−失う使用料（万円/年）", "en": "Running saving (10,000 yen/yr)"},
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
    "home.theme.facilities": {"ja": "公共施設マネジメント", "en": "Public facility management"},
    "home.theme.facilities.q": {
        "ja": "施設の老朽化と40年間の更新費用は。統廃合した場合の費用と住民の距離はどうなるか。",
        "en": "How old are our buildings, what will renewal cost over 40 years, and what would consolidations save?",
    },
    "axis.fiscal_year": {"ja": "年度", "en": "Fiscal year"},
}
