"""The built site: strict build, zh/en parity, the language switch, offline assets, and per-page loading."""

from __future__ import annotations

import html as html_lib
import json
import re
from pathlib import Path

import pytest

from conftest import ARTICLES, ROOT, language_root, mkdocs_build, project_copy
from tools.generate import diagrams as diagrams_tool
from tools.editorial import parity
from tools.model import glossary, markdown
from tools.model import snippets as harness

# No xdist group: these tests spread over both workers; each worker builds the site once (conftest's built_site).

EXTERNAL_ASSET = re.compile(r'<(?:script|link|img|iframe)\b[^>]*\b(?:src|href)="(?:https?:)?//', re.I)


def html(site: Path, lang: str, path: str) -> str:
    page = language_root(site, lang) / path / "index.html"
    assert page.exists(), f"{page} was not built"
    return page.read_text(encoding="utf-8")


def test_parity_of_every_page():
    problems = parity.check(ROOT / "docs")
    assert not problems, "zh/en pages disagree:\n" + "\n".join(problems)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("path", ["", "glossary", *(f"articles/{slug}" for slug in ARTICLES)])
def test_page_built_with_its_language(built_site, lang, path):
    page = html(built_site, lang, path)
    assert f'<html lang="{lang}"' in page


@pytest.mark.parametrize("slug", ARTICLES)
def test_language_switch_lands_on_the_same_page(built_site, slug):
    zh, en = html(built_site, "zh", f"articles/{slug}"), html(built_site, "en", f"articles/{slug}")
    assert re.search(rf'href="[./]*en/articles/{slug}/"[^>]*hreflang="en"', zh), "zh page's switcher does not link to its en twin"
    assert re.search(rf'href="(\.\./)+articles/{slug}/"[^>]*hreflang="zh"', en), "en page's switcher does not link to its zh twin"


@pytest.mark.parametrize("slug", ARTICLES)
def test_no_line_break_inside_chinese_text(built_site, slug):
    """A newline between two Chinese characters shows as a stray space (tools/site/mkdocs_hooks.py removes them)."""
    text = re.sub(r"<pre.*?</pre>", "", html(built_site, "zh", f"articles/{slug}"), flags=re.S)
    breaks = re.findall(r".{0,12}[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef]\n[\u4e00-\u9fff\u3000-\u303f\uff00-\uffef].{0,12}", text)
    assert not breaks, f"articles/{slug}: soft line breaks inside Chinese text: {breaks[:5]}"


def page_url(stem: str) -> str:
    """The address of a markdown page relative to its language root: "index" -> "", "articles/x/index" -> "articles/x/"."""
    return "" if stem == "index" else stem.removesuffix("/index") + "/"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_language_searches_its_own_index(built_site, lang):
    root = language_root(built_site, lang)
    index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
    pages = {doc["location"].split("#")[0] for doc in index["docs"]}
    expected = {page_url(md.relative_to(ROOT / "docs").as_posix().removesuffix(".zh.md")) for md in (ROOT / "docs").rglob("*.zh.md")}
    assert pages == expected, f"{root}/search/search_index.json indexes {sorted(pages)}, expected the pages {sorted(expected)}"
    titles = " ".join(doc["title"] for doc in index["docs"] if doc["location"] in {f"articles/{slug}/" for slug in ARTICLES})
    assert bool(re.search(r"[\u4e00-\u9fff]", titles)) == (lang == "zh"), f"{lang} index has titles of the other language: {titles}"
    # Material fetches the index from, and resolves result links against, the `base` of the page's __config.
    for page in [root / "index.html", *(root / "articles" / slug / "index.html" for slug in ARTICLES)]:
        config = json.loads(re.search(r'<script id="__config" type="application/json">(.*?)</script>', page.read_text(encoding="utf-8")).group(1))
        assert (page.parent / config["base"]).resolve() == root.resolve(), f"{page}: search base {config['base']!r} is not {root}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_article_links_its_notebook(built_site, slug, lang):
    page = html(built_site, lang, f"articles/{slug}")
    link = re.search(r'<p class="notebook-link">.*?<a href="(notebook/)">.*?<a href="(notebook/[^"]+\.ipynb)" download>', page)
    assert link, f"the {lang} page of {slug} has no link to its notebook under the title"
    article_dir = language_root(built_site, lang) / "articles" / slug
    assert (article_dir / link.group(1) / "index.html").exists(), f"{slug} ({lang}): the notebook page {link.group(1)} was not built"
    assert (article_dir / link.group(2)).exists(), f"{slug} ({lang}): the download {link.group(2)} is not in the site"


