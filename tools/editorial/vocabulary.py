"""One vocabulary for the site, read from the glossary (docs/glossary.{zh,en}.md), the single source of terms.

A glossary row names the preferred term and, after a line break in the same cell, the variants the site does not use:
Chinese variants after `不用：` in the Chinese-term cell, English variants after `Avoid:` in the English-term cell
(`| 早停<br>不用：提前停止 | early stopping |`). Several variants are separated by `、` (Chinese) or `,` (English).
The English spelling rule is the `**-ize / -yze:**` line of the glossary's spelling section: each verb listed there
may not appear with -ise/-yse (nor its inflections and derived forms: -ised, -ising, -iser, -isable, -isation, ...).

An article may use a variant only inside a `<q>…</q>` quotation of its original (tools/editorial/originals.py).

    python -m tools.editorial.vocabulary      # lists every variant used in an article, with page and line
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

from tools.editorial.originals import QUOTE, blank_out

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

AVOID = {"zh": re.compile(r"<br>\s*不用：\s*(.+?)\s*$"), "en": re.compile(r"<br>\s*Avoid:\s*(.+?)\s*$")}
SEPARATOR = {"zh": re.compile(r"\s*、\s*"), "en": re.compile(r"\s*,\s*")}
SPELLING_LINE = re.compile(r"^\*\*-ize / -yze:\*\*\s*(.+)$", re.M)
# Text that is not prose: inline code and link targets (file names, URLs).
NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)")


@dataclass(frozen=True)
class Term:
    preferred: dict[str, str]  # language -> the preferred term (the cell's text before the line break)
    avoid: dict[str, tuple[str, ...]]  # language -> variants not to use


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


def terms(glossary_lang: str, docs: Path = DOCS) -> list[Term]:
    """The term rows of one glossary page, in order. Column 1 holds the page's own language, column 2 the other."""
    other = "en" if glossary_lang == "zh" else "zh"
    text = (docs / f"glossary.{glossary_lang}.md").read_text(encoding="utf-8")
    found = []
    for line in text.splitlines():
        if not line.startswith("| ") or line.startswith("| ---"):
            continue
        cells = _cells(line)
        if len(cells) < 2 or cells[0] in ("术语", "Term"):
            continue
        preferred, avoid = {}, {}
        for lang, cell in ((glossary_lang, cells[0]), (other, cells[1])):
            preferred[lang] = cell.split("<br>")[0].strip()
            m = AVOID[lang].search(cell)
            avoid[lang] = tuple(v for v in SEPARATOR[lang].split(m.group(1)) if v) if m else ()
            wrong = "en" if lang == "zh" else "zh"
            if AVOID[wrong].search(cell):
                raise ValueError(f"glossary.{glossary_lang}.md: {cell!r} lists {wrong} variants in the {lang} cell")
        found.append(Term(preferred, avoid))
    return found


def ize_words(glossary_lang: str = "en", docs: Path = DOCS) -> tuple[str, ...]:
    text = (docs / f"glossary.{glossary_lang}.md").read_text(encoding="utf-8")
    m = SPELLING_LINE.search(text)
    if not m:
        raise ValueError(f"glossary.{glossary_lang}.md has no '**-ize / -yze:**' spelling line")
    return tuple(w.strip() for w in m.group(1).split(",") if w.strip())


def ise_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """-ise/-yse forms of the -ize/-yze words, with their inflections and derived nouns (not `analyses`, a plural)."""
    forms = []
    for word in words:
        if word.endswith("yze"):
            forms.append(re.escape(word[:-3]) + r"ys(?:e|ed|ing|er|ers|able|ation|ations)")
        elif word.endswith("ize"):
            forms.append(re.escape(word[:-3]) + r"is(?:e|es|ed|ing|er|ers|able|ability|ation|ations|ational)")
        else:
            raise ValueError(f"{word!r} in the spelling line does not end in -ize or -yze")
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.I)


def variants(lang: str, docs: Path = DOCS) -> list[tuple[str, re.Pattern[str], str]]:
    """(variant, pattern, preferred) for one language, from the glossary (both pages must agree)."""
    zh_terms, en_terms = terms("zh", docs), terms("en", docs)
    if [(t.preferred["zh"], t.avoid) for t in zh_terms] != [(t.preferred["zh"], t.avoid) for t in en_terms]:
        raise ValueError("docs/glossary.zh.md and docs/glossary.en.md list different terms or variants (row by row)")
    found = []
    for term in zh_terms:
        for variant in term.avoid[lang]:
            if lang == "zh":
                pattern = re.compile(re.escape(variant))
            else:  # a whole word or phrase, any case, with its plural
                pattern = re.compile(r"(?<![\w-])" + re.escape(variant) + r"(?:e?s)?(?![\w-])", re.I)
            found.append((variant, pattern, term.preferred[lang]))
    if lang == "en":
        if ize_words("zh", docs) != ize_words("en", docs):
            raise ValueError("the spelling lines of docs/glossary.zh.md and docs/glossary.en.md differ")
        found.append(("-ise/-yse spelling", ise_pattern(ize_words("en", docs)), "-ize/-yze"))
    return found


def violations(page: Path, text: str | None = None, docs: Path = DOCS) -> list[str]:
    """Every use of a listed variant on a page outside a <q> quotation: 'page:line: variant (use preferred)'."""
    lang = page.name.split(".")[-2]
    text = page.read_text(encoding="utf-8") if text is None else text
    prose = blank_out(blank_out(text, QUOTE), NOT_PROSE)
    name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
    found = []
    for variant, pattern, preferred in variants(lang, docs):
        for m in pattern.finditer(prose):
            line = prose.count("\n", 0, m.start()) + 1
            found.append((m.start(), f"{name}:{line}: “{m.group(0)}” ({variant}; the glossary says: {preferred})"))
    return [message for _, message in sorted(found)]


TITLE = re.compile(r'^# title = \{ zh = "(?P<zh>[^"]*)", en = "(?P<en>[^"]*)" \}', re.M)


def snippet_title_violations(snippets: Path = ROOT / "snippets", docs: Path = DOCS) -> list[str]:
    """The snippets' titles (shown as notebook and output headings) follow the same vocabulary."""
    found = []
    for path in sorted(snippets.glob("*/*.py")):
        m = TITLE.search(path.read_text(encoding="utf-8"))
        if not m:
            continue
        for lang in ("zh", "en"):
            for variant, pattern, preferred in variants(lang, docs):
                for hit in pattern.finditer(m.group(lang)):
                    found.append(f"{path.relative_to(ROOT)}: title ({lang}) “{hit.group(0)}” ({variant}; the glossary says: {preferred})")
    return found


def pages(docs: Path = DOCS) -> list[Path]:
    """The pages the rule applies to: every article, the home pages and the about pages (not the glossary, which
    lists the variants)."""
    return sorted(docs.glob("articles/*/index.*.md")) + sorted(docs.glob("index.*.md")) + sorted(docs.glob("about.*.md"))


if __name__ == "__main__":
    bad = [v for page in pages() for v in violations(page)] + snippet_title_violations()
    print("\n".join(bad) or "no article uses a variant the glossary rules out")
    sys.exit(1 if bad else 0)
