"""Write pytest-split's durations file from the recorded snippet durations, so that CI shards the snippet tests
evenly across its runners (.github/workflows/ci.yml) without a durations file kept by hand.

    python -m tools.ci_durations [.test_durations]

Each collected test of tests/test_snippets.py whose id names a snippet (`<slug>/<file>.py`) gets the `seconds` of
that snippet's last recording (docs/assets/generated/<slug>/recordings.json, written by `make record`): a full-mode
time, larger than the quick-mode time the tests take, but in proportion to it, which is all the split needs. A test
naming no recorded snippet gets the median, as pytest-split itself would give an unknown test. The `gpu` cases
(ids ending in `-gpu]`) count 0.1 s: CI's hosted runners have no GPU, so they are skipped at once there (the `gpu`
job runs them on a self-hosted runner, unsplit).
"""

from __future__ import annotations

import json
import statistics
import subprocess
import sys
from pathlib import Path

from tools import snippets as harness


def recorded_seconds() -> dict[str, float]:
    seconds = {}
    for snippet in harness.discover():
        entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name, {})
        if "seconds" in entry:
            seconds[snippet.id] = float(entry["seconds"])
    return seconds


def collected(test_file: str = "tests/test_snippets.py") -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", test_file],
        capture_output=True, text=True, cwd=harness.ROOT, check=True,
    )
    return [line.strip() for line in out.stdout.splitlines() if "::" in line]


def durations(node_ids: list[str], seconds: dict[str, float]) -> dict[str, float]:
    by_length = sorted(seconds, key=len, reverse=True)  # "a/01_x.py" must not match inside "a/01_x.py.bak"-like ids first
    median = statistics.median(seconds.values()) if seconds else 1.0
    result = {}
    for node in node_ids:
        name = next((sid for sid in by_length if sid in node), None)
        result[node] = 0.1 if node.endswith("-gpu]") else seconds[name] if name else median
    return result


def main(argv: list[str]) -> int:
    target = Path(argv[0] if argv else ".test_durations")
    table = durations(collected(), recorded_seconds())
    target.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{target}: {len(table)} tests, {sum(table.values()):.0f} s recorded in all")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
