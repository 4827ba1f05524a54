"""The harness must fail, readably, on broken snippets: proof that test_snippets.py can fail."""

from __future__ import annotations

import textwrap
import time

import pytest

from conftest import tree_snapshot
from tools.run import record
from tools.model import snippets as harness

HEADER = '''\
# /// script
# [tool.docs-snippet]
# title = {{ zh = "测试", en = "test" }}
# timeout = {timeout}
#
# [[tool.docs-snippet.check]]
# pattern = 'w = (?P<w>\\S+)'
# expect = "abs(w - 3) < 0.2"
# why = "the fit must recover w = 3"
# ///
# --8<-- [start:program]
'''


def make_snippet(tmp_path, body: str, timeout: int = 60) -> harness.Snippet:
    path = tmp_path / "snippets" / "broken" / "01_broken.py"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER.format(timeout=timeout) + textwrap.dedent(body) + "# --8<-- [end:program]\n")
    return harness.load(path)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_wrong_value_fails_its_check(tmp_path, warm):
    snippet = make_snippet(tmp_path, 'print("w = 5.0")\n')
    result = harness.run(snippet, "cpu", tmp_path, warm=warm)
    assert result.returncode == 0 and result.warm == warm
    failures = harness.failed_checks(snippet, result.stdout)
    assert failures and "abs(w - 3) < 0.2" in failures[0] and "'w': 5.0" in failures[0]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_missing_output_line_fails_its_check(tmp_path, warm):
    snippet = make_snippet(tmp_path, 'print("nothing useful")\n')
    assert harness.failed_checks(snippet, harness.run(snippet, "cpu", tmp_path, warm=warm).stdout) == [
        "output has no line matching 'w = (?P<w>\\\\S+)'"
    ]


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_exception_is_reported_with_stderr_tail(tmp_path, warm):
    snippet = make_snippet(tmp_path, 'raise ValueError("shapes (100,1) and (100,1) not aligned")\n')
    result = harness.run(snippet, "cpu", tmp_path, warm=warm)
    assert result.returncode == 1
    assert "ValueError: shapes (100,1) and (100,1) not aligned" in harness.tail(result.stderr)


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_network_access_fails_fast(tmp_path, warm):
    snippet = make_snippet(tmp_path, 'import urllib.request\nurllib.request.urlopen("https://example.com/mnist.npz", timeout=60)\n')
    started = time.perf_counter()
    result = harness.run(snippet, "cpu", tmp_path, warm=warm)
    assert result.returncode != 0
    assert "snippet tried to reach 'example.com'" in result.stderr
    assert time.perf_counter() - started < 20


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_hang_is_stopped_by_the_timeout(tmp_path, warm):
    snippet = make_snippet(tmp_path, "import time\ntime.sleep(60)\n", timeout=2)
    result = harness.run(snippet, "cpu", tmp_path, warm=warm)
    assert result.returncode is None


def test_metadata_without_checks_is_rejected(tmp_path):
    path = tmp_path / "01_no_checks.py"
    path.write_text('# /// script\n# [tool.docs-snippet]\n# title = { zh = "x", en = "x" }\n# ///\n'
                    "# --8<-- [start:program]\nprint(1)\n# --8<-- [end:program]\n")
    with pytest.raises(harness.SnippetMetadataError, match="must assert an outcome"):
        harness.load(path)


