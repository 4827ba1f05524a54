"""Shared fixtures: the snippet list, GPU probing, a snapshot of the source tree, and one built site."""

from __future__ import annotations

import contextlib
import functools
import gzip
import http.server
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest

from tools.model import snippets as harness

ROOT = harness.ROOT
ARTIFACTS = ROOT / ".artifacts"  # screenshots and other test by-products (git-ignored)
# Folders that are not source: the virtualenv, caches, and what tests and builds write.
ARTICLES = sorted(p.parent.name for p in (ROOT / "docs" / "articles").glob("*/index.zh.md"))
NOT_SOURCE = {".git", ".venv", ".cache", ".artifacts", ".pytest_cache", "__pycache__", "site", "node_modules"}


def pytest_addoption(parser):
    parser.addoption(
        "--changed-snippets", action="store_true",
        help="run only the snippet cases whose source or environment changed since they last passed here (make check)",
    )


def passed_key(snippet: harness.Snippet, case: str) -> str:
    """Where pytest's cache (.pytest_cache) remembers that a snippet case passed on this machine."""
    return f"snippets/passed/{snippet.id}/{case}"


def passed_value(snippet: harness.Snippet, case: str) -> dict:
    """What a pass depended on: the snippet's source and the environment (versions, machine, device, harness; for a
    case named after a Keras backend, test_snippet's run on it on the CPU, that backend and its version)."""
    device = "cpu" if case not in ("cpu", "gpu") else case
    backend = case if case in harness.KERAS_BACKENDS else "tensorflow"
    return {"sha256": harness.file_sha256(snippet.path), "environment": harness.environment_fingerprint(device, backend)}


def remember_pass(config, snippet: harness.Snippet, case: str) -> None:
    """Record in pytest's cache that this case passed (nothing to do when the cache is off: -p no:cacheprovider)."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        cache.set(passed_key(snippet, case), passed_value(snippet, case))


# The snippet cases a recording stands for in `make check`: the CPU run and the warm/cold comparison. The recording ran
# the program twice from a fresh interpreter in full mode on the CPU, found the same output both times and passed its
# checks; the fingerprint it was made under covers the versions, the CPU and the harness (warm runner included). It
# did not run the quick mode or a warm start, which `make test` does; it says nothing about a GPU, so the gpu cases
# always run. Counting the comparison too is what keeps a fresh clone's first `make check` within two minutes. A case on
# another Keras backend ("jax") counts when the recorder ran the program on it too, under this environment (its entry's
# "jax" part).
RECORDED_CASES = {"cpu", "test_warm_start_prints_what_a_cold_start_prints", "jax"}
CHANGED_SNIPPETS_SUMMARY = pytest.StashKey[list]()


def recorded_pass(snippet: harness.Snippet, case: str) -> bool:
    """Whether the snippet's recording (docs/assets/generated/<slug>/recordings.json) counts as a pass of this case:
    it was made from the same source, and under the environment this test would run in.

    tools/run/record.py stores the fingerprint with each recording; a recording made before it did so counts when its
    stored environment (versions, CPU, device) is this one.
    """
    if case not in RECORDED_CASES:
        return False
    entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name, {})
    if entry.get("sha256") != harness.file_sha256(snippet.path) or entry.get("device") != "cpu":
        return False
    if case in harness.KERAS_BACKENDS:
        return entry.get(case, {}).get("environment") == harness.environment_fingerprint("cpu", case)
    if "environment" in entry:
        return entry["environment"] == harness.environment_fingerprint("cpu")
    return {"versions": entry.get("versions"), "cpu": entry.get("cpu")} == harness.environment()


def changed_snippets_lines(unchanged: int, recorded: int) -> list[str]:
    """What `make check` says about the snippet cases it does not re-run."""
    lines = []
    if recorded:
        lines.append(f"--changed-snippets: {recorded} snippet case{'s' if recorded != 1 else ''} count as passed: their "
                     "recording was made from the same source, with the same versions on the same CPU (make test still runs them)")
    if unchanged:
        lines.append(f"--changed-snippets: {unchanged} snippet cases unchanged since they last passed here, not re-run")
    return lines


def pytest_collection_modifyitems(config, items):
    """The snippet tests first (the runs longest first, as test_snippets.py collects them, then the warm/cold
    comparisons), so that the longest programs start at once on both workers instead of last, and the many short
    tests fill both cores at the end; with --changed-snippets, deselect the snippet cases that already passed with
    the same source and environment, here (pytest's cache) or when they were recorded (recorded_pass).

    pytest-xdist (--dist loadgroup) hands out the tests in this order, one at a time to whichever worker is free.
    """
    items.sort(key=lambda item: (item.path.name != "test_snippets.py", getattr(item, "originalname", "") != "test_snippet"))
    if not config.getoption("--changed-snippets"):
        return
    if getattr(config, "cache", None) is None:
        raise pytest.UsageError("--changed-snippets needs pytest's cache (remove -p no:cacheprovider)")
    unchanged, recorded, kept = [], [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        snippet = params.get("snippet")
        if isinstance(snippet, harness.Snippet) and item.path.name == "test_snippets.py":
            case = params.get("case", getattr(item, "originalname", ""))
            if config.cache.get(passed_key(snippet, case), None) == passed_value(snippet, case):
                unchanged.append(item)
                continue
            if recorded_pass(snippet, case):
                recorded.append(item)
                continue
        kept.append(item)
    if unchanged or recorded:
        config.hook.pytest_deselected(items=unchanged + recorded)
        items[:] = kept
    # Said in the summary at the end (pytest_terminal_summary). Under xdist this hook runs in the workers, which print
    # nothing: each hands its lines to the controller (workeroutput, read in pytest_testnodedown).
    lines = changed_snippets_lines(len(unchanged), len(recorded))
    config.stash[CHANGED_SNIPPETS_SUMMARY] = lines
    if hasattr(config, "workeroutput"):
        config.workeroutput["changed_snippets"] = lines


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist, in the controller: keep what a worker said about the snippet cases it did not re-run (all say the same)."""
    lines = getattr(node, "workeroutput", {}).get("changed_snippets")
    if lines is not None:
        node.config.stash[CHANGED_SNIPPETS_SUMMARY] = lines


def pytest_terminal_summary(terminalreporter, exitstatus, config):
    for line in config.stash.get(CHANGED_SNIPPETS_SUMMARY, []):
        terminalreporter.write_line(line)


@functools.cache
def gpu_probe() -> tuple[bool, str]:
    """(visible, detail) from `nvidia-smi -L`, so that pytest itself need not import TensorFlow."""
    exe = shutil.which("nvidia-smi")
    if exe is None:
        return False, "no GPU visible: nvidia-smi is not installed on this machine"
    try:
        out = subprocess.run([exe, "-L"], capture_output=True, text=True, timeout=30)
    except subprocess.TimeoutExpired:
        return False, "no GPU visible: nvidia-smi -L timed out"
    listing = out.stdout.strip()
    if out.returncode != 0 or "GPU" not in listing:
        return False, f"no GPU visible: nvidia-smi -L exited {out.returncode}: {(listing or out.stderr).strip()[:200]}"
    return True, listing


def tree_snapshot(root: Path = ROOT) -> dict[str, tuple[int, int]]:
    """Every source file with its (size, mtime): enough to notice a snippet writing into the repository."""
    snapshot = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in NOT_SOURCE]
        for name in filenames:
            path = Path(dirpath, name)
            stat = path.stat()
            snapshot[str(path.relative_to(root))] = (stat.st_size, stat.st_mtime_ns)
    return snapshot


