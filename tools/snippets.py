"""The snippet harness shared by the tests (tests/test_snippets.py) and the recorder (tools/record.py).

A snippet is `snippets/<slug>/NN_<what>.py`: a standalone program a reader can run with
`python snippets/<slug>/NN_<what>.py`. Its PEP 723 header (`# /// script` ... `# ///`) carries a
`[tool.docs-snippet]` table that the page never shows (pages include the `program` section only):

    [tool.docs-snippet]
    title = { zh = "...", en = "..." }
    timeout = 120                 # seconds, in quick mode (SNIPPETS_QUICK=1)
    outputs = ["loss.png"]        # files it writes into the working directory (recorded next to its output)

    [[tool.docs-snippet.check]]   # each check: a regex over stdout and a Python expression over its named groups
    pattern = 'w = (?P<w>\\S+)'
    expect = "abs(w - 3) < 0.2"
    why = "why this tolerance is the right one"

Numbers captured by named groups are converted to float. `expect` may use abs, min, max, log, exp and sqrt.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SNIPPETS_DIR = ROOT / "snippets"
GENERATED_DIR = ROOT / "docs" / "assets" / "generated"
RUNNER = ROOT / "tools" / "run_snippet.py"
QUICK_ENV = "SNIPPETS_QUICK"
MANIFEST = "recordings.json"  # per docs/assets/generated/<slug>/: sha256 and duration of each recording (tools/record.py)

# The reference regular expression of PEP 723 (inline script metadata).
PEP723_BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
EXPECT_NAMES = {"abs": abs, "min": min, "max": max, "log": math.log, "exp": math.exp, "sqrt": math.sqrt}


class SnippetMetadataError(ValueError):
    pass


@dataclass(frozen=True)
class Check:
    pattern: str
    expect: str
    why: str = ""


@dataclass(frozen=True)
class Snippet:
    path: Path
    title_zh: str
    title_en: str
    timeout: float
    outputs: tuple[str, ...] = ()
    checks: tuple[Check, ...] = field(default_factory=tuple)

    @property
    def slug(self) -> str:
        return self.path.parent.name

    @property
    def id(self) -> str:
        return f"{self.slug}/{self.path.name}"

    @property
    def recording_dir(self) -> Path:
        return GENERATED_DIR / self.slug

    @property
    def recorded_stdout(self) -> Path:
        return self.recording_dir / f"{self.path.stem}.txt"


def read_metadata(path: Path) -> dict:
    """Return the `[tool.docs-snippet]` table of the snippet's PEP 723 `script` block."""
    text = path.read_text(encoding="utf-8")
    blocks = [m for m in PEP723_BLOCK.finditer(text) if m.group("type") == "script"]
    if len(blocks) != 1:
        raise SnippetMetadataError(f"{path}: expected one '# /// script' metadata block, found {len(blocks)}")
    content = "".join(line[2:] if line.startswith("# ") else line[1:] for line in blocks[0].group("content").splitlines(keepends=True))
    try:
        table = tomllib.loads(content).get("tool", {}).get("docs-snippet")
    except tomllib.TOMLDecodeError as error:
        raise SnippetMetadataError(f"{path}: metadata is not valid TOML: {error}") from error
    if not table:
        raise SnippetMetadataError(f"{path}: the metadata block has no [tool.docs-snippet] table")
    if PROGRAM_START not in text or PROGRAM_END not in text:
        raise SnippetMetadataError(f"{path}: no '# --8<-- [start:program]' ... '[end:program]' section for the page to include")
    return table


PROGRAM_START, PROGRAM_END = "# --8<-- [start:program]", "# --8<-- [end:program]"


def program(path: Path) -> str:
    """The `program` section a page shows (and a reader copies): the file without its metadata or section markers."""
    lines = path.read_text(encoding="utf-8").splitlines()
    start, end = lines.index(PROGRAM_START), lines.index(PROGRAM_END)
    return "\n".join(line for line in lines[start + 1 : end] if "--8<-- [" not in line)


