"""Steps of the site plugin (tools/site/plugin.py calls them): Chinese line breaks, figures, notebooks, one search index per language,
formulas typeset and diagrams inlined at build time. (The Chinese search terms jieba keeps whole come from the
glossary: tools/site/register_hooks.py.)

Chinese line breaks: a newline inside a paragraph is rendered as a space, which Chinese text must not have
("创业、 市场"). We drop newlines between two CJK characters before the page is converted (outside code fences), so
the sources can still be wrapped at a readable width.

Figures: the recorder writes figures to docs/assets/generated/<slug>/ without a language suffix. With
`fallback_to_default: false`, static-i18n leaves such files out of the English build, so an English page could not
link to them; we add them back (they are small), so both languages link the same way: ../../assets/generated/….

Notebooks: static-i18n rebuilds each language's files as plain files, which turns mkdocs-jupyter's notebook pages
back into static JSON; we wrap the .ipynb files again so that mkdocs-jupyter renders them.

Search, one index per language: static-i18n builds one index of both languages at search/search_index.json,
which every page downloads (1 MB for five articles) and whose results mix the languages. After the build we split
it: each language keeps its own pages in <language root>/search/search_index.json, and pages of a non-default
language point Material's `base` (used only to fetch the index and to resolve result links, since instant
navigation and versioning are off) at their language root. The storage scope (`__md_scope`, which keeps the
light/dark choice) stays at the site root. Notebook pages are left out of the index: they repeat the code of
their article, which is the better search result. Each index is configured as lunr's "en", which loads no lunr
language and so no trimmer (tools/site/search_hooks.py, "Tokens", says why).

Math, at build time: every formula pymdownx.arithmatex leaves in the page (`<span class="arithmatex">\\(...\\)`,
`<div class="arithmatex">\\[...\\]`) is typeset by the vendored KaTeX (docs/assets/vendor/katex/katex.min.js) run
in an embedded V8 (the mini-racer package from PyPI: no Node). Pages that have math get KaTeX's stylesheet (and
through it its fonts) and no script. A formula KaTeX cannot parse fails the build, naming the page and the formula.
Material indexes the page before this hook runs: tools/site/search_hooks.py gives the index a readable form of each formula.

Diagrams, made ahead of time: each ```mermaid block is replaced by the two SVGs `make record` drew from it
(tools/generate/diagrams.py), inline, each in its own (declarative, open) shadow root so that the page's styles cannot reach
inside; extra.css shows the one of the reader's palette (light `default`, dark `slate`) and lets one that is wider
than the screen scroll sideways, with a cue (on a phone; no label is drawn below 11 px). A diagram whose source
changed since its SVG was made fails `mkdocs build`, naming the page and the diagram; under `mkdocs serve` only, it
is drawn in the browser by the vendored mermaid instead, so an author sees the edit at once. Mermaid then goes
*before* Material's bundle: Material draws diagrams with a global `mermaid` if one exists and otherwise fetches
mermaid from a CDN, which a page of ours must never do.
"""

from __future__ import annotations

import html
import json
import logging
import posixpath
import re
import struct
from pathlib import Path

from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File
from mkdocs.utils import get_relative_url

from tools.generate import diagrams
from tools.model.markdown import outside_fences
from tools.site.register_hooks import ARTICLE_PAGE
from tools.site import katex_engine

log = logging.getLogger("mkdocs.hooks.docs_site")

KATEX_CSS = "assets/vendor/katex/katex.min.css"
MERMAID_JS = "assets/vendor/mermaid/mermaid.min.js"  # only for a stale diagram under `mkdocs serve`
CJK = "[\u2e80-\u9fff\u3000-\u303f\uff00-\uffef]"
NEWLINE_BETWEEN_CJK = re.compile(rf"(?<={CJK})\n[ \t]*(?={CJK})")
BUNDLE_SCRIPT = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[0-9a-f]+\.min\.js"></script>')

OFFLINE_SHIM = "assets/vendor/iframe-worker/shim.js"  # vendored by tools/generate/vendor.sh; mkdocs.yml excludes it from the site


def offline(config) -> bool:
    """`make bundle`'s build (OFFLINE=true enables Material's offline plugin: mkdocs.yml)."""
    plugin = config.plugins.get("material/offline")
    return bool(plugin and plugin.config.enabled)


def offline_polyfill(config) -> None:
    """The bundle has no network: Material's offline plugin would load its iframe-worker shim from unpkg.com."""
    if offline(config):
        config.extra["polyfills"] = [OFFLINE_SHIM]