def language_root(site: Path, lang: str) -> Path:
    """Where a language lives in the built site: zh (the default) at its root, en under en/ (static-i18n)."""
    return site if lang == "zh" else site / lang


def mkdocs_build(config_dir: Path, site_dir: Path) -> subprocess.CompletedProcess:
    # Every build (a project copy's too) shares the checkout's cache of notebook HTML (tools/site/notebook_cache.py).
    # The site plugin (mkdocs.yml `- ai-notes`) is found by its entry point, its code on the path: the copy's own.
    env = {"NOTEBOOK_HTML_CACHE": str(ROOT / ".cache" / "notebook-html"), **os.environ, "NO_MKDOCS_2_WARNING": "1",
           "PYTHONPATH": os.pathsep.join([str(config_dir), *filter(None, [os.environ.get("PYTHONPATH")])])}
    return subprocess.run(
        [str(Path(os.sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(config_dir / "mkdocs.yml"), "-d", str(site_dir)],
        capture_output=True, text=True, env=env, timeout=300,
    )


def project_copy(tmp_path: Path) -> Path:
    """What `mkdocs build` reads, copied to tmp_path/project for a negative test to break."""
    copy = tmp_path / "project"
    copy.mkdir()
    for name in ("mkdocs.yml", "docs", "snippets", "tools", "overrides"):
        (shutil.copytree if (ROOT / name).is_dir() else shutil.copy)(ROOT / name, copy / name)
    return copy


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site built once per test worker with `mkdocs build --strict` (site tests share one xdist group)."""
    site = tmp_path_factory.mktemp("site")
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{harness.tail(result.stderr, 40)}"
    return site


COMPRESSIBLE = {".html", ".js", ".css", ".json", ".xml", ".svg", ".txt", ".map"}


@functools.lru_cache(maxsize=256)
def _gzipped(path: str, mtime_ns: int) -> bytes:
    return gzip.compress(Path(path).read_bytes(), compresslevel=6)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    """A static host like GitHub Pages or Netlify: text files go out gzip-encoded to a browser that accepts it.

    The page weights the browser tests record (and `make bench` prints) are then what a reader downloads.
    """

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir() and self.path.split("?")[0].endswith("/"):
            path = path / "index.html"
        if "gzip" not in self.headers.get("Accept-Encoding", "") or path.suffix not in COMPRESSIBLE or not path.is_file():
            return super().do_GET()
        body = _gzipped(str(path), path.stat().st_mtime_ns)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@contextlib.contextmanager
def serve(directory: Path):
    """Serve a directory on a free localhost port; yields the base URL."""
    handler = functools.partial(_QuietHandler, directory=str(directory))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


@pytest.fixture(scope="session")
def site_url(built_site) -> str:
    """The built site, served on localhost for the browser tests."""
    with serve(built_site) as url:
        yield url
