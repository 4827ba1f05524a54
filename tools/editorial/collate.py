"""The collation ledger: every unit of an article's original, and what the page did with it.

`docs/articles/<slug>/collation.yml` (in the repository, not published) lists every unit of the original
(`../shared/seeds/<file>`, mapped in tools/editorial/originals.py) in order: each heading, paragraph, list item, code block and
table, by its position (`n`, and `line` in the original) and a short hash of its normalised text (tools.editorial.originals.
normalize: NFKC, case folded, markup, whitespace and punctuation removed). No text of the original is copied here.
Each unit has one status:

    kept       the page has a passage that matches it, in the section `at` (checked: a fuzzy match of at least
               KEPT_SCORE on the normalised Chinese text, rapidfuzz's partial ratio, or its plain ratio where the unit
               is longer than the section; a small change inside a long unit, one number or word, stays above it)
    reworded   the meaning is unchanged, the wording is not (not marked on the page)
    corrected  a fact, number, formula, program, citation or attribution was corrected: `notes` lists the titles of the
               Chinese editor's notes that mark it (each must exist, and the English page must have at least as many
               notes; that the twin is the same note rests on tools/editorial/parity.py, which keeps the notes in step)
    cut        dropped from the page
    merged     folded into another passage (`at`: where)
    moved      now elsewhere on the page (`at`: where)

`cut`, `merged` and `moved` units name in `listed` the bullet of the page's first editor's note (the structural edits,
1 = its first bullet) that lists them, on both pages. Every status but `cut` names in `at` the section of the page
(its heading anchor, the same in both languages) where the unit now is. `why` is an optional word from the editors.

    - {n: 12, line: 40, kind: item, hash: 3f2a9c1d, status: corrected, at: history, notes: ["决策树是学出来的……"]}
    - {n: 13, line: 44, kind: paragraph, hash: 0b7e21aa, status: cut, listed: 3}

    python -m tools.editorial.collate <slug>          # propose: update the ledger from the original (statuses are kept by
                                            # hash), propose `kept` for a unit new to the ledger (a new
                                            # hash) where the page matches it, print every problem
    python -m tools.editorial.collate <slug> --check  # only print the problems (what the test checks); exit 1 if any
    python -m tools.editorial.collate <slug> --show N # the unit N of the original and the page's best passages for it
    python -m tools.editorial.collate <slug> --unclassified   # the same for every unit not yet classified

A unit the tool cannot match well enough is written with `status: null` and a proposed `at`; the editors classify it.
`problems()` is what tests/test_collation.py checks: every unit classified; the ledger in step with the original;
every `kept` still matching; every `corrected` note present on both pages; every `cut`/`merged`/`moved` listed in the
first note of both pages; every `at` an anchor of both pages. Where the originals are absent (a clone without
../shared/), only what needs no original is checked: the ledger's structure, its anchors and its note references.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.editorial import originals
from tools.model import markdown

DOCS = originals.DOCS_DIR
LEDGER = "collation.yml"
KINDS = ("heading", "paragraph", "item", "code", "table")
STATUSES = ("kept", "reworded", "corrected", "cut", "merged", "moved")
KEPT_SCORE = 90  # rapidfuzz partial ratio (0-100) of a kept unit against its section of the page

FENCE_OPEN = re.compile(r"^[ \t]*(`{3,}|~{3,})")
HEADING = re.compile(r"^#{1,6}[ \t]+\S")
LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d+[.)])[ \t]+\S")
TABLE_ROW = re.compile(r"^[ \t]*\|")
ANCHOR = re.compile(r"\{[^}\n]*#(?P<id>[\w-]+)[^}\n]*\}\s*$")
ATTR_LIST = re.compile(r"\{[^}\n]*[#.][\w-]+[^}\n]*\}")
LINK_TARGET = re.compile(r"\]\([^)\n]*\)")
HTML_TAG = re.compile(r"<[^>\n]+>")


@dataclass(frozen=True)
class Unit:
    n: int
    line: int  # 1-based line of the unit's first line in the original
    kind: str
    text: str

    @property
    def normalized(self) -> str:
        return originals.normalize(self.text)

    @property
    def hash(self) -> str:
        return short_hash(self.normalized)


def short_hash(normalized: str) -> str:
    return hashlib.blake2b(normalized.encode("utf-8"), digest_size=4).hexdigest()


def _blocks(text: str) -> list[tuple[int, str, str]]:
    """(line, kind, text) of every block of a Markdown text: headings, paragraphs, list items, code blocks, tables."""
    lines = text.splitlines()
    found, i = [], 0

    def starts_block(line: str) -> bool:
        return bool(FENCE_OPEN.match(line) or HEADING.match(line) or LIST_ITEM.match(line) or TABLE_ROW.match(line))

    while i < len(lines):
        line = lines[i]
        if not line.strip():
            i += 1
            continue
        start = i
        if m := FENCE_OPEN.match(line):
            fence = m.group(1)
            i += 1
            while i < len(lines) and not lines[i].strip().startswith(fence):
                i += 1
            found.append((start + 1, "code", "\n".join(lines[start:i + 1])))
            i += 1
            continue
        if HEADING.match(line):
            found.append((start + 1, "heading", line))
            i += 1
            continue
        kind = "table" if TABLE_ROW.match(line) else "item" if LIST_ITEM.match(line) else "paragraph"
        i += 1
        while i < len(lines) and lines[i].strip():
            if kind == "table" and not TABLE_ROW.match(lines[i]):
                break
            if kind != "table" and starts_block(lines[i]):
                break
            i += 1
        found.append((start + 1, kind, "\n".join(lines[start:i])))
    return found


def units(original: str) -> list[Unit]:
    """The units of an original, numbered from 1 (blocks with no wording, such as `---`, are not units)."""
    blocks = [(line, kind, text) for line, kind, text in _blocks(original) if originals.normalize(text)]
    return [Unit(n, line, kind, text) for n, (line, kind, text) in enumerate(blocks, 1)]


# --- the page ------------------------------------------------------------------------------------------------------


def page_path(slug: str, lang: str, docs: Path = DOCS) -> Path:
    return docs / "articles" / slug / f"index.{lang}.md"


def _page_body(text: str, lang: str) -> str:
    """The page without its front matter and editor's notes (blanked out, line numbers kept)."""
    return _without_notes(markdown.without_front_matter(text), lang)


