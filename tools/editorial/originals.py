"""The machine-written originals the articles were edited from, and the editor's notes that quote them.

The originals stay outside the project, in `../shared/seeds/` beside the checkout (the editors' machines and this
project's own CI have it; a plain clone, GitHub's CI among them, does not); this module is the one place that maps an
article's slug to its original's file name.

An editor's note is a collapsed admonition whose title states the correction it makes:

    ??? note "编者注：GPT-2 发布于 2019 年，不是 2018 年"
    ??? note "Editor's note: GPT-2 was released in 2019, not 2018"

(`notes()` also reads the untitled or open forms, `!!! note "编者注"`, so that `title_problems()` can name them.)
In a note every passage quoted from the original is a `<q>…</q>` element: on a Chinese page it is the original's own
wording (tests/test_editorial.py requires it to occur in the original, compared as `normalize()` makes both: NFKC, case
folded, markup, whitespace and punctuation removed), on an
English page its translation. An omission inside a quotation is written `…`: the parts on either side must then
occur in the original in that order.

Where the originals are absent (a clone without ../shared/, e.g. GitHub's CI), quotations are checked against a
committed fingerprint of each original, `docs/articles/<slug>/original.fingerprint` (not published): 24-bit hashes
of every window of 4 and of 8 characters of the normalised text, in order. The file holds no text, but it does not
hide the text either: the windows overlap, so most of the original can be rebuilt from it with the pages' own
characters as the alphabet (tried on large-model-basics: 2,895 of its 3,049 characters rebuilt right, in 9 s). A quotation passes when its
windows occur one after another, and its parts (around `…`) in order; a part shorter than 4 characters once
normalised cannot be checked that way and passes.

    python -m tools.editorial.originals                  # lists every quotation that is not in its article's original
    python -m tools.editorial.originals --fingerprint    # rewrites the fingerprints from ../shared/seeds/
"""

from __future__ import annotations

import base64
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from pathlib import Path

from tools.model import markdown

ROOT = Path(__file__).resolve().parents[2]
SEEDS_DIR = ROOT.parent / "shared" / "seeds"
DOCS_DIR = ROOT / "docs"

ORIGINALS = {
    "tech-challenges": "000_3ee7fb6becf89dff.txt",
    "cnn-app": "001_fd53773ef5ba0585.txt",
    "large-model-basics": "002_815dc89bfd623ed4.txt",
    "tech-challenges-revisited": "003_97e01c4a4fa3742e.txt",
    "gan-exploration": "004_3bc6545caf14d5cf.txt",
}

NOTE_LABEL = {"zh": "编者注", "en": "Editor's note"}
TITLE_SEPARATOR = {"zh": "：", "en": ": "}  # between the label and the note's title
# How long a title may be: one line on a 1280-px page. Width in CJK characters (a Latin letter, digit or space
# counts half); English in characters.
TITLE_LIMIT = {"zh": 40, "en": 90}
QUOTE = re.compile(r"<q>(.*?)</q>", re.S)
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
    line: int  # 1-based line of the `??? note` line
    heading: str  # the section the note is in
    text: str  # the note's body
    marker: str = "???"  # `???` (collapsed), `???+` (open) or `!!!` (not collapsible)
    title: str | None = None  # what follows "编者注：" / "Editor's note: " (None: no title)
    rest: str = ""  # the admonition title as written after the label ("：…" / ": …", or "" when untitled)

    def __str__(self) -> str:
        page = self.page.relative_to(ROOT) if self.page.is_relative_to(ROOT) else self.page
        return f"{page}:{self.line} (note in “{self.heading}”)"

    @property
    def quotations(self) -> list[str]:
        return [" ".join(q.split()) for q in QUOTE.findall(self.text)]


