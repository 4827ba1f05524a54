"""The glossary, docs/glossary.yml: its only reader (the format is described at the top of that file).

Everything the site takes from the glossary comes from here: the tables of the two glossary pages
(`{{ glossary.<section> }}`, rendered by tools/site/register_hooks.py), the Chinese words jieba keeps whole, the
vocabulary rules (tools/editorial/vocabulary.py), the search entries' ids and titles (tools/site/search_hooks.py) and
the column labels (tools/site/links_hook.py).
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.model import markdown

DOCS = Path(__file__).resolve().parents[2] / "docs"
LANGUAGES = ("zh", "en")
HEADERS = {"zh": ("术语", "English", "含义", "详见"), "en": ("Term", "中文", "Meaning", "Where explained")}
AVOID_LABEL = {"zh": "不用：", "en": "Avoid: "}
AVOID_SEPARATOR = {"zh": "、", "en": ", "}
SPELLING_LINE = "**-ize / -yze:** "
APPENDIX = {"zh": "附录 ", "en": "appendix "}
LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # the C loader: 10x faster (the build reads the file often)


class GlossaryError(ValueError):
    pass


@dataclass(frozen=True)
class Term:
    section: str
    term: dict[str, str]  # language -> the term as it reads mid-sentence
    avoid: dict[str, tuple[str, ...]]  # language -> variants the site does not use
    meaning: dict[str, str]
    see: tuple[dict, ...]  # {"to": "<article>#<anchor>", "zh": label, "en": label}
    keep_case: bool = False

    def title(self, lang: str) -> str:
        """The term as its own page's first column shows it: the English page capitalizes it."""
        text = self.term[lang]
        return text if lang == "zh" or self.keep_case else text[:1].upper() + text[1:]

    @property
    def id(self) -> str:
        """gradient-descent for "gradient descent", relu for "ReLU (rectified linear unit)"."""
        return re.sub(r"[^a-z0-9]+", "-", re.sub(r"\([^)]*\)", "", self.term["en"]).lower()).strip("-") or "term"


@dataclass(frozen=True)
class Glossary:
    headings: dict[str, dict[str, str]]  # section id -> language -> heading
    terms: tuple[Term, ...]
    spelling: tuple[str, ...]

    def section(self, name: str) -> list[Term]:
        return [t for t in self.terms if t.section == name]


