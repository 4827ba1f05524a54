"""Write pytest-split's durations file, so that CI shards its tests evenly across runners (.github/workflows/ci.yml)
without a durations file kept by hand for the snippets; and say what CI's critical path is.

    python -m tools.run.ci_durations [.test_durations]       # the file CI's shards split by
    python -m tools.run.ci_durations --critical-path [--measured FILE]

The file has two sources:

- Each collected test of tests/test_snippets.py whose id names a snippet (`<slug>/<file>.py`) gets the `seconds` of
  that snippet's last recording (docs/assets/generated/<slug>/recordings.json, written by `make record`): a full-mode
  time, larger than the quick-mode time the tests take, but in proportion to it, which is all the split needs (the
  snippet shards split only snippet tests); a case on JAX (`<slug>/<file>.py-jax`) gets that of the recording's run on
  JAX. A test naming no recorded snippet gets the median, as pytest-split itself would give an unknown test. The `gpu`
  cases (ids ending in `-gpu]`) count 0.1 s: CI's hosted runners have no GPU, so they are skipped at once there (the
  `gpu` job runs them on a self-hosted runner, unsplit).
- Every other test (the site shards: site, browser, notebooks, editorial, harness, README/CONTRIBUTING/docs blocks)
  gets its measured duration from MEASURED_FILE (.ci/test-durations.json), written by pytest-split's
  `--store-durations` in `make ci-durations`. A test it does not know yet (a new tests/test_browser_*.py, say) gets
  pytest-split's default, the mean of the known ones, until the file is refreshed.

`--critical-path` splits the tests as CI does (pytest-split's least_duration algorithm, reimplemented in `split` so
that it needs no pytest-split) and prints each job's test time: the site tests in one job, as before they were
sharded, and in the shards ci.yml has now; the snippet shards; and the critical path (the longest job's test time,
set-up such as installing and building not included). `--measured FILE` (a `--store-durations` file of a real run)
counts each test at its measured time instead of the time the split goes by.
"""

from __future__ import annotations

import argparse
import heapq
import json
import statistics
import subprocess
import sys
from pathlib import Path

import yaml

from tools.model import snippets as harness

MEASURED_FILE = harness.ROOT / ".ci" / "test-durations.json"
CI_WORKFLOW = harness.ROOT / ".github" / "workflows" / "ci.yml"
SNIPPET_TESTS = "tests/test_snippets.py"
# What a site shard runs: `make test` (Makefile: TESTS, --codeblocks) without the snippet tests.
SITE_TESTS = ["--codeblocks", f"--ignore={SNIPPET_TESTS}", "tests", "README.md", "CONTRIBUTING.md", "docs"]


def recorded_seconds() -> dict[str, float]:
    seconds = {}
    for snippet in harness.discover():
        entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name, {})
        if "seconds" in entry:
            seconds[snippet.id] = float(entry["seconds"])
        for backend in snippet.backends[1:]:  # its case on another Keras backend (`<id>-jax`): that run's time
            if backend in entry:
                seconds[f"{snippet.id}-{backend}"] = float(entry[backend]["seconds"])
    return seconds


def collected(*args: str) -> list[str]:
    out = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", "-p", "no:cacheprovider", *(args or [SNIPPET_TESTS])],
        capture_output=True, text=True, cwd=harness.ROOT, check=True,
    )
    return [line.strip() for line in out.stdout.splitlines() if "::" in line]


def durations(node_ids: list[str], seconds: dict[str, float]) -> dict[str, float]:
    by_length = sorted(seconds, key=len, reverse=True)  # "a/01_x.py" must not match inside "a/01_x.py.bak"-like ids first
    median = statistics.median(seconds.values()) if seconds else 1.0
    return {node: 0.1 if node.endswith("-gpu]") else next((seconds[sid] for sid in by_length if sid in node), median)
            for node in node_ids}