def wrap_notebooks(files, config) -> set[str]:
    """The notebooks static-i18n made plain files, as mkdocs-jupyter's pages again; returns their urls."""
    from mkdocs_jupyter.plugin import NotebookFile

    urls = set()
    for file in [f for f in files if f.src_uri.endswith(".ipynb") and not isinstance(f, NotebookFile)]:
        files.remove(file)
        notebook = NotebookFile(file, **config)
        # Keep the address static-i18n gave the file (notebook.zh.ipynb -> notebook/), not one made from its name.
        notebook.dest_path, notebook.abs_dest_path, notebook.url = file.dest_uri, file.abs_dest_path, file.url
        files.append(notebook)
        urls.add(notebook.url)
    return urls


def add_figures(files, config) -> None:
    """The recorded figures (no language suffix), in both languages' builds."""
    generated = Path(config.docs_dir) / "assets" / "generated"
    for figure in sorted(generated.glob("*/*.png")):
        src_uri = figure.relative_to(config.docs_dir).as_posix()
        if files.get_file_from_path(src_uri) is None:
            files.append(File(src_uri, config.docs_dir, config.site_dir, config.use_directory_urls))


FIRST_HEADING = re.compile(r"^# .*$", re.M)
NOTEBOOK_LINKS = {
    "zh": '本文的全部代码也整理成了 Jupyter 笔记本：<a href="{page}">在线查看</a>，或<a href="{folder}{name}" download>下载 {name}</a>，从头运行。',
    "en": 'All the code of this article is also a Jupyter notebook: <a href="{page}">read it online</a> or <a href="{folder}{name}" download>download {name}</a> and run it top to bottom.',
}


def link_the_notebook(markdown: str, page, config) -> str:
    """Under an article's title, a link to the notebook generated from its snippets (tools/generate/notebooks.py).

    Raw HTML, because MkDocs' link validation does not know the notebook pages that mkdocs-jupyter adds.
    """
    match = ARTICLE_PAGE.fullmatch(page.file.src_uri)
    if match is None or match["lang"] not in NOTEBOOK_LINKS:
        return markdown
    name = f"notebook.{match['lang']}.ipynb"
    if not (Path(config.docs_dir) / "articles" / match["slug"] / name).exists():
        return markdown
    heading = FIRST_HEADING.search(markdown)
    at = heading.end() if heading else 0
    # mkdocs-jupyter writes notebook/index.html and notebook/<name>, or, without directory URLs (the offline bundle),
    # notebook.html and <name> beside the article.
    folder = "notebook/" if config.use_directory_urls else ""
    links = NOTEBOOK_LINKS[match["lang"]].format(name=name, page=folder or "notebook.html", folder=folder)
    line = f'\n\n<p class="notebook-link">{links}</p>\n'
    return markdown[:at] + line + markdown[at:]


def join_cjk_lines(markdown: str) -> str:
    """No newline between two CJK characters (outside code fences): it would be rendered as a space."""
    return outside_fences(markdown, lambda prose: NEWLINE_BETWEEN_CJK.sub("", prose))


SEARCH_DIALOG = '<div class="md-search" data-md-component="search" role="dialog">'
SEARCH_LABEL = {"zh": "搜索", "en": "Search"}


def name_search_dialog(output: str, config) -> str:
    """Material's search dialog has no accessible name (axe-core: aria-dialog-name)."""
    label = SEARCH_LABEL.get(config.theme["language"], "Search")
    return output.replace(SEARCH_DIALOG, SEARCH_DIALOG[:-1] + f' aria-label="{label}">', 1)


CONFIG_BASE = re.compile(r'(<script id="__config" type="application/json">\{[^<]*?"base": ")([^"]*)(")')


def search_from_language_root(output: str, page, config) -> str:
    # The language root: "<language>/" for a page of a non-default language's build (en/ here), "" for the default
    # language's, at the site root.
    language = config.theme["language"]
    root = f"{language}/" if page.url.startswith(f"{language}/") else ""
    if not root:
        return output
    base = get_relative_url(root, page.url).rstrip("/") + "/"
    output, found = CONFIG_BASE.subn(lambda m: m.group(1) + base + m.group(3), output, count=1)
    if not found:
        raise RuntimeError(f"{page.file.src_uri}: Material's __config not found; cannot point search at {root}")
    return output