def notes(page: Path, lang: str | None = None, text: str | None = None) -> list[Note]:
    """The editor's notes of a page, in order (lang is read from the file name: X.zh.md / X.en.md): the admonitions of
    kind note whose title starts with the label (tools/model/markdown.py), each with the heading above it."""
    lang = lang or page.name.split(".")[-2]
    text = page.read_text(encoding="utf-8") if text is None else text
    lines, headings = text.splitlines(), markdown.headings(text)
    found = []
    for note in markdown.admonitions(text):
        if note.kind != "note" or not (note.title or "").startswith(NOTE_LABEL[lang]):
            continue
        heading = next((h.text for h in reversed(headings) if h.line < note.line), "(top of the page)")
        rest = note.title.removeprefix(NOTE_LABEL[lang])
        title = rest.removeprefix(TITLE_SEPARATOR[lang]).strip() if rest.startswith(TITLE_SEPARATOR[lang]) else None
        found.append(Note(page, note.line, heading, "\n".join(lines[note.line:note.end]), note.marker, title or None, rest))
    return found


def title_width(title: str, lang: str) -> float:
    """How wide a title is, in the unit of TITLE_LIMIT: CJK characters for zh (others count half), characters for en."""
    if lang != "zh":
        return len(title)
    return sum(1 if unicodedata.east_asian_width(c) in "WF" else 0.5 for c in title)


def title_problems(page: Path, lang: str | None = None, text: str | None = None) -> list[str]:
    """The notes of a page that are not collapsed (`???`) or whose title is missing or too long, each named
    "docs/articles/x/index.zh.md:12 (note in “§”): …"."""
    lang = lang or page.name.split(".")[-2]
    label, separator = NOTE_LABEL[lang], TITLE_SEPARATOR[lang]
    problems = []
    for note in notes(page, lang, text):
        if note.title is None:
            problems.append(f'{note}: no title: write ??? note "{label}{separator}<the correction, in one short line>"'
                            + (f" (found {label}{note.rest!r})" if note.rest else ""))
        elif title_width(note.title, lang) > TITLE_LIMIT[lang]:
            problems.append(f"{note}: title longer than {TITLE_LIMIT[lang]} {'CJK characters' if lang == 'zh' else 'characters'} "
                            f"({title_width(note.title, lang):g}): {note.title}")
        if note.marker != "???":
            problems.append(f"{note}: {note.marker} note: an editor's note is collapsed, ??? note")
    return problems


def _parts_in_order(quotation: str, find) -> bool:
    """Whether the parts of a quotation around `…` (normalised; empty ones skipped) occur one after another:
    find(part, start) is where a part occurs at or after `start`, None where it does not, -1 where it cannot tell (the
    part passes, and the next one is looked for from the same start). A quotation with no wording at all fails."""
    parts = [normalize(p) for p in ELLIPSIS.split(quotation)]
    if not any(parts):
        return False
    start = 0
    for part in filter(None, parts):
        found = find(part, start)
        if found is None:
            return False
        if found >= 0:
            start = found + len(part)
    return True


def in_original(quotation: str, original: str) -> bool:
    """Whether a quotation occurs in the original, up to whitespace and punctuation; `…` marks an omission."""
    haystack = normalize(original)

    def find(part: str, start: int) -> int | None:
        found = haystack.find(part, start)
        return found if found >= 0 else None

    return _parts_in_order(quotation, find)


# --- fingerprints: the quotation check where the originals are absent ---------------------------------------------

FINGERPRINT = "original.fingerprint"
WINDOWS = (4, 8)  # window lengths, in characters of the normalised text
HASH_BYTES = 3


def fingerprint_path(slug: str, docs: Path = DOCS_DIR) -> Path:
    return docs / "articles" / slug / FINGERPRINT


def _window_hashes(normalized: str, width: int) -> bytes:
    return b"".join(hashlib.blake2b(normalized[i:i + width].encode("utf-8"), digest_size=HASH_BYTES).digest()
                    for i in range(len(normalized) - width + 1))