def test_no_asset_from_another_host(built_site):
    offenders = [
        f"{page.relative_to(built_site)}: {m.group(0)}"
        for page in built_site.rglob("*.html")
        for m in EXTERNAL_ASSET.finditer(page.read_text(encoding="utf-8"))
    ]
    assert not offenders, "pages load assets from other hosts:\n" + "\n".join(offenders)


KATEX_SPAN = re.compile(r'<(span|div) class="arithmatex">(?P<inner>.*?)</\1>', re.S)
INLINE_DIAGRAM = re.compile(r'<div class="diagram diagram--(?P<variant>light|dark)"><template shadowrootmode="open">(?P<svg><svg .*?</svg>)</template></div>', re.S)


def built_pages(site: Path) -> list[tuple[Path, str]]:
    return [(page, page.read_text(encoding="utf-8")) for page in sorted(site.rglob("*.html"))]


def test_pages_arrive_with_math_typeset_and_no_math_or_diagram_script(built_site):
    """KaTeX ran at build time (tools/site/mkdocs_hooks.py): the HTML holds the typeset formulas, the page no KaTeX script."""
    pages_with_math = 0
    for page, text in built_pages(built_site):
        # (nbconvert's template on the notebook pages imports mermaid only for notebook diagrams: ours have none)
        for library in ("katex.min.js", "katex-render.js", "mermaid.min.js"):
            assert library not in text, f"{page.relative_to(built_site)} loads {library}"
        formulas = list(KATEX_SPAN.finditer(text))
        untypeset = [m.group(0)[:120] for m in formulas if not m["inner"].startswith('<span class="katex')]
        assert not untypeset, f"{page.relative_to(built_site)}: formulas left as TeX: {untypeset[:3]}"
        assert "katex-error" not in text, f"{page.relative_to(built_site)}: a KaTeX error in the page"
        assert bool(formulas) == ("vendor/katex/katex.min.css" in text), f"{page.relative_to(built_site)}: KaTeX CSS where there is no math, or none where there is"
        pages_with_math += bool(formulas)
    assert pages_with_math >= 2 * len(ARTICLES), f"only {pages_with_math} pages with typeset math"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_article_math_has_no_raw_tex_left(built_site, slug, lang):
    """Outside code, the page text has no TeX delimiters or commands: every formula became KaTeX's HTML."""
    text = html(built_site, lang, f"articles/{slug}")
    body = text[text.index('<article class="md-content__inner'):text.index("</article>")]
    body = re.sub(r"<(pre|code|annotation|script)\b.*?</\1>", "", body, flags=re.S)  # code, and KaTeX's TeX copy for screen readers
    body = html_lib.unescape(re.sub(r"<[^>]+>", "", body))
    for raw in ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\sum"):
        assert raw not in body, f"articles/{slug} ({lang}): raw TeX {raw!r} left in the page text"
    dollar_math = re.search(r"\$[^$\s][^$]*\$", body)
    assert dollar_math is None, f"articles/{slug} ({lang}): $...$ math left untypeset: {dollar_math.group(0)!r}"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_every_diagram_is_in_the_html(built_site, slug, lang):
    """Each ```mermaid block of the page is there as a light and a dark SVG, made from its current source."""
    md = ROOT / "docs" / "articles" / slug / f"index.{lang}.md"
    diagrams = diagrams_tool.diagrams_in(md.read_text(encoding="utf-8"), md.relative_to(ROOT / "docs").as_posix())
    text = html(built_site, lang, f"articles/{slug}")
    inlined = list(INLINE_DIAGRAM.finditer(text))
    assert [m["variant"] for m in inlined] == ["light", "dark"] * len(diagrams), (
        f"articles/{slug} ({lang}): {len(diagrams)} mermaid blocks but {len(inlined)} inline SVGs"
    )
    assert 'class="mermaid"' not in text, f"articles/{slug} ({lang}): a diagram left for mermaid to draw in the browser"
    for diagram, (light, dark) in zip(diagrams, zip(inlined[::2], inlined[1::2])):
        assert 'aria-roledescription="error"' not in light["svg"] + dark["svg"], f"{diagram.describe()}: mermaid drew an error"
        assert "var(--" not in light["svg"] + dark["svg"], f"{diagram.describe()}: a palette variable left unresolved"
        assert light["svg"] != dark["svg"], f"{diagram.describe()}: the light and dark SVGs are the same"