def _without_notes(text: str, lang: str) -> str:
    """The page's text with every editor's note blanked out (line numbers kept): a note quotes the original, so a
    passage that survives only inside a note is not kept."""
    lines = text.splitlines()
    for note in originals.notes(Path(f"x.{lang}.md"), lang, text):
        end = note.line + len(note.text.splitlines())
        for j in range(note.line - 1, min(end, len(lines))):
            lines[j] = ""
    return "\n".join(lines)


def sections(text: str, lang: str = "zh") -> dict[str, str]:
    """{heading anchor: the normalised prose of that section (up to the next heading), notes and code left out}."""
    body = _page_body(text, lang)
    found: dict[str, list[str]] = {"": []}
    current = ""
    for _, kind, block in _blocks(body):
        if kind == "heading":
            m = ANCHOR.search(block)
            current = m.group("id") if m else current
            found.setdefault(current, [])
        if kind == "code" or markdown.INCLUDE.search(block):
            continue
        found.setdefault(current, []).append(originals.normalize(HTML_TAG.sub("", LINK_TARGET.sub("]", ATTR_LIST.sub("", block)))))
    return {anchor: "".join(parts) for anchor, parts in found.items()}


def anchors(text: str) -> set[str]:
    return {h.id for h in markdown.headings(text) if h.id}


def score(unit_text: str, section_text: str) -> float:
    from rapidfuzz import fuzz

    if not unit_text or not section_text:
        return 0.0
    return fuzz.partial_ratio(unit_text, section_text) if len(unit_text) <= len(section_text) else fuzz.ratio(unit_text, section_text)


