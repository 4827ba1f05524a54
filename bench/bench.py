"""Speed budget, measured in one run on this machine: `make bench` (not a test: timings vary by machine).

Prints the snippet runs with the warm runner against nbmake running the generated notebooks (the same programs,
paired runs, medians; nbmake comes from bench/requirements.txt), the floor of the snippet suite (a bare
`import tensorflow` x snippet runs / cores), the quick-mode snippet suite and its ratio to that floor, the
`mkdocs build` time, the time of the browser render checks, and the page budget (page_budget below): per article
page, in headless Chromium (1280 x 900) against the built site served gzip-encoded as a static host serves it (by
Python's threading HTTP server on localhost), the bytes transferred in all (fonts, CSS, scripts, images, the search
index Material fetches after load) against 400 kB, the time until the page is complete (loaded, fonts ready, every
formula typeset and every diagram drawn) and its largest contentful paint (LCP: when the largest text block or image
in the viewport was painted), each as a multiple of its language's home page's in the same run (targets: at most
1.3 x and 1.2 x).

    python bench/bench.py                  # everything
    python bench/bench.py --pages [SITE ...] [--rounds N]   # only the page budget (N loads of each page, default 3),
                                                            # of each SITE given (built site folders, e.g. a before
                                                            # and an after, each page loaded on each in turn) or of
                                                            # a fresh build
    python bench/bench.py --snippets       # only the warm runner against nbmake (about 7 minutes on 2 cores)
"""

from __future__ import annotations

import contextlib
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
from tools.model import snippets as harness  # noqa: E402

PAGE_BUDGET = 400_000  # bytes per article page, in all
LOAD_RATIO = 1.3  # an article page complete within this multiple of the home page's time
LCP_RATIO = 1.2  # an article page's largest contentful paint within this multiple of the home page's

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


# Complete: loaded, fonts ready, no formula left as TeX, no diagram left undrawn. It holds for pages made before
# issue 13 too (KaTeX and mermaid in the browser; Material draws mermaid in a closed shadow root, opened here).
COMPLETE = """() => document.readyState === 'complete' && document.fonts.status === 'loaded'
  && [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex, .katex-error'))
  && document.querySelectorAll('pre.mermaid').length === 0
  && [...document.querySelectorAll('div.mermaid')].every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'))"""
# The largest contentful paint so far: the last entry the browser reports (it stops at the first click, key or scroll,
# which these loads never make). 0 if none came: page_budget then fails rather than report a ratio of 0.
LARGEST_PAINT = """
window.__lcp = 0;
new PerformanceObserver(list => { for (const e of list.getEntries()) window.__lcp = e.startTime; })
  .observe({type: 'largest-contentful-paint', buffered: true});
"""
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""


def page_budget(sites: list[Path], rounds: int = 3) -> list[list[dict]]:
    """Per site and page (the two home pages and every article in both languages): the medians of bytes transferred
    and decoded, time until complete, largest contentful paint (LCP) and load event.

    Each round loads every page once on every site, in a fresh browser context (nothing cached), home pages first;
    with several sites (a before and an after) each page is loaded on each site before the next page, in the order
    given in even rounds and reversed in odd ones, so that the sites share the machine's drift. The medians of the
    rounds are reported, and each page's complete and LCP times are divided by those of its language's home page on
    the same site.
    """
    sys.path.insert(0, str(ROOT / "tests"))
    from conftest import serve
    from playwright.sync_api import sync_playwright

    from tools.generate.diagrams import CHROMIUM, CHROMIUM_ARGS

    articles = sorted(p.parent.name for p in (ROOT / "docs" / "articles").glob("*/index.zh.md"))
    pages = ["", "en/", *(f"{root}articles/{slug}/" for root in ("", "en/") for slug in articles)]
    runs: list[dict[str, list[dict]]] = [{path: [] for path in pages} for _ in sites]
    with contextlib.ExitStack() as stack, sync_playwright() as playwright:
        urls = [stack.enter_context(serve(site)) for site in sites]
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        for round_ in range(rounds):
            for path in pages:
                for url, site_runs in list(zip(urls, runs))[::-1 if round_ % 2 else 1]:
                    site_runs[path].append(load(browser, url, path))
        browser.close()
    return [site_report(site_runs, pages) for site_runs in runs]


