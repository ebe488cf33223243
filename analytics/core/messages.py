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
