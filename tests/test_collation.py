"""The collation ledger (tools/editorial/collate.py): every unit of each original is accounted for, so "every change is marked"
is checked, not promised. Each failure names the article, the unit and the fix."""

from __future__ import annotations

import copy

import pytest

from conftest import ROOT
from tools.editorial import collate, originals

SLUGS = sorted(originals.ORIGINALS)
needs_seeds = pytest.mark.skipif(not originals.seeds_available(), reason=f"the originals are not in {originals.SEEDS_DIR}")


def texts(slug: str) -> tuple[str, str]:
    return tuple(collate.page_path(slug, lang).read_text(encoding="utf-8") for lang in ("zh", "en"))


@pytest.mark.parametrize("slug", SLUGS)
def test_every_unit_of_the_original_is_accounted_for(slug):
    """With the originals: every unit classified, the ledger in step with the original, every kept unit still on the
    page, every correction's notes on both pages, every cut/merge/move in the first note. Without them: the ledger's
    structure, anchors and note references."""
    problems = collate.problems(slug)
    assert not problems, f"{slug}: the collation ledger docs/articles/{slug}/collation.yml:\n" + "\n".join(problems[:40]) + (
        f"\n... and {len(problems) - 40} more" if len(problems) > 40 else "")


@pytest.mark.parametrize("slug", SLUGS)
def test_the_ledger_is_checked_without_the_originals(slug, monkeypatch, tmp_path):
    monkeypatch.setattr(originals, "SEEDS_DIR", tmp_path / "absent")
    assert not originals.seed_path(slug).is_file()
    assert collate.problems(slug) == collate.structure_problems(slug) == []


def ledger_with(slug: str, status: str) -> tuple[dict, dict]:
    ledger = collate.load(slug)
    entry = next((e for e in ledger["units"] if e.get("status") == status and (status != "kept" or e["kind"] == "heading")), None)
    assert entry, f"{slug}: no unit with status {status} to test with"
    return copy.deepcopy(ledger), entry


@needs_seeds
def test_an_unmarked_change_of_a_kept_unit_fails():
    """A heading the ledger says is kept, reworded on the page with no note and no ledger change, fails by name."""
    slug = "large-model-basics"
    ledger, entry = ledger_with(slug, "kept")
    zh, en = texts(slug)
    line = next(ln for ln in zh.splitlines() if ln.startswith("#") and "{ #" + entry["at"] + " }" in ln)
    changed = zh.replace(line, line.split(" ", 1)[0] + " 一个编者改过却没有标注的标题 { #" + entry["at"] + " }", 1)
    problems = collate.problems(slug, ledger=ledger, zh_text=changed, en_text=en)
    assert any(p.startswith(f"{slug}: unit {entry['n']} (line {entry['line']} of the original, heading, kept): marked kept, but no passage")
               and "`corrected` with a note" in p for p in problems), problems


@pytest.mark.parametrize("seeds", ["present", "absent"])
def test_a_correction_without_its_note_fails(seeds, monkeypatch, tmp_path):
    if seeds == "absent":
        monkeypatch.setattr(originals, "SEEDS_DIR", tmp_path / "absent")
    elif not originals.seeds_available():
        pytest.skip("the originals are absent")
    slug = "cnn-app"
    ledger, entry = ledger_with(slug, "corrected")
    zh, en = texts(slug)
    title = entry["notes"][0]
    problems = collate.problems(slug, ledger=ledger, zh_text=zh.replace(f"编者注：{title}", "编者注：另一个标题"), en_text=en)
    assert any(f"unit {entry['n']} " in p and f"no editor's note titled “编者注：{title}”" in p for p in problems), problems


@pytest.mark.parametrize("field", ["status", "at", "listed"])
def test_an_unclassified_unanchored_or_unlisted_unit_fails(field):
    slug = "gan-exploration"
    ledger = copy.deepcopy(collate.load(slug))
    zh, en = texts(slug)
    if field == "listed":
        entry = next(e for e in ledger["units"] if e.get("status") in ("cut", "merged", "moved"))
        entry["listed"] = 99
        expected = "listed: 99, but the first editor's note has"
    elif field == "at":
        entry = next(e for e in ledger["units"] if e.get("status") == "reworded")
        entry["at"] = "no-such-section"
        expected = "at: no-such-section is not a heading anchor of both pages"
    else:
        entry = ledger["units"][0]
        entry["status"] = None
        expected = "not classified: set status to one of kept, reworded, corrected, cut, merged, moved"
    problems = collate.structure_problems(slug, ledger=ledger, zh_text=zh, en_text=en)
    assert any(p.startswith(f"{slug}: unit {entry['n']} ") and expected in p for p in problems), problems


def test_units_of_an_original():
    original = ("# 标题\n\n段落一，\n继续。\n\n1. 第一项\n   续行\n2. 第二项\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
                "```python\nx = 1\n```\n\n---\n\n## 1.1 小节\n")
    found = collate.units(original)
    assert [(u.n, u.line, u.kind) for u in found] == [
        (1, 1, "heading"), (2, 3, "paragraph"), (3, 6, "item"), (4, 8, "item"), (5, 10, "table"), (6, 14, "code"), (7, 20, "heading")]
    assert found[1].hash == collate.short_hash(originals.normalize("段落一, 继续")), "the hash is of the normalised text"


def test_the_ledger_copies_no_text_of_the_original():
    for slug in SLUGS:
        text = collate.ledger_path(slug).read_text(encoding="utf-8")
        for unit in (collate.units(originals.seed_path(slug).read_text(encoding="utf-8")) if originals.seeds_available() else []):
            if unit.kind != "heading" and len(unit.normalized) > 20:
                assert unit.text.strip() not in text, f"{slug}: collation.yml copies unit {unit.n} of the original"
    assert (ROOT / "mkdocs.yml").read_text(encoding="utf-8").count("articles/*/collation.yml") == 1, "the ledger is not published"
