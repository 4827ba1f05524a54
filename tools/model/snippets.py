"""The snippet harness shared by the tests (tests/test_snippets.py) and the recorder (tools/run/record.py).

A snippet is `snippets/<slug>/NN_<what>.py`: a standalone program a reader can run with
`python snippets/<slug>/NN_<what>.py`. Its PEP 723 header (`# /// script` ... `# ///`) carries a
`[tool.docs-snippet]` table that the page never shows (pages include the `program` section only):

    [tool.docs-snippet]
    title = { zh = "...", en = "..." }
    timeout = 120                 # seconds, in quick mode (SNIPPETS_QUICK=1)
    outputs = ["loss.png"]        # files it writes into the working directory (recorded next to its output)
    cold = "why"                  # optional: the tests must start it in a fresh interpreter (see cold_start_reason)
    backends = ["tensorflow", "jax"]  # Keras backends its checks pass on (default ["tensorflow"]); the tests run
                                      # each other one cold with KERAS_BACKEND set, and the page's title bar names them

    [[tool.docs-snippet.check]]   # each check: a regex over stdout and a Python expression over its named groups
    pattern = 'w = (?P<w>\\S+)'
    expect = "abs(w - 3) < 0.2"
    why = "why this tolerance is the right one"

Numbers captured by named groups are converted to float. `expect` may use abs, min, max, log, exp and sqrt.
"""

from __future__ import annotations

import ast
import atexit
import functools
import hashlib
import json
import math
import os
import platform
import re
import select
import subprocess
import sys
import tempfile
import time
import tomllib
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS_DIR = ROOT / "snippets"
GENERATED_DIR = ROOT / "docs" / "assets" / "generated"
RUNNER = ROOT / "tools" / "run" / "run_snippet.py"
QUICK_ENV = "SNIPPETS_QUICK"
MANIFEST = "recordings.json"  # per docs/assets/generated/<slug>/: sha256 and duration of each recording (tools/run/record.py)

# The reference regular expression of PEP 723 (inline script metadata).
PEP723_BLOCK = re.compile(r"(?m)^# /// (?P<type>[a-zA-Z0-9-]+)$\s(?P<content>(^#(| .*)$\s)+)^# ///$")
# The Keras backends a snippet may declare; "tensorflow" is the one every snippet runs and is recorded on, and the
# only one whose tests run on the GPU (JAX is installed as its CPU wheel).
KERAS_BACKENDS = ("tensorflow", "jax")
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
    cold: str = ""  # why it must start in a fresh interpreter (see cold_start_reason); "" = a warm start is fine
    backends: tuple[str, ...] = ("tensorflow",)  # the Keras backends its checks pass on

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
            cold=str(meta.get("cold", "")),
            backends=tuple(meta.get("backends", ["tensorflow"])),
        )
    except (KeyError, TypeError) as error:
        raise SnippetMetadataError(f"{path}: [tool.docs-snippet] lacks or misshapes {error}") from error
    if not checks:
        raise SnippetMetadataError(f"{path}: no [[tool.docs-snippet.check]]: a snippet's test must assert an outcome")
    for check in checks:
        re.compile(check.pattern)
        compile(check.expect, f"{path} expect", "eval")
    check_backends(snippet)
    return snippet


def check_backends(snippet: Snippet) -> None:
    """A declared backend must be one we run, and a program that uses TensorFlow itself cannot claim another one."""
    path, backends = snippet.path, snippet.backends
    unknown = [name for name in backends if name not in KERAS_BACKENDS]
    if unknown or "tensorflow" not in backends:
        raise SnippetMetadataError(f"{path}: backends = {list(backends)}: each must be one of {list(KERAS_BACKENDS)}, "
                                   "and \"tensorflow\" among them (every snippet is tested and recorded on it)")
    if backends == ("tensorflow",):
        return
    uses = sorted({f"line {node.lineno}: {what}" for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
                   for what in [tensorflow_use(node)] if what})
    if uses:
        raise SnippetMetadataError(f"{path}: declares backends {list(backends)} but uses TensorFlow itself, which runs "
                                   f"only on the tensorflow backend ({'; '.join(uses)}): use keras.ops and keras.* instead, "
                                   'or declare backends = ["tensorflow"]')


