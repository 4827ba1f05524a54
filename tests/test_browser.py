"""The site in a real browser: Playwright drives Debian's Chromium, headless, against the built site on localhost.

Per article page and language: the formulas arrive typeset (KaTeX ran at build time) with no raw TeX left, every
Mermaid block is there as an inline SVG in the reader's palette (made by `make record`, tools/generate/diagrams.py), the
page loads no math or diagram library and makes no request to any host but localhost, and it transfers at most
PAGE_BUDGET bytes (gzip, as the test server sends it). Search finds eight Chinese and English terms, whole, and the
hit it opens highlights the term. Screenshots go to .artifacts/screenshots/; with RECORD_SCREENSHOTS=1
(`make screenshots`) the ones README.md shows are copied to docs/assets/generated/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from conftest import ARTICLES, ARTIFACTS, ROOT, serve
from tools.generate import diagrams as diagrams_tool
from tools.generate.diagrams import CHROMIUM, CHROMIUM_ARGS  # one launch configuration for the tests and the diagram renderer

# No xdist group: the browser tests spread over both workers (each starts its own Chromium and serves its own build).

AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"  # tools/generate/vendor.sh
README_SCREENSHOTS = ROOT / "docs" / "assets" / "generated" / "screenshots"
README_SHOWS = {"large-model-basics-zh.png", "large-model-basics-zh-dark.png", "large-model-basics-zh-phone.png"}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
PAGE_BUDGET = 400_000  # bytes an article page may transfer in all (fonts, CSS, scripts, images, search index)
DIAGRAM_LIBRARIES = ("katex.min.js", "katex-render.js", "mermaid")


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install chromium fonts-noto-cjk` (`.ci/run` does)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def off_host(requests: list[str]) -> list[str]:
    """The requests that went to any host but this machine."""
    return sorted({r for r in requests if urlsplit(r).hostname not in LOCAL_HOSTS and not r.startswith("data:")})


def open_page(browser, url: str, color_scheme: str = "light", width: int = 1280):
    context = browser.new_context(viewport={"width": width, "height": 900}, color_scheme=color_scheme)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    return page, requests


COMPLETE = """() => document.readyState === 'complete' && document.fonts.status === 'loaded'
  && [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex, .katex-error'))
  && [...document.querySelectorAll('div.mermaid, pre.mermaid')].every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'))"""


def wait_until_rendered(page, network_idle: bool = False) -> dict:
    """Wait until the page is complete (loaded, fonts ready, any formula or diagram drawn), then report what it shows.

    `complete_ms` is the time from the start of navigation until then (polled once per animation frame). The byte
    counts are what the browser transferred (gzip-encoded by the test server, as a static host sends it; Material
    fetches the search index from the page, after load: `network_idle` waits for it) and their decoded size.
    """
    page.wait_for_function(COMPLETE, timeout=30_000, polling="raf")
    complete_ms = page.evaluate("performance.now()")
    if network_idle:
        page.wait_for_load_state("networkidle")
    report = page.evaluate(
        """() => {
          const content = (document.querySelector('article.md-content__inner') || document.body).cloneNode(true);
          content.querySelectorAll('pre, code, .katex, script, template').forEach(e => e.remove());
          const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
          const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
          const shown = host => host.shadowRoot && host.getBoundingClientRect().height > 0
            && host.shadowRoot.querySelector('svg:not([aria-roledescription="error"])');
          return {
            text: content.innerText,
            formulas: document.querySelectorAll('.arithmatex').length,
            typeset: document.querySelectorAll('.arithmatex .katex').length,
            katex_errors: document.querySelectorAll('.katex-error').length,
            diagrams: document.querySelectorAll('.diagram--light').length,
            dark_variants: document.querySelectorAll('.diagram--dark').length,
            shown: [...document.querySelectorAll('.diagram')].filter(shown).map(d => d.className),
            left_for_mermaid: document.querySelectorAll('div.mermaid, pre.mermaid').length,
            bytes: sum(entries, 'transferSize'),
            decoded_bytes: sum(entries, 'decodedBodySize'),
            resources: entries.map(r => r.name.split('/').pop()),
          };
        }"""
    )
    return {**report, "complete_ms": round(complete_ms)}


# The HTML of a page is the same in both palettes: in dark mode only the rules that depend on colours are run again.
COLOUR_RULES = ["color-contrast", "link-in-text-block"]


RENDER_EVERYTHING = ".md-content__inner > * { content-visibility: visible !important; }"


def render_everything(page) -> None:
    """Lay out and paint the whole article now, not only what is near the screen (extra.css gives its blocks
    content-visibility: auto), with every collapsed block open: axe-core checks the contrast of what is rendered,
    and a skipped block clips what sticks out of it, which a test of sideways overflow must see."""
    if not page.evaluate("document.documentElement.dataset.renderEverything === '1'"):
        page.add_style_tag(content=RENDER_EVERYTHING)
        page.evaluate("document.documentElement.dataset.renderEverything = '1'")
    # and what closed editor's notes (and other collapsed blocks) hold: a closed <details> renders only its summary
    page.evaluate("document.querySelectorAll('.md-content details:not([open])').forEach(d => { d.open = true; })")


def accessibility_problems(page, only: list[str] | None = None) -> list[str]:
    """Serious and critical violations that axe-core finds on the page as it is now (all rules, or `only` these),
    with every block of the article rendered."""
    render_everything(page)
    if not page.evaluate("typeof axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async (only) => (await axe.run(document, {resultTypes: ['violations'], ...(only ? {runOnly: only} : {})})).violations
             .filter(v => ['serious', 'critical'].includes(v.impact))
             .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`)""",
        only,
    )
    return violations


def article_url(site_url: str, slug: str, lang: str) -> str:
    return f"{site_url}/{'' if lang == 'zh' else 'en/'}articles/{slug}/"


def check_diagrams(url: str, report: dict, variant: str) -> None:
    assert report["diagrams"] == report["dark_variants"] > 0, f"{url}: {report['diagrams']} light and {report['dark_variants']} dark diagrams"
    assert report["left_for_mermaid"] == 0, f"{url}: a diagram left for mermaid to draw in the browser"
    assert report["shown"] == [f"diagram diagram--{variant}"] * report["diagrams"], f"{url}: diagrams shown {report['shown']}, expected the {variant} ones"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_article_renders_offline(browser, site_url, slug, lang):
    url = article_url(site_url, slug, lang)
    page, requests = open_page(browser, url)
    report = wait_until_rendered(page, network_idle=True)

    foreign = off_host(requests)
    assert not foreign, f"{url} made requests to other hosts: {foreign}"
    assert report["formulas"] == report["typeset"] > 0 and report["katex_errors"] == 0, f"{url}: {report['formulas']} formulas, {report['typeset']} typeset"
    for raw in ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\sum"):
        assert raw not in report["text"], f"{url}: raw TeX {raw!r} left in the page text"
    dollar_math = re.search(r"\$[^$\s][^$]*\$", report["text"])
    assert dollar_math is None, f"{url}: $...$ math left untypeset: {dollar_math.group(0)!r}"
    check_diagrams(url, report, "light")
    libraries = [name for name in report["resources"] + [r.rsplit("/", 1)[-1] for r in requests] if any(lib in name for lib in DIAGRAM_LIBRARIES)]
    assert not libraries, f"{url} loads a math or diagram library: {libraries}"
    assert "search_index.json" in report["resources"], f"{url}: the search index was not fetched (the budget must count it)"
    assert report["bytes"] <= PAGE_BUDGET, f"{url} transfers {report['bytes']:,} bytes, over the budget of {PAGE_BUDGET:,}"

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"weight-{slug}-{lang}.json").write_text(json.dumps({k: v for k, v in report.items() if k != "text"}, indent=2))
    print(f"\n{url}: {report['bytes']:,} bytes transferred ({report['decoded_bytes']:,} decoded), complete in {report['complete_ms']} ms")
    screenshot(page, f"{slug}-{lang}", target=".arithmatex")
    screenshot(page, f"{slug}-{lang}-diagram", target=".diagram--light")
    problems = accessibility_problems(page)
    assert not problems, f"{url}: axe-core (light mode):\n" + "\n".join(problems)

    # The same page in the dark palette, switched with the header's toggle (as a reader does; the page is not
    # loaded again): the dark SVG of each diagram, and the colour rules of axe-core once more.
    switch_palette(page, "slate")
    report = wait_until_rendered(page)
    assert report["katex_errors"] == 0 and report["formulas"] == report["typeset"]
    check_diagrams(url, report, "dark")
    screenshot(page, f"{slug}-{lang}-dark", target=".diagram--dark")
    problems = accessibility_problems(page, only=COLOUR_RULES)
    assert not problems, f"{url}: axe-core (dark mode):\n" + "\n".join(problems)
    page.context.close()


def switch_palette(page, scheme: str) -> None:
    """Click Material's palette toggle in the header until the page shows `scheme` ('slate' or 'default')."""
    if page.evaluate("document.body.getAttribute('data-md-color-scheme')") != scheme:
        page.click("form[data-md-component=palette] label:not([hidden])")
        page.wait_for_function(f"document.body.getAttribute('data-md-color-scheme') === '{scheme}'")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_dark_mode_follows_the_system(browser, site_url, lang):
    """A reader whose system prefers dark gets Material's slate palette at once, and the dark SVG of each diagram.
    (Every article is checked in the dark palette by test_article_renders_offline, through the toggle.)"""
    url = article_url(site_url, "large-model-basics" if "large-model-basics" in ARTICLES else ARTICLES[0], lang)
    page, _ = open_page(browser, url, color_scheme="dark")
    report = wait_until_rendered(page)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert report["katex_errors"] == 0 and report["formulas"] == report["typeset"]
    check_diagrams(url, report, "dark")
    page.context.close()


def test_palette_toggle_switches_the_diagrams(browser, site_url):
    """The reader's own choice (Material's toggle in the header) switches the diagrams too, back and forth."""
    url = article_url(site_url, ARTICLES[0], "en")
    page, _ = open_page(browser, url)
    for scheme, variant in (("slate", "dark"), ("default", "light")):
        switch_palette(page, scheme)
        check_diagrams(url, wait_until_rendered(page), variant)
    page.context.close()


def test_diagram_that_does_not_parse_fails_naming_it(browser):
    """`make record` (python -m tools.generate.diagrams) refuses to draw a diagram mermaid cannot parse, and says which."""
    broken = diagrams_tool.Diagram("articles/large-model-basics/index.zh.md", 2, "flowchart LR\n    A[ok --> B((\n")
    fine = diagrams_tool.Diagram("articles/large-model-basics/index.zh.md", 1, "flowchart LR\n    A --> B\n")
    with pytest.raises(diagrams_tool.DiagramError) as error:
        diagrams_tool.render([fine, broken], browser=browser)
    message = str(error.value)
    assert "articles/large-model-basics/index.zh.md: diagram 2 ('flowchart LR') does not parse" in message, message
    assert "diagram 1" not in message, message


NOTEBOOK_PAGES = [f"{'' if lang == 'zh' else 'en/'}articles/{slug}/notebook/" for slug in ARTICLES for lang in ("zh", "en")]


@pytest.mark.parametrize("path", ["", "en/", "glossary/", "en/glossary/", "404.html", "en/404.html", *NOTEBOOK_PAGES])
def test_other_pages_are_accessible(browser, site_url, path):
    """Every other page: no untypeset math, no other host, axe-core in light mode, then its colour rules in dark."""
    page, requests = open_page(browser, f"{site_url}/{path}")
    for scheme in ("default", "slate"):
        switch_palette(page, scheme)
        report = wait_until_rendered(page)
        assert report["katex_errors"] == 0 and report["formulas"] == report["typeset"] and "\\(" not in report["text"], f"/{path}: math left untypeset"
        problems = accessibility_problems(page, only=COLOUR_RULES if scheme == "slate" else None)
        assert not problems, f"/{path} ({scheme}): axe-core:\n" + "\n".join(problems)
    foreign = off_host(requests)
    assert not foreign, f"/{path} made requests to other hosts: {foreign}"
    page.context.close()


@pytest.mark.parametrize("slug", ARTICLES)
def test_readable_on_a_phone(browser, site_url, slug):
    """375 px wide: nothing sticks out sideways (code, formulas and tables scroll inside their own boxes)."""
    page, _ = open_page(browser, f"{site_url}/articles/{slug}/", width=375)
    wait_until_rendered(page)
    render_everything(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, f"{slug}-zh-phone", target=".arithmatex")
    assert overflow <= 0, f"articles/{slug}: the page is {overflow}px wider than a 375px screen"
    # A short inline formula and the Chinese punctuation after it are held together (math-nobr): on the same line.
    split = page.evaluate(
        """() => [...document.querySelectorAll('.math-nobr')].filter(held => {
             const formula = [...held.firstElementChild.getClientRects()].pop(), range = document.createRange();
             range.selectNodeContents(held.lastChild);
             const mark = range.getClientRects()[0];
             return formula && mark && mark.top > formula.top + 5;
           }).map(held => held.textContent.slice(-12))"""
    )
    assert not split, f"articles/{slug}: punctuation after a formula begins a line: {split}"
    page.context.close()


def test_navigating_between_articles_leaves_no_raw_tex(browser, site_url):
    """Follow the navigation from one article to the next and back: each page typesets its own math."""
    if len(ARTICLES) < 2:
        pytest.skip("needs two articles")
    page, _ = open_page(browser, f"{site_url}/articles/{ARTICLES[0]}/")
    for slug in (ARTICLES[1], ARTICLES[0]):
        page.click(f"nav.md-nav--primary a[href$='{slug}/']")
        page.wait_for_url(f"**/articles/{slug}/")
        report = wait_until_rendered(page)
        assert "\\(" not in report["text"] and "$$" not in report["text"], f"raw TeX after navigating to {slug}"
        assert report["katex_errors"] == 0
    page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_leads_with_the_articles(browser, site_url, lang):
    """375x667: the table of articles starts on the first screen of the home page (what the site promises follows)."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    page.goto(f"{site_url}/{'' if lang == 'zh' else 'en/'}", wait_until="load")
    table_top = page.evaluate("Math.round(document.querySelector('article table').getBoundingClientRect().top)")
    context.close()
    assert table_top < PHONE["height"] - 100, f"{lang} home page: the articles table starts at {table_top} px of {PHONE['height']}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_home_page_loads_no_math_or_diagram_library(browser, site_url, lang):
    page, requests = open_page(browser, f"{site_url}/{'' if lang == 'zh' else 'en/'}")
    report = wait_until_rendered(page, network_idle=True)
    names = " ".join(requests)
    assert "katex" not in names and "mermaid" not in names, requests
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"weight-home-{lang}.json").write_text(json.dumps({k: v for k, v in report.items() if k != "text"}, indent=2))
    page.context.close()


# Search (issue 14): the eight queries a reader types. Each must find its page (and, for a glossary term, the
# glossary row), show no raw TeX and no "missing" marker in the results (every query is one word of the index:
# tools/site/search_hooks.py fixes Material's segmentation of a Chinese query), and the hit it opens must highlight the
# whole term only (梯度下降, never each 下 of the page).
SEARCHES = [
    ("zh", "反向传播", ["articles/cnn-app/"]),
    ("zh", "梯度下降", ["articles/large-model-basics/", "glossary/#gradient-descent"]),
    ("zh", "生成对抗网络", ["articles/gan-exploration/", "glossary/#generative-adversarial-network"]),
    ("zh", "正则化", ["articles/large-model-basics/", "glossary/#term-regularization"]),
    ("zh", "交叉熵", ["articles/gan-exploration/", "glossary/#cross-entropy-binary-cross-entropy"]),
    ("en", "backpropagation", ["articles/cnn-app/", "glossary/#backpropagation"]),
    ("en", "Adam", ["articles/gan-exploration/", "glossary/#adam"]),
    ("en", "dropout", ["articles/tech-challenges-revisited/", "glossary/#dropout"]),
]
RAW_TEX = ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\min", "\\sum", "\\mathbb", "\\left", "\\hat")
RESULTS = """() => [...document.querySelectorAll('.md-search-result__link')].map(a => ({
  href: a.href, text: a.textContent, missing: [...a.querySelectorAll('.md-search-result__terms')].map(t => t.textContent)}))"""


def where(link: str) -> str:
    """A result's address without its query (?h=…): page and #section."""
    parts = urlsplit(link)
    return f"{parts.scheme}://{parts.netloc}{parts.path}" + (f"#{parts.fragment}" if parts.fragment else "")


def search(page, query: str) -> list[dict]:
    """Type a query into Material's search box once its worker has loaded the index; the results as shown."""
    page.click("input.md-search__input")
    # Type only once the search worker has loaded its index: Material then shows the placeholder text.
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__meta').textContent ===
                 JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']""",
        timeout=30_000,
    )
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # Material searches on key events; text entered at once (as by an IME) fires none
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    return page.evaluate(RESULTS)


@pytest.mark.parametrize(("lang", "query", "expected"), SEARCHES, ids=[q for _, q, _ in SEARCHES])
def test_search_finds_whole_terms_and_highlights_them(browser, site_url, lang, query, expected):
    from urllib.parse import parse_qs

    root = f"{site_url}/{'' if lang == 'zh' else 'en/'}"
    page, _ = open_page(browser, root)
    results = search(page, query)
    links = [r["href"] for r in results]
    found = [where(link) for link in links]
    for wanted in expected:
        assert root + wanted in found, f"searching {query!r} on the {lang} site did not find {wanted}: {found}"
    # Each language has its own index (tools/site/mkdocs_hooks.py), without the notebooks that repeat the articles' code.
    other_language = [link for link in links if ("/en/" in link) != (lang == "en")]
    assert not other_language, f"searching {query!r} on the {lang} site found pages in the other language: {other_language}"
    assert not [link for link in links if "/notebook/" in link], f"searching {query!r} found notebook pages: {links}"
    for result in results:
        raw = [tex for tex in RAW_TEX if tex in result["text"]]
        assert not raw, f"searching {query!r}: raw TeX {raw} in the result {result['href']}: {result['text'][:300]!r}"
        assert not result["missing"], f"searching {query!r}: {result['href']} marks terms as missing: {result['missing']}"
    highlighted = {parse_qs(urlsplit(link).query).get("h", [""])[0]: link for link in links}
    assert set(highlighted) <= {"", query.lower()}, f"searching {query!r}: the results highlight {set(highlighted)} on their pages"

    hit = next(link for link in links if where(link).startswith(root + expected[0]) and parse_qs(urlsplit(link).query).get("h"))
    page.goto(hit, wait_until="load")
    page.wait_for_function("document.querySelectorAll('mark[data-md-highlight]').length > 0", timeout=15_000)
    marks = page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    wrong = sorted({m for m in marks if m.lower() != query.lower()})
    assert not wrong, f"{hit}: {len(marks)} marks, of which {wrong} are not the term {query!r}"
    page.context.close()


def screenshot(page, name: str, target: str) -> None:
    """Screenshot the viewport with the first element matching `target` (a CSS selector) near its top."""
    page.evaluate(f"document.querySelector({target!r})?.scrollIntoView({{block: 'center'}})")
    page.wait_for_timeout(200)
    path = ARTIFACTS / "screenshots" / f"{name}.png"
    path.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))
    if os.environ.get("RECORD_SCREENSHOTS") and path.name in README_SHOWS:
        README_SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, README_SCREENSHOTS / path.name)


# Content first (issue 14, NOTES-B): under an article's title one short line says what the page is and links the page
# about the site; the notes are closed, so on a phone the first screen shows the title and the start of the article.

PHONE = {"width": 375, "height": 667}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_phone_first_screen_shows_the_title_and_the_start_of_the_article(browser, site_url, lang):
    """375x667: the title, the one line that links the about page, and the start of the article's own text (not a
    note or a box of ours) are on the first screen (the notes are closed), and nothing sticks out sideways."""
    from tools.editorial import originals

    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems, not_collapsed = [], []
    for slug in ARTICLES:
        if originals.title_problems(ROOT / "docs" / "articles" / slug / f"index.{lang}.md"):
            not_collapsed.append(slug)  # its notes are not all closed yet: tests/test_editorial.py says so
            continue
        page.goto(article_url(site_url, slug, lang), wait_until="load")
        where = page.evaluate(
            """() => {
              const top = e => e ? Math.round(e.getBoundingClientRect().top) : null;
              const article = document.querySelector('article.md-content__inner');
              const origin = article.querySelector(':scope > p.page-origin');
              let start = article.querySelector(':scope > details.note') || origin;
              // the article's own text: not an editor's note, nor a box of ours (a companion article, a substitution)
              while (start && (start.matches('details, .admonition, .editor-notes-control, p.page-origin, p.notebook-link')
                               || !start.getBoundingClientRect().height)) start = start.nextElementSibling;
              return {title_bottom: Math.round(article.querySelector('h1').getBoundingClientRect().bottom),
                      origin_link: origin && origin.querySelector('a[href*="about/"]') ? true : false,
                      start: top(start), start_tag: start && start.tagName, height: innerHeight};
            }"""
        )
        if not where["origin_link"]:
            problems.append(f"{slug}: no line under the title that links the about page")
        if where["title_bottom"] > where["height"] or where["start"] is None or where["start"] > where["height"] - 40:
            problems.append(f"{slug}: title ends at {where['title_bottom']} px, the article starts ({where['start_tag']}) at "
                            f"{where['start']} px on a {PHONE['width']}x{PHONE['height']} screen")
        render_everything(page)  # and nothing sticks out sideways, in either language (test_readable_on_a_phone: zh)
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        if overflow > 0:
            problems.append(f"{slug}: the page is {overflow} px wider than the screen")
    context.close()
    assert not problems, f"{lang}, first screen of a phone:\n" + "\n".join(problems)
    if not_collapsed:
        pytest.xfail(f"notes not collapsed yet in {not_collapsed}")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_about_page_is_in_the_navigation_and_accessible(browser, site_url, lang):
    url = f"{site_url}/{'' if lang == 'zh' else 'en/'}about/"
    page, requests = open_page(browser, url)
    wait_until_rendered(page)
    assert not off_host(requests), f"{url} made requests to other hosts: {off_host(requests)}"
    nav = page.eval_on_selector_all("nav.md-nav--primary a", "links => links.map(a => a.textContent.trim())")
    assert ("关于本站" if lang == "zh" else "About this site") in nav, nav
    problems = accessibility_problems(page)
    switch_palette(page, "slate")
    problems += accessibility_problems(page, only=COLOUR_RULES)
    assert not problems, f"{url}: axe-core (light, then the colour rules in dark):\n" + "\n".join(problems)
    page.context.close()


NOTES_STATE = """() => {
  const notes = [...document.querySelectorAll('details.note')]
    .filter(d => /^(编者注：|Editor's note: )/.test(d.querySelector('summary').textContent.trim()));
  const button = document.querySelector('.editor-notes-control button');
  const px = e => e ? parseFloat(getComputedStyle(e).fontSize) : 0;
  const outputs = [...document.querySelectorAll('.language-text pre > code')];
  return {
    notes: notes.length,
    open: notes.filter(d => d.open).length,
    label: button ? button.textContent.trim() : null,
    button_type: button ? button.getAttribute('type') : null,
    before_first_note: !!button && !!notes.length
      && !!(button.compareDocumentPosition(notes[0]) & Node.DOCUMENT_POSITION_FOLLOWING),
    note_text_px: Math.min(...notes.map(d => px(d.querySelector('p, li')))),
    output_px: outputs.length ? Math.min(...outputs.map(px)) : 0,
    outputs_in_notes: document.querySelectorAll('details .language-text pre > code').length,
  };
}"""


def test_editor_notes_are_closed_and_one_button_opens_them_all(browser, site_url):
    """Issue 14: every editor's note is closed at load; a real button before the first opens them all, the site
    remembers it (localStorage: still open after a reload), the button (by keyboard) closes them again; note text and
    recorded outputs (inside a collapsed example too) are at least 14 px; axe finds nothing with every note open."""
    url = article_url(site_url, "large-model-basics", "zh")
    page, _ = open_page(browser, url)
    state = page.evaluate(NOTES_STATE)
    assert state["notes"] >= 5 and state["open"] == 0, f"{url}: notes should start closed: {state}"
    assert state["label"] == "展开全部编者注" and state["button_type"] == "button" and state["before_first_note"], state
    assert state["note_text_px"] >= 14 and state["output_px"] >= 14 and state["outputs_in_notes"] > 0, state

    page.click(".editor-notes-control button")
    assert page.evaluate(NOTES_STATE)["open"] == state["notes"]
    page.reload(wait_until="load")
    reloaded = page.evaluate(NOTES_STATE)
    assert reloaded["open"] == state["notes"] and reloaded["label"] == "收起全部编者注", f"not remembered: {reloaded}"
    problems = accessibility_problems(page)
    assert not problems, f"{url} with every note open: axe-core:\n" + "\n".join(problems)

    page.focus(".editor-notes-control button")
    page.keyboard.press("Enter")
    closed = page.evaluate(NOTES_STATE)
    assert closed["open"] == 0 and closed["label"] == "展开全部编者注", closed
    page.reload(wait_until="load")
    assert page.evaluate(NOTES_STATE)["open"] == 0, "closing all was not remembered"
    page.context.close()


# Any screen (issue 14, LINKS): the glossary on a phone, scroll cues, the Chinese font, the copy button and shell prompts.

CJK_FONTS = ("PingFang SC", "Hiragino Sans GB", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "Noto Sans SC")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_glossary_on_a_phone_cuts_off_no_column(browser, site_url, lang):
    """375 px: each glossary row is a card whose cells are labelled with their column (tools/site/links_hook.py, extra.css)."""
    path = f"{'' if lang == 'zh' else 'en/'}glossary/"
    page, _ = open_page(browser, f"{site_url}/{path}", width=375)
    render_everything(page)
    report = page.evaluate(
        """() => {
          const cells = [...document.querySelectorAll('article td')];
          return {
            overflow: document.documentElement.scrollWidth - innerWidth,
            cells: cells.length,
            classed_tables: document.querySelectorAll('article table[class]').length,  // Material styles table:not([class])
            cut_off: cells.filter(td => td.getBoundingClientRect().right > innerWidth + 0.5).map(td => td.textContent.slice(0, 30)),
            scrolled: [...document.querySelectorAll('article .md-typeset__scrollwrap')].filter(w => w.scrollWidth > w.clientWidth + 1).length,
            unlabelled: cells.filter(td => td.previousElementSibling && !getComputedStyle(td, '::before').content.includes(td.dataset.label || '\\u0000')).length,
          };
        }"""
    )
    screenshot(page, f"glossary-{lang}-phone", target="article table")
    assert report["cells"] > 40 and report["classed_tables"] == 0, report
    assert report["overflow"] <= 0, f"/{path}: the page is {report['overflow']} px wider than a 375-px screen"
    assert not report["cut_off"] and not report["scrolled"], f"/{path}: cells cut off at 375 px: {report['cut_off'][:5]}, {report['scrolled']} tables scroll"
    assert report["unlabelled"] == 0, f"/{path}: {report['unlabelled']} cells show no column label"
    page.context.close()


def test_a_wide_formula_shows_that_it_scrolls(browser, site_url):
    """375 px: a display formula wider than the screen scrolls in its own box, with a shadow at the edge beyond
    which it continues (extra.css: 'local' covers over 'scroll' shadows), and none at the edge it starts from."""
    page, _ = open_page(browser, f"{site_url}/articles/gan-exploration/", width=375)
    wait_until_rendered(page)
    render_everything(page)
    report = page.evaluate(
        """() => {
          const wide = [...document.querySelectorAll('div.arithmatex')].filter(d => d.scrollWidth > d.clientWidth + 1);
          const style = wide.length ? getComputedStyle(wide[0]) : null;
          return {wide: wide.length, image: style && style.backgroundImage, attachment: style && style.backgroundAttachment};
        }"""
    )
    screenshot(page, "gan-exploration-zh-phone-formula", target="div.arithmatex")
    assert report["wide"] > 0, "no display formula is wider than a 375-px screen: the test has nothing to look at"
    assert report["image"].count("radial-gradient") == 2 and report["image"].count("linear-gradient") == 2, report
    assert report["attachment"].replace(" ", "") == "local,local,scroll,scroll", report
    page.context.close()


def font_families(value: str) -> list[str]:
    return [name.strip().strip('"').strip("'") for name in value.split(",")]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chinese_text_is_set_in_a_cjk_font(browser, site_url, lang):
    """The theme sets the font on body (--md-text-font-family): zh pages start with a CJK font and their Chinese is
    drawn in one (Chromium's own answer, CSS.getPlatformFontsForNode); en pages start with a Latin font."""
    page, _ = open_page(browser, article_url(site_url, ARTICLES[0], lang))
    families = font_families(page.evaluate("getComputedStyle(document.querySelector('article p')).fontFamily"))
    if lang == "en":
        assert families[0] not in CJK_FONTS and set(CJK_FONTS) & set(families), families
        page.context.close()
        return
    assert families[0] in CJK_FONTS, f"a Chinese page's font list starts with {families[0]!r}: {families}"
    cdp = page.context.new_cdp_session(page)
    cdp.send("DOM.enable")
    cdp.send("CSS.enable")
    root = cdp.send("DOM.getDocument")["root"]["nodeId"]
    node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": "article p"})["nodeId"]
    used = [font["familyName"] for font in cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"]]
    assert used and used[0] in CJK_FONTS, f"the first paragraph of a Chinese page is drawn in {used}"
    page.context.close()


# Every block's copy button, and the text of its code that lies under the button (what is scrolled out of the code's
# box does not count): a titled block has the button in its title bar, an untitled one in a strip above its code.
TEXT_UNDER_COPY_BUTTON = """() => [...document.querySelectorAll('article pre')].map(pre => {
    const h = pre.parentElement, nav = pre.querySelector(':scope > .md-code__nav'), code = pre.querySelector(':scope > code');
    if (!nav || !code) return null;
    const n = nav.getBoundingClientRect(), box = code.getBoundingClientRect();
    const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const text = walker.currentNode;
      if (!text.textContent.trim()) continue;
      const range = document.createRange();
      range.selectNodeContents(text);
      for (const r of range.getClientRects()) {
        const left = Math.max(r.left, box.left), right = Math.min(r.right, box.right);
        if (r.width && right > n.left && left < n.right && r.bottom > n.top && r.top < n.bottom)
          return {titled: !!h.querySelector('.filename'), text: code.innerText.trim().split('\\n')[0].slice(0, 50)};
      }
    }
    return {titled: !!h.querySelector('.filename'), text: null};
  }).filter(Boolean)"""


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_copy_button_covers_no_code(browser, site_url, slug, lang):
    """At 1280 and 375 px, no copy button lies over text of its code: not a snippet's (the button is in the title
    bar), not an output's, a shell command's or pseudo-code's (the button has a strip above the code), on the article
    and on its notebook page (the pip command of its intro)."""
    for url in (article_url(site_url, slug, lang), article_url(site_url, slug, lang) + "notebook/"):
        page, _ = open_page(browser, url, width=1280)
        render_everything(page)
        for width in (1280, 375):
            page.set_viewport_size({"width": width, "height": 900})
            blocks = page.evaluate(TEXT_UNDER_COPY_BUTTON)
            assert blocks, f"{url}: no code block with a copy button"
            covered = [b["text"] for b in blocks if b["text"] is not None]
            assert not covered, f"{url.removeprefix(site_url)} at {width} px: the copy button covers the code of {covered}"
        page.context.close()


def test_copy_button_and_shell_prompt(browser, site_url):
    """Copying a ```console block yields the command without its `$ ` prompt."""
    slug = "cnn-app"
    page, _ = open_page(browser, f"{site_url}/articles/{slug}/", width=375)
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    render_everything(page)
    console = page.locator("article .language-console").first
    console.scroll_into_view_if_needed()
    shown = console.locator("code").inner_text()
    assert shown.lstrip().startswith("$ "), f"the first console block shows no prompt: {shown!r}"
    console.hover()
    console.locator("button[data-md-type=copy]").click()
    copied = page.evaluate("navigator.clipboard.readText()")
    expected = "\n".join(line[2:] if line.startswith("$ ") else line for line in shown.strip().splitlines())
    assert copied == expected and "$" not in copied, f"copying {shown!r} gave {copied!r}"
    page.context.close()


# Keep your place (issue 14): the language switch takes the #section along, and the switcher marks the language the
# page is in; a missing page gets the 404 page of its language (overrides/404.html, tools/site/search_hooks.py).

SWITCHER = "a.md-select__link"


def switch_language(page, lang: str) -> None:
    """Use the header's language menu (it opens on hover) to go to the `lang` version of this page."""
    page.hover(".md-select")
    with page.expect_navigation():
        page.click(f"{SWITCHER}[hreflang={lang}]")
    page.wait_for_load_state("load")


def marked_language(page) -> list[str]:
    return page.eval_on_selector_all(f"{SWITCHER}[aria-current]", "links => links.map(a => a.getAttribute('hreflang'))")


def test_language_switch_keeps_the_section(browser, site_url):
    """en §4.1.3 -> zh §4.1.3 and zh §4.2.2 -> en §4.2.2, each landing on its section; an id the page lacks: the top."""
    page, _ = open_page(browser, f"{site_url}/en/articles/gan-exploration/#adversarial-loss")
    assert marked_language(page) == ["en"], f"the English page's switcher marks {marked_language(page)}"
    for lang, target, section in (("zh", "articles/gan-exploration/", "adversarial-loss"), ("en", "en/articles/gan-exploration/", "adam")):
        if lang == "en":
            page.goto(f"{site_url}/articles/gan-exploration/#{section}", wait_until="load")
        switch_language(page, lang)
        assert page.url == f"{site_url}/{target}#{section}", f"switching to {lang} landed on {page.url}"
        assert marked_language(page) == [lang], f"{page.url}: the switcher marks {marked_language(page)}"
        top = page.evaluate(f"document.getElementById({section!r}).getBoundingClientRect().top")
        assert 0 <= top < 300, f"{page.url}: the section is {top:.0f}px from the top of the window, not in view"
    page.goto(f"{site_url}/articles/gan-exploration/#no-such-section", wait_until="load")
    switch_language(page, "en")
    assert page.url.endswith("/en/articles/gan-exploration/#no-such-section") and page.evaluate("window.scrollY") == 0
    page.context.close()


NOT_FOUND_PAGES = [  # (a missing address, the 404 page it ends on, its language, the switcher's other language and its home)
    ("no-such-page/", "no-such-page/", "zh", "en", "en/"),
    ("en/no-such-page/", "en/no-such-page/", "en", "zh", ""),  # en/404.html's content, the typed address kept
]


@pytest.mark.parametrize(("missing", "lands", "lang", "other", "other_home"), NOT_FOUND_PAGES, ids=["zh", "en"])
def test_missing_page_gets_the_404_page_of_its_language(browser, built_site, site_url, missing, lands, lang, other, other_home):
    """As GitHub Pages does, the host answers every missing address with the root 404.html (status 404)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.route(
        "**/no-such-page/",
        lambda route: route.fulfill(status=404, content_type="text/html", body=(built_site / "404.html").read_bytes()),
    )
    page = context.new_page()
    page.goto(f"{site_url}/{missing}", wait_until="load")
    page.wait_for_function(f"document.documentElement.lang === {lang!r} && document.getElementById('not-found') !== null")
    page.wait_for_url(f"{site_url}/{lands}")
    chrome = page.evaluate(
        """() => ({lang: document.documentElement.lang,
                  placeholder: document.querySelector('input.md-search__input').placeholder,
                  nav: document.querySelector('nav.md-nav--primary').textContent})"""
    )
    expected = {"zh": ("搜索", "首页"), "en": ("Search", "Home")}[lang]
    assert chrome["lang"] == lang and chrome["placeholder"] == expected[0], f"/{missing}: {chrome}"
    assert expected[1] in chrome["nav"], f"/{missing}: navigation {' '.join(chrome['nav'].split())[:200]}"
    assert marked_language(page) == [lang], f"/{missing}: the switcher marks {marked_language(page)}"
    switch_language(page, other)
    assert page.url == f"{site_url}/{other_home}", f"the 404 page's {other} entry led to {page.url}"
    page.context.close()


def test_a_search_hit_inside_a_closed_note_opens_the_note(browser, site_url):
    """A search result link (?h=<terms>) to a word that only an editor's note has: Material marks it once the index
    has loaded, and editor-notes.js opens the closed note around the mark, so the reader sees what was found."""
    word = "Linnainmaa"  # cnn-app's note on the history of backpropagation
    page, _ = open_page(browser, f"{site_url}/en/articles/cnn-app/?h={word}")
    in_notes = page.evaluate(f"[...document.querySelectorAll('details.note')].some(d => d.textContent.includes({word!r}))")
    assert in_notes, f"en/articles/cnn-app: no editor's note mentions {word} any more: pick another word for this test"
    page.wait_for_selector("mark[data-md-highlight]", state="attached", timeout=15_000)
    page.wait_for_function("[...document.querySelectorAll('mark[data-md-highlight]')].every(m => !m.closest('details') || m.closest('details').open)",
                           timeout=5_000)
    page.context.close()
