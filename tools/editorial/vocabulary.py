"""One vocabulary for the site, read from the glossary (docs/glossary.yml, through tools/model/glossary.py).

A glossary row names the preferred term in each language and, under `avoid`, the variants the site does not use.
The English spelling rule is the glossary's `spelling` list: each verb listed there may not appear with -ise/-yse
(nor its inflections and derived forms: -ised, -ising, -iser, -isable, -isation, ...).

An article may use a variant only inside a `<q>…</q>` quotation of its original (tools/editorial/originals.py).

    python -m tools.editorial.vocabulary      # lists every variant used in an article, with page and line
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

from tools.editorial.originals import QUOTE
from tools.model.markdown import blank_out
from tools.model import glossary
from tools.model import snippets as harness

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"

# Text that is not prose: inline code and link targets (file names, URLs).
NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)")


def ise_pattern(words: tuple[str, ...]) -> re.Pattern[str]:
    """-ise/-yse forms of the -ize/-yze words, with their inflections and derived nouns (not `analyses`, a plural)."""
    forms = []
    for word in words:
        if word.endswith("yze"):
            forms.append(re.escape(word[:-3]) + r"ys(?:e|ed|ing|er|ers|able|ation|ations)")
        else:  # -ize (tools/model/glossary.py accepts no other ending)
            forms.append(re.escape(word[:-3]) + r"is(?:e|es|ed|ing|er|ers|able|ability|ation|ations|ational)")
    return re.compile(r"\b(?:" + "|".join(forms) + r")\b", re.I)


def variants(lang: str, docs: Path = DOCS) -> list[tuple[str, re.Pattern[str], str]]:
    """(variant, pattern, preferred) for one language, from the glossary."""
    words = glossary.load(docs)
    found = []
    for term in words.terms:
        for variant in term.avoid[lang]:
            if lang == "zh":
                pattern = re.compile(re.escape(variant))
            else:  # a whole word or phrase, any case, with its plural
                pattern = re.compile(r"(?<![\w-])" + re.escape(variant) + r"(?:e?s)?(?![\w-])", re.I)
            found.append((variant, pattern, term.term[lang]))
    if lang == "en":
        found.append(("-ise/-yse spelling", ise_pattern(words.spelling), "-ize/-yze"))
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


def snippet_title_violations(docs: Path = DOCS) -> list[str]:
    """The snippet titles (read by tools/model/snippets.py; the notebooks' cell headings) that use a variant the
    glossary rules out, one message each."""
    found = []
    for snippet in harness.discover():
        for lang, title in (("zh", snippet.title_zh), ("en", snippet.title_en)):
            for variant, pattern, preferred in variants(lang, docs):
                for hit in pattern.finditer(title):
                    found.append(f"snippets/{snippet.id}: title ({lang}) “{hit.group(0)}” ({variant}; the glossary says: {preferred})")
    return found


def pages(docs: Path = DOCS) -> list[Path]:
    """The pages the rule applies to: every article, the home pages and the about pages (not the glossary, which
    lists the variants)."""
    return sorted(docs.glob("articles/*/index.*.md")) + sorted(docs.glob("index.*.md")) + sorted(docs.glob("about.*.md"))


if __name__ == "__main__":
    bad = [v for page in pages() for v in violations(page)] + snippet_title_violations()
    print("\n".join(bad) or "no article uses a variant the glossary rules out")
    sys.exit(1 if bad else 0)
