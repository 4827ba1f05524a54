"""The shared reader of a page's Markdown: its front matter, and its structure as markdown-it-py's token stream (the
parser jupytext already brings), with the extensions our pages use (mkdocs.yml): admonitions (`!!!`) and
collapsible blocks (`???`, `???+`, pymdownx.details), content tabs (`===`, pymdownx.tabbed), tables, and math in all four
delimiters (`$ $`, `$$ $$`, `\\( \\)`, `\\[ \\]`).

Fenced code, headings with their `{#id}`, admonitions, formulas and snippet includes are read from the tokens, so
that a `#` or a `$` inside a code block is never taken for a heading or a formula, and an indented block inside a
note is the note's, not code. Used by the parity check (tools/editorial/parity.py), the cross-references
(tools/editorial/crossrefs.py), the collation (tools/editorial/collate.py), the editor's notes
(tools/editorial/originals.py), the vocabulary check (tools/editorial/vocabulary.py), the recorded numbers
(tools/model/recorded.py), the glossary's link check (tools/model/glossary.py), the diagrams and the notebooks' page
titles (tools/generate/diagrams.py, notebooks.py) and the site plugin's steps (tools/site/register_hooks.py,
mkdocs_hooks.py, llms_txt.py). The site steps still find a page's first `# ` heading and its generated-output includes
with regexes of their own, and the collation segments an original into units with its own
(tools/editorial/collate.py, `_blocks`: the ledgers' hashes rest on it).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.admon import admon_plugin
from mdit_py_plugins.dollarmath import dollarmath_plugin
from mdit_py_plugins.front_matter import front_matter_plugin
from mdit_py_plugins.texmath import texmath_plugin

# `{#id}` or `{ #id .class }` at the end of a heading (attr_list): the id, and the heading's text without it.
ATTR_LIST = re.compile(r"\s*\{[^}]*\}\s*$")
ATTR_ID = re.compile(r"#([\w-]+)")
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')  # pymdownx.snippets, in a fence or on a line of its own
# pymdownx.tabbed's `=== "Title"` is, like an admonition, a title line over an indented body: it is parsed as an
# admonition of kind `tab` (the line count is kept, so token lines stay right), which admonitions() leaves out.
TAB = re.compile(r'^([ \t]*)===\+?[ \t]+(?=")', re.M)
TAB_KIND = "tab"


def _parser() -> MarkdownIt:
    return (
        MarkdownIt("commonmark")
        .enable("table")
        .use(front_matter_plugin)
        .use(admon_plugin)
        .use(dollarmath_plugin)  # $x$ and $$x$$
        .use(texmath_plugin, delimiters="brackets")  # \(x\) and \[x\]
    )


PARSER = _parser()
# The blocks alone (fences, headings, admonitions, includes): the same rules without the inline pass, which takes
# more than half the time of a full parse; an inline token still carries its text as `content`.
BLOCK_PARSER = _parser().disable("inline")
# The front matter alone: the same rule, with the rest of the page read as bare paragraphs (a sixth of the time).
FRONT_MATTER_PARSER = MarkdownIt("zero").use(front_matter_plugin).disable("inline")


@dataclass(frozen=True)
class Fence:
    info: str  # the fence's info string: `python title="…"`, `mermaid`, `text`
    content: str
    line: int  # 1-based line of the opening fence

    @property
    def language(self) -> str:
        return self.info.strip().split(" ")[0]


@dataclass(frozen=True)
class Heading:
    level: int
    text: str  # without its {#id}
    id: str | None  # the attr_list id, if the heading has one
    line: int


@dataclass(frozen=True)
class Admonition:
    marker: str  # "!!!", "???" or "???+"
    kind: str  # note, tip, warning…
    title: str | None  # the quoted title, without its quotes
    line: int
    end: int  # its last line (1-based): its body is the lines after `line` up to `end`


def _tabs_as_admonitions(text: str) -> str:
    return TAB.sub(rf"\1!!! {TAB_KIND} ", text)


@lru_cache(maxsize=256)
def tokens(text: str) -> tuple[Token, ...]:
    """The page's block tokens, in order (inline tokens carry their `children`)."""
    return tuple(PARSER.parse(_tabs_as_admonitions(text)))


@lru_cache(maxsize=256)
def block_tokens(text: str) -> tuple[Token, ...]:
    """The page's block tokens, in order, without the inline pass (inline tokens have `content`, no `children`)."""
    return tuple(BLOCK_PARSER.parse(_tabs_as_admonitions(text)))


