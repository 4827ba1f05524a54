"""Diagrams legible on a phone and a page that holds still (issue 21, items 3 and 4), in Debian's Chromium.

- At 375 px every diagram label of every article, in both languages, is drawn at 11 CSS px or more (its computed
  font size times the SVG's scale on the screen), and a diagram wider than the screen scrolls sideways in its own
  box, which shows the scroll cue (extra.css) and whose SVG takes the keyboard focus; the page itself does not scroll sideways.
- No line of a Chinese diagram label holds a single character ("反向传播：求梯/度"), measured on the lines as the
  browser draws them; a label drawn for the purpose shows that the check finds such a line.
- Scrolling each article from top to bottom moves nothing on the screen (layout shift at most MAX_SHIFT) and leaves
  the document as tall as it was at load (within MAX_GROWTH); with the guessed block heights of before, the same
  measure fails.
- While a page loads, the late layout of overrides/main.html and extra.css applies to the blocks after its first
  top-level h2 (content-visibility: auto, headings aside); from the first frame after the HTML is parsed it applies
  only to code blocks and display formulas, as it does from the start when the address has a fragment.
- cnn-app's chain fits a 1280 x 800 screen: no sideways scrolling, no taller than the screen, labels at 11 px or more.
"""

from __future__ import annotations

import json

import pytest

from conftest import ARTICLES, ROOT
from test_browser import article_url, browser, open_page, wait_until_rendered  # noqa: F401 (browser: a fixture)
from tools.generate import diagrams as diagrams_tool

MIN_LABEL_PX = 11
MAX_SHIFT = 0.01  # the layout shift score (sum of the layout-shift entries) while scrolling through a page
MAX_GROWTH = 0.01  # how much taller the document may be after scrolling through it than at load
PHONE = {"width": 375, "height": 667}
LAPTOP = {"width": 1280, "height": 800}

# Each shown diagram: the smallest label as drawn, and whether its box scrolls sideways with a cue and the focus.
DIAGRAMS = r"""() => [...document.querySelectorAll('.diagram')].filter(host => host.getBoundingClientRect().height).map(host => {
  const svg = host.shadowRoot.querySelector('svg');
  const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
  const labels = [...svg.querySelectorAll('foreignObject p, foreignObject span:not(:has(p)), text')].filter(l => l.textContent.trim());
  const sizes = labels.map(l => ({text: l.textContent.trim(), px: parseFloat(getComputedStyle(l).fontSize) * scale}));
  const smallest = sizes.reduce((min, s) => (!min || s.px < min.px ? s : min), null);
  const style = getComputedStyle(host);
  return {id: svg.id, labels: labels.length, smallest, scale,
          scrolls: host.scrollWidth > host.clientWidth + 1, overflow_x: style.overflowX,
          shadows: style.backgroundImage.split('radial-gradient').length - 1,
          attachment: style.backgroundAttachment.replace(/ /g, ''), focusable: svg.tabIndex === 0,
          width: Math.round(host.getBoundingClientRect().width), height: Math.round(host.getBoundingClientRect().height),
          column: Math.round(host.parentElement.getBoundingClientRect().width)};
})"""

# The lines of each label, as drawn: its characters grouped by the top of their boxes.
LABEL_LINES = r"""() => [...document.querySelectorAll('.diagram')]
  .flatMap(host => [...(host.shadowRoot || host).querySelectorAll('foreignObject p, foreignObject span:not(:has(p)), text')])
  .filter(label => label.textContent.trim()).map(label => {
    const rows = [];
    const walker = document.createTreeWalker(label, NodeFilter.SHOW_TEXT);
    for (let node; (node = walker.nextNode());) {
      for (let i = 0; i < node.length; i++) {
        const range = document.createRange();
        range.setStart(node, i);
        range.setEnd(node, i + 1);
        const box = range.getClientRects()[0];
        if (!box || !box.height) continue;
        let row = rows.find(r => Math.abs(r.top - box.top) < box.height / 2);
        if (!row) rows.push(row = {top: box.top, text: ''});
        row.text += node.data[i];
      }
    }
    return rows.sort((a, b) => a.top - b.top).map(r => r.text.trim()).filter(Boolean);
  })"""