def split_search_index(config, notebook_urls: set[str]) -> None:
    """static-i18n's combined index, one per language root, without the notebook pages."""
    i18n = config.plugins.get("i18n")
    site = Path(config.site_dir)
    combined = json.loads((site / "search" / "search_index.json").read_text(encoding="utf-8"))
    roots = sorted({f"{lang.locale}/" for lang in i18n.config.languages if not lang.default}) if i18n else []
    by_root: dict[str, list] = {root: [] for root in ["", *roots]}
    for doc in combined["docs"]:
        if doc["location"].split("#")[0] in notebook_urls:
            continue
        root = next((r for r in roots if doc["location"].startswith(r)), "")
        by_root[root].append({**doc, "location": doc["location"][len(root) :]})
    # lunr's languages would only add a trimmer, stop words and a stemmer, which this site switches off, but Material
    # cannot switch off the trimmer of lunr.multiLanguage, which static-i18n's ["en", "zh"] makes it load: as "en",
    # each index loads no language and keeps θ, β₁ and ∂J/∂W (tools/site/search_hooks.py, "Tokens").
    index_config = {**combined["config"], "lang": ["en"]}
    for root, docs in by_root.items():
        target = site / root / "search" / "search_index.json"
        target.parent.mkdir(parents=True, exist_ok=True)
        index = {**combined, "config": index_config, "docs": docs}
        target.write_text(json.dumps(index, ensure_ascii=False, separators=(",", ":")), encoding="utf-8")
        if offline(config):  # from file:// Material reads the index as a script; its offline plugin wrote the combined one
            (target.parent / "search_index.js").write_text("var __index = " + target.read_text(encoding="utf-8"), encoding="utf-8")
    if offline(config):
        (site / OFFLINE_SHIM).parent.mkdir(parents=True, exist_ok=True)
        (site / OFFLINE_SHIM).write_bytes((Path(config.docs_dir) / OFFLINE_SHIM).read_bytes())


def finish_page(output: str, page, config, serve: bool = False) -> str:
    """The rendered page: searched from its language root, formulas typeset, diagrams inlined, sizes given."""
    output = name_search_dialog(output, config)
    output = search_from_language_root(output, page, config)
    # nbconvert's template loads MathJax from an empty URL (a useless request for the page itself); we use KaTeX.
    output = output.replace('<script src=""> </script>', "")
    # Notebook code cells scroll sideways: make them reachable by keyboard (axe-core: scrollable-region-focusable).
    output = output.replace('<div class="highlight-ipynb hl-python">', '<div class="highlight-ipynb hl-python" tabindex="0">')
    def url(path: str) -> str:
        return get_relative_url(path, page.url or ".")

    output = typeset_math(output, page, config)
    if 'class="katex' in output:
        output = output.replace("</head>", f'<link rel="stylesheet" href="{url(KATEX_CSS)}">\n</head>', 1)

    output, stale = inline_diagrams(output, page, config, serve)
    output = intrinsic_heights(output)
    output = figure_sizes(output, page, config)
    output = place_the_notes_button(output, config)
    if stale:
        bundle = BUNDLE_SCRIPT.search(output)
        if bundle is None:
            raise RuntimeError(f"{page.file.src_uri}: Material's bundle <script> not found; cannot add mermaid before it")
        tag = f'<script src="{url(MERMAID_JS)}"></script>\n'
        output = output[: bundle.start()] + tag + output[bundle.start() :]
    return output


# A recorded figure is lazy (its palette twin is not fetched at all) and arrives after the text below it has been laid
# out: its size, read from the PNG that the build copies, keeps that text in place (width and height give the aspect
# ratio; Material's CSS still scales the image to the column).
PNG_IMAGE = re.compile(r'<img (?![^>]*\swidth=)(?P<attrs>[^>]*?)src="(?P<src>[^"#]+\.png)(?P<fragment>#[^"]*)?"')


def figure_sizes(output: str, page, config) -> str:
    def add_size(match: re.Match) -> str:
        png = Path(config.docs_dir) / posixpath.normpath(posixpath.join(page.url or ".", match["src"]))
        if not png.is_file():
            return match.group(0)
        width, height = struct.unpack(">II", png.read_bytes()[16:24])  # the IHDR chunk, right after the signature
        return f'{match.group(0)} width="{width}" height="{height}"'

    return PNG_IMAGE.sub(add_size, output)


# --- The button that opens every editor's note ------------------------------------------------------------------