def _text(value, where: str, field: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise GlossaryError(f"{where}: `{field}` is missing or empty (every text is needed in both languages)")
    return value.strip()


def load(docs: Path = DOCS) -> Glossary:
    """docs/glossary.yml, checked: raises GlossaryError naming the file and the row to fix."""
    path = Path(docs) / "glossary.yml"
    data = yaml.load(path.read_text(encoding="utf-8"), Loader=LOADER) or {}
    headings, terms, pages = {}, [], {}
    for s, section in enumerate(data.get("sections") or [], 1):
        name = section.get("id")
        where = f"{path}: section {s} ({name})"
        if not isinstance(name, str) or not re.fullmatch(r"[a-z][a-z0-9-]*", name) or name in headings:
            raise GlossaryError(f"{where}: `id` must be a new lowercase anchor")
        headings[name] = {lang: _text((section.get("heading") or {}).get(lang), where, f"heading.{lang}") for lang in LANGUAGES}
        for r, row in enumerate(section.get("terms") or [], 1):
            where = f"{path}: section {name}, row {r} ({row.get('zh') or row.get('en')})"
            term = {lang: _text(row.get(lang), where, lang) for lang in LANGUAGES}
            meaning = {lang: _text((row.get("meaning") or {}).get(lang), where, f"meaning.{lang}") for lang in LANGUAGES}
            avoid = {lang: tuple(_text(v, where, f"avoid.{lang}") for v in (row.get("avoid") or {}).get(lang) or ()) for lang in LANGUAGES}
            see = tuple(row.get("see") or ())
            if not see:
                raise GlossaryError(f"{where}: `see` lists no article section that explains the term")
            for link in see:
                _text(link.get("to"), where, "see.to")
                for lang in LANGUAGES:
                    _text(link.get(lang), where, f"see.{lang} of {link['to']}")
                    problem = _link_problem(Path(docs), link, lang, pages)
                    if problem:
                        raise GlossaryError(f"{where}: `see` links {link['to']}, but {problem}")
            terms.append(Term(name, term, avoid, meaning, see, bool(row.get("keep_case"))))
            if [t.id for t in terms].count(terms[-1].id) > 1:
                raise GlossaryError(f"{where}: its id, {terms[-1].id} (from `en`), is another row's")
    spelling = tuple(data.get("spelling") or ())
    bad = [w for w in spelling if not re.fullmatch(r"[a-z]+(?:ize|yze)", str(w))]
    if not spelling or bad:
        raise GlossaryError(f"{path}: `spelling` must list -ize/-yze verbs (found {bad or 'none'})")
    return Glossary(headings, tuple(terms), spelling)


@functools.lru_cache(maxsize=64)
def _page_facts(text: str) -> tuple[str | None, dict[str, str]]:
    """A page's nav_title and {heading anchor: heading text}, read by tools/model/markdown.py once per text of the
    page (the build loads the glossary many times)."""
    return markdown.front_matter(text).get("nav_title"), {h.id: h.text for h in markdown.headings(text) if h.id}


def _link_problem(docs: Path, link: dict, lang: str, pages: dict[Path, tuple | None]) -> str | None:
    """What is wrong with a `see` link: no such article or anchor, or a text that is not the article's `nav_title`
    and the heading's number (§4.1.2, or 附录 1 / appendix 1 for an FAQ heading "1. …"). `pages` keeps each page's
    facts for the rest of one load (None: no such page), so that a page is read once however many rows link it."""
    slug, _, anchor = link["to"].partition("#")
    if not re.fullmatch(r"[\w-]+", slug) or not re.fullmatch(r"[\w-]+", anchor):
        return "it is not <article folder>#<anchor>"
    page = docs / "articles" / slug / f"index.{lang}.md"
    if page not in pages:
        pages[page] = _page_facts(page.read_text(encoding="utf-8")) if page.exists() else None
    if pages[page] is None:
        return f"{page} does not exist"
    nav_title, headings = pages[page]
    if anchor not in headings:
        return f"{page} has no heading {{ #{anchor} }}"
    number = re.match(r"(\d+(?:\.\d+)*)(\.?) ", headings[anchor] + " ")
    if number and nav_title:
        expected = f"{nav_title} " + (APPENDIX[lang] + number[1] if number[2] else "§" + number[1])
        if link[lang] != expected:
            return f"its {lang} text should be {expected!r} (the article's nav_title and the heading's number)"
    return None


def _cell(term: Term, lang: str, first: bool) -> str:
    text = term.title(lang) if first else term.term[lang]
    if term.avoid[lang]:
        text += "<br>" + AVOID_LABEL[lang] + AVOID_SEPARATOR[lang].join(term.avoid[lang])
    return text


def table(docs: Path, name: str, lang: str, page_src_uri: str) -> str:
    """`{{ glossary.<name> }}`: the section's heading and table, in Markdown (the links relative to the page)."""
    glossary = load(docs)
    if name == "spelling":
        return SPELLING_LINE + ", ".join(glossary.spelling)
    if name not in glossary.headings:
        raise GlossaryError(f"{page_src_uri}: {{{{ glossary.{name} }}}}: docs/glossary.yml has no section {name} (it has {', '.join(glossary.headings)}, spelling)")
    other = "en" if lang == "zh" else "zh"
    here = posixpath.dirname(page_src_uri) or "."
    lines = [f"## {glossary.headings[name][lang]} {{ #{name} }}", "", "| " + " | ".join(HEADERS[lang]) + " |", "| --- | --- | --- | --- |"]
    for term in glossary.section(name):
        links = " · ".join(
            f"[{link[lang]}]({posixpath.relpath('articles/' + link['to'].replace('#', '/index.md#', 1), here)})" for link in term.see
        )
        cells = (_cell(term, lang, True), _cell(term, other, False), term.meaning[lang], links)
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in cells) + " |")
    return "\n".join(lines)


def title_html(term: Term, lang: str) -> str:
    """A row's search title: its term as the page's HTML has it (escaped, `code` as <code>)."""
    return re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(term.title(lang), quote=False))
