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

from tools import snippets as harness

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
    """What a pass depended on: the snippet's source and the environment (versions, machine, device, harness)."""
    device = "cpu" if case not in ("cpu", "gpu") else case
    return {"sha256": harness.file_sha256(snippet.path), "environment": harness.environment_fingerprint(device)}


def remember_pass(config, snippet: harness.Snippet, case: str) -> None:
    """Record in pytest's cache that this case passed (nothing to do when the cache is off: -p no:cacheprovider)."""
    cache = getattr(config, "cache", None)
    if cache is not None:
        cache.set(passed_key(snippet, case), passed_value(snippet, case))


def pytest_collection_modifyitems(config, items):
    """The snippet tests first (the runs longest first, as test_snippets.py collects them, then the warm/cold
    comparisons), so that the longest programs start at once on both workers instead of last, and the many short
    tests fill both cores at the end; with --changed-snippets, deselect the snippet cases that already passed with
    the same source and environment.

    pytest-xdist (--dist loadgroup) hands out the tests in this order, one at a time to whichever worker is free.
    """
    items.sort(key=lambda item: (item.path.name != "test_snippets.py", getattr(item, "originalname", "") != "test_snippet"))
    if not config.getoption("--changed-snippets"):
        return
    if getattr(config, "cache", None) is None:
        raise pytest.UsageError("--changed-snippets needs pytest's cache (remove -p no:cacheprovider)")
    unchanged, kept = [], []
    for item in items:
        params = getattr(getattr(item, "callspec", None), "params", {})
        snippet = params.get("snippet")
        if isinstance(snippet, harness.Snippet) and item.path.name == "test_snippets.py":
            case = params.get("device", getattr(item, "originalname", ""))
            if config.cache.get(passed_key(snippet, case), None) == passed_value(snippet, case):
                unchanged.append(item)
                continue
        kept.append(item)
    if unchanged:
        config.hook.pytest_deselected(items=unchanged)
        items[:] = kept
        reporter = config.pluginmanager.get_plugin("terminalreporter")
        if reporter is not None:
            reporter.write_line(f"--changed-snippets: {len(unchanged)} snippet cases unchanged since they last passed here, not re-run")


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
    # Every build (a project copy's too) shares the checkout's cache of notebook HTML (tools/notebook_cache.py).
    env = {"NOTEBOOK_HTML_CACHE": str(ROOT / ".cache" / "notebook-html"), **os.environ, "NO_MKDOCS_2_WARNING": "1"}
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
