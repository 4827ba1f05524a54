"""The site in a real browser: Playwright drives Debian's Chromium, headless, against the built site on localhost.

Per article page and language: every formula typeset by KaTeX with no raw TeX left, every Mermaid block drawn as an
<svg>, no request to any host but localhost, and the bytes transferred. Search finds a Chinese and an English word.
Screenshots go to .artifacts/screenshots/; with RECORD_SCREENSHOTS=1 (`make record`) the ones README.md shows are
copied to docs/assets/generated/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ARTICLES, ARTIFACTS, ROOT, mkdocs_build, project_copy, serve

pytestmark = pytest.mark.xdist_group("browser")

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Without the background-networking flags Chromium tries Google's hosts at start-up; none of that is the page's doing.
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
]
# Material draws each diagram inside a *closed* shadow root; open them so the test can see the <svg>.
OPEN_SHADOW_ROOTS = """
const attachShadow = Element.prototype.attachShadow;
Element.prototype.attachShadow = function (init) { return attachShadow.call(this, { ...init, mode: "open" }); };
"""
AXE = ROOT / "tests" / "vendor" / "axe-core" / "axe.min.js"  # tools/vendor.sh
README_SCREENSHOTS = ROOT / "docs" / "assets" / "generated" / "screenshots"
README_SHOWS = {"large-model-basics-zh.png", "large-model-basics-zh-dark.png", "large-model-basics-zh-phone.png"}
LOCAL_HOSTS = {"127.0.0.1", "localhost"}


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
    context.add_init_script(OPEN_SHADOW_ROOTS)
    page = context.new_page()
    requests: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.goto(url, wait_until="load")
    return page, requests


def wait_until_rendered(page) -> dict:
    """Wait for KaTeX and mermaid to finish (or give up on them), then report what the page shows.

    `math_ms` and `diagrams_ms` are the times from the start of navigation until every formula is typeset and every
    diagram drawn (polled once per animation frame); the byte counts are what the browser transferred (gzip-encoded
    by the test server, as a static host sends it) and their decoded size, with the diagram library apart.
    """
    page.wait_for_function(
        "() => [...document.querySelectorAll('.arithmatex')].every(e => e.querySelector('.katex, .katex-error'))",
        timeout=30_000, polling="raf",
    )
    math_ms = page.evaluate("performance.now()")
    try:
        page.wait_for_function(
            """() => [...document.querySelectorAll('div.mermaid, pre.mermaid')]
                       .every(d => d.shadowRoot && d.shadowRoot.querySelector('svg'))""",
            timeout=20_000, polling="raf",
        )
    except PlaywrightTimeout:
        pass  # a diagram mermaid could not draw: the report says how many, and the test fails on it
    diagrams_ms = page.evaluate("performance.now()")
    report = page.evaluate(
        """() => {
          const content = (document.querySelector('article.md-content__inner') || document.body).cloneNode(true);
          content.querySelectorAll('pre, code, .katex, script').forEach(e => e.remove());
          const entries = [performance.getEntriesByType('navigation')[0], ...performance.getEntriesByType('resource')];
          const sum = (list, key) => list.reduce((total, r) => total + r[key], 0);
          return {
            text: content.innerText,
            formulas: document.querySelectorAll('.arithmatex').length,
            katex_errors: document.querySelectorAll('.katex-error').length,
            diagrams: document.querySelectorAll('div.mermaid, pre.mermaid').length,
            svgs: [...document.querySelectorAll('div.mermaid')].filter(
              d => d.shadowRoot?.querySelector('svg:not([aria-roledescription="error"])')).length,
            bytes: sum(entries, 'transferSize'),
            decoded_bytes: sum(entries, 'decodedBodySize'),
            diagram_library_bytes: sum(entries.filter(r => r.name.includes('/mermaid/')), 'transferSize'),
            diagram_library_decoded_bytes: sum(entries.filter(r => r.name.includes('/mermaid/')), 'decodedBodySize'),
            scripts: entries.filter(r => r.initiatorType === 'script').map(r => r.name.split('/').pop()),
          };
        }"""
    )
    return {**report, "math_ms": round(math_ms), "diagrams_ms": round(diagrams_ms)}


def accessibility_problems(page) -> list[str]:
    """Serious and critical violations that axe-core finds on the page as it is now."""
    page.add_script_tag(path=str(AXE))
    violations = page.evaluate(
        """async () => (await axe.run(document, {resultTypes: ['violations']})).violations
             .filter(v => ['serious', 'critical'].includes(v.impact))
             .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')})`)"""
    )
    return violations


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_article_renders_offline(browser, site_url, slug, lang):
    url = f"{site_url}/{'' if lang == 'zh' else 'en/'}articles/{slug}/"
    page, requests = open_page(browser, url)
    report = wait_until_rendered(page)

    foreign = off_host(requests)
    assert not foreign, f"{url} made requests to other hosts: {foreign}"
    assert report["formulas"] > 0 and report["katex_errors"] == 0, f"{url}: {report['katex_errors']} KaTeX errors"
    for raw in ("\\(", "\\)", "\\[", "\\]", "$$", "\\frac", "\\sum"):
        assert raw not in report["text"], f"{url}: raw TeX {raw!r} left in the page text"
    dollar_math = re.search(r"\$[^$\s][^$]*\$", report["text"])
    assert dollar_math is None, f"{url}: $...$ math left untypeset: {dollar_math.group(0)!r}"
    assert report["svgs"] == report["diagrams"] > 0, (
        f"{url}: {report['diagrams']} Mermaid blocks but {report['svgs']} drawn diagrams (a syntax error?)"
    )

    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"weight-{slug}-{lang}.json").write_text(json.dumps({k: v for k, v in report.items() if k != "text"}, indent=2))
    print(f"\n{url}: {report['bytes']:,} bytes transferred ({report['decoded_bytes']:,} decoded), scripts: {report['scripts']}")
    screenshot(page, f"{slug}-{lang}", target=".arithmatex")
    screenshot(page, f"{slug}-{lang}-diagram", target=".mermaid")
    problems = accessibility_problems(page)
    assert not problems, f"{url}: axe-core (light mode):\n" + "\n".join(problems)
    page.context.close()


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_dark_mode(browser, site_url, slug, lang):
    url = f"{site_url}/{'' if lang == 'zh' else 'en/'}articles/{slug}/"
    page, _ = open_page(browser, url, color_scheme="dark")
    report = wait_until_rendered(page)
    assert page.evaluate("document.body.getAttribute('data-md-color-scheme')") == "slate"
    assert report["katex_errors"] == 0 and report["svgs"] == report["diagrams"]
    screenshot(page, f"{slug}-{lang}-dark", target=".mermaid")
    problems = accessibility_problems(page)
    assert not problems, f"{url}: axe-core (dark mode):\n" + "\n".join(problems)
    page.context.close()


