"""Steps of the site plugin (tools/site/plugin.py): search that works in Chinese, and a 404 page per language.

(One search index per language, without the notebooks, is made in tools/site/mkdocs_hooks.py; the words jieba keeps
whole come from the glossary, tools/site/register_hooks.py. The language switcher is overrides/partials/alternate.html.)

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

Tokens, the same on both sides. The worker cuts the index text *and* the query with one regular expression, the
`separator` of the index's config (Material's tokenizer; lunr's query lexer splits only at spaces and hyphens),
lowercases, and gives every query term a trailing `*` (a prefix search, which lunr runs without its pipeline). So a
token of the index and a query term meet only if the separator cut both alike and nothing else changed the index
token. Two things did: jieba writes zero-width spaces around the Chinese runs of the index but never sees the query,
so `Adam优化器` stayed one term that no token starts with; and lunr's trimmer (Material cannot switch off the one
lunr.multiLanguage makes for ["en", "zh"]) stripped every token of what is not [A-Za-z0-9_] or common Han at its
ends, so θ, β₁, ∂J/∂W and the `))` of D(G(z)) were gone from the index while the query kept them. Now SEPARATOR (set
in on_config) also cuts between a Han character and any other, and takes over the trimmer's useful part, the
punctuation of prose (Chinese punctuation everywhere, opening brackets and quotes at a token's start, a sentence's
`.,;:!?` at its end), but leaves what formulas are made of inside a token; the pipeline is empty (mkdocs.yml) and
each language's index is configured as "en" (tools/site/mkdocs_hooks.py), which loads no lunr language and so no trimmer:
lunr's languages would only add a trimmer, stop words and a stemmer, all of which this site switches off. A reader
typing `β1` meets a formula's β₁ because the readable form (below) writes a subscript of digits as plain digits.
(The lookbehinds need Safari 16.4 or later, 2023; Chrome has had them since 2017, Firefox since 2020.)

The page's own result. Material shows each page with its sections; when only sections matched, it adds the page
itself with no query terms, so its link carried an empty `h=` and highlighted nothing. A fourth WORKER_FIXES entry
gives the page's result every term that its results found. Its snippet is the page's text before the first section;
on an article that is editorial matter (the link to the notebook, the origin line and the first editor's note, which
lists the structural edits), so those are left out of the index and the article's description stands in their place.

Formulas. The index is made from the page before KaTeX runs (tools/site/mkdocs_hooks.py typesets at on_post_page), so it
held the TeX source, which result snippets showed raw (`\\[ \\min_G \\max_D …\\]`). Each formula of an entry is
replaced by a readable one-line form that we derive from KaTeX's own MathML (`min_G max_D V(D, G) = E_(x∼p_data)…`,
`(1/N)∑ᵢ(ŷᵢ − yᵢ)²`, `mₜ = β1mₜ₋₁ + (1 − β1)gₜ`), so the words around it and the symbols in it stay searchable and
nothing raw is shown.

The glossary. Each row of a glossary table gets an id made from its English term (the same in both languages, e.g.
`gradient-descent`) and is its own search entry: location glossary/#<id>, title the term (both from docs/glossary.yml,
tools/model/glossary.py), text the other cells (variants, translation, meaning, where explained). The tables themselves
are left out of their sections' entries, which otherwise came out as one flattened table per section. Each cell gets a
`data-label` with its column's header, so that extra.css can show each row as a stacked card on a phone screen (no
column cut off at 375 px).

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
import re
from pathlib import Path
from xml.etree import ElementTree

from mkdocs.exceptions import PluginError

from tools.model import glossary
from tools.site import katex_engine
from tools.site.mkdocs_hooks import CONFIG_BASE

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
    ("for(let[s,o]of n)if(!o.find(a=>a.location===s)){let a=this.map.get(s);o.push(B(_({},a),{score:0,terms:{}}))}",
     "for(let[s,o]of n){let p=o.find(d=>d.location===s);p||o.push(p=B(_({},this.map.get(s)),{score:0,terms:{}}));"
     "p.terms=o.reduce((t,d)=>(Object.keys(d.terms).forEach(k=>t[k]=t[k]||d.terms[k]),t),{})}",
     "a page's own result must carry the terms its sections found (its link's h= highlights them)"),
]

# The worker's separator (see the module docstring). No `|` inside a group or class: Material's highlighter splits
# the separator at every `|` to drop its pure lookarounds.
HAN = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
PROSE = r"\s\u200b\u3000\-、。，．？！；：（）《》〈〉「」『』【】“”‘’·…"  # spaces, jieba's zero-width ones, Chinese punctuation
SEPARATOR = "|".join([
    rf"[{PROSE}]+",  # Material's zh separator, with more of the punctuation of Chinese prose
    # opening brackets, quotes, § and the like at a token's start: (GAN) is found as gan, §4.1 as 4.1
    rf"(?<![^{PROSE}{HAN}])[(\[{{\"'§#*\x7c/&@]+",
    # a sentence's punctuation at a token's end; closing brackets stay, as in D(G(z)) and softmax(z)
    rf"[.,;:!?\"']+(?![^{PROSE}{HAN}])",
    # between a Han character and any other, both ways: Adam优化器 is searched as Adam 优化器
    rf"(?<=[{HAN}])(?=[^{HAN}])",
    rf"(?<=[^{HAN}])(?=[{HAN}])",
])


def set_separator(config) -> None:
    """Before Material's search plugin copies its settings into its index (its on_config)."""
    plugin = search_plugin(config)
    if plugin is not None:
        plugin.config.separator = SEPARATOR


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
                    " see tools/site/search_hooks.py, WORKER_FIXES"
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


