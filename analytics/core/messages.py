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