def load(browser, url: str, path: str) -> dict:
    """One load of a page in a fresh browser context: bytes, complete, LCP and load event times, scripts, hosts."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.add_init_script(OPEN_SHADOW_ROOTS)
    context.add_init_script(LARGEST_PAINT)
    page = context.new_page()
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(f"{url}/{path}", wait_until="commit")
    page.wait_for_function(COMPLETE, timeout=60_000, polling="raf")
    complete_ms = page.evaluate("performance.now()")
    page.wait_for_load_state("networkidle")  # Material fetches the search index after load
    sizes = page.evaluate("""() => {
      const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
      return {bytes: entries.reduce((t, r) => t + r.transferSize, 0), decoded: entries.reduce((t, r) => t + r.decodedBodySize, 0),
              load_ms: entries[0].loadEventEnd,
              scripts: entries.filter(r => r.name.endsWith('.js')).map(r => r.name.split('/').pop())};
    }""")
    lcp_ms = page.evaluate("window.__lcp")
    context.close()
    if not lcp_ms:
        raise RuntimeError(f"{path or '/'}: the browser reported no largest contentful paint")
    return {**sizes, "complete_ms": complete_ms, "lcp_ms": lcp_ms, "hosts": sorted(hosts)}


def site_report(runs: dict[str, list[dict]], pages: list[str]) -> list[dict]:
    report = []
    for path in pages:
        median = lambda key: statistics.median(run[key] for run in runs[path])  # noqa: E731
        home = runs["en/" if path.startswith("en/") else ""]
        home_median = lambda key: statistics.median(run[key] for run in home)  # noqa: E731
        report.append({"page": path or "/", "bytes": median("bytes"), "decoded": median("decoded"),
                       "complete_ms": median("complete_ms"), "ratio": median("complete_ms") / home_median("complete_ms"),
                       "lcp_ms": median("lcp_ms"), "lcp_ratio": median("lcp_ms") / home_median("lcp_ms"),
                       "load_ms": median("load_ms"),
                       "scripts": runs[path][0]["scripts"], "hosts": runs[path][0]["hosts"]})
    return report


def print_page_budget(report: list[dict], rounds: int = 3) -> None:
    header = f"page (median of {rounds} loads)"
    print(f"\n{header:40s} {'transferred':>11s} {'decoded':>10s} {'complete':>10s} {'x home':>8s} {'LCP':>9s} {'x home':>8s}"
          f" {'load event':>11s}   (budget: articles <= {PAGE_BUDGET / 1000:.0f} kB, complete <= {LOAD_RATIO} x home,"
          f" LCP <= {LCP_RATIO} x home)")
    for row in report:
        article = "articles/" in row["page"]
        over = article and (row["bytes"] > PAGE_BUDGET or row["ratio"] > LOAD_RATIO or row["lcp_ratio"] > LCP_RATIO)
        print(f"{row['page']:40s} {row['bytes'] / 1000:8.1f} kB {row['decoded'] / 1000:7.0f} kB {row['complete_ms']:7.0f} ms"
              f" {row['ratio']:6.2f} x {row['lcp_ms']:6.0f} ms {row['lcp_ratio']:6.2f} x {row['load_ms']:8.0f} ms"
              f"{'   OVER BUDGET' if over else ''}")
    scripts = sorted({name for row in report for name in row["scripts"] if "katex" in name or "mermaid" in name})
    print(f"math or diagram scripts loaded: {scripts or 'none'}; hosts requested: {sorted({h for row in report for h in row['hosts']})}")


def print_versus(versus: dict) -> None:
    print(f"snippet runs, warm runner:        {versus['ours_wall']:6.2f} s wall {versus['ours_cpu']:7.2f} s CPU"
          f"  (tests/test_snippets.py -k 'test_snippet and cpu'; median of {versus['pairs']})")
    print(f"nbmake, {versus['notebooks']} generated notebooks: {versus['nbmake_wall']:6.2f} s wall {versus['nbmake_cpu']:7.2f} s CPU"
          f"  (same programs, quick mode, {CORES} workers; median of {versus['pairs']})")
    print(f"warm runner / nbmake:             {versus['ours_wall'] / versus['nbmake_wall']:6.2f} x wall"
          f" {versus['ours_cpu'] / versus['nbmake_cpu']:7.2f} x CPU   (target: at most 0.7 x wall)")


def main() -> None:
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3", "NO_MKDOCS_2_WARNING": "1"}
    if sys.argv[1:2] == ["--pages"]:
        args = sys.argv[2:]
        rounds = int(args.pop(args.index("--rounds") + 1)) if "--rounds" in args else 3
        args = [a for a in args if a != "--rounds"]
        with tempfile.TemporaryDirectory() as fresh:
            sites = [Path(a) for a in args] or [Path(fresh)]
            if not args:
                timed([str(Path(PY).parent / "mkdocs"), "build", "--strict", "-d", fresh], env=env)
            for site, report in zip(sites, page_budget(sites, rounds)):
                print(f"\n{site}:" if args else "", end="")
                print_page_budget(report, rounds)
        return
    if sys.argv[1:2] == ["--snippets"]:  # only the warm runner against nbmake
        versus = warm_suite_vs_nbmake(env)
        print_versus(versus)
        return
    imports = [timed([PY, "-c", "import tensorflow"], env=env) for _ in range(3)]
    runs = len(harness.discover())  # the cpu case of each snippet (no GPU here)
    floor = statistics.median(imports) * runs / CORES
    suite = timed([PY, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-n", "auto", "tests/test_snippets.py"], env=env)
    versus = warm_suite_vs_nbmake(env)
    with tempfile.TemporaryDirectory() as site:
        build = timed([str(Path(PY).parent / "mkdocs"), "build", "--strict", "-d", site], env=env)
        [pages] = page_budget([Path(site)])
    browser = timed([PY, "-m", "pytest", "-q", "-n0", "-p", "no:cacheprovider", "tests/test_browser.py"], env=env)

    print(f"machine: {CORES} cores")
    print(f"import tensorflow (median of 3):   {statistics.median(imports):6.2f} s")
    print(f"floor = import x {runs} runs / {CORES} cores: {floor:6.2f} s")
    print(f"snippet suite, quick mode:        {suite:6.2f} s  ({suite / floor:.2f} x floor; pytest start-up and the"
          " warm/cold equivalence runs included)")
    print_versus(versus)
    print(f"mkdocs build --strict:            {build:6.2f} s")
    print(f"browser tests (test_browser.py):  {browser:6.2f} s  (one worker, site build included)")
    print_page_budget(pages)


if __name__ == "__main__":
    main()