def best_sections(unit: Unit, page_sections: dict[str, str], top: int = 3) -> list[tuple[float, str]]:
    return sorted(((score(unit.normalized, text), anchor) for anchor, text in page_sections.items() if anchor), reverse=True)[:top]


def first_note_bullets(text: str, lang: str) -> int:
    """How many bullets the page's first editor's note (the structural edits) has at its top level."""
    found = originals.notes(Path(f"x.{lang}.md"), lang, text)
    if not found:
        return 0
    body = found[0].text.splitlines()
    indents = [len(line) - len(line.lstrip()) for line in body if re.match(r"^[ \t]*- ", line)]
    return sum(1 for i in indents if i == min(indents)) if indents else 0


# --- the ledger ----------------------------------------------------------------------------------------------------


def ledger_path(slug: str, docs: Path = DOCS) -> Path:
    return docs / "articles" / slug / LEDGER


def load(slug: str, docs: Path = DOCS) -> dict:
    path = ledger_path(slug, docs)
    if not path.is_file():
        return {}
    return yaml.safe_load(path.read_text(encoding="utf-8")) or {}


def _flow(value) -> str:
    if isinstance(value, list):
        return "[" + ", ".join(_flow(v) for v in value) + "]"
    if value is None:
        return "null"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str) and re.fullmatch(r"[A-Za-z0-9][\w-]*", value) and yaml.safe_load(value) == value:
        return value  # plain where YAML reads it back as this string (a hash of digits only would be a number)
    return json.dumps(value, ensure_ascii=False)


ORDER = ("n", "line", "kind", "hash", "status", "at", "notes", "listed", "why")


def dump(slug: str, entries: list[dict]) -> str:
    head = (f"# Collation ledger of docs/articles/{slug}/ against its original (tools/editorial/collate.py explains the statuses).\n"
            f"# Regenerate with `python -m tools.editorial.collate {slug}`: it keeps every status by hash and proposes the rest.\n")
    lines = [head, f"article: {slug}", f"original: {originals.ORIGINALS[slug]}", "units:"]
    for entry in entries:
        lines.append("- {" + ", ".join(f"{k}: {_flow(entry[k])}" for k in ORDER if k in entry) + "}")
    return "\n".join(lines) + "\n"


def propose(slug: str, docs: Path = DOCS) -> tuple[list[dict], list[str]]:
    """The ledger's entries brought in step with the original: each unit keeps the classification it had (matched
    by hash, in order); a new unit is `kept` where its best section matches well enough, otherwise unclassified
    (`status: null`) with the best section as `at`. Returns the entries and a line for every new unit."""
    original = originals.seed_path(slug).read_text(encoding="utf-8")
    page_sections = sections(page_path(slug, "zh", docs).read_text(encoding="utf-8"))
    old: dict[str, list[dict]] = {}
    for entry in load(slug, docs).get("units") or []:
        old.setdefault(str(entry.get("hash")), []).append(entry)
    entries, new = [], []
    for unit in units(original):
        previous = old.get(unit.hash, [])
        entry = {"n": unit.n, "line": unit.line, "kind": unit.kind, "hash": unit.hash}
        if previous:
            kept = previous.pop(0)
            entry.update({k: v for k, v in kept.items() if k not in ("n", "line", "kind", "hash")})
        else:
            best = best_sections(unit, page_sections, 1)
            points, anchor = best[0] if best else (0.0, None)
            entry.update({"status": "kept" if points >= KEPT_SCORE else None, "at": anchor})
            new.append(f"unit {unit.n} (line {unit.line}, {unit.kind}): proposed {entry['status'] or 'unclassified'}"
                       f" at #{anchor} (match {points:.0f})")
        entries.append(entry)
    return entries, new


def _describe(slug: str, entry: dict) -> str:
    return f"{slug}: unit {entry.get('n')} (line {entry.get('line')} of the original, {entry.get('kind')}, {entry.get('status')})"


