"""MkDocs hooks (mkdocs.yml `hooks:`): search that works in Chinese, and a 404 page per language.

(One search index per language, without the notebooks, is made in tools/mkdocs_hooks.py; the words jieba keeps
whole come from the glossary, tools/register_hooks.py. The language switcher is overrides/partials/alternate.html.)

The query. Material segments Chinese *text* with jieba at build time, but a Chinese *query* is segmented in the
browser by its search worker, greedily, against the words of the index (`segment` in Material's
src/templates/assets/javascripts/integrations/search/query/segment/index.ts). In Material 9.8.1 that function never
tries a piece that ends with the query's last character, and it joins the pieces with "* " before the query gets
its own trailing "*". So 梯度下降 is searched as 梯度** 下*: every 下 of the page is highlighted (the `h=` terms of
the result link are the matched query terms) and 梯度* is reported as missing although the page has it. No setting
reaches that code: we patch the three expressions in the worker the build copies into the site, and the build
fails, naming them, when Material's worker no longer contains them (after an upgrade: look whether the bug is
fixed, then drop or adapt WORKER_FIXES). A Chinese query is then split into the longest words of the index, so a
glossary term (正则化, 生成对抗网络) stays one term: found, highlighted and never "missing" as a whole.

Formulas. The index is made from the page before KaTeX runs (tools/mkdocs_hooks.py typesets at on_post_page), so it
held the TeX source, which result snippets showed raw (`\\[ \\min_G \\max_D …\\]`). Each formula of an entry is
replaced by a readable one-line form that we derive from KaTeX's own MathML (`min_G max_D V(D, G) = E_(x∼p_data)…`,
`(1/N)∑ᵢ(ŷᵢ − yᵢ)²`), so the words around it and the symbols in it stay searchable and nothing raw is shown.

The glossary. Each row of a glossary table gets an id made from its English term (the same in both languages, e.g.
`gradient-descent`) and is its own search entry: location glossary/#<id>, title the term, text the other cells
(variants, translation, meaning, where explained). The tables themselves are left out of their sections' entries,
which otherwise came out as one flattened table per section.

The 404 page. MkDocs renders 404.html once per language build, all at the site root, so the last language built
won (English chrome for every missing page). We keep each language's rendering and write the default language's at
the root and each other one at <language>/404.html, with its search pointed at its own index and its switcher
leading to each language's home (static-i18n's own home links: the links of the last page built were left in
`extra.alternate`). Static hosts serve the root 404.html for every missing path: overrides/404.html sends a reader
of a missing <language>/… page on to that language's 404 page.
"""

from __future__ import annotations

import copy
import html
import importlib.util
import re
import sys
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.exceptions import PluginError
from mkdocs.plugins import event_priority

# --- The query: Material's search worker ----------------------------------------------------------------------

WORKER_GLOB = "assets/javascripts/workers/search.*.min.js"
# (what the minified worker of Material 9.8.1 says, what it should say, why)
WORKER_FIXES = [
    ("for(let o=s+1;o<t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "for(let o=s+1;o<=t.length;o++)t.slice(s,o)in e&&(n[s]=o-s)",
     "segment() must also try the pieces that end with the query's last character"),
    ("n[a]&&a<t.length-1&&(i[s++]=a)",
     "n[a]&&a<t.length&&(i[s++]=a)",
     "segment() must go on when a one-character word ends the query"),
    ('.join("* ")',
     '.join(" ")',
     "the pieces get their trailing * from transformSearchQuery; a second one makes a term that never matches"),
]


def patch_search_worker(site_dir: Path) -> list[Path]:
    workers = sorted(site_dir.glob(WORKER_GLOB))
    if not workers:
        raise PluginError(f"Material's search worker ({WORKER_GLOB}) is not in {site_dir}: cannot fix Chinese query segmentation")
    for worker in workers:
        code = worker.read_text(encoding="utf-8")
        for old, new, why in WORKER_FIXES:
            if code.count(new) == 1 and old not in code:
                continue  # already patched (a rebuild into the same directory)
            if code.count(old) != 1:
                raise PluginError(
                    f"{worker.name}: expected {old!r} once in Material's search worker ({why}); Material changed:"
                    " see tools/search_hooks.py, WORKER_FIXES"
                )
            code = code.replace(old, new)
        worker.write_text(code, encoding="utf-8")
    return workers