def load(path: Path) -> Snippet:
    meta = read_metadata(path)
    try:
        checks = tuple(Check(c["pattern"], c["expect"], c.get("why", "")) for c in meta.get("check", []))
        snippet = Snippet(
            path=path,
            title_zh=meta["title"]["zh"],
            title_en=meta["title"]["en"],
            timeout=float(meta.get("timeout", 120)),
            outputs=tuple(meta.get("outputs", [])),
            checks=checks,
        )
    except (KeyError, TypeError) as error:
        raise SnippetMetadataError(f"{path}: [tool.docs-snippet] lacks or misshapes {error}") from error
    if not checks:
        raise SnippetMetadataError(f"{path}: no [[tool.docs-snippet.check]]: a snippet's test must assert an outcome")
    for check in checks:
        re.compile(check.pattern)
        compile(check.expect, f"{path} expect", "eval")
    return snippet


def discover() -> list[Snippet]:
    return [load(p) for p in sorted(SNIPPETS_DIR.glob("*/*.py"))]


def read_manifest(slug_dir: Path) -> dict:
    """The recordings of one article's snippets: {file name: {"sha256": ..., "seconds": ..., ...}}."""
    path = slug_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def longest_first(snippets: list[Snippet]) -> list[Snippet]:
    """The snippets ordered by the duration of their last recording, longest first (unrecorded ones first of all).

    pytest-xdist hands tests to workers in collection order, so starting the long ones first keeps both cores
    busy until the end instead of leaving one GAN running alone after everything else has finished.
    """
    manifests = {snippet.recording_dir: read_manifest(snippet.recording_dir) for snippet in snippets}

    def recorded_seconds(snippet: Snippet) -> float:
        return manifests[snippet.recording_dir].get(snippet.path.name, {}).get("seconds", math.inf)

    return sorted(snippets, key=recorded_seconds, reverse=True)


def file_sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def failed_checks(snippet: Snippet, stdout: str) -> list[str]:
    """Evaluate the snippet's checks against its output; return one readable message per failure."""
    failures = []
    for check in snippet.checks:
        match = re.search(check.pattern, stdout, flags=re.MULTILINE)
        if match is None:
            failures.append(f"output has no line matching {check.pattern!r}")
            continue
        values = {name: float(value) for name, value in match.groupdict().items()}
        try:
            ok = eval(check.expect, {"__builtins__": {}, **EXPECT_NAMES}, values)  # expressions come from our own files
        except Exception as error:  # noqa: BLE001 - report any evaluation error as a failed check
            ok, values = False, {**values, "error": repr(error)}
        if not ok:
            failures.append(f"expected {check.expect} but got {values} from {match.group(0)!r} ({check.why})")
    return failures


@dataclass
class Run:
    returncode: int | None  # None: killed by the timeout
    stdout: str
    stderr: str
    seconds: float


def run(snippet: Snippet, device: str, cwd: Path, quick: bool = True, timeout: float | None = None) -> Run:
    """Run a snippet in a fresh interpreter, the way a reader would, on `device` ('cpu' or 'gpu')."""
    env = {
        **os.environ,
        "MPLBACKEND": "Agg",
        "TF_CPP_MIN_LOG_LEVEL": "1",
        "TF_ENABLE_ONEDNN_OPTS": "0",
        "PYTHONHASHSEED": "0",
        "PYTHONDONTWRITEBYTECODE": "1",
        "SNIPPET_DEVICE": device,
    }
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""  # must be set before TensorFlow starts
    # Under pytest-xdist several snippets run at once: share the cores between them rather than letting each
    # TensorFlow start a thread per core (on 2 cores, 2 snippets with 1 thread each finish about 25 % sooner).
    threads = str(max(1, (os.cpu_count() or 1) // int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1"))))
    env.setdefault("TF_NUM_INTRAOP_THREADS", threads)
    env.setdefault("TF_NUM_INTEROP_THREADS", threads)
    if quick:
        env[QUICK_ENV] = "1"
    else:
        env.pop(QUICK_ENV, None)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(RUNNER), str(snippet.path)],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout or snippet.timeout,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        err = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        return Run(None, out, err, time.perf_counter() - started)


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