def structure_problems(slug: str, docs: Path = DOCS, ledger: dict | None = None,
                       zh_text: str | None = None, en_text: str | None = None) -> list[str]:
    """What can be checked without the original: fields, statuses, anchors, note references, first-note bullets."""
    ledger = load(slug, docs) if ledger is None else ledger
    where = f"docs/articles/{slug}/{LEDGER}"
    if not ledger:
        return [f"{slug}: no {where}: run `python -m tools.editorial.collate {slug}` and classify every unit it lists"]
    problems = []
    if ledger.get("article") != slug or ledger.get("original") != originals.ORIGINALS.get(slug):
        problems.append(f"{where}: article/original should be {slug} / {originals.ORIGINALS.get(slug)}")
    zh_text = page_path(slug, "zh", docs).read_text(encoding="utf-8") if zh_text is None else zh_text
    en_text = page_path(slug, "en", docs).read_text(encoding="utf-8") if en_text is None else en_text
    zh_anchors, en_anchors = anchors(zh_text), anchors(en_text)
    zh_notes = originals.notes(Path("x.zh.md"), "zh", zh_text)
    en_notes = originals.notes(Path("x.en.md"), "en", en_text)
    titles = [note.title for note in zh_notes]
    bullets = first_note_bullets(zh_text, "zh"), first_note_bullets(en_text, "en")
    for i, entry in enumerate(ledger.get("units") or [], 1):
        name = _describe(slug, entry)
        if entry.get("n") != i:
            problems.append(f"{name}: expected n: {i} (units are numbered in order from 1)")
        if set(entry) - set(ORDER):
            problems.append(f"{name}: unknown fields {sorted(set(entry) - set(ORDER))} (known: {', '.join(ORDER)})")
        if entry.get("kind") not in KINDS or not re.fullmatch(r"[0-9a-f]{8}", str(entry.get("hash"))) or not isinstance(entry.get("line"), int):
            problems.append(f"{name}: needs line (a number), kind (one of {', '.join(KINDS)}) and hash (8 hex digits)")
        status = entry.get("status")
        if status not in STATUSES:
            problems.append(f"{name}: not classified: set status to one of {', '.join(STATUSES)}"
                            f" (`python -m tools.editorial.collate {slug} --show {entry.get('n')}` shows it)")
            continue
        at = entry.get("at")
        if status != "cut":
            if not at:
                problems.append(f"{name}: needs at: the anchor of the section where it now is")
            elif at not in zh_anchors or at not in en_anchors:
                problems.append(f"{name}: at: {at} is not a heading anchor of both pages"
                                f" ({'index.zh.md' if at not in zh_anchors else 'index.en.md'} lacks it)")
        if status == "corrected":
            notes = entry.get("notes") or []
            if not notes:
                problems.append(f"{name}: a correction needs notes: the titles of the editor's notes that mark it")
            for title in notes:
                if title not in titles:
                    problems.append(f"{name}: no editor's note titled “编者注：{title}” on index.zh.md: add the note (and its"
                                    f" English twin), or name the note that marks this correction")
                elif titles.index(title) >= len(en_notes):
                    problems.append(f"{name}: the note “{title}” has no English twin in the same place on index.en.md")
        if status in ("cut", "merged", "moved"):
            listed = entry.get("listed")
            if not isinstance(listed, int) or listed < 1:
                problems.append(f"{name}: a {status} unit needs listed: the bullet of the first editor's note that lists it")
            elif listed > min(bullets):
                problems.append(f"{name}: listed: {listed}, but the first editor's note has {bullets[0]} bullets on"
                                f" index.zh.md and {bullets[1]} on index.en.md: list the {status} passage there")
    return problems