def test_every_diagram_svg_is_current():
    """Like tests/test_recordings.py: a diagram whose source changed since `make record` drew it fails, named."""
    problems = [f"{d.describe()} {why}" for d in diagrams_tool.discover(ROOT / "docs") if (why := diagrams_tool.problem(d, ROOT / "docs"))]
    assert not problems, "diagrams without a current SVG (run `make record`):\n" + "\n".join(problems)


def test_diagrams_use_the_look_material_styles():
    """Mermaid 12's default "neo" look paints subgraphs with its own pale colours, over Material's palette: in the
    dark palette a subgraph came out near-white with light text. tools/generate/diagrams.py asks for the classic look."""
    svgs = sorted((ROOT / "docs" / "assets" / "generated").glob("*/diagram-*.svg"))
    assert svgs, "no diagram SVG found"
    neo = [str(svg.relative_to(ROOT)) for svg in svgs if 'data-look="neo"' in svg.read_text(encoding="utf-8")]
    assert not neo, f"diagrams drawn in mermaid's neo look (run `python -m tools.generate.diagrams --force`): {neo}"


def test_stale_diagram_is_reported_naming_page_and_diagram(tmp_path):
    copy = project_copy(tmp_path)
    page = copy / "docs" / "articles" / "large-model-basics" / "index.en.md"
    text = page.read_text(encoding="utf-8")
    fence = next(f for f in markdown.fences(text) if f.language == "mermaid")
    lines = text.splitlines(keepends=True)
    closing = fence.line + fence.content.count("\n")  # the 0-based index of its closing fence's line
    page.write_text("".join(lines[:closing]) + "    extra[An edit the SVG has not seen]\n" + "".join(lines[closing:]), encoding="utf-8")
    assert [d.key for d in diagrams_tool.discover(copy / "docs") if diagrams_tool.problem(d, copy / "docs")] == [
        "articles/large-model-basics/index.en.md#1"
    ]
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0, "the build passed with a diagram whose SVG is stale"
    assert "articles/large-model-basics/index.en.md: diagram 1" in result.stderr and "changed since its SVG was made" in result.stderr, result.stderr[-2000:]


def test_formula_katex_cannot_parse_fails_the_build_naming_it(tmp_path):
    copy = project_copy(tmp_path)
    home = copy / "docs" / "index.zh.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n$$ \\frac{1}{ $$\n\nInline $\\sqrt[$ too.\n", encoding="utf-8")
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0, "the build passed with a formula KaTeX cannot parse"
    assert "index.zh.md: KaTeX cannot typeset 2 formula(s)" in result.stderr, result.stderr[-2000:]
    assert "\\frac{1}{" in result.stderr and "\\sqrt[" in result.stderr, result.stderr[-2000:]