CJK = r"[\u2e80-\u9fff]"


def lone_character_lines(labels: list[list[str]]) -> list[str]:
    """The labels (lines joined by " / ") of which a line holds one Chinese character, with or without the
    punctuation that follows it."""
    import re

    lone = re.compile(rf"^{CJK}[。，、；：！？）」』》]*$")
    return [" / ".join(lines) for lines in labels if len(lines) > 1 and any(lone.match(line) for line in lines)]


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_diagram_labels_are_legible_on_a_phone(browser, site_url, lang):
    """375 px: every label at 11 CSS px or more; a diagram that does not fit scrolls in its own box, with its cue."""
    context = browser.new_context(viewport=PHONE)
    page = context.new_page()
    problems, seen = [], 0
    for slug in ARTICLES:
        url = article_url(site_url, slug, lang)
        page.goto(url, wait_until="load")
        wait_until_rendered(page)
        for diagram in page.evaluate(DIAGRAMS):
            seen += 1
            where = f"{slug} ({lang}) {diagram['id']}"
            smallest = diagram["smallest"]
            if not diagram["labels"] or smallest["px"] < MIN_LABEL_PX:
                problems.append(f"{where}: label {smallest and smallest['text']!r} drawn at {smallest and round(smallest['px'], 1)} px "
                                f"(scale {diagram['scale']:.2f}), under {MIN_LABEL_PX} px")
            if diagram["scrolls"] and not (diagram["overflow_x"] == "auto" and diagram["shadows"] == 2
                                           and diagram["attachment"] == "local,local,scroll,scroll" and diagram["focusable"]):
                problems.append(f"{where}: scrolls sideways without its cue or the keyboard focus: {diagram}")
        overflow = page.evaluate("document.documentElement.scrollWidth - innerWidth")
        if overflow > 0:
            problems.append(f"{slug} ({lang}): the page is {overflow} px wider than the screen")
    context.close()
    assert seen >= len(ARTICLES), f"{lang}: only {seen} diagrams shown on {len(ARTICLES)} articles"
    assert not problems, f"{lang}, {PHONE['width']} px:\n" + "\n".join(problems)


def test_no_chinese_label_line_holds_one_character(browser, site_url):
    """Every line of every Chinese diagram label holds two characters or more. (A label's lines are fixed when the
    diagram is drawn, by its box in the SVG: one width tells for all.)"""
    page, _ = open_page(browser, site_url)
    found = {}
    for slug in ARTICLES:
        page.goto(article_url(site_url, slug, "zh"), wait_until="load")
        wait_until_rendered(page)
        labels = page.evaluate(LABEL_LINES)
        assert labels, f"articles/{slug}: no diagram label found"
        if lone_character_lines(labels):
            found[slug] = lone_character_lines(labels)
    page.context.close()
    assert not found, f"Chinese diagram labels with a line of one character: {found}"


def test_the_lone_character_check_finds_one(browser):
    """Negative check: mermaid wraps this label at its 120-px width, leaving 度 alone on the second line."""
    diagram = diagrams_tool.Diagram("articles/x/index.zh.md", 1, "flowchart TB\n    A[反向传播：求梯度]\n")
    svg = diagrams_tool.render([diagram], browser=browser)[diagram.key]["light"]
    page = browser.new_page()
    page.set_content(f'<!doctype html><meta charset="utf-8"><div class="diagram">{svg}</div>')
    labels = page.evaluate(LABEL_LINES)
    page.close()
    assert lone_character_lines(labels) == ["反向传播：求梯 / 度"], labels