def readable_formula(tex: str, display: bool, docs_dir: str) -> str:
    """One line of text for a formula, from the MathML KaTeX makes of it."""
    markup = katex_engine.engine(docs_dir).mathml(tex, display)
    start, end = markup.find("<math"), markup.rfind("</math>")
    try:
        text = linear(ElementTree.fromstring(markup[start : end + len("</math>")]))
    except ElementTree.ParseError:
        text = ""
    text = re.sub(r"\s+", " ", text.replace(APPLY, " "))
    return re.sub(r" +(?=[)\]},])|(?<=[(\[{]) +", "", text).strip()


def scripted(text: str, table: dict[str, str], mark: str, plain_digits: bool = False) -> str:
    text = text.replace(" ", "")
    if plain_digits and text.isascii() and text.isdigit():
        return text  # β₁ as β1, as readers type it (and as Keras spells beta_1)
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return mark + (text if len(text) == 1 or ATOM.fullmatch(text) and not text.startswith("(") else f"({text})")


def wrap(text: str) -> str:
    text = text.strip()
    return text if len(text) == 1 or ATOM.fullmatch(text) else f"({text})"


def linear(el, compact: bool = False) -> str:
    """One line of text for a MathML element: fractions a/b, scripts as Unicode (x², yᵢ) or _/^, a letter's subscript
    of digits as plain digits (β1), accents combined (ŷ)."""
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
        digits_plain = tag in ("msub", "msubsup") and base.strip()[-1:].isalpha()  # a letter's index: β1, W1, x2
        text = base.removesuffix(APPLY) + "".join(
            scripted(sub(k).replace(APPLY, " "), table, mark, plain_digits=digits_plain and table is SUBSCRIPT) for k, table, mark in scripts)
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


# --- A page's own entry: its text, not the editorial lead --------------------------------------------------------

# What an article has between its title and its first section: the link to its notebook, the line saying where it
# comes from, and the editor's note listing the structural edits. As the page's own entry they became the snippet
# of its result, often the first one shown, for any term the note mentions.
LEAD_BLOCK = re.compile(r'<p class="(?:notebook-link|page-origin)"|<details class="note"')


def editorial_lead_left_out(content: str) -> str:
    """The blocks of the lead (before the first <h2>) marked data-search-exclude, for Material's search plugin."""
    lead, h2, rest = content.partition("<h2")
    return LEAD_BLOCK.sub(lambda m: m.group(0) + ' data-search-exclude="editorial lead"', lead) + h2 + rest


def page_entry_text(entry: dict, page, index) -> None:
    """A page's own entry with no text left (its lead left out) says what the page is: its description."""
    description = page.meta.get("description")
    if entry["location"] == page.url and not entry["text"].strip() and isinstance(description, str):
        entry["text"] = index._segment_chinese(f"<p>{html.escape(description, quote=False)}</p>")


# --- The glossary: one entry per row ---------------------------------------------------------------------------

GLOSSARY_PAGE = re.compile(r"glossary(\.\w+)?\.md")
# A section's table comes right after its heading (both from one `{{ glossary.<section> }}`).
TABLE = re.compile(r'(?P<heading><h2 id="(?P<section>[^"]+)"(?:(?!</h2>).)*</h2>\s*)<table(?P<attrs>[^>]*)>(?P<body>.*?)</table>', re.S)
ROW = re.compile(r"<tr>(?P<cells>\s*<td.*?)</tr>", re.S)
CELL = re.compile(r"<td[^>]*>(?P<html>.*?)</td>", re.S)
CELL_OPEN = re.compile(r"<td(?P<attrs>[^>]*)>")
LINE_BREAK = re.compile(r"<br\s*/?>")
TAG_BUT_CODE = re.compile(r"<(?!/?code\b)[^>]+>")
ID_ATTRIBUTE = re.compile(r'\bid="([^"]+)"')


