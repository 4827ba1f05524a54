"""The machine-written originals the articles were edited from, and the editor's notes that quote them.

The originals stay outside the project, in `../shared/seeds/` beside the checkout (CI and every developer machine
have it); this module is the one place that maps an article's slug to its original's file name.

In an editor's note (`!!! note "编者注"` / `!!! note "Editor's note"`), every passage quoted from the original is a
`<q>…</q>` element: on a Chinese page it is the original's own wording (tests/test_editorial.py requires it to occur
in the original, up to whitespace and punctuation), on an English page its translation. An omission inside a
quotation is written `…`: the parts on either side must then occur in the original in that order.

    python -m tools.originals            # lists every quotation that is not in its article's original
"""

from __future__ import annotations

import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
DOCS_DIR = ROOT / "docs"

ORIGINALS = {
    "tech-challenges": "000_3ee7fb6becf89dff.txt",
    "cnn-app": "001_fd53773ef5ba0585.txt",
    "large-model-basics": "002_815dc89bfd623ed4.txt",
    "tech-challenges-revisited": "003_97e01c4a4fa3742e.txt",
    "gan-exploration": "004_3bc6545caf14d5cf.txt",
}

NOTE_START = {"zh": '!!! note "编者注"', "en": '!!! note "Editor\'s note"'}
QUOTE = re.compile(r"<q>(.*?)</q>", re.S)
HEADING = re.compile(r"^(#{1,6}) (.*?)(?:\s*\{[^}]*\})?\s*$")
ELLIPSIS = re.compile(r"…+|\.{3,}")
# What a quotation may add to the original's text without changing its wording: markdown emphasis and code marks,
# math delimiters (the original writes $x$, a page \(x\)).
MARKUP = re.compile(r"\\[()\[\]]|[`*$\\]")


def seed_path(slug: str) -> Path:
    """The original of an article (it may not exist on this machine: see seeds_available)."""
    return SEEDS_DIR / ORIGINALS[slug]


def code_blocks(slug: str, language: str = "python") -> list[str]:
    """The fenced code blocks of an original, in order (its programs, for the tests that run them)."""
    return re.findall(rf"```{language}\n(.*?)```", seed_path(slug).read_text(encoding="utf-8"), re.S)


def seeds_available() -> bool:
    return all((SEEDS_DIR / name).is_file() for name in ORIGINALS.values())


def normalize(text: str) -> str:
    """The text with its wording only: full-width forms folded (NFKC), markup, whitespace and punctuation removed."""
    text = MARKUP.sub("", unicodedata.normalize("NFKC", text)).casefold()
    return "".join(c for c in text if not unicodedata.category(c).startswith(("P", "Z", "C")))


@dataclass(frozen=True)
class Note:
    page: Path
    line: int  # 1-based line of the `!!! note` line
    heading: str  # the section the note is in
    text: str  # the note's body

    def __str__(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line} (note in “{self.heading}”)"

    @property
    def quotations(self) -> list[str]:
        return [" ".join(q.split()) for q in QUOTE.findall(self.text)]


def notes(page: Path, lang: str | None = None, text: str | None = None) -> list[Note]:
    """The editor's notes of a page, in order (lang is read from the file name: X.zh.md / X.en.md)."""
    lang = lang or page.name.split(".")[-2]
    text = page.read_text(encoding="utf-8") if text is None else text
    lines = text.splitlines()
    found, heading, i = [], "(top of the page)", 0
    while i < len(lines):
        line = lines[i]
        if m := HEADING.match(line):
            heading = m.group(2)
        if line.strip() == NOTE_START[lang]:
            indent = len(line) - len(line.lstrip())
            body, j = [], i + 1
            while j < len(lines) and (not lines[j].strip() or len(lines[j]) - len(lines[j].lstrip()) > indent):
                body.append(lines[j])
                j += 1
            found.append(Note(page, i + 1, heading, "\n".join(body)))
            i = j
            continue
        i += 1
    return found


def in_original(quotation: str, original: str) -> bool:
    """Whether a quotation occurs in the original, up to whitespace and punctuation; `…` marks an omission."""
    haystack, start = normalize(original), 0
    parts = [normalize(p) for p in ELLIPSIS.split(quotation)]
    if not any(parts):
        return False
    for part in filter(None, parts):
        found = haystack.find(part, start)
        if found < 0:
            return False
        start = found + len(part)
    return True


def invented_quotations(slug: str, text: str | None = None, original: str | None = None) -> list[str]:
    """Every quotation on an article's Chinese page (or in `text`, read as that page) that its original does not
    contain, each named with its note: "docs/articles/x/index.zh.md:12 (note in “§”): <q>…</q>"."""
    page = DOCS_DIR / "articles" / slug / "index.zh.md"
    original = seed_path(slug).read_text(encoding="utf-8") if original is None else original
    return [f"{note}: <q>{q}</q>" for note in notes(page, "zh", text) for q in note.quotations if not in_original(q, original)]


def untranslated_quotations(zh: Path, en: Path, zh_text: str | None = None, en_text: str | None = None) -> list[str]:
    """Notes whose English twin (the note in the same place) quotes a different number of passages."""
    zh_notes, en_notes = notes(zh, "zh", zh_text), notes(en, "en", en_text)
    if len(zh_notes) != len(en_notes):
        return [f"{len(zh_notes)} editor's notes in {zh.name}, {len(en_notes)} in {en.name}"]
    return [
        f"{z} quotes {len(z.quotations)} passage(s), {e} quotes {len(e.quotations)}"
        for z, e in zip(zh_notes, en_notes)
        if len(z.quotations) != len(e.quotations)
    ]


def stray_quotations(page: Path, text: str | None = None) -> list[str]:
    """Quotations outside the editor's notes (the markup means "the original said", so it belongs in a note)."""
    text = page.read_text(encoding="utf-8") if text is None else text
    outside = len(QUOTE.findall(text)) - sum(len(note.quotations) for note in notes(page, None, text))
    return [f"{page.relative_to(ROOT)}: {outside} <q> outside the editor's notes"] if outside else []


if __name__ == "__main__":
    if not seeds_available():
        sys.exit(f"the originals are not in {SEEDS_DIR}")
    bad = [problem for slug in ORIGINALS for problem in invented_quotations(slug)]
    print("\n".join(bad) or "every quotation is in its original")
    sys.exit(1 if bad else 0)
