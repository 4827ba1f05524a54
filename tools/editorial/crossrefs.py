"""Cross-references between the articles that tell the truth (tests/test_editorial.py).

- A link to another article whose text names that article by title (zh `《…》`, en `*…*`, or text close to the title)
  uses the page's real title, the front matter's `title:`, its main title (the part before the first colon), or the
  short name `nav_title:` it has in the navigation.
- A link in a sentence (not a table row) that says the claim is verified or checked there (验证, 核对, verif…, check…) points to a
  section (an anchor) that runs a program: its text, up to the next heading of the same or a higher level,
  includes a snippet.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from tools.model import markdown


ROOT = Path(__file__).resolve().parents[2]
DOCS_DIR = ROOT / "docs"

LINK = re.compile(r"(?<!!)\[(?P<text>[^\]]+)\]\((?P<path>[^)#\s]*articles/[\w-]+/index\.md|\.\./[\w-]+/index\.md)(?:#(?P<anchor>[\w-]+))?\)")
NAMED_TITLE = {"zh": re.compile(r"《([^》]+)》"), "en": re.compile(r"(?<![*\w])\*([^*]+)\*(?![*\w])")}
VERIFIED = {"zh": re.compile(r"验证(?!集)|核对|比对"), "en": re.compile(r"\bverif|\bcheck", re.I)}
SENTENCE_END = re.compile(r"(?<=[。！？；])|(?<=[.!?])\s+(?=[A-Z\[*(])|(?<=;)\s+|\n\s*\n")
SNIPPET = re.compile(r"[\w-]+/\d\d_[\w-]+\.py")  # an include of a snippet's program (not of a recorded output)
# Plain link text this close (difflib ratio) to the full title, or to the main title, is taken as naming the article.
SIMILAR_TO_TITLE, SIMILAR_TO_MAIN_TITLE = 0.6, 0.8


def title(page: Path) -> str:
    return markdown.front_matter(page)["title"]


def titles(page: Path) -> set[str]:
    """The names a page may be cited by: its title, its main title (before the first colon), its short `nav_title`."""
    meta = markdown.front_matter(page)
    return {meta["title"], re.split(r"：|: ", meta["title"], maxsplit=1)[0]} | ({meta["nav_title"]} if meta.get("nav_title") else set())


def close_to_title(text: str, page: Path) -> bool:
    full = title(page)
    main = re.split(r"：|: ", full, maxsplit=1)[0]
    ratio = lambda a, b: difflib.SequenceMatcher(None, a.casefold(), b.casefold()).ratio()  # noqa: E731
    return ratio(text, full) >= SIMILAR_TO_TITLE or ratio(text, main) >= SIMILAR_TO_MAIN_TITLE


@dataclass(frozen=True)
class Link:
    page: Path
    line: int
    text: str
    target: Path
    anchor: str | None
    sentence: str
    in_table: bool

    def __str__(self) -> str:
        where = self.target.relative_to(DOCS_DIR).as_posix() + (f"#{self.anchor}" if self.anchor else "")
        return f"{self.page.relative_to(ROOT)}:{self.line}: [{self.text}]({where})"


def article_links(page: Path, text: str | None = None) -> list[Link]:
    """Links from a page to another article (not to itself), each with the sentence around it."""
    text = page.read_text(encoding="utf-8") if text is None else text
    bounds = [0, *(m.start() for m in SENTENCE_END.finditer(text)), len(text)]
    links = []
    for m in LINK.finditer(text):
        target = (page.parent / m.group("path")).resolve()
        target = target.with_name(f"index.{page.name.split('.')[-2]}.md")
        if target == page.resolve() or not target.is_relative_to(DOCS_DIR):
            continue
        start = max(b for b in bounds if b <= m.start())
        end = min(b for b in bounds if b >= m.end())
        line_start = text.rfind("\n", 0, m.start()) + 1
        in_table = text[line_start:m.start()].lstrip().startswith("|")
        links.append(Link(page, text.count("\n", 0, m.start()) + 1, " ".join(m.group("text").split()), target,
                          m.group("anchor"), text[start:end], in_table))
    return links


def wrong_titles(page: Path, text: str | None = None) -> list[str]:
    lang = page.name.split(".")[-2]
    problems = []
    for link in article_links(page, text):
        real = titles(link.target)
        named = NAMED_TITLE[lang].findall(link.text)
        bare = re.sub(r"§\s*[\d.]+|(?:appendix|附录)\s*\d+|\bof\b", "", NAMED_TITLE[lang].sub("", link.text)).strip(" ，,")
        if not named and bare and close_to_title(bare, link.target):
            named = [bare]
        for name in named:
            if " ".join(name.split()) not in real:
                problems.append(f"{link}: names the article {name!r}, but its title is {title(link.target)!r}")
    return problems


def section(page: Path, anchor: str) -> str | None:
    """The text of a page from the heading with this anchor to the next heading of the same or a higher level."""
    text = page.read_text(encoding="utf-8")
    lines, headings = text.splitlines(keepends=True), markdown.headings(text)
    for i, h in enumerate(headings):
        if h.id == anchor:
            end = next((n.line - 1 for n in headings[i + 1:] if n.level <= h.level), len(lines))
            return "".join(lines[h.line:end])
    return None


def unverified_references(page: Path, text: str | None = None) -> list[str]:
    lang = page.name.split(".")[-2]
    problems = []
    for link in article_links(page, text):
        if link.in_table or not VERIFIED[lang].search(link.sentence):
            continue  # a table row (the home page's list of articles, the glossary) describes, it does not cite
        if link.anchor is None:
            problems.append(f"{link}: says it is verified there, but links no section")
            continue
        body = section(link.target, link.anchor)
        if body is None or not any(SNIPPET.match(path) for path in markdown.includes(body)):
            problems.append(f"{link}: says it is verified there, but that section runs no program")
    return problems


def pages() -> list[Path]:
    return sorted(p for lang in ("zh", "en") for p in DOCS_DIR.rglob(f"*.{lang}.md"))