SCROLL_THROUGH = r"""async () => {
  const shifts = [];
  const moved = new Set();
  const describe = node => { const e = node && (node.nodeType === 1 ? node : node.parentElement);
    return e ? `${e.tagName.toLowerCase()}${e.className ? '.' + String(e.className).trim().split(/\s+/).join('.') : ''}` : '?'; };
  new PerformanceObserver(list => { for (const e of list.getEntries()) if (!e.hadRecentInput) {
      shifts.push(e.value);
      if (e.value > 0.001) e.sources.forEach(s => moved.add(describe(s.node)));
    } }).observe({type: 'layout-shift', buffered: true});
  const frame = () => new Promise(resolve => requestAnimationFrame(() => setTimeout(resolve, 30)));
  await frame();
  const atLoad = document.documentElement.scrollHeight, shiftAtLoad = shifts.reduce((a, b) => a + b, 0);
  for (let y = 0; y + innerHeight < document.documentElement.scrollHeight; ) {
    y += innerHeight * 0.7;
    scrollTo(0, y);
    await frame();
  }
  await frame();
  return {at_load: atLoad, after: document.documentElement.scrollHeight, shift: shifts.reduce((a, b) => a + b, 0),
          shift_at_load: shiftAtLoad, moved: [...moved]};
}"""
GUESSED_HEIGHTS = ".md-content__inner > :not(h1, h2, h3, h4, h5, h6) { content-visibility: auto; contain-intrinsic-size: auto 6em; }"


def scroll_through(browser, url: str, extra_css: str | None = None) -> dict:
    context = browser.new_context(viewport=PHONE)
    if extra_css:  # before the first layout, as if it were in extra.css
        context.add_init_script(f"document.addEventListener('DOMContentLoaded', () => document.head.append("
                                f"Object.assign(document.createElement('style'), {{textContent: {json.dumps(extra_css)}}})))")
    page = context.new_page()
    page.goto(url, wait_until="load")
    page.evaluate("document.fonts.ready")
    report = page.evaluate(SCROLL_THROUGH)
    report["button_added_late"] = page.evaluate(
        "async () => !!document.querySelector('.editor-notes-control')"
        " && !(await (await fetch(location.href)).text()).includes('editor-notes-control')")
    context.close()
    return {**report, "growth": report["after"] / report["at_load"] - 1}


def scroll_through_every_article(browser, site_url: str, lang: str) -> dict[str, dict]:
    return {slug: scroll_through(browser, article_url(site_url, slug, lang)) for slug in ARTICLES}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_holds_still_while_the_reader_scrolls(browser, site_url, lang):
    """Top to bottom, every article: layout shift at most MAX_SHIFT, counting from the load (the shift the page makes
    while loading is in the next test), and the height within MAX_GROWTH of that at load; then the whole shift.

    One width, 375 px: the blocks laid out late (code, display formulas) are as tall at every width, save a code
    block's title bar, which wraps only on a narrow screen, and a phone has the most screens of text to scroll.
    """
    problems, at_load, late_button = [], [], []
    for slug, report in scroll_through_every_article(browser, site_url, lang).items():
        scrolling = report["shift"] - report["shift_at_load"]
        if scrolling > MAX_SHIFT or report["growth"] > MAX_GROWTH:
            problems.append(f"{slug} ({lang}): layout shift while scrolling {scrolling:.4f}, height {report['at_load']} px at load, "
                            f"{report['after']} px after scrolling ({report['growth']:+.1%}); what moved: {report['moved']}")
        if report["shift"] > MAX_SHIFT:
            (late_button if report["button_added_late"] else at_load).append(f"{slug} ({lang}): layout shift {report['shift']:.4f}, of which {report['shift_at_load']:.4f} "
                           f"while the page loads; what moved: {report['moved']}")
    problems += at_load
    assert not problems, f"{PHONE['width']} px, scrolling through (at most {MAX_SHIFT} shift, {MAX_GROWTH:.0%} growth):\n" + "\n".join(problems)
    if late_button:
        # docs/assets/javascripts/editor-notes.js adds its button (p.editor-notes-control) above the first note after
        # the first paint, which pushes the article down by the button's height: 0.009-0.011 at 1280 px, 0.016-0.027
        # at 375 px; with that script blocked the shift is 0.0007-0.0013. Once the button is in the HTML (written at
        # build time, the script only wiring it), a shift over MAX_SHIFT fails above.
        pytest.xfail("layout shift while loading, where editor-notes.js adds its button after the first paint:\n" + "\n".join(late_button))


def test_the_height_check_sees_a_growing_page(browser, site_url):
    """Negative check: with every block skipped at a guessed 6em, as before issue 21, the same page grows."""
    report = scroll_through(browser, article_url(site_url, "cnn-app", "en"), GUESSED_HEIGHTS)
    assert report["growth"] > MAX_GROWTH, report