NOTEBOOK_PAGES = [f"{'' if lang == 'zh' else 'en/'}articles/{slug}/notebook/" for slug in ARTICLES for lang in ("zh", "en")]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("path", ["", "en/", "glossary/", "en/glossary/", "404.html", *NOTEBOOK_PAGES])
def test_other_pages_are_accessible(browser, site_url, path, scheme):
    page, requests = open_page(browser, f"{site_url}/{path}", color_scheme=scheme)
    report = wait_until_rendered(page)
    assert report["katex_errors"] == 0 and "\\(" not in report["text"], f"/{path}: math left untypeset"
    foreign = off_host(requests)
    assert not foreign, f"/{path} made requests to other hosts: {foreign}"
    problems = accessibility_problems(page)
    assert not problems, f"/{path} ({scheme}): axe-core:\n" + "\n".join(problems)
    page.context.close()


@pytest.mark.parametrize("slug", ARTICLES)
def test_readable_on_a_phone(browser, site_url, slug):
    """375 px wide: nothing sticks out sideways (code, formulas and tables scroll inside their own boxes)."""
    page, _ = open_page(browser, f"{site_url}/articles/{slug}/", width=375)
    wait_until_rendered(page)
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    screenshot(page, f"{slug}-zh-phone", target=".arithmatex")
    assert overflow <= 0, f"articles/{slug}: the page is {overflow}px wider than a 375px screen"
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


def test_home_page_loads_no_math_or_diagram_library(browser, site_url):
    page, requests = open_page(browser, f"{site_url}/")
    names = " ".join(requests)
    assert "katex" not in names and "mermaid" not in names, requests
    page.context.close()


@pytest.mark.parametrize(
    ("lang", "query", "expected"),
    [("zh", "正则化", "large-model-basics"), ("zh", "梯度下降", "large-model-basics"), ("zh", "反向传播", "cnn-app"),
     ("zh", "生成对抗网络", "gan-exploration"), ("en", "regularization", "large-model-basics"),
     ("en", "gradient descent", "large-model-basics"), ("en", "backpropagation", "cnn-app"),
     ("en", "generative adversarial", "gan-exploration")],
)
def test_search_finds_the_article(browser, site_url, lang, query, expected):
    page, _ = open_page(browser, f"{site_url}/{'' if lang == 'zh' else 'en/'}")
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
    links = page.eval_on_selector_all(".md-search-result__item a", "links => links.map(a => a.href)")
    wanted = f"/{'' if lang == 'zh' else 'en/'}articles/{expected}/"
    assert any(wanted in link for link in links), f"searching {query!r} on the {lang} site found {links}"
    # Each language has its own index (tools/mkdocs_hooks.py), without the notebooks that repeat the articles' code.
    other_language = [link for link in links if ("/en/" in link) != (lang == "en")]
    assert not other_language, f"searching {query!r} on the {lang} site found pages in the other language: {other_language}"
    assert not [link for link in links if "/notebook/" in link], f"searching {query!r} found notebook pages: {links}"
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


def test_untypeset_math_and_broken_diagram_are_reported(browser, tmp_path):
    """On a broken copy, the checks used above must see the KaTeX error and the diagram that was not drawn."""
    copy = project_copy(tmp_path)
    home = copy / "docs" / "index.zh.md"
    home.write_text(home.read_text(encoding="utf-8") + "\n$$ \\frac{1}{ $$\n\n```mermaid\nflowchart LR\n    A[ok --> B((\n```\n")
    assert mkdocs_build(copy, tmp_path / "site").returncode == 0
    with serve(tmp_path / "site") as url:
        page, _ = open_page(browser, f"{url}/")
        report = wait_until_rendered(page)
        page.context.close()
    assert report["katex_errors"] == 1
    assert report["diagrams"] == 1 and report["svgs"] == 0