# docs/assets/javascripts/editor-notes.js wires it up. It is in the HTML, not added by the script, so that the page
# does not move down by its height after the first paint (that alone was a layout shift of 0.01-0.025 per article);
# without script it would do nothing, so it is hidden then.
EDITOR_NOTE = re.compile(r'<details class="note">\s*<summary>\s*(?:编者注：|Editor[\'’]s note: )')
NOTES_BUTTON_LABEL = {"zh": "展开全部编者注", "en": "Open all editor's notes"}  # the script's closed-notes labels


def place_the_notes_button(output: str, config) -> str:
    first = EDITOR_NOTE.search(output)
    if first is None:
        return output
    label = NOTES_BUTTON_LABEL.get(config.theme["language"], NOTES_BUTTON_LABEL["en"])
    control = (f'<p class="editor-notes-control"><button type="button" class="editor-notes-toggle">'
               f'{label}</button></p>\n<noscript><style>.editor-notes-control {{ display: none; }}</style></noscript>\n')
    return output[: first.start()] + control + output[first.start() :]


# --- Math: KaTeX at build time -------------------------------------------------------------------------------

ARITHMATEX = re.compile(r'<(?P<tag>span|div) class="arithmatex">(?P<tex>.*?)</(?P=tag)>', re.S)
# Chinese punctuation that must not begin a line. Browsers allow a break between an inline formula (KaTeX's boxes
# are inline blocks) and the character after it, so "写成 ŷ = wx + b。" could put "。" alone at the start of a line:
# a short inline formula and the punctuation right after it are kept together (class "math-nobr", extra.css). A long
# one is left alone: held together it could not break after its = or + either, and would stick out of a phone screen.
CLOSING_PUNCTUATION = "。，、；：！？）」』》"
NOBR_MAX_TEX = 30  # characters of TeX
FORMULA = re.compile(ARITHMATEX.pattern + f"(?P<after>[{CLOSING_PUNCTUATION}]?)", re.S)


def typeset_math(output: str, page, config) -> str:
    """Replace arithmatex's TeX with KaTeX's HTML; a formula that does not parse fails the build, naming it."""
    if 'class="arithmatex"' not in output:
        return output
    katex = katex_engine.engine(config.docs_dir)
    errors = []

    def typeset(match: re.Match) -> str:
        source = html.unescape(match["tex"]).strip()
        display = match["tag"] == "div"
        opening, closing = ("\\[", "\\]") if display else ("\\(", "\\)")
        tex = source[2:-2] if source.startswith(opening) and source.endswith(closing) else source
        result = katex.render(tex, display)
        if "error" in result:
            errors.append(f"  {source}\n    {result['error']}")
            return match.group(0)
        typeset_html = f'<{match["tag"]} class="arithmatex">{result["html"]}</{match["tag"]}>'
        if match["after"] and not display and len(tex) <= NOBR_MAX_TEX:
            return f'<span class="math-nobr">{typeset_html}{match["after"]}</span>'
        return typeset_html + match["after"]

    output = FORMULA.sub(typeset, output)
    if errors:
        raise PluginError(f"{page.file.src_uri}: KaTeX cannot typeset {len(errors)} formula(s):\n" + "\n".join(errors))
    return output


# --- Diagrams: SVG made by `make record` (tools/generate/diagrams.py) --------------------------------------------------

MERMAID_BLOCK = re.compile(r'<pre class="mermaid"><code>(?P<source>.*?)</code></pre>', re.S)
SHADOW_ROOT = '<div class="diagram diagram--{variant}"><template shadowrootmode="open">{svg}</template></div>'
# A diagram is never drawn below tools/generate/diagrams.py's MIN_SCALE: one wider than that on a phone's column (375 px less
# Material's margins) scrolls sideways there, so its SVG takes the keyboard focus (the arrow keys then scroll its
# box), as a scrolling region must.
PHONE_COLUMN_PX = 343
def inline_diagrams(output: str, page, config, serve: bool = False) -> tuple[str, int]:
    """Each <pre class="mermaid"> becomes its light and dark SVG; returns the page and how many fell back to mermaid
    (only under `mkdocs serve`: a stale diagram fails a build)."""
    if 'class="mermaid"' not in output:
        return output, 0
    docs, number, stale, problems = Path(config.docs_dir), 0, 0, []

    def inline(match: re.Match) -> str:
        nonlocal number, stale
        number += 1
        diagram = diagrams.Diagram(page.file.src_uri, number, diagrams.normalize(html.unescape(match["source"])))
        try:
            svgs = diagrams.svgs(diagram, docs)
        except diagrams.DiagramError as error:
            if not serve:
                problems.append(str(error))
                return match.group(0)
            # INFO, not WARNING: `strict: true` would turn a warning into a failed rebuild under `mkdocs serve`.
            log.info("%s; drawn by mermaid in the browser meanwhile", error)
            stale += 1
            return match.group(0)
        width, _ = diagrams.size(diagram, docs)
        if width * diagrams.MIN_SCALE > PHONE_COLUMN_PX:
            svgs = {v: svg.replace("<svg ", '<svg tabindex="0" ', 1) for v, svg in svgs.items()}
        return "".join(SHADOW_ROOT.format(variant=v, svg=svg.strip()) for v, svg in svgs.items())

    output = MERMAID_BLOCK.sub(inline, output)
    if problems:
        raise PluginError("\n".join(problems))
    return output, stale