# --- Formulas: a readable form for the index -------------------------------------------------------------------

MATH_IN_INDEX = re.compile(r"\\\((?P<inline>.+?)\\\)|\\\[(?P<display>.+?)\\\]", re.S)
CODE_IN_INDEX = re.compile(r"(<pre>.*?</pre>|<code>.*?</code>)", re.S)
MML = "{http://www.w3.org/1998/Math/MathML}"
SUPERSCRIPT = dict(zip("0123456789+-−=()nijklmtTx", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁻⁼⁽⁾ⁿⁱʲᵏˡᵐᵗᵀˣ"))
SUBSCRIPT = dict(zip("0123456789+-−=()aehijklmnoprstuvxβγρφχ", "₀₁₂₃₄₅₆₇₈₉₊₋₋₌₍₎ₐₑₕᵢⱼₖₗₘₙₒₚᵣₛₜᵤᵥₓᵦᵧᵨᵩᵪ"))
ACCENTS = {"^": "\u0302", "ˆ": "\u0302", "~": "\u0303", "˜": "\u0303", "ˉ": "\u0304", "¯": "\u0304", "‾": "\u0305",
           "˙": "\u0307", "¨": "\u0308", "→": "\u20d7", "⃗": "\u20d7"}
ATOM = re.compile(r"[\w.′∂∇\u0300-\u036f\u20d7%s]+|\([^()]*\)|\[[^\[\]]*\]" % "".join(sorted(set(SUPERSCRIPT.values()) | set(SUBSCRIPT.values()))))
SPACED_OPERATORS = set("=+−<>≤≥≈≠←→↦∼∝×⋅·∈≡") | {":="}
LARGE_OPERATORS = set("∑∏∫∮⋃⋂")
APPLY = "\u2061"  # MathML's function application (after log, min, max, ∑…): a space in the text


def katex_engine():
    """tools/katex_engine.py, loaded by path under the name tools/mkdocs_hooks.py's tool_module() gives it, so the
    build's one V8 isolate with KaTeX serves both hooks (and is closed on a failed build and at shutdown)."""
    name = "docs_site_katex_engine"
    if name not in sys.modules:
        spec = importlib.util.spec_from_file_location(name, Path(__file__).with_name("katex_engine.py"))
        sys.modules[name] = module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    return sys.modules[name]


def readable_formula(tex: str, display: bool, docs_dir: str) -> str:
    """One line of text for a formula, from the MathML KaTeX makes of it."""
    markup = katex_engine().engine(docs_dir).mathml(tex, display)
    start, end = markup.find("<math"), markup.rfind("</math>")
    try:
        text = linear(ElementTree.fromstring(markup[start : end + len("</math>")]))
    except ElementTree.ParseError:
        text = ""
    text = re.sub(r"\s+", " ", text.replace(APPLY, " "))
    return re.sub(r" +(?=[)\]},])|(?<=[(\[{]) +", "", text).strip()


def scripted(text: str, table: dict[str, str], mark: str) -> str:
    text = text.replace(" ", "")
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + (text if len(text) == 1 or ATOM.fullmatch(text) and not text.startswith("(") else f"({text})")


def wrap(text: str) -> str:
    text = text.strip()
    return text if len(text) == 1 or ATOM.fullmatch(text) else f"({text})"


def linear(el, compact: bool = False) -> str:
    """One line of text for a MathML element: fractions a/b, scripts as Unicode (x², yᵢ) or _/^, accents combined (ŷ)."""
    tag = el.tag.removeprefix(MML)
    kids = list(el)
    sub = lambda e: linear(e, compact=True)  # noqa: E731 (scripts and fractions: no spaces around operators)
    if tag in ("mi", "mn", "mtext", "ms"):
        text = (el.text or "").replace("\u00a0", " ")
        return f" {text}" if tag == "mi" and len(text) > 1 and not compact else text  # log, max: a word of its own
    if tag == "mo":
        op = (el.text or "").replace("\u2062", "")
        if op in LARGE_OPERATORS:
            return op + APPLY
        if op == "," or el.get("separator") == "true":
            return op + ("" if compact else " ")
        return f" {op} " if op in SPACED_OPERATORS and not compact else op
    if tag == "mspace":
        return " "
    if tag in ("annotation", "annotation-xml", "mphantom"):
        return ""
    if tag == "semantics":
        return linear(kids[0], compact) if kids else ""
    if tag == "mfrac" and len(kids) == 2:
        return f"{wrap(sub(kids[0]))}/{wrap(sub(kids[1]))}"
    if tag == "msqrt":
        return "√" + wrap("".join(sub(k) for k in kids))
    if tag == "mroot" and len(kids) == 2:
        return scripted(sub(kids[1]), SUPERSCRIPT, "^") + "√" + wrap(sub(kids[0]))
    if tag in ("msub", "munder", "msup", "msubsup", "munderover") and len(kids) in (2, 3):
        base = linear(kids[0], compact)
        scripts = [(kids[1], SUBSCRIPT, "_"), (kids[2], SUPERSCRIPT, "^")] if len(kids) == 3 else [
            (kids[1], SUPERSCRIPT, "^") if tag == "msup" else (kids[1], SUBSCRIPT, "_")]
        text = base.removesuffix(APPLY) + "".join(scripted(sub(k).replace(APPLY, " "), table, mark) for k, table, mark in scripts)
        return text + (APPLY if base.endswith(APPLY) else "")
    if tag == "mover" and len(kids) == 2:
        base, over = linear(kids[0], compact), sub(kids[1]).strip()
        if over in ACCENTS and len(base.strip()) == 1:
            return base.strip() + ACCENTS[over]
        return base + scripted(over, SUPERSCRIPT, "^")
    if tag == "mtable":
        return "; ".join(" ".join(linear(cell, compact) for cell in row) for row in kids)
    return "".join(linear(k, compact) for k in kids)


def readable_math(text: str, config) -> str:
    """An index entry's text (escaped HTML) with each \\(…\\) and \\[…\\] outside code replaced by its readable form."""
    if "\\(" not in text and "\\[" not in text:
        return text

    def replace(match: re.Match) -> str:
        display = match["display"] is not None
        tex = html.unescape((match["display"] if display else match["inline"]).replace("\u200b", ""))
        readable = html.escape(readable_formula(tex.strip(), display, config.docs_dir), quote=False)
        return f" {readable} " if display else readable

    pieces = CODE_IN_INDEX.split(text)
    return "".join(piece if i % 2 else MATH_IN_INDEX.sub(replace, piece) for i, piece in enumerate(pieces))


# --- The glossary: one entry per row ---------------------------------------------------------------------------

GLOSSARY_PAGE = re.compile(r"glossary(\.\w+)?\.md")
TABLE = re.compile(r"<table(?P<attrs>[^>]*)>(?P<body>.*?)</table>", re.S)
HEADER_CELL = re.compile(r"<th[^>]*>(?P<text>.*?)</th>", re.S)
ROW = re.compile(r"<tr>(?P<cells>\s*<td.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>(?P<html>.*?)</td>", re.S)
LINE_BREAK = re.compile(r"<br\s*/?>")
TAG_BUT_CODE = re.compile(r"<(?!/?code\b)[^>]+>")
ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')


def is_glossary(page) -> bool:
    return bool(GLOSSARY_PAGE.fullmatch(page.file.src_uri))


def plain(cell: str) -> str:
    """A cell's HTML as index text: tags gone but <code>, line breaks as spaces (still HTML-escaped, as the index is)."""
    return re.sub(r"\s+", " ", TAG_BUT_CODE.sub("", LINE_BREAK.sub(" ", cell))).strip()


def row_id(english: str) -> str:
    """gradient-descent for "Gradient descent", relu for "ReLU (rectified linear unit)", from the English term."""
    name = html.unescape(re.sub(r"<[^>]+>", "", LINE_BREAK.split(english)[0]))
    name = re.sub(r"\([^)]*\)", "", name)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


GLOSSARY_ROWS: dict[str, list[dict]] = {}  # page url -> the rows' search entries (title, text, location)


def glossary_rows(content: str, page) -> str:
    """Ids on the rows of every glossary table, the tables left out of the section entries; rows kept for the index."""
    taken = set(ID_ATTRIBUTE.findall(content))
    entries, seen = [], set()

    def table(match: re.Match) -> str:
        headers = [plain(h["text"]) for h in HEADER_CELL.finditer(match["body"])]
        english = headers.index("English") if "English" in headers else 0

        def row(r: re.Match) -> str:
            cells = [c["html"] for c in CELL.finditer(r["cells"])]
            if len(cells) <= english:
                return r.group(0)
            base = row_id(cells[english]) or "term"
            ident = base if base not in taken else f"term-{base}"
            number = 1
            while ident in seen:
                number += 1
                ident = f"{base}-{number}"
            seen.add(ident)
            term, *variants = LINE_BREAK.split(cells[0], maxsplit=1)
            rest = [plain(v) for v in variants] + [plain(c) for c in cells[1:]]
            entries.append({"location": f"{page.url}#{ident}", "title": plain(term), "text": " · ".join(t for t in rest if t)})
            return f'<tr id="{ident}">{r["cells"]}</tr>'

        body = ROW.sub(row, match["body"])
        return f'<table{match["attrs"]} data-search-exclude="one entry per row">{body}</table>'

    content = TABLE.sub(table, content)
    GLOSSARY_ROWS[page.url] = entries
    return content


def search_index(config):
    plugin = config.plugins.get("material/search") or config.plugins.get("search")
    return getattr(plugin, "search_index", None)


ENTRIES_BEFORE: dict[str, int] = {}  # page url -> how many entries the index had before the search plugin read it


@event_priority(-20)  # after tools/links_hook.py has labelled the glossary's cells (it expects plain <tr> and <table>)
def on_page_content(html_content: str, page, config, files) -> str:
    index = search_index(config)
    ENTRIES_BEFORE[page.url] = len(index.entries) if index is not None else 0
    return glossary_rows(html_content, page) if is_glossary(page) else html_content


@event_priority(-10)  # after Material's search plugin has added the page's entries
def on_page_context(context, page, config, nav):
    index = search_index(config)
    if index is None:
        return context
    if is_glossary(page):
        for row in GLOSSARY_ROWS.get(page.url, []):
            index.entries.append({**row, "title": index._segment_chinese(row["title"]), "text": index._segment_chinese(row["text"])})
    for entry in index.entries[ENTRIES_BEFORE.get(page.url, len(index.entries)) :]:
        entry["title"] = readable_math(entry["title"], config)
        entry["text"] = readable_math(entry["text"], config)
    return context


# --- The 404 page, one per language ----------------------------------------------------------------------------

NOT_FOUND: dict[str, str] = {}  # language -> its rendering of 404.html
CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def i18n_plugin(config):
    return config.plugins.get("i18n")


def on_template_context(context, template_name, config):
    """404.html: the switcher leads to each language's home (static-i18n's links, not the last page's)."""
    i18n = i18n_plugin(config)
    if template_name == "404.html" and getattr(i18n, "extra_alternate", None):
        # Both the key and the attribute: static-i18n sets `config.extra.alternate` (an attribute of MkDocs'
        # LegacyConfig, apart from its key), which is what the template reads.
        config.extra["alternate"] = copy.deepcopy(i18n.extra_alternate)
        config.extra.alternate = copy.deepcopy(i18n.extra_alternate)
    return context


@event_priority(-50)  # after tools/mkdocs_hooks.py has named the search dialog
def on_post_template(output: str, template_name: str, config) -> str:
    if template_name != "404.html":
        return output
    i18n = i18n_plugin(config)
    language = config.theme["language"]
    if i18n is not None and language != i18n.default_language:
        # Search from this language's own index (<root><language>/search/), as its pages do.
        output, found = CONFIG_BASE.subn(lambda m: m.group(1) + m.group(2).rstrip("/") + f"/{language}/" + m.group(3), output, count=1)
        if not found:
            raise PluginError(f"404.html ({language}): Material's __config not found; cannot point search at {language}/")
    NOT_FOUND[language] = output
    return output


@event_priority(-300)  # after static-i18n has built every language (and tools/mkdocs_hooks.py split the index)
def on_post_build(config):
    i18n = i18n_plugin(config)
    if getattr(i18n, "building", False):
        return  # a language built inside static-i18n's on_post_build: the other languages come later
    site = Path(config.site_dir)
    patch_search_worker(site)
    default = i18n.default_language if i18n is not None else config.theme["language"]
    for language, output in NOT_FOUND.items():
        target = site / ("" if language == default else language) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
    NOT_FOUND.clear()