def test_short_formula_keeps_the_chinese_punctuation_after_it():
    """tools/site/mkdocs_hooks.py holds a short inline formula and the "。" or "，" right after it together (class
    math-nobr: a line cannot break between them, so the punctuation never starts a line); a long inline formula, a
    display formula and one followed by other text are left as they are."""
    import importlib.util
    from types import SimpleNamespace

    spec = importlib.util.spec_from_file_location("hooks_for_nobr", ROOT / "tools" / "site" / "mkdocs_hooks.py")
    hooks = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(hooks)
    page = SimpleNamespace(file=SimpleNamespace(src_uri="articles/x/index.zh.md"))
    config = SimpleNamespace(docs_dir=str(ROOT / "docs"))
    long_tex = "\\(" + " + ".join(f"w_{i} x_{i}" for i in range(8)) + "\\)"
    html_in = ('<p>写成 <span class="arithmatex">\\(\\hat y = wx + b\\)</span>。再看 <span class="arithmatex">\\(N\\)</span> 个样本，'
               f'以及 <span class="arithmatex">{long_tex}</span>。</p><div class="arithmatex">\\[a = b\\]</div>。')
    out = hooks.typeset_math(html_in, page, config)
    assert out.count('<span class="math-nobr">') == 1, out
    held = re.search(r'<span class="math-nobr"><span class="arithmatex">.*?</span>。</span>再看', out, re.S)
    assert held and "hat" in held.group(0), "the short formula and its 。 are not held together"
    assert out.count('class="katex"') == 4 and out.rstrip().endswith("</div>。"), out[-200:]


def test_stale_diagram_falls_back_to_mermaid_only_under_serve(tmp_path):
    """`mkdocs serve` draws a diagram without a current SVG in the browser (vendored mermaid, before Material's
    bundle); any other command (`mkdocs build`, hence the tests) fails on it instead."""
    import importlib.util
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError

    from tools.site.plugin import SitePlugin

    (tmp_path / "assets" / "generated").mkdir(parents=True)  # a docs folder with no SVG at all
    page = SimpleNamespace(file=SimpleNamespace(src_uri="articles/new/index.zh.md"), url="articles/new/")
    config = SimpleNamespace(docs_dir=str(tmp_path), theme={"language": "zh"})
    output = ('<html><head></head><body><pre class="mermaid"><code>flowchart LR\n    A --&gt; B\n</code></pre>'
              '<script src="../../assets/javascripts/bundle.0123abcd.min.js"></script></body></html>')
    plugin = SitePlugin()
    for command in ("build", "gh-deploy"):
        plugin.on_startup(command=command, dirty=False)
        with pytest.raises(PluginError, match=r"articles/new/index.zh.md: diagram 1 \('flowchart LR'\) has no SVG yet"):
            plugin.on_post_page(output, page=page, config=config)
    plugin.on_startup(command="serve", dirty=False)
    served = plugin.on_post_page(output, page=page, config=config)
    assert '<pre class="mermaid">' in served
    assert served.index("assets/vendor/mermaid/mermaid.min.js") < served.index("bundle.0123abcd.min.js"), served


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_notebook_pages_have_no_math_to_typeset(built_site, slug, lang):
    """mkdocs-jupyter renders the notebooks' markdown cells without KaTeX: they must hold no formulas (today none does)."""
    text = html(built_site, lang, f"articles/{slug}/notebook")
    cells = " ".join(re.findall(r'<div class="jp-RenderedHTMLCommon jp-RenderedMarkdown[^"]*"[^>]*>(.*?)</div>', text, re.S))
    cells = html_lib.unescape(re.sub(r"<(pre|code)\b.*?</\1>|<[^>]+>", "", cells, flags=re.S))
    assert cells.strip(), f"articles/{slug}/notebook ({lang}): no markdown cells found (has mkdocs-jupyter changed?)"
    math = re.search(r"\$[^$\s][^$]*\$|\\\(|\\\[", cells)
    assert math is None, f"articles/{slug}/notebook ({lang}): math in a markdown cell that nothing typesets: {math.group(0)!r}"


def test_vendored_libraries_ship_their_licences():
    vendor = ROOT / "docs" / "assets" / "vendor"
    for lib in ("katex", "mermaid"):
        assert (vendor / lib / "LICENSE").exists(), f"{vendor / lib} has no LICENSE"


@pytest.mark.parametrize("slug", ARTICLES)
def test_every_python_block_is_an_included_snippet(slug):
    """No Python typed into a page: each python fence holds exactly one --8<-- include."""
    for page in (ROOT / "docs" / "articles" / slug).glob("*.md"):
        for fence in markdown.fences(page.read_text(encoding="utf-8")):
            if fence.language in {"python", "py", "{.python"}:
                body = fence.content.strip()
                assert markdown.INCLUDE.fullmatch(body), f"{page}:{fence.line}: python typed into the page instead of included:\n{body[:200]}"