# Which of an article's top-level blocks the browser may skip while off screen (computed content-visibility: auto),
# read as the HTML finishes parsing (a DOMContentLoaded listener added before the page's own) and again a frame later.
SKIPPED_BLOCKS = """
const skipped = () => [...document.querySelectorAll('.md-content__inner > *')]
  .filter(e => getComputedStyle(e).contentVisibility === 'auto')
  .map(e => e.matches('.highlight, div.arithmatex') ? 'code or formula' : e.matches('h1, h2, h3, h4, h5, h6') ? 'heading' : 'prose');
window.__skipped = {};
document.addEventListener('DOMContentLoaded', () => {
  window.__skipped.parsed = skipped();
  requestAnimationFrame(() => setTimeout(() => setTimeout(() => { window.__skipped.frame_later = skipped(); })));
});
"""


@pytest.mark.parametrize("hash_", ["", "#math"])
def test_prose_is_laid_out_late_only_while_the_page_loads(browser, site_url, hash_):
    """tech-challenges (zh), 375 px: as the HTML finishes parsing, the prose blocks after the first h2 have
    content-visibility: auto (the browser skips them where they are off screen), headings never; after the first
    frame only code blocks and display formulas have it. With a fragment (#math, section 4) only code and formulas
    have it from the start. Without the head script the first case fails; the second guards its early return."""
    context = browser.new_context(viewport=PHONE)
    context.add_init_script(SKIPPED_BLOCKS)
    page = context.new_page()
    page.goto(article_url(site_url, "tech-challenges", "zh") + hash_, wait_until="load")
    page.wait_for_function("window.__skipped.frame_later")
    seen = page.evaluate("window.__skipped")
    context.close()
    kinds = {moment: sorted(set(blocks)) for moment, blocks in seen.items()}
    assert kinds["frame_later"] == ["code or formula"], kinds
    if hash_:
        assert kinds["parsed"] == ["code or formula"], kinds
    else:
        assert kinds["parsed"] == ["code or formula", "prose"] and seen["parsed"].count("prose") > 50, kinds


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cnn_app_chain_fits_a_laptop_screen(browser, site_url, lang):
    """1280 x 800: the diagram fits the column (no sideways scrolling) and the screen below the header, labels 11 px+."""
    context = browser.new_context(viewport=LAPTOP)
    page = context.new_page()
    page.goto(article_url(site_url, "cnn-app", lang), wait_until="load")
    wait_until_rendered(page)
    [diagram] = page.evaluate(DIAGRAMS)
    header = page.evaluate("document.querySelector('.md-header').getBoundingClientRect().height")
    context.close()
    assert not diagram["scrolls"] and diagram["width"] <= diagram["column"], diagram
    assert diagram["height"] <= LAPTOP["height"] - header, f"cnn-app ({lang}): {diagram['height']} px tall on an {LAPTOP['height']}-px screen: {diagram}"
    assert diagram["smallest"]["px"] >= MIN_LABEL_PX, diagram


def test_manifest_sizes_are_those_of_the_svgs():
    """The natural size tools/generate/diagrams.py keeps for each diagram is its SVG's, and the SVG may shrink only to MIN_SCALE."""
    problems = []
    for manifest in sorted((ROOT / "docs" / "assets" / "generated").glob(f"*/{diagrams_tool.MANIFEST}")):
        for key, entry in json.loads(manifest.read_text(encoding="utf-8"))["diagrams"].items():
            for variant in diagrams_tool.SCHEMES:
                svg = (manifest.parent / entry[variant]).read_text(encoding="utf-8")
                width, height = diagrams_tool.natural_size(svg)
                if [width, height] != entry["size"]:
                    problems.append(f"{key} {variant}: SVG {width}x{height}, manifest {entry['size']}")
                if f"min-width: {float(diagrams_tool.VIEWBOX.search(svg)['width']) * diagrams_tool.MIN_SCALE:.1f}px" not in svg[:2000]:
                    problems.append(f"{key} {variant}: no min-width of {diagrams_tool.MIN_SCALE} x its width")
    assert not problems, "\n".join(problems)
