"""Run every snippet as a reader would, on the CPU and (when one is visible) on a GPU, and check its outcome."""

from __future__ import annotations

import pytest

from conftest import gpu_probe, tree_snapshot
from tools import snippets as harness

SNIPPETS = harness.longest_first(harness.discover())


@pytest.mark.parametrize("device", ["cpu", "gpu"])
@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_snippet(snippet: harness.Snippet, device: str, tmp_path):
    if device == "gpu":
        visible, detail = gpu_probe()
        if not visible:
            pytest.skip(detail)

    before = tree_snapshot()
    result = harness.run(snippet, device, tmp_path, quick=True)
    changed = {path for path, stat in tree_snapshot().items() ^ before.items()}

    context = f"{snippet.id} on {device}"
    assert result.returncode is not None, (
        f"{context} timed out after {snippet.timeout:.0f} s (quick mode).\nstderr tail:\n{harness.tail(result.stderr)}"
    )
    assert result.returncode == 0, (
        f"{context} exited with {result.returncode}.\nstderr tail:\n{harness.tail(result.stderr)}"
    )
    failures = harness.failed_checks(snippet, result.stdout)
    assert not failures, f"{context}: " + "\n".join(failures) + f"\nstdout tail:\n{harness.tail(result.stdout)}"
    missing = [name for name in snippet.outputs if not (tmp_path / name).exists()]
    assert not missing, f"{context} did not write its declared outputs {missing} into its working directory"
    assert not changed, f"{context} changed the source tree (snippets must write only to their working directory): {sorted(changed)}"


def test_snippets_exist():
    """Guard against a glob that silently finds nothing."""
    assert SNIPPETS, f"no snippets found under {harness.SNIPPETS_DIR}"