def fingerprint(original: str, slug: str = "") -> str:
    """The fingerprint file of an original: a header, the sha256 of its normalised text, then per window length a
    `window N` line and the base64 of its hashes (76 characters a line)."""
    normalized = normalize(original)
    lines = [f"# Fingerprint of the original of {slug or 'an article'} (tools/editorial/originals.py): blake2b-{8 * HASH_BYTES} hashes of",
             "# every window of 4 and of 8 characters of its normalised text, in order; no text. Rewrite it with",
             "# `python -m tools.editorial.originals --fingerprint`.",
             f"normalized-sha256 {hashlib.sha256(normalized.encode('utf-8')).hexdigest()}"]
    for width in WINDOWS:
        encoded = base64.b64encode(_window_hashes(normalized, width)).decode("ascii")
        lines.append(f"window {width}")
        lines += [encoded[i:i + 76] for i in range(0, len(encoded), 76)]
    return "\n".join(lines) + "\n"


@dataclass(frozen=True)
class Fingerprint:
    sha256: str
    windows: dict[int, list[bytes]]  # width -> the hash of the window starting at each character

    @classmethod
    def read(cls, text: str) -> "Fingerprint":
        sha, windows, width, chunks = "", {}, None, []
        for line in text.splitlines() + ["window 0"]:
            if line.startswith("#") or not line.strip():
                continue
            if line.startswith("normalized-sha256 "):
                sha = line.split()[1]
            elif line.startswith("window "):
                if width is not None:
                    raw = base64.b64decode("".join(chunks))
                    windows[width] = [raw[i:i + HASH_BYTES] for i in range(0, len(raw), HASH_BYTES)]
                width, chunks = int(line.split()[1]), []
            else:
                chunks.append(line.strip())
        return cls(sha, windows)

    def find(self, part: str, start: int) -> int | None:
        """Where a normalised part occurs at or after `start` (its first character), or None; -1: too short to check."""
        width = max((w for w in WINDOWS if w <= len(part)), default=None)
        if width is None:
            return -1
        wanted = _window_hashes(part, width)
        wanted = [wanted[i:i + HASH_BYTES] for i in range(0, len(wanted), HASH_BYTES)]
        hashes = self.windows[width]
        for p in range(start, len(hashes) - len(wanted) + 1):
            if hashes[p] == wanted[0] and hashes[p:p + len(wanted)] == wanted:
                return p
        return None


def in_fingerprint(quotation: str, fp: Fingerprint) -> bool:
    """Whether a quotation occurs in the fingerprinted original (parts around `…` in order); parts too short to check pass."""
    return _parts_in_order(quotation, fp.find)


def invented_quotations(slug: str, text: str | None = None, original: str | None = None, use_fingerprint: bool | None = None) -> list[str]:
    """Every quotation on an article's Chinese page (or in `text`, read as that page) that its original does not
    contain, each named with its note: "docs/articles/x/index.zh.md:12 (note in “§”): <q>…</q>". Checked against the
    original where it is present (or given), against its committed fingerprint otherwise (or when use_fingerprint)."""
    page = DOCS_DIR / "articles" / slug / "index.zh.md"
    if use_fingerprint is None:
        use_fingerprint = original is None and not seed_path(slug).is_file()
    if use_fingerprint:
        fp = Fingerprint.read(fingerprint_path(slug).read_text(encoding="ascii"))
        contains = lambda q: in_fingerprint(q, fp)  # noqa: E731
    else:
        original = seed_path(slug).read_text(encoding="utf-8") if original is None else original
        contains = lambda q: in_original(q, original)  # noqa: E731
    return [f"{note}: <q>{q}</q>" for note in notes(page, "zh", text) for q in note.quotations if not contains(q)]


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
    if "--fingerprint" in sys.argv:
        for slug in ORIGINALS:
            fingerprint_path(slug).write_text(fingerprint(seed_path(slug).read_text(encoding="utf-8"), slug), encoding="ascii")
            print(f"wrote {fingerprint_path(slug).relative_to(ROOT)}")
        sys.exit(0)
    bad = [problem for slug in ORIGINALS for problem in invented_quotations(slug)]
    print("\n".join(bad) or "every quotation is in its original")
    sys.exit(1 if bad else 0)