def measured(path: Path = MEASURED_FILE) -> dict[str, float]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def split(node_ids: list[str], known: dict[str, float], splits: int) -> list[list[str]]:
    """pytest-split's least_duration: unknown tests count the mean of the known ones; longest first (ties by name),
    each to the group with the least time so far (ties to the lowest group)."""
    relevant = [known[n] for n in node_ids if n in known]
    default = sum(relevant) / len(relevant) if relevant else 1.0
    order = sorted(sorted(node_ids), key=lambda n: known.get(n, default), reverse=True)
    groups: list[list[str]] = [[] for _ in range(splits)]
    heap = [(0.0, i) for i in range(splits)]
    for node in order:
        total, index = heapq.heappop(heap)
        groups[index].append(node)
        heapq.heappush(heap, (total + known.get(node, default), index))
    return groups


def shard_counts(workflow: Path = CI_WORKFLOW) -> dict[str, int]:
    """{job: number of shards} for the jobs of ci.yml that run pytest-split (`--splits N`)."""
    jobs = yaml.safe_load(workflow.read_text(encoding="utf-8"))["jobs"]
    return {name: len(job["strategy"]["matrix"]["group"]) for name, job in jobs.items()
            if "--splits" in " ".join(step.get("run", "") for step in job.get("steps", []))}


def critical_path(site_ids: list[str], snippet_ids: list[str], site_known: dict[str, float],
                  snippet_known: dict[str, float], shards: dict[str, int], timed: dict[str, float]) -> dict:
    """Each job's test time (tests split by the *_known durations, counted at `timed` where it has them)."""
    def seconds(nodes, known):
        relevant = [known[n] for n in nodes if n in known] or [1.0]
        return round(sum(timed.get(n, known.get(n, sum(relevant) / len(relevant))) for n in nodes), 1)

    site_shards = [seconds(group, site_known) for group in split(site_ids, site_known, shards["site"])]
    snippet_shards = [seconds(group, snippet_known) for group in split(snippet_ids, snippet_known, shards["snippets"])]
    return {
        "site_in_one_job": seconds(site_ids, site_known), "site_shards": site_shards, "snippet_shards": snippet_shards,
        "before": max(seconds(site_ids, site_known), *snippet_shards), "after": max(*site_shards, *snippet_shards),
    }


def ci_table() -> tuple[list[str], list[str], dict[str, float], dict[str, float]]:
    snippet_ids, site_ids = collected(SNIPPET_TESTS), collected(*SITE_TESTS)
    site_measured = measured()
    site_known = {node: site_measured[node] for node in site_ids if node in site_measured}
    return snippet_ids, site_ids, durations(snippet_ids, recorded_seconds()), site_known


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("target", nargs="?", type=Path, default=Path(".test_durations"))
    parser.add_argument("--critical-path", action="store_true", help="print each CI job's test time instead")
    parser.add_argument("--measured", type=Path, help="with --critical-path: count each test at its time in this file")
    args = parser.parse_args(argv)
    snippet_ids, site_ids, snippet_known, site_known = ci_table()
    if args.critical_path:
        timed = measured(args.measured) if args.measured else {}
        path = critical_path(site_ids, snippet_ids, site_known, snippet_known, shard_counts(), timed)
        unknown = sum(node not in site_known for node in site_ids)
        print(f"site tests: {len(site_ids)} ({unknown} not in {MEASURED_FILE.relative_to(harness.ROOT)} yet: counted at the mean)")
        print(f"  in one job (before they were sharded): {path['site_in_one_job']:.0f} s")
        print(f"  in {len(path['site_shards'])} shards (ci.yml): " + ", ".join(f"{s:.0f}" for s in path["site_shards"]) + " s")
        print(f"snippet tests: {len(snippet_ids)}, in {len(path['snippet_shards'])} shards: "
              + ", ".join(f"{s:.0f}" for s in path["snippet_shards"]) + " s"
              + ("" if timed else " (their recordings' full-mode times: the tests' quick mode takes less)"))
        print(f"CI's critical path (the longest job's test time{', measured' if timed else ''}): "
              f"{path['before']:.0f} s with the site tests in one job, {path['after']:.0f} s sharded")
        return 0
    table = {**snippet_known, **site_known}
    args.target.write_text(json.dumps(table, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{args.target}: {len(table)} tests, {sum(table.values()):.0f} s in all "
          f"({len(snippet_known)} snippet tests from the recordings, {len(site_known)} others measured)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
