"""Run every snippet as a reader would, on the CPU and (when one is visible) on a GPU, and check its outcome.

The CPU runs are children forked from a warm runner (tools/run/warm_runner.py: TensorFlow and Keras imported once per
test worker); snippets that need a fresh interpreter, and every GPU run, start cold. A passed run is remembered in
pytest's cache with the snippet's sha256 and the environment fingerprint, so `make check` (--changed-snippets)
re-runs only what changed since it last passed on this machine.
"""

from __future__ import annotations

import json

import pytest

from conftest import gpu_probe, remember_pass, tree_snapshot
from tools.model import snippets as harness
from tools.run.record import differing_lines, not_deterministic
from tools.run.run_snippet import BACKEND_LINE

SNIPPETS = harness.longest_first(harness.discover())


# Each snippet on TensorFlow on the CPU and on a GPU, then on each further Keras backend it declares (`backends`): a
# cold start with KERAS_BACKEND set, on the CPU only (JAX is installed as its CPU wheel).
CASES = [pytest.param(s, case, id=f"{s.id}-{case}") for s in SNIPPETS
         for case in ("cpu", "gpu", *(b for b in s.backends if b != "tensorflow"))]


@pytest.mark.parametrize("snippet, case", CASES)
def test_snippet(snippet: harness.Snippet, case: str, tmp_path, request, warm_outputs):
    device, backend = (case, "tensorflow") if case in ("cpu", "gpu") else ("cpu", case)
    if device == "gpu":
        visible, detail = gpu_probe()
        if not visible:
            pytest.skip(detail)

    before = tree_snapshot()
    result = harness.run(snippet, device, tmp_path, quick=True, warm=True, backend=backend)
    changed = {path for path, stat in tree_snapshot().items() ^ before.items()}

    context = f"{snippet.id} on {device}, Keras backend {backend} ({'warm' if result.warm else 'cold'} start)"
    assert result.returncode is not None, (
        f"{context} timed out after {snippet.timeout:.0f} s (quick mode).\nstderr tail:\n{harness.tail(result.stderr)}"
    )
    assert result.returncode == 0, (
        f"{context} exited with {result.returncode}.\nstderr tail:\n{harness.tail(result.stderr)}"
    )
    if backend != "tensorflow":  # what Keras really ran on (tools/run/run_snippet.py): not TensorFlow passing for JAX
        ran_on = BACKEND_LINE.format(backend)
        assert ran_on in result.stderr.splitlines(), f"{context}: stderr lacks {ran_on!r}:\n{harness.tail(result.stderr)}"
    failures = harness.failed_checks(snippet, result.stdout)
    assert not failures, f"{context}: " + "\n".join(failures) + f"\nstdout tail:\n{harness.tail(result.stdout)}"
    missing = [name for name in snippet.outputs if not (tmp_path / name).exists()]
    assert not missing, f"{context} did not write its declared outputs {missing} into its working directory"
    assert not changed, f"{context} changed the source tree (snippets must write only to their working directory): {sorted(changed)}"
    if case == "cpu" and result.warm:
        warm_outputs.save(snippet, result, tmp_path)
    remember_pass(request.config, snippet, case)


# The warm start must not change what a program prints: checked on every snippet but the longest few (by their last
# recording: the two GANs, the CNN and the LSTM train for a minute or more in full mode; they run in the same warm
# runner and environment as the others, and a cold run of each would cost as much as the warm suite).
EQUIVALENCE_SKIPS_LONGEST = 4
SHORT = [s for s in SNIPPETS[EQUIVALENCE_SKIPS_LONGEST:] if harness.cold_start_reason(s) is None]


@pytest.mark.parametrize("snippet", SHORT, ids=[s.id for s in SHORT])
def test_warm_start_prints_what_a_cold_start_prints(snippet: harness.Snippet, tmp_path, request, warm_outputs):
    cold_dir, warm_dir = tmp_path / "cold", tmp_path / "warm"
    cold_dir.mkdir(), warm_dir.mkdir()
    cold = harness.run(snippet, "cpu", cold_dir, quick=True)
    assert not cold.warm
    # The warm run of test_snippet (same mode, device and environment) when it has finished, on either worker;
    # otherwise (run alone, or still running) a warm run of our own.
    warm = warm_outputs.load(snippet)
    if warm is None:
        run = harness.run(snippet, "cpu", warm_dir, quick=True, warm=True)
        assert run.warm
        warm = {"returncode": run.returncode, "stdout": run.stdout, "files": sorted(p.name for p in warm_dir.iterdir())}
    assert cold.returncode == warm["returncode"] == 0, f"{snippet.id}: cold exit {cold.returncode}, warm exit {warm['returncode']}"
    difference = warm_cold_difference(snippet, cold.stdout, warm["stdout"], tmp_path / "cold-again")
    assert difference is None, difference
    assert sorted(p.name for p in cold_dir.iterdir()) == warm["files"], f"{snippet.id}: cold and warm runs wrote different files"
    remember_pass(request.config, snippet, "test_warm_start_prints_what_a_cold_start_prints")


def warm_cold_difference(snippet: harness.Snippet, cold_stdout: str, warm_stdout: str, workdir) -> str | None:
    """None when both starts printed the same; otherwise why not. Unseeded randomness also makes a warm run differ
    from a cold one: a second cold run tells the two apart, so that it is reported as tools.run.record reports it."""
    changed = differing_lines(cold_stdout, warm_stdout)
    if not changed:
        return None
    workdir.mkdir(exist_ok=True)
    again = differing_lines(cold_stdout, harness.run(snippet, "cpu", workdir, quick=True).stdout)
    if again:
        return not_deterministic(snippet.id, again)
    return f"{snippet.id}: a warm start printed something else than a cold one (two cold runs agree):\n" + "\n".join(changed[:5])


class WarmOutputs:
    """What each snippet's warm CPU run printed and wrote, shared by the test workers of one session (a folder
    beside their base temporary folders), so that the warm/cold comparison need not run the program warm again."""

    def __init__(self, folder):
        self.folder = folder
        folder.mkdir(exist_ok=True)

    def path(self, snippet: harness.Snippet):
        return self.folder / (snippet.id.replace("/", "__") + ".json")

    def save(self, snippet: harness.Snippet, result, workdir) -> None:
        data = {"sha256": harness.file_sha256(snippet.path), "returncode": result.returncode, "stdout": result.stdout,
                "files": sorted(p.name for p in workdir.iterdir())}
        tmp = self.path(snippet).with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        tmp.replace(self.path(snippet))  # atomic: the other worker never reads half a file

    def load(self, snippet: harness.Snippet) -> dict | None:
        try:
            data = json.loads(self.path(snippet).read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        return data if data["sha256"] == harness.file_sha256(snippet.path) else None


@pytest.fixture(scope="session")
def warm_outputs(tmp_path_factory, worker_id) -> WarmOutputs:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is <session root>/popen-gwN: share the session root.
    return WarmOutputs((base.parent if worker_id != "master" else base) / "warm-outputs")


def test_snippets_exist():
    """Guard against a glob that silently finds nothing."""
    assert SNIPPETS, f"no snippets found under {harness.SNIPPETS_DIR}"