RENDERED_SNIPPET = re.compile(r'<span class="filename">(?P<name>snippets/[^<]+\.py)(?:<span class="snippet-backends"[^>]*>[^<]*</span>)?'
                              r'</span><pre[^>]*>(?P<code>.*?)</pre>', re.S)  # after the path, its backends (tools/site/links_hook.py)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_code_as_rendered_is_the_tested_program(built_site, slug, lang):
    """What a reader copies from the page is, character for character, the program test_snippets.py runs."""
    blocks = list(RENDERED_SNIPPET.finditer(html(built_site, lang, f"articles/{slug}")))
    assert blocks, f"articles/{slug} ({lang}) shows no snippet"
    for block in blocks:
        shown = html_lib.unescape(re.sub(r"<[^>]+>", "", block.group("code")))
        expected = harness.program(ROOT / block.group("name"))
        assert shown.strip("\n") == expected.strip("\n"), f"{block.group('name')} as rendered on {slug} ({lang}) differs from its program"


# Negative tests: the checks above must fail on a broken copy of the project.

def test_build_fails_naming_a_missing_snippet(tmp_path):
    copy = project_copy(tmp_path)
    (copy / "snippets" / "large-model-basics" / "03_formulas.py").unlink()
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0
    assert "03_formulas.py" in result.stderr, result.stderr[-2000:]


def test_build_fails_when_a_translation_is_missing(tmp_path):
    copy = project_copy(tmp_path)
    (copy / "docs" / "articles" / "large-model-basics" / "index.en.md").unlink()
    assert any("has no en twin" in p and "large-model-basics" in p for p in parity.check(copy / "docs"))
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0
    # tools/site/register_hooks.py stops the build first, naming the missing file.
    assert "large-model-basics/index.en.md is missing" in result.stderr, result.stderr[-2000:]


def test_parity_catches_a_dropped_formula_include_and_note(tmp_path):
    copy = project_copy(tmp_path)
    en = copy / "docs" / "articles" / "large-model-basics" / "index.en.md"
    text = en.read_text(encoding="utf-8")
    text = text.replace('--8<-- "generated/large-model-basics/03_formulas.txt"', "", 1)
    text = text.replace("$$", "", 2)  # turn one display formula into plain text
    text = re.sub(r'^(\?\?\?|!!!) note "Editor\'s note[^"]*"', r'\1 note "Note"', text, count=1, flags=re.M)
    text = text.replace("{ #references }", "{ #bibliography }", 1)
    en.write_text(text, encoding="utf-8")
    report = "\n".join(parity.check(copy / "docs"))
    for what in ("snippet includes differ", "display formulas differ", "heading anchors differ", "editor's notes (编者注) but"):
        assert what in report, f"parity check missed: {what}\n{report}"


def test_glossary_links_every_term_to_an_article_section(built_site):
    """Each term row links to where an article explains it (docs/glossary.yml), and both pages show the same links."""
    terms = glossary.load().terms
    assert len(terms) >= 30 and all(term.see for term in terms)
    targets = {}
    for lang in ("zh", "en"):
        page = (language_root(built_site, lang) / "glossary" / "index.html").read_text(encoding="utf-8")
        targets[lang] = re.findall(r'<td[^>]*><a href="\.\./articles/([\w-]+)/#([\w-]+)"', page)
    assert targets["zh"] == targets["en"] == [tuple(term.see[0]["to"].split("#")) for term in terms], targets


def test_build_fails_when_a_glossary_anchor_disappears(tmp_path):
    copy = project_copy(tmp_path)
    for lang in ("zh", "en"):  # rename the heading anchor in both languages, as a translator-consistent edit would
        article = copy / "docs" / "articles" / "cnn-app" / f"index.{lang}.md"
        article.write_text(article.read_text(encoding="utf-8").replace("{ #mse }", "{ #mean-squared-error }"), encoding="utf-8")
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0, "the build passed although the glossary links to an anchor that no longer exists"
    assert "glossary.yml" in result.stderr and "(均方误差)" in result.stderr and "#mse" in result.stderr, result.stderr[-3000:]