def is_glossary(page) -> bool:
    return bool(GLOSSARY_PAGE.fullmatch(page.file.src_uri))


def plain(cell: str) -> str:
    """A cell's HTML as index text: tags gone but <code>, line breaks as spaces (still HTML-escaped, as the index is)."""
    return re.sub(r"\s+", " ", TAG_BUT_CODE.sub("", LINE_BREAK.sub(" ", cell))).strip()


def glossary_rows(content: str, page) -> tuple[str, list[dict]]:
    """Ids on the rows of every glossary table, each cell labelled with its column's header (data-label, which
    extra.css shows on a phone, where a row is a card), the tables left out of the section entries; returns the page
    and the rows' search entries (title, text, location), which index_entries adds to the index."""
    taken = set(ID_ATTRIBUTE.findall(content))
    entries = []
    words = glossary.load(Path(page.file.abs_src_path).parent)
    lang = page.file.src_uri.split(".")[-2]  # glossary.<lang>.md

    def table(match: re.Match) -> str:
        terms = iter(words.section(match["section"]))

        def row(r: re.Match) -> str:
            cells = [c["html"] for c in CELL.finditer(r["cells"])]
            labels = iter(glossary.HEADERS[lang])
            term = next(terms, None)
            if term is None:
                raise PluginError(f"{page.file.src_uri}: a row of the table under #{match['section']} is not in docs/glossary.yml")
            ident = term.id if term.id not in taken else f"term-{term.id}"  # a section's id (#regularization)
            variants = LINE_BREAK.split(cells[0], maxsplit=1)[1:]
            rest = [plain(v) for v in variants] + [plain(c) for c in cells[1:]]
            entries.append({"location": f"{page.url}#{ident}", "title": glossary.title_html(term, lang), "text": " · ".join(t for t in rest if t)})
            labelled = CELL_OPEN.sub(lambda m: f'<td{m["attrs"]} data-label="{next(labels, "")}">', r["cells"])
            return f'<tr id="{ident}">{labelled}</tr>'

        body = ROW.sub(row, match["body"])
        if next(terms, None) is not None:
            raise PluginError(f"{page.file.src_uri}: the table under #{match['section']} lacks rows of docs/glossary.yml")
        return f'{match["heading"]}<table{match["attrs"]} data-search-exclude="one entry per row">{body}</table>'

    return TABLE.sub(table, content), entries


def search_plugin(config):
    return config.plugins.get("material/search") or config.plugins.get("search")


def search_index(config):
    return getattr(search_plugin(config), "search_index", None)


def index_entries(index, page, config, first: int, rows: list[dict]) -> None:
    """After Material's search plugin has added the page's entries (from `first` on): the glossary's rows added, the
    page entry's text chosen, the formulas made readable."""
    for row in rows:
        index.entries.append({**row, "title": index._segment_chinese(row["title"]), "text": index._segment_chinese(row["text"])})
    for entry in index.entries[first:]:
        page_entry_text(entry, page, index)
        entry["title"] = readable_math(entry["title"], config)
        entry["text"] = readable_math(entry["text"], config)


# --- The 404 page, one per language ----------------------------------------------------------------------------


def switcher_to_homes(config) -> None:
    """404.html: the switcher leads to each language's home (static-i18n's links, not the last page's)."""
    i18n = config.plugins.get("i18n")
    if getattr(i18n, "extra_alternate", None):
        # Both the key and the attribute: static-i18n sets `config.extra.alternate` (an attribute of MkDocs'
        # LegacyConfig, apart from its key), which is what the template reads.
        config.extra["alternate"] = copy.deepcopy(i18n.extra_alternate)
        config.extra.alternate = copy.deepcopy(i18n.extra_alternate)


def not_found_page(output: str, config) -> str:
    """This language's 404.html, searching its own index; write_not_found puts it at the language's root."""
    i18n = config.plugins.get("i18n")
    language = config.theme["language"]
    if i18n is not None and language != i18n.default_language:
        # Search from this language's own index (<root><language>/search/), as its pages do.
        output, found = CONFIG_BASE.subn(lambda m: m.group(1) + m.group(2).rstrip("/") + f"/{language}/" + m.group(3), output, count=1)
        if not found:
            raise PluginError(f"404.html ({language}): Material's __config not found; cannot point search at {language}/")
    return output


def write_not_found(site: Path, config, pages: dict[str, str]) -> None:
    """Each language's 404.html (language -> page) at its root: MkDocs writes every language's to the site root."""
    i18n = config.plugins.get("i18n")
    default = i18n.default_language if i18n is not None else config.theme["language"]
    for language, output in pages.items():
        target = site / ("" if language == default else language) / "404.html"
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(output, encoding="utf-8")