# --- Intrinsic heights for content-visibility (issue 21) ----------------------------------------------------------
# extra.css lays out an article's code blocks and display formulas only when the reader nears them
# (content-visibility: auto); until then a block takes the height given here, so that the page does not grow while
# the reader scrolls (nor shift at load). Both are as tall on every screen (they scroll sideways, they do not wrap),
# so their height is known from the HTML: lines of code, and the struts KaTeX puts in each formula. The lengths are
# in em of the block (16 px below 1600 px), measured in Chromium with Material's and extra.css's code styles: a
# change there makes tests/test_browser_layout.py's stable-height test fail. A code block's title bar that wraps
# (a long file name on a phone) adds a line the estimate leaves out; `auto` then remembers the real height.

CODE_BLOCK = re.compile(r'<div class="language-(?P<lang>[\w-]+) highlight">(?P<body>.*?)</code></pre></div>', re.S)
CODE_LINE_EM = {"text": 1.2246}  # a line of code: 0.85em at line-height 1.4; recorded outputs 0.7rem (extra.css)
CODE_LINE_EM_DEFAULT = 1.1895
CODE_CHROME_EM = {"text": 5.187}  # the pre's padding and margins, inside the block (content-visibility contains them)
CODE_CHROME_EM_DEFAULT = 5.111
CODE_TITLE_EM = 0.598  # a title bar (snippet file name) in place of the pre's top margin
DISPLAY_MATH = re.compile(r'<div class="arithmatex">(?P<body><span class="katex-display">.*?)</div>', re.S)
KATEX_STRUT = re.compile(r'class="katex-strut" style="height:(?P<height>[\d.]+)em;(?:vertical-align:(?P<depth>-?[\d.]+)em;)?')
KATEX_EM = 1.21  # .katex's font size, in em of the block
KATEX_LINE = (0.878, 0.373)  # the least height and depth of a line of KaTeX, in its em (its line-height 1.2)
DISPLAY_MARGIN_EM = 1.0  # .katex-display's margin, top and bottom (extra.css: 0.5em 0)


def intrinsic_heights(output: str) -> str:
    """Each code block and display formula gets `--intrinsic-height` (style attribute), read by extra.css."""
    def code(match: re.Match) -> str:
        lines = match["body"].count('<span id="__span-')
        lang = match["lang"]
        height = lines * CODE_LINE_EM.get(lang, CODE_LINE_EM_DEFAULT) + CODE_CHROME_EM.get(lang, CODE_CHROME_EM_DEFAULT)
        if '<span class="filename">' in match["body"]:
            height += CODE_TITLE_EM
        return match.group(0).replace('highlight">', f'highlight" style="--intrinsic-height: {height:.2f}em">', 1)

    def math(match: re.Match) -> str:
        struts = [(float(m["height"]), -float(m["depth"] or 0)) for m in KATEX_STRUT.finditer(match["body"])]
        above = max([KATEX_LINE[0], *(h - d for h, d in struts)])
        below = max([KATEX_LINE[1], *(d for _, d in struts)])
        height = (above + below) * KATEX_EM + DISPLAY_MARGIN_EM
        return match.group(0).replace('<div class="arithmatex">', f'<div class="arithmatex" style="--intrinsic-height: {height:.3f}em">', 1)

    if "highlight" in output:
        output = CODE_BLOCK.sub(code, output)
    if 'class="katex-display"' in output:
        output = DISPLAY_MATH.sub(math, output)
    return output