def tensorflow_use(node: ast.AST) -> str | None:
    """What in this node ties a program to TensorFlow: an import of it, or the name `tf`."""
    if isinstance(node, ast.Import):
        names = [alias.name for alias in node.names if alias.name.split(".")[0] == "tensorflow"]
        return f"import {names[0]}" if names else None
    if isinstance(node, ast.ImportFrom) and node.level == 0 and (node.module or "").split(".")[0] == "tensorflow":
        return f"from {node.module} import ..."
    if isinstance(node, ast.Name) and node.id == "tf":
        return "tf"
    return None


def discover() -> list[Snippet]:
    return [load(p) for p in sorted(SNIPPETS_DIR.glob("*/*.py"))]


def read_manifest(slug_dir: Path) -> dict:
    """The recordings of one article's snippets: {file name: {"sha256": ..., "seconds": ..., ...}}."""
    path = slug_dir / MANIFEST
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


# What a recording, and a passing test, depend on besides the snippet's source: the versions that ran it and the
# machine. (distribution names; the first one installed counts, so tensorflow-cpu and tensorflow both work)
PROVENANCE_PACKAGES = {
    "tensorflow": ("tensorflow-cpu", "tensorflow"),
    "keras": ("keras",),
    "numpy": ("numpy",),
    "scikit-learn": ("scikit-learn",),
    "matplotlib": ("matplotlib",),
}


def installed_version(*distributions: str) -> str | None:
    for name in distributions:
        try:
            return metadata.version(name)
        except metadata.PackageNotFoundError:
            continue
    return None


def cpu_model() -> str:
    """The processor's name as the OS reports it ("AMD EPYC", "Intel(R) Xeon(R) ...")."""
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or platform.machine()


def environment() -> dict:
    """Versions and machine of this interpreter: stored with each recording, and the fingerprint of a passed test."""
    return {
        "versions": {"python": platform.python_version(),
                     **{name: installed_version(*dists) for name, dists in PROVENANCE_PACKAGES.items()}},
        "cpu": cpu_model(),
    }


@functools.cache
def environment_fingerprint(device: str, backend: str = "tensorflow") -> str:
    """sha256 of what a snippet's result depends on besides its source: versions, machine, device and the harness;
    on another Keras backend than TensorFlow, that backend and its version too (environment() leaves them out)."""
    harness_code = [file_sha256(path) for path in (Path(__file__), RUNNER, ROOT / "tools" / "run" / "warm_runner.py")]
    other = {} if backend == "tensorflow" else {"backend": backend, "backend_version": installed_version(backend)}
    payload = json.dumps({**environment(), "device": device, "harness": harness_code, **other}, sort_keys=True)
    return hashlib.sha256(payload.encode()).hexdigest()


def pinned_versions(requirements: Path = ROOT / "requirements.txt") -> dict[str, str]:
    """{package: version} for the PROVENANCE_PACKAGES pinned with == in requirements.txt."""
    pins = {}
    for line in requirements.read_text(encoding="utf-8").splitlines():
        match = re.match(r"\s*([A-Za-z0-9._-]+)\s*==\s*([^\s;#]+)", line)
        if match:
            pins[match.group(1).lower()] = match.group(2)
    return {name: pins[dist] for name, dists in PROVENANCE_PACKAGES.items() for dist in dists if dist in pins}


def version_mismatches(entry: dict, pins: dict[str, str] | None = None) -> dict[str, tuple[str | None, str]]:
    """{package: (recorded version, pinned version)} where a recording's versions differ from requirements.txt."""
    pins = pinned_versions() if pins is None else pins
    recorded = entry.get("versions", {})
    return {name: (recorded.get(name), pin) for name, pin in pins.items() if recorded.get(name) != pin}


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


def checked_values(snippet: Snippet, stdout: str) -> dict[str, float]:
    """The numbers the checks read from the output ({group name: value}): what the recorder keeps of a run on another
    Keras backend, whose output the page does not show."""
    values = {}
    for check in snippet.checks:
        match = re.search(check.pattern, stdout, flags=re.MULTILINE)
        values.update({name: float(value) for name, value in (match.groupdict() if match else {}).items()})
    return values


@dataclass
class Run:
    returncode: int | None  # None: killed by the timeout
    stdout: str
    stderr: str
    seconds: float
    warm: bool = False  # run by a child of the warm runner rather than a fresh interpreter