def _front_matter_token(text: str) -> Token | None:
    return next((t for t in FRONT_MATTER_PARSER.parse(text) if t.type == "front_matter"), None)


def front_matter(source: Path | str) -> dict:
    """The YAML front matter of a page (a path or its text): {} without one; ValueError naming the page if not a mapping."""
    text = source.read_text(encoding="utf-8") if isinstance(source, Path) else source
    found = _front_matter_token(text)
    data = yaml.safe_load(found.content) if found is not None else None
    if data is not None and not isinstance(data, dict):
        raise ValueError(f"{source if isinstance(source, Path) else 'the page'}: the front matter is not a YAML mapping")
    return data or {}


def blank_out(text: str, pattern: re.Pattern[str]) -> str:
    """The text with what a pattern matches blanked out, line breaks kept (so that line numbers stay right)."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m.group(0)), text)


def _blank(text: str, spans: list[list[int]]) -> str:
    """The text with the lines of each [start, end) span (0-based) blanked out, line breaks kept (line numbers stay)."""
    lines = text.splitlines(keepends=True)
    for start, end in spans:
        for i in range(start, min(end, len(lines))):
            lines[i] = "".join(c if c in "\r\n" else " " for c in lines[i])
    return "".join(lines)


def without_front_matter(text: str) -> str:
    """The page with its front matter blanked out (line numbers kept)."""
    found = _front_matter_token(text)
    return _blank(text, [found.map] if found is not None else [])


def without_code(text: str) -> str:
    """The page with its front matter and its fenced code blocks blanked out (line numbers kept)."""
    return _blank(text, [t.map for t in block_tokens(text) if t.type in ("front_matter", "fence")])


def fence_spans(text: str) -> list[tuple[int, int]]:
    """Where each fenced code block is in the text: (start, end) offsets, from its opening fence's first character to
    the end of its closing fence's line (the line break after it not included)."""
    starts = [0]
    for line in text.split("\n"):
        starts.append(starts[-1] + len(line) + 1)
    return [(starts[t.map[0]], starts[t.map[1]] - 1) for t in block_tokens(text) if t.type == "fence"]


def outside_fences(text: str, prose, code=lambda piece: piece) -> str:
    """The text with `prose` applied to each part outside its fenced code blocks and `code` to each block (as
    fence_spans cuts them), in order."""
    pieces, last = [], 0
    for start, end in fence_spans(text):
        pieces += [prose(text[last:start]), code(text[start:end])]
        last = end
    pieces.append(prose(text[last:]))
    return "".join(pieces)


def fences(text: str) -> list[Fence]:
    return [Fence(t.info, t.content, t.map[0] + 1) for t in block_tokens(text) if t.type == "fence"]


def headings(text: str) -> list[Heading]:
    found, stream = [], block_tokens(text)
    for i, token in enumerate(stream):
        if token.type == "heading_open":
            inline = stream[i + 1].content
            attrs = ATTR_LIST.search(inline)
            anchor = ATTR_ID.search(attrs.group(0)) if attrs else None
            plain = inline[: attrs.start()] if attrs else inline
            found.append(Heading(int(token.tag[1]), plain.strip(), anchor.group(1) if anchor else None, token.map[0] + 1))
    return found


def admonitions(text: str, tabs: bool = False) -> list[Admonition]:
    """The page's admonitions, nested ones included, in order; with `tabs`, its content tabs too (kind `tab`)."""
    found = []
    for token in block_tokens(text):
        if token.type == "admonition_open" and (tabs or token.meta["tag"] != TAB_KIND):
            kind, _, title = token.info.strip().partition(" ")
            title = title.strip()
            quoted = title[1:-1] if len(title) >= 2 and title[0] == title[-1] == '"' else None
            found.append(Admonition(token.markup, kind, quoted, token.map[0] + 1, token.map[1]))
    return found


@dataclass(frozen=True)
class Formula:
    tex: str  # without its delimiters
    display: bool


DISPLAY_MATH = {"math_block", "math_block_eqno", "math_inline_double"}  # $$…$$ and \[…\], on their own lines or not


def formulas(text: str) -> list[Formula]:
    """The page's formulas outside code, in order."""
    return [Formula(math.content, math.type in DISPLAY_MATH) for token in tokens(text)
            for math in (token, *(token.children or ())) if math.type.startswith("math_")]


def includes(text: str) -> list[str]:
    """The files the page includes with pymdownx.snippets (`--8<-- "…"`), in order: in fences and in paragraphs."""
    return [name for token in block_tokens(text) if token.type in ("fence", "code_block", "inline")
            for name in INCLUDE.findall(token.content)]
