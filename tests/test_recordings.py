"""Recorded outputs shown on the pages must come from the current snippet source (`make record` refreshes them)."""

from __future__ import annotations

import pytest

from tools import snippets as harness

SNIPPETS = harness.discover()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_recording_matches_snippet(snippet: harness.Snippet):
    entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name)
    assert entry, f"{snippet.id} has never been recorded: run `make record`"
    assert entry["sha256"] == harness.file_sha256(snippet.path), (
        f"{snippet.id} changed since its output was recorded in {snippet.recorded_stdout.relative_to(harness.ROOT)}: "
        "run `make record` (it re-runs only the stale snippets)"
    )
    assert snippet.recorded_stdout.exists(), f"missing {snippet.recorded_stdout}: run `make record`"
    for name in snippet.outputs:
        assert (snippet.recording_dir / name).exists(), f"{snippet.id}: recorded output {name} is missing: run `make record`"
    # The full-mode recording must satisfy the same checks as the quick-mode test run.
    failures = harness.failed_checks(snippet, snippet.recorded_stdout.read_text(encoding="utf-8"))
    assert not failures, f"{snippet.recorded_stdout}: " + "\n".join(failures)


def test_no_orphan_recordings():
    orphans = [
        f"{manifest.parent.name}/{name}"
        for manifest in harness.GENERATED_DIR.glob(f"*/{harness.MANIFEST}")
        for name in harness.read_manifest(manifest.parent)
        if not (harness.SNIPPETS_DIR / manifest.parent.name / name).exists()
    ]
    assert not orphans, f"recordings whose snippet no longer exists: {orphans}"