def problems(slug: str, docs: Path = DOCS, ledger: dict | None = None, zh_text: str | None = None,
             en_text: str | None = None) -> list[str]:
    """Everything the ledger test checks (the original is read from ../shared/seeds/; where it is absent, only
    structure_problems' findings)."""
    ledger = load(slug, docs) if ledger is None else ledger
    zh_text = page_path(slug, "zh", docs).read_text(encoding="utf-8") if zh_text is None else zh_text
    found = structure_problems(slug, docs, ledger, zh_text, en_text)
    if not originals.seed_path(slug).is_file():
        return found
    original = originals.seed_path(slug).read_text(encoding="utf-8")
    if not ledger:
        return found
    expected = units(original)
    entries = ledger.get("units") or []
    for unit, entry in zip(expected, entries):
        if (entry.get("line"), entry.get("kind"), entry.get("hash")) != (unit.line, unit.kind, unit.hash):
            found.append(f"{_describe(slug, entry)}: the original's unit {unit.n} is line {unit.line}, {unit.kind},"
                         f" hash {unit.hash}: the ledger is out of step; run `python -m tools.editorial.collate {slug}`")
            return found
    if len(expected) != len(entries):
        found.append(f"{slug}: the original has {len(expected)} units, {LEDGER} lists {len(entries)}: run `python -m tools.editorial.collate {slug}`")
        return found
    page_sections = sections(zh_text)
    for unit, entry in zip(expected, entries):
        if entry.get("status") == "kept" and entry.get("at") in page_sections:
            points = score(unit.normalized, page_sections[entry["at"]])
            if points < KEPT_SCORE:
                found.append(f"{_describe(slug, entry)}: marked kept, but no passage of #{entry['at']} on index.zh.md matches"
                             f" it any more (match {points:.0f} < {KEPT_SCORE}): a changed fact, number, formula, program or"
                             f" citation is `corrected` with a note on both pages; a change of wording only is `reworded`;"
                             f" a passage that moved needs the new `at`")
    return found


def best_passage(unit: Unit, zh_text: str) -> tuple[float, str]:
    """The block of the Chinese page (notes left out) that matches the unit best, as written on the page."""
    from rapidfuzz import fuzz

    body = _page_body(zh_text, "zh")
    scored = [(fuzz.ratio(unit.normalized, originals.normalize(block)), block) for _, kind, block in _blocks(body) if kind != "code"]
    return max(scored, default=(0.0, ""))


def show(slug: str, n: int | None = None) -> str:
    """One unit (n), or every unclassified unit (n None): the original's text, its status, the best page passage."""
    all_units = units(originals.seed_path(slug).read_text(encoding="utf-8"))
    zh_text = page_path(slug, "zh").read_text(encoding="utf-8")
    page_sections = sections(zh_text)
    entries = {e.get("n"): e for e in load(slug).get("units") or []}
    chosen = [all_units[n - 1]] if n else [u for u in all_units if entries.get(u.n, {}).get("status") not in STATUSES]
    out = []
    for unit in chosen:
        entry = entries.get(unit.n, {})
        best = ", ".join(f"#{a} ({p:.0f})" for p, a in best_sections(unit, page_sections))
        points, passage = best_passage(unit, zh_text)
        out.append(f"=== unit {unit.n}, line {unit.line}, {unit.kind}, {entry.get('status')} at #{entry.get('at')};"
                   f" best sections: {best}\n--- original:\n{unit.text}\n--- best page passage ({points:.0f}):\n{passage}")
    return "\n".join(out) or "every unit is classified"


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in originals.ORIGINALS:
        print(f"usage: python -m tools.editorial.collate <slug> [--check | --show N | --unclassified]; slugs: {', '.join(originals.ORIGINALS)}")
        return 2
    slug = argv[0]
    if "--show" in argv:
        print(show(slug, int(argv[argv.index("--show") + 1])))
        return 0
    if "--unclassified" in argv:
        print(show(slug))
        return 0
    if "--check" not in argv:
        if not originals.seed_path(slug).is_file():
            print(f"the original {originals.seed_path(slug)} is absent: nothing to propose")
            return 1
        entries, new = propose(slug)
        ledger_path(slug).write_text(dump(slug, entries), encoding="utf-8")
        print("\n".join(new) if new else "no new units")
    found = problems(slug)
    print("\n".join(found) or f"{slug}: every unit of the original is accounted for")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
