"""Speed budget, measured in one run on this machine: `make bench` (not a test: timings vary by machine).

Prints the snippet runs with the warm runner against nbmake running the generated notebooks (the same programs,
paired runs, medians; nbmake comes from bench/requirements.txt), the floor of the snippet suite (a bare `import tensorflow` x snippet runs / cores), the quick-mode snippet
suite and its ratio to that floor, the `mkdocs build` time, and per article page, as measured by the browser test in
headless Chromium: the bytes transferred (the test server gzip-encodes text as a static host does; the decoded
size is given too), the same without the diagram library, and the time from navigation start until every formula
is typeset and every diagram drawn.
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tools import snippets as harness  # noqa: E402

PY = sys.executable
CORES = os.cpu_count() or 1


def timed(cmd: list[str], cwd: Path = ROOT, **kwargs) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, cwd=cwd, **kwargs)
    return time.perf_counter() - started


def timed_with_cpu(cmd: list[str], **kwargs) -> tuple[float, float]:
    """(wall seconds, CPU seconds of the command and all its children)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = timed(cmd, **kwargs)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def warm_suite_vs_nbmake(env: dict, pairs: int = 3) -> dict:
    """The snippet tests (warm runner) and nbmake on the generated notebooks (the same programs), quick mode, two
    workers each, in alternating pairs; medians of wall and CPU time.

    nbmake runs copies of the notebooks in a temporary folder, so the figures they write stay out of the tree.
    """
    notebooks = sorted(ROOT.glob("docs/articles/*/notebook.zh.ipynb"))
    quick = {**env, harness.QUICK_ENV: "1"}
    ours, theirs = [], []
    for _ in range(pairs):
        ours.append(timed_with_cpu([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(CORES),
                                    "tests/test_snippets.py", "-k", "test_snippet and cpu"], env=env))
        with tempfile.TemporaryDirectory(prefix="nbmake-") as work:
            copies = []
            for notebook in notebooks:
                copy = Path(work, notebook.parent.name, notebook.name)
                copy.parent.mkdir()
                shutil.copyfile(notebook, copy)
                copies.append(str(copy))
            theirs.append(timed_with_cpu([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", str(CORES),
                                          "--nbmake", "--nbmake-timeout=600", "--rootdir", work, *copies], env=quick, cwd=work))
    median = lambda runs, i: statistics.median(run[i] for run in runs)  # noqa: E731
    return {"ours_wall": median(ours, 0), "ours_cpu": median(ours, 1), "nbmake_wall": median(theirs, 0),
            "nbmake_cpu": median(theirs, 1), "pairs": pairs, "notebooks": len(notebooks)}


def main() -> None:
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}
    imports = [timed([PY, "-c", "import tensorflow"], env=env) for _ in range(3)]
    runs = len(harness.discover())  # the cpu case of each snippet (no GPU here)
    floor = statistics.median(imports) * runs / CORES
    suite = timed([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto", "tests/test_snippets.py"], env=env)
    versus = warm_suite_vs_nbmake(env)
    with tempfile.TemporaryDirectory() as site:
        build = timed([str(Path(PY).parent / "mkdocs"), "build", "--strict", "-d", site], env=env)
    for stale in (ROOT / ".artifacts").glob("weight-*.json"):
        stale.unlink()
    browser = timed([PY, "-m", "pytest", "-q", "-n0", "tests/test_browser.py", "-k", "renders_offline"], env=env)

    print(f"machine: {CORES} cores")
    print(f"import tensorflow (median of 3):   {statistics.median(imports):6.2f} s")
    print(f"floor = import x {runs} runs / {CORES} cores: {floor:6.2f} s")
    print(f"snippet suite, quick mode:        {suite:6.2f} s  ({suite / floor:.2f} x floor; pytest start-up and the"
          " warm/cold equivalence runs included)")
    print(f"snippet runs, warm runner:        {versus['ours_wall']:6.2f} s wall {versus['ours_cpu']:7.2f} s CPU"
          f"  (tests/test_snippets.py -k 'test_snippet and cpu'; median of {versus['pairs']})")
    print(f"nbmake, {versus['notebooks']} generated notebooks: {versus['nbmake_wall']:6.2f} s wall {versus['nbmake_cpu']:7.2f} s CPU"
          f"  (same programs, quick mode, {CORES} workers; median of {versus['pairs']})")
    print(f"warm runner / nbmake:             {versus['ours_wall'] / versus['nbmake_wall']:6.2f} x wall"
          f" {versus['ours_cpu'] / versus['nbmake_cpu']:7.2f} x CPU   (target: at most 0.7 x wall)")
    print(f"mkdocs build --strict:            {build:6.2f} s")
    print(f"browser render checks:            {browser:6.2f} s")
    print("\narticle page                    transferred  without mermaid (decoded)   math typeset  diagrams drawn")
    for report in sorted((ROOT / ".artifacts").glob("weight-*.json")):
        data = json.loads(report.read_text())
        page = report.stem.removeprefix("weight-")
        before = data["bytes"] - data["diagram_library_bytes"]
        decoded_before = data["decoded_bytes"] - data["diagram_library_decoded_bytes"]
        print(f"{page:30s} {data['bytes'] / 1e6:7.2f} MB {before / 1e6:9.2f} MB ({decoded_before / 1e6:.2f} MB)"
              f" {data['math_ms']:10d} ms {data['diagrams_ms']:11d} ms")


if __name__ == "__main__":
    main()
