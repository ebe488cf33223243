"""The strings of the core's own tables (problems found in a file, a dataset's contract), in
Japanese and English; :mod:`analytics.i18n` serves them with every other string."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
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
    "problem.n_lines": {"ja": "該当行数", "en": "lines affected"},
    "problem.lines": {"ja": "該当する行", "en": "lines"},
    "problem.lines.more": {"ja": " …ほか {n} 行（すべての行はダウンロードで）",
                           "en": " … and {n} more lines (all of them in the download)"},
    # Reading a planner's file (analytics.core.files). A message continues the place: 「x.xlsx」の 2 行目 + ja,
    # "Line 2 of 'x.xlsx'" + " " + en.
    "files.fy_date.read": {
        "ja": "で、「{column}」が日付として入力されています（この列で {n} 個のセル）。表示どおりの年度として読みました"
              "（例: {date} は「{shown}」と表示されています）",
        "en": "has '{column}' entered as a date ({n} cells of this column): each was read as the fiscal year it "
              "shows (e.g. {date} is shown as '{shown}')",
    },
    "files.fy_date.read.fix": {
        "ja": "表示どおりの年度で正しければそのままで構いません（日付の月日ではなく、表示されている年度を読みます）。"
              "違う場合は、年度を 2024 や 令和6年度 のように入力し直してください",
        "en": "Nothing to do if the years shown are right (the year shown is read, not the day of the date). "
              "Otherwise enter the fiscal year as 2024 or 令和6年度",
    },
    "files.fy_date.refused": {
        "ja": "で、「{column}」が日付になっていて、年度として読めません（この列で {n} 個のセル。"
              "例: {date} は「{shown}」と表示されています）",
        "en": "has '{column}' as a date, which is not a fiscal year ({n} cells of this column; e.g. {date}, "
              "shown as '{shown}')",
    },
    "files.fy_date.refused.fix": {
        "ja": "年度を 2024 や 令和6年度 のように入力してください（セルの表示形式を「標準」か「文字列」にしてから"
              "入力し直します）。年度は4月〜翌3月なので、{date} を含む年度なら {fy} です",
        "en": "Enter the fiscal year as 2024 or 令和6年度 (set the cell format to 'General' or 'Text' first). "
              "Fiscal years run April to March: the one that contains {date} is {fy}",
    },
    "files.wkt.bad": {
        "ja": "で、「{column}」の値を WKT の図形として読めません（この列で {n} 個のセル）",
        "en": "has a '{column}' value that cannot be read as a WKT shape ({n} cells of this column)",
    },
    "files.wkt.bad.fix": {
        "ja": "境界は WKT（例: POLYGON ((135.1 34.6, 135.2 34.6, 135.2 34.7, 135.1 34.6))、経度 緯度の順、最初と最後の"
              "点が同じ）で書くか、GIS から GeoJSON（.geojson）か GeoPackage（.gpkg）で書き出して読み込んでください。"
              "Excel のセルは 32,767 文字までのため、点の多い境界は GeoJSON にしてください",
        "en": "Write the boundary as WKT (e.g. POLYGON ((135.1 34.6, 135.2 34.6, 135.2 34.7, 135.1 34.6)): longitude "
              "then latitude, the last point the same as the first), or export it from your GIS as GeoJSON "
              "(.geojson) or GeoPackage (.gpkg). An Excel cell holds at most 32,767 characters: use GeoJSON for "
              "boundaries with many points",
    },
    "files.wkt.metres.fix": {
        "ja": "WKT には座標系を書けません。GIS で経緯度（JGD2011、EPSG:6668）に変換してから書き出すか、"
              "値の先頭に SRID=6673; のように座標系を付けるか、座標系付きの GeoJSON / GeoPackage で読み込んでください",
        "en": "WKT carries no CRS: convert to longitude/latitude (JGD2011, EPSG:6668) in your GIS before exporting, "
              "start each value with its CRS (e.g. SRID=6673;), or load a GeoJSON / GeoPackage with its CRS",
    },
    "files.wkt.assumed.fix": {
        "ja": "地図上の位置がずれていないか確かめてください。ずれている場合は、値の先頭に SRID=6673; のように座標系を"
              "付けるか、座標系付きの GeoJSON / GeoPackage で読み込んでください",
        "en": "Check the positions on the map; if they are off, start each value with its CRS (e.g. SRID=6673;) or "
              "load a GeoJSON / GeoPackage with its CRS",
    },
    "files.wkt.srids": {
        "ja": "の図形（WKT）の座標系（SRID）が1つに決まりません（{codes}）",
        "en": "has WKT shapes whose CRS (SRID) is not one known EPSG code ({codes})",
    },
    "files.wkt.srids.fix": {
        "ja": "すべての値を同じ座標系で書き出してください（SRID を付けるならすべての値に、EPSG コードで）",
        "en": "Export every value in one CRS (an SRID, if any, on every value, as an EPSG code)",
    },
    # Conversions of a planner's table (normalise)
    "normalise.top": {
        "ja": "「{label}」の {n} 個のセルの「{top}以上」の表記を {top} としました（このデータでは {top} が"
              "「{top}以上」を表します。例: 「{before}」→「{after}」）",
        "en": "{n} cells of '{label}' written as '{top} and over' were read as {top} (in this dataset {top} "
              "stands for {top} and over; e.g. '{before}' → '{after}')",
    },
    "normalise.top.fix": {
        "ja": "そのままで構いません（{top}以上の人数は {top} の行にまとめて入力します）",
        "en": "Nothing to do (everyone aged {top} and over goes on the rows of {top})",
    },
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
}


def text(key: str, lang: str, **values: object) -> str:
    """The string ``key`` in ``lang`` (Japanese for an unknown language), placeholders filled."""
    entry = MESSAGES[key]
    found = entry.get(lang, entry["ja"])
    return found.format(**values) if values else found