def test_gpu_case_fails_when_tensorflow_cannot_see_the_gpu(tmp_path, monkeypatch):
    """A GPU that nvidia-smi lists but TensorFlow cannot use must fail loudly, not fall back to the CPU."""
    import conftest

    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    (fake_bin / "nvidia-smi").write_text("#!/bin/sh\necho 'GPU 0: Fake GPU (UUID: GPU-0)'\n")
    (fake_bin / "nvidia-smi").chmod(0o755)
    monkeypatch.setenv("PATH", f"{fake_bin}:{conftest.os.environ['PATH']}")
    conftest.gpu_probe.cache_clear()
    try:
        assert conftest.gpu_probe() == (True, "GPU 0: Fake GPU (UUID: GPU-0)")
    finally:
        conftest.gpu_probe.cache_clear()

    snippet = make_snippet(tmp_path, 'print("w = 3.0")\n')
    # CUDA_VISIBLE_DEVICES="" stands in for a machine whose TensorFlow has no usable GPU (e.g. tensorflow-cpu).
    monkeypatch.setenv("CUDA_VISIBLE_DEVICES", "")
    result = harness.run(snippet, "gpu", tmp_path)
    assert result.returncode == 3, result.stderr[-2000:]
    assert "nvidia-smi sees a GPU, but TensorFlow sees none" in result.stderr
    assert "w = 3.0" not in result.stdout


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
@pytest.mark.parametrize("generator", ["random.random()", "numpy.random.rand()"])
def test_unseeded_snippet_is_caught_by_the_determinism_check(tmp_path, warm, generator):
    """Warm children reseed from the OS like fresh interpreters, so unseeded randomness shows there too."""
    snippet = make_snippet(tmp_path, f'import random, numpy\nprint("w =", 3 + {generator} / 100)\nprint("took 1.5 s")\n')
    first, second = (harness.run(snippet, "cpu", tmp_path, warm=warm).stdout for _ in range(2))
    changed = record.differing_lines(first, second)
    assert len(changed) == 1 and changed[0].startswith("run 1: w = 3.0"), changed  # the duration line is ignored


@pytest.mark.parametrize("warm", [False, True], ids=["cold", "warm"])
def test_snippet_writing_into_the_source_tree_is_caught(tmp_path, warm):
    snippet = make_snippet(tmp_path, 'from pathlib import Path\nPath(__file__).with_name("weights.h5").write_text("x")\nprint("w = 3")\n')
    before = tree_snapshot(tmp_path / "snippets")
    workdir = tmp_path / "work"
    workdir.mkdir()
    assert harness.run(snippet, "cpu", workdir, warm=warm).returncode == 0  # its working directory is elsewhere
    changed = {path for path, _ in tree_snapshot(tmp_path / "snippets").items() ^ before.items()}
    assert changed == {"broken/weights.h5"}


BACKEND_SNIPPET = """\
import os
os.environ["KERAS_MAX_EPOCHS"] = "2"  # read by Keras when it is imported: caps every fit() at 2 epochs
import keras
print("max epochs:", keras.config.max_epochs())
print("w = 3")
"""


def test_snippet_that_sets_a_startup_variable_runs_cold(tmp_path):
    """KERAS_MAX_EPOCHS (like KERAS_BACKEND) is read when Keras is imported: a warm child would not see it."""
    snippet = make_snippet(tmp_path, BACKEND_SNIPPET)
    assert "KERAS_MAX_EPOCHS" in harness.cold_start_reason(snippet)
    result = harness.run(snippet, "cpu", tmp_path, warm=True)
    assert not result.warm and "max epochs: 2" in result.stdout, result.stderr[-2000:]
    # Negative test: forced into a warm child anyway, the snippet silently loses its setting.
    forced = harness.warm_runner(harness.snippet_env("cpu", quick=True)).run(snippet, tmp_path, timeout=60)
    assert forced.warm and "max epochs: None" in forced.stdout, forced.stderr[-2000:]


def test_declared_cold_snippet_runs_cold(tmp_path):
    snippet = make_snippet(tmp_path, 'print("w = 3")\n')
    declared = harness.Snippet(**{**snippet.__dict__, "cold": "reads TF_DETERMINISTIC_OPS from its caller"})
    assert harness.cold_start_reason(declared) == "declared cold: reads TF_DETERMINISTIC_OPS from its caller"
    assert not harness.run(declared, "cpu", tmp_path, warm=True).warm


