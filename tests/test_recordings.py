"""Recorded outputs shown on the pages must come from the current snippet source and the pinned versions.

`python -m tools.run.record snippets/<slug>/<file>.py` re-records one snippet; `make record` every stale one.
"""

from __future__ import annotations

import pytest

from tools.model import snippets as harness

SNIPPETS = harness.discover()


@pytest.mark.parametrize("snippet", SNIPPETS, ids=[s.id for s in SNIPPETS])
def test_recording_matches_snippet(snippet: harness.Snippet):
    entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name)
    rerecord = f"run `python -m tools.run.record {snippet.path.relative_to(harness.ROOT)}` (or `make record` for every stale one)"
    assert entry, f"{snippet.id} has never been recorded: {rerecord}"
    assert entry["sha256"] == harness.file_sha256(snippet.path), (
        f"{snippet.id} changed since its output was recorded in {snippet.recorded_stdout.relative_to(harness.ROOT)}: {rerecord}"
    )
    assert_provenance(snippet.id, entry, rerecord)
    assert snippet.recorded_stdout.exists(), f"missing {snippet.recorded_stdout}: {rerecord}"
    for name in snippet.outputs:
        assert (snippet.recording_dir / name).exists(), f"{snippet.id}: recorded output {name} is missing: {rerecord}"
    # The full-mode recording must satisfy the same checks as the quick-mode test run.
    failures = harness.failed_checks(snippet, snippet.recorded_stdout.read_text(encoding="utf-8"))
    assert not failures, f"{snippet.recorded_stdout}: " + "\n".join(failures)


def assert_provenance(snippet_id: str, entry: dict, rerecord: str, pins: dict[str, str] | None = None) -> None:
    """A recording says what made it, and it was made by the versions requirements.txt pins."""
    missing = [key for key in ("versions", "cpu", "date", "seconds", "device") if not entry.get(key)]
    assert not missing, f"{snippet_id}: its recording has no {', '.join(missing)} (recorded before provenance): {rerecord}"
    mismatches = harness.version_mismatches(entry, pins)
    assert not mismatches, (
        f"{snippet_id} was recorded with other versions than requirements.txt pins: "
        + ", ".join(f"{name} {recorded} (pinned {pinned})" for name, (recorded, pinned) in mismatches.items())
        + f": {rerecord}"
    )


def test_a_version_bump_makes_every_recording_stale():
    """Negative test: with TensorFlow pinned one release later, a recording of today's versions fails, naming both."""
    entry = {"versions": harness.environment()["versions"], "cpu": "x", "date": "2026-12-01", "seconds": 1.0, "device": "cpu"}
    pins = {**harness.pinned_versions(), "tensorflow": "9.99.0"}
    with pytest.raises(AssertionError, match=r"demo/01\.py was recorded with other versions.*tensorflow \S+ \(pinned 9\.99\.0\)"):
        assert_provenance("demo/01.py", entry, "re-record it", pins)
    assert_provenance("demo/01.py", entry, "re-record it", harness.pinned_versions())  # today's pins: no complaint
    with pytest.raises(AssertionError, match="recorded before provenance"):
        assert_provenance("demo/01.py", {"sha256": "0"}, "re-record it")


def test_no_orphan_recordings():
    orphans = [
        f"{manifest.parent.name}/{name}"
        for manifest in harness.GENERATED_DIR.glob(f"*/{harness.MANIFEST}")
        for name in harness.read_manifest(manifest.parent)
        if not (harness.SNIPPETS_DIR / manifest.parent.name / name).exists()
    ]
    assert not orphans, f"recordings whose snippet no longer exists: {orphans}"