def test_build_fails_on_a_link_to_a_missing_page_or_anchor(tmp_path):
    copy = project_copy(tmp_path)
    zh = copy / "docs" / "index.zh.md"
    zh.write_text(zh.read_text(encoding="utf-8") + "\n[gone](articles/no-such-article/index.md) [lost](articles/large-model-basics/index.md#no-such-anchor)\n", encoding="utf-8")
    result = mkdocs_build(copy, tmp_path / "site")
    assert result.returncode != 0
    assert "articles/no-such-article/index.md" in result.stderr, result.stderr[-2000:]
    assert "no-such-anchor" in result.stderr, result.stderr[-2000:]


def test_404_page_per_language(built_site):
    """The root 404.html in Chinese chrome (with a line in English), en/404.html in English, each searching its own
    index, its switcher marking its own language and leading to the other language's home (tools/site/search_hooks.py)."""
    root = (built_site / "404.html").read_text(encoding="utf-8")
    english = (built_site / "en" / "404.html").read_text(encoding="utf-8")
    assert '<html lang="zh"' in root and "这个页面不存在" in root and "This page does not exist" in root
    assert '<html lang="en"' in english and "This page does not exist" in english and "这个页面不存在" not in english
    for page, lang, base, placeholder in ((root, "zh", "/", "搜索"), (english, "en", "/en/", "Search")):
        switcher = dict(re.findall(r'<a href="([^"]*)" hreflang="(\w+)"[^>]*class="md-select__link"', page))
        assert sorted(switcher.values()) == ["en", "zh"] and {v: k for k, v in switcher.items()} == {"zh": "/", "en": "/en/"}, switcher
        assert re.search(rf'hreflang="{lang}"[^>]*aria-current="true"', page), f"{lang} 404: the switcher does not mark {lang}"
        assert f'"base": "{base}"' in page and f'placeholder="{placeholder}"' in page, f"{lang} 404: search base or placeholder"
    assert 'location.replace' in root and '["/en/"]' in root, "the root 404 does not send readers of /en/… to en/404.html"


def test_language_switcher_marks_the_current_language(built_site):
    for lang, path in (("zh", "articles/cnn-app/index.html"), ("en", "en/articles/cnn-app/index.html")):
        page = (built_site / path).read_text(encoding="utf-8")
        marked = re.findall(r'hreflang="(\w+)" lang="\w+" class="md-select__link"\s*aria-current="true"', page)
        assert marked == [lang], f"{path}: the switcher marks {marked}"
        assert "data-keep-place" in page, f"{path}: the link to the other language does not keep the #section"


GLOSSARY_ROW_ID = re.compile(r'<tr id="([a-z0-9-]+)">')


def test_every_glossary_row_is_its_own_search_entry(built_site):
    """Each row of a glossary table has an id (the same in both languages) and its own entry in the search index
    (title: the term; text: the other cells); the tables are not also flattened into their sections' entries."""
    ids = {}
    for lang in ("zh", "en"):
        root = language_root(built_site, lang)
        page = (root / "glossary" / "index.html").read_text(encoding="utf-8")
        ids[lang] = GLOSSARY_ROW_ID.findall(page)
        rows = page.count("<tr") - page.count("<thead>")
        assert len(ids[lang]) == rows > 40, f"{lang} glossary: {len(ids[lang])} row ids for {rows} rows"
        index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
        entries = {d["location"]: d for d in index["docs"] if d["location"].startswith("glossary/")}
        assert [f"glossary/#{i}" for i in ids[lang]] == [loc for loc in entries if loc.removeprefix("glossary/#") in ids[lang]]
        gradient = entries["glossary/#gradient-descent"]
        term = {"zh": "梯度下降", "en": "Gradient descent"}[lang]
        assert gradient["title"].replace("\u200b", "") == term and "θ ← θ − α∇_θJ(θ)" in gradient["text"], gradient
        sections = [d for loc, d in entries.items() if loc.removeprefix("glossary/#") not in ids[lang]]
        assert not [d["location"] for d in sections if "∇" in d["text"] or "gradient descent" in d["text"]], "a section entry still holds its table"
    assert ids["zh"] == ids["en"], "the glossary rows' ids differ between the languages"