@pytest.mark.parametrize(
    ("source", "names"),
    [('os.environ["TF_NUM_INTRAOP_THREADS"] = "1"', ["TF_NUM_INTRAOP_THREADS"]),
     ('os.environ.update({"KERAS_HOME": "."}, XLA_FLAGS="x")', ["KERAS_HOME", "XLA_FLAGS"]),
     ('os.environ.setdefault("MPLBACKEND", "Agg")', ["MPLBACKEND"]),
     ('del os.environ["CUDA_VISIBLE_DEVICES"]', ["CUDA_VISIBLE_DEVICES"]),
     ("os.putenv(name, value)", ["<computed name>"]),
     ('seed = int(os.environ.get("SEED", 0))', [])],
)
def test_environment_writes_are_found(source, names):
    assert harness._environ_writes(harness.ast.parse("import os\n" + source)) == names


# `make check` (--changed-snippets) is tested in tests/test_contributor.py.


def test_unseeded_randomness_in_the_warm_cold_comparison_says_seed_it(tmp_path):
    """A program that prints different numbers each run also differs between a warm and a cold start: the comparison
    (make check, make test) reports it as tools.run.record does, not as a difference between the two starts."""
    from test_snippets import warm_cold_difference

    snippet = make_snippet(tmp_path, 'import random\nprint("w =", 3 + random.random() / 100)\n')
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    cold.mkdir(), warm.mkdir()
    cold_run, warm_run = harness.run(snippet, "cpu", cold), harness.run(snippet, "cpu", warm, warm=True)
    message = warm_cold_difference(snippet, cold_run.stdout, warm_run.stdout, tmp_path / "again")
    assert message.startswith(f"{snippet.id} is not deterministic: seed it"), message
    assert "warm start" not in message and "run 1: w = 3.0" in message, message
    with pytest.raises(SystemExit, match=r"nothing recorded: .* is not deterministic: seed it"):
        record.record(snippet)


def test_a_real_warm_cold_difference_is_reported_as_one(tmp_path):
    """What only a warm start changes (here: Keras already imported) is still reported as a warm/cold difference."""
    from test_snippets import warm_cold_difference

    snippet = make_snippet(tmp_path, 'import sys\nprint("w = 3, keras loaded:", "keras" in sys.modules)\n')
    cold, warm = tmp_path / "cold", tmp_path / "warm"
    cold.mkdir(), warm.mkdir()
    cold_run, warm_run = harness.run(snippet, "cpu", cold), harness.run(snippet, "cpu", warm, warm=True)
    assert warm_run.warm and "keras loaded: True" in warm_run.stdout and "keras loaded: False" in cold_run.stdout
    message = warm_cold_difference(snippet, cold_run.stdout, warm_run.stdout, tmp_path / "again")
    assert message.startswith(f"{snippet.id}: a warm start printed something else than a cold one (two cold runs agree)"), message
    assert warm_cold_difference(snippet, cold_run.stdout, cold_run.stdout, tmp_path / "same") is None


def test_one_warm_runner_serves_every_test(tmp_path, monkeypatch):
    """pytest changes PYTEST_CURRENT_TEST for each test: the same runner serves them all, and each child sees its own."""
    snippet = make_snippet(tmp_path, 'import os\nprint("w = 3 in", os.environ["PYTEST_CURRENT_TEST"])\n')
    assert harness.run(snippet, "cpu", tmp_path, warm=True).warm
    runner = harness.warm_runner(harness.snippet_env("cpu", quick=True))
    monkeypatch.setenv("PYTEST_CURRENT_TEST", "tests/test_x.py::another (call)")
    second = harness.run(snippet, "cpu", tmp_path, warm=True)
    assert harness.warm_runner(harness.snippet_env("cpu", quick=True)) is runner
    assert second.warm and "w = 3 in tests/test_x.py::another (call)" in second.stdout, second.stderr[-2000:]