def snippet_env(device: str, quick: bool, backend: str = "tensorflow") -> dict[str, str]:
    """The environment a snippet runs in, cold or warm: fixed before its interpreter starts."""
    env = {
        **os.environ,
        "KERAS_BACKEND": backend,  # read when Keras is imported; set for tensorflow too, against a reader's own setting
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
    return env


def run(snippet: Snippet, device: str, cwd: Path, quick: bool = True, timeout: float | None = None,
        warm: bool = False, backend: str = "tensorflow") -> Run:
    """Run a snippet the way a reader would, on `device` ('cpu' or 'gpu') and Keras `backend`: in a fresh
    interpreter, or with `warm=True` in a child forked from the warm runner (tools/run/warm_runner.py), unless the
    snippet needs a cold start (cold_start_reason), runs on the GPU, or on another backend than TensorFlow (the
    warm runner has imported Keras with TensorFlow).
    """
    env = snippet_env(device, quick, backend)
    timeout = timeout or snippet.timeout
    if warm and device == "cpu" and backend == "tensorflow" and cold_start_reason(snippet) is None:
        return warm_runner(env).run(snippet, cwd, timeout, env)
    started = time.perf_counter()
    try:
        proc = subprocess.run(
            [sys.executable, str(RUNNER), str(snippet.path)],
            cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout,
        )
        return Run(proc.returncode, proc.stdout, proc.stderr, time.perf_counter() - started)
    except subprocess.TimeoutExpired as expired:
        out = expired.stdout.decode() if isinstance(expired.stdout, bytes) else (expired.stdout or "")
        err = expired.stderr.decode() if isinstance(expired.stderr, bytes) else (expired.stderr or "")
        return Run(None, out, err, time.perf_counter() - started)


# --- The warm runner ------------------------------------------------------------------------------------------
#
# GPU runs stay cold: forking a process in which CUDA may already be initialised is undefined behaviour in CUDA,
# and the GPU cases are few (and skipped on machines without one), so they would gain little.

WARM_RUNNER = ROOT / "tools" / "run" / "warm_runner.py"
# Read before TensorFlow or Keras start (at import or when the runtime first starts): a snippet that sets one of
# these itself must start cold, since in a warm child the libraries are already loaded.
STARTUP_ENV = re.compile(r"^(KERAS_|TF_|CUDA_|XLA_|OMP_|MKL_|OPENBLAS_|PYTHON|MPL|JAX_|TORCH)")


def imported_modules(snippet: Snippet) -> list[str]:
    """The modules a snippet imports, in order of first appearance (what the warm runner preloads)."""
    seen: dict[str, None] = {}
    for node in ast.walk(ast.parse(snippet.path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            seen.update((alias.name, None) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0 and node.module != "__future__":
            seen[node.module] = None
    return list(seen)


def _environ_writes(tree: ast.AST) -> list[str]:
    """Names of the environment variables a program sets or deletes (os.environ[...] = / .update / putenv ...).

    A name that cannot be read from the source (computed, or passed in a variable) is given as "<computed name>".
    """
    def is_environ(node) -> bool:
        return isinstance(node, ast.Attribute) and node.attr == "environ" or isinstance(node, ast.Name) and node.id == "environ"

    def constant_names(nodes) -> list[str]:
        return [n.value if isinstance(n, ast.Constant) and isinstance(n.value, str) else "<computed name>" for n in nodes]

    names = []
    for node in ast.walk(tree):
        if isinstance(node, (ast.Assign, ast.AugAssign, ast.Delete)):
            targets = node.targets if isinstance(node, (ast.Assign, ast.Delete)) else [node.target]
            names += constant_names(t.slice for t in targets if isinstance(t, ast.Subscript) and is_environ(t.value))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            method, args = node.func.attr, node.args
            if is_environ(node.func.value) and method in {"update", "setdefault", "pop", "popitem", "clear", "__setitem__", "__delitem__"}:
                if method == "update":
                    given = constant_names(args[0].keys) if args and isinstance(args[0], ast.Dict) else ["<computed name>"] * bool(args)
                    names += given + [k.arg or "<computed name>" for k in node.keywords]
                else:
                    names += constant_names(args[:1]) or ["<computed name>"]
            elif method in {"putenv", "unsetenv"} and isinstance(node.func.value, ast.Name) and node.func.value.id == "os":
                names += constant_names(args[:1]) or ["<computed name>"]
    return names


def cold_start_reason(snippet: Snippet) -> str | None:
    """Why a snippet must run in a fresh interpreter, or None when a warm child is equivalent.

    Declared in its metadata (`cold = "why"`), or found in its source: it sets an environment variable that
    TensorFlow, Keras or Python read at start-up (an unknown or computed name counts as one).
    """
    if snippet.cold:
        return f"declared cold: {snippet.cold}"
    writes = [name for name in _environ_writes(ast.parse(snippet.path.read_text(encoding="utf-8")))
              if name.startswith("<") or STARTUP_ENV.match(name)]
    if writes:
        return f"sets {', '.join(sorted(set(writes)))} itself, which must happen before the libraries start"
    return None


class WarmRunnerError(RuntimeError):
    pass


class WarmRunner:
    """One warm runner process (tools/run/warm_runner.py) for one environment; `run` forks a child per snippet."""

    def __init__(self, env: dict[str, str], modules: list[str]):
        self.env, self.modules = env, modules
        self.log = tempfile.NamedTemporaryFile(prefix="warm-runner-", suffix=".log", delete=False)
        self.proc = subprocess.Popen(
            [sys.executable, str(WARM_RUNNER), *modules], env=env, cwd=ROOT, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.log,
        )
        ready = self._reply(timeout=300)
        if not ready.get("ready"):
            raise WarmRunnerError(f"the warm runner did not start: {ready}")
        self.startup_seconds = ready["seconds"]

    def _reply(self, timeout: float) -> dict:
        ready, _, _ = select.select([self.proc.stdout], [], [], timeout)
        line = self.proc.stdout.readline() if ready else ""
        if not line:
            self.proc.kill()
            log = Path(self.log.name).read_text(encoding="utf-8", errors="replace")
            raise WarmRunnerError(f"the warm runner (modules {self.modules}) stopped answering:\n{tail(log)}")
        return json.loads(line)

    def run(self, snippet: Snippet, cwd: Path, timeout: float, env: dict[str, str] | None = None) -> Run:
        """Run the snippet in a forked child; `env` (default: the runner's) may differ from it only in PER_RUN_ENV."""
        env = self.env if env is None else env
        with tempfile.TemporaryDirectory(prefix="warm-child-") as streams:
            out, err = Path(streams, "stdout"), Path(streams, "stderr")
            request = {"path": str(snippet.path), "cwd": str(cwd), "stdout": str(out), "stderr": str(err), "timeout": timeout,
                       "env": env}
            self.proc.stdin.write(json.dumps(request) + "\n")
            self.proc.stdin.flush()
            reply = self._reply(timeout=timeout + 60)
            read = lambda path: path.read_text(encoding="utf-8", errors="replace") if path.exists() else ""  # noqa: E731
            return Run(reply["returncode"], read(out), read(err), reply["seconds"], warm=True)

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
        Path(self.log.name).unlink(missing_ok=True)


_WARM_RUNNERS: dict[tuple, WarmRunner] = {}


def preloaded_modules() -> list[str]:
    """What the warm runner imports: every module any snippet imports (the cost is paid once per process)."""
    return list(dict.fromkeys(module for snippet in discover() for module in imported_modules(snippet)))


# Set by pytest around each test: it differs from one test to the next but means nothing to the libraries at start-up,
# so it is left out of the runner's key and handed to each child instead.
PER_RUN_ENV = {"PYTEST_CURRENT_TEST"}


def warm_runner(env: dict[str, str]) -> WarmRunner:
    """The warm runner for this environment, started on first use (one per environment per process)."""
    key = tuple(sorted((name, value) for name, value in env.items() if name not in PER_RUN_ENV))
    runner = _WARM_RUNNERS.get(key)
    if runner is None or runner.proc.poll() is not None:
        runner = _WARM_RUNNERS[key] = WarmRunner(env, preloaded_modules())
    return runner


@atexit.register
def close_warm_runners() -> None:
    for runner in _WARM_RUNNERS.values():
        runner.close()
    _WARM_RUNNERS.clear()


def tail(text: str, lines: int = 30) -> str:
    return "\n".join(text.rstrip().splitlines()[-lines:])