def test_search_index_has_no_raw_tex(built_site):
    """Formulas are in the index in a readable form (tools/site/search_hooks.py), not as TeX and not as KaTeX's markup."""
    for lang in ("zh", "en"):
        index = json.loads((language_root(built_site, lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
        for doc in index["docs"]:
            prose = re.sub(r"<pre>.*?</pre>|<code>.*?</code>", "", doc["title"] + " " + doc["text"], flags=re.S)
            raw = [t for t in ("\\(", "\\[", "\\frac", "\\min", "\\sum", "$$", "katex", "annotation") if t in prose]
            assert not raw, f"{lang} index, {doc['location']}: {raw} in {prose[:200]!r}"
        gan = next(d for d in index["docs"] if d["location"] == "articles/gan-exploration/#adversarial-loss")
        assert "min_G max_D V(D, G) = E_(x∼p_data)[log D(x)]" in gan["text"], gan["text"][:300]


RECORDED_INCLUDE = re.compile(r'--8<-- "generated/([\w-]+)/([\w-]+)\.txt"')


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_every_recorded_output_says_what_produced_it(built_site, slug, lang):
    """Under each recorded output: date, pinned versions, device and run time, in the page's language."""
    source = (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")
    expected = RECORDED_INCLUDE.findall(source)
    lines = re.findall(r'<p class="recording-provenance">(.*?)</p>', html(built_site, lang, f"articles/{slug}"))
    assert len(lines) == len(expected), f"articles/{slug} ({lang}): {len(expected)} recorded outputs, {len(lines)} provenance lines"
    pins = harness.pinned_versions()
    for line, (recording_slug, stem) in zip(lines, expected):
        entry = harness.read_manifest(harness.GENERATED_DIR / recording_slug)[f"{stem}.py"]
        assert f"TensorFlow {pins['tensorflow']}" in line and f"Keras {pins['keras']}" in line, line
        assert entry["date"] in line and ("录制于" in line) == (lang == "zh"), line


def test_a_recording_without_provenance_fails_the_strict_build(monkeypatch, caplog):
    """Negative test: the hook warns (which --strict turns into a failure), naming the page and the recording."""
    from types import SimpleNamespace

    from tools.site import provenance_hook

    monkeypatch.setattr(provenance_hook.harness, "read_manifest", lambda slug_dir: {"01_x.py": {"sha256": "0"}})
    page = SimpleNamespace(file=SimpleNamespace(src_uri="articles/demo/index.en.md"))
    markdown = '```text\n--8<-- "generated/demo/01_x.txt"\n```\n'
    with caplog.at_level("WARNING", logger="mkdocs.hooks.provenance"):
        assert provenance_hook.add_provenance(markdown, page, SimpleNamespace(theme={"language": "en"})) == markdown
    assert "articles/demo/index.en.md: the recording generated/demo/01_x.txt has no provenance" in caplog.text


# --- Any screen: program lines short enough to read without scrolling sideways (issue 14) ----------------------

PROGRAM_LINE_LIMIT = 88  # characters; a 1280-px code block shows about 90, and every snippet fits since issue 14
SNIPPET_INCLUDE = re.compile(r'--8<-- "(?P<file>[\w-]+/[\w.-]+\.py):(?P<section>[\w-]+)"')


def long_program_lines(snippet: Path, section: str, limit: int = PROGRAM_LINE_LIMIT) -> list[str]:
    """Lines of the `section` a page includes (# --8<-- [start:section] ... [end:section]) longer than `limit`."""
    inside, found = False, []
    for number, line in enumerate(snippet.read_text(encoding="utf-8").splitlines(), start=1):
        if f"--8<-- [start:{section}]" in line:
            inside = True
        elif f"--8<-- [end:{section}]" in line:
            inside = False
        elif inside and len(line) > limit:
            name = snippet.relative_to(ROOT) if snippet.is_relative_to(ROOT) else snippet.name
            found.append(f"{name}:{number}: {len(line)} characters")
    return found


def test_included_program_lines_fit_a_narrow_screen():
    includes = sorted({(m["file"], m["section"]) for page in (ROOT / "docs").rglob("*.md")
                       for m in SNIPPET_INCLUDE.finditer(page.read_text(encoding="utf-8"))})
    assert includes, "no snippet includes found in docs/"
    problems = [problem for file, section in includes for problem in long_program_lines(ROOT / "snippets" / file, section)]
    assert not problems, f"program lines over {PROGRAM_LINE_LIMIT} characters (wrap them by hand):\n" + "\n".join(problems)


def test_a_long_program_line_is_named(tmp_path):
    snippet = tmp_path / "01_long.py"
    long_line = "y = " + "1 + " * 30 + "1"
    snippet.write_text(f"# --8<-- [start:program]\nx = 1\n{long_line}\n# --8<-- [end:program]\nz = '{'a' * 100}'\n", encoding="utf-8")
    assert long_program_lines(snippet, "program") == [f"01_long.py:3: {len(long_line)} characters"]


FOOTER_LINK = re.compile(r'<a href="(?P<href>[^"]*)" class="md-footer__link md-footer__link--(?P<way>prev|next)"')


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_footer_leads_from_article_to_article(built_site, lang):
    """Previous/next skip the notebooks (tools/site/links_hook.py): home -> articles in their order -> glossary; a notebook
    page keeps its own neighbours (its article before it)."""
    import yaml

    def order(slug: str) -> int:
        text = (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")
        return int(yaml.safe_load(text.split("---")[1])["order"])

    slugs = sorted(ARTICLES, key=order)
    for at, slug in enumerate(slugs):
        links = {m["way"]: m["href"].rstrip("/") for m in FOOTER_LINK.finditer(html(built_site, lang, f"articles/{slug}"))}
        assert "notebook" not in " ".join(links.values()), f"articles/{slug} ({lang}): the footer leads to a notebook: {links}"
        expected_prev = f"../{slugs[at - 1]}" if at else "../.."  # the home page
        expected_next = f"../{slugs[at + 1]}" if at + 1 < len(slugs) else "../../glossary"
        assert (links.get("prev"), links.get("next")) == (expected_prev, expected_next), f"articles/{slug} ({lang}): {links}"
    notebook = {m["way"]: m["href"] for m in FOOTER_LINK.finditer(html(built_site, lang, f"articles/{slugs[0]}/notebook"))}
    assert notebook.get("prev") == "../", f"articles/{slugs[0]}/notebook ({lang}): {notebook}"


# A sub- or superscript that is a name (CE, BCE, MSE, data, max), not indices (ij, ik), is set upright: TeX sets
# `L_{CE}` as the product of two italic variables C·E.
NAME_IN_SCRIPT = re.compile(r"[_^]\{(?P<name>[A-Z]{2,}|[a-z]{3,})\}")


def italic_names(text: str) -> list[str]:
    """The formulas of a page whose sub/superscripts hold a name in math italic, with that name."""
    return [f"{m.group('name')} in {formula.tex.strip()[:60]}" for formula in markdown.formulas(text)
            for m in NAME_IN_SCRIPT.finditer(formula.tex)]


def test_names_in_subscripts_are_set_upright():
    assert italic_names(r"损失 \(L_{CE} = 1\) 与 $$ L_{BCE} $$") == ["CE in L_{CE} = 1", "BCE in L_{BCE}"]
    assert italic_names(r"\(L_{\mathrm{CE}} = y_{ik} + p_{\text{data}}\)") == []
    pages = sorted((ROOT / "docs").rglob("*.md"))
    found = {str(p.relative_to(ROOT)): italic_names(p.read_text(encoding="utf-8")) for p in pages}
    assert not {page: names for page, names in found.items() if names}, "use \\mathrm{} or \\text{} for these names"
