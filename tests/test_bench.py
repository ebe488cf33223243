"""``make bench`` (benchmarks/run.py): a selection of rows with a limit per measurement."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_a_selected_group_past_its_limit_is_a_stopped_row_and_the_table_is_kept():
    table = ROOT / "benchmarks" / "results.md"
    before = table.read_bytes()
    out = subprocess.run([sys.executable, "-m", "benchmarks.run", "--only", "analyses", "--scales", "1",
                          "--repeat", "1", "--limit", "0.01"], cwd=ROOT, capture_output=True, text=True,
                         timeout=120, check=True).stdout
    rows = [line for line in out.splitlines() if line.startswith("| ") and "measurement" not in line]
    assert rows == ["| analyses: stopped | 1 | > 0.01 s (stopped) | — |  |"]
    assert table.read_bytes() == before  # a selection never replaces the whole table
