"""Search as readers type it, in a real browser (Playwright and Debian's Chromium, as tests/test_browser.py).

Latin and Chinese written together (`Adam优化器`) find what the spaced form finds, in the same order; formula-like
queries (`D(G(z))`, `θ`, `β1`, `∂J/∂W`) find the sections whose formulas hold them, in both languages; every result
link, the page's own included, carries the terms it found in its `h=` and the page it opens marks them; no result
shows an article's editorial lead (the notebook link, the origin line, the note listing the structural edits) as its
snippet. tools/site/search_hooks.py explains how the index and the query are cut alike ("Tokens").
"""

from __future__ import annotations

import html
import json
import re
import shutil
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from conftest import ARTICLES, language_root
from test_browser import browser, open_page, search, where  # noqa: F401 (browser is a fixture)
from tools.site import search_hooks

MIXED = ["Adam优化器", "GAN训练", "CNN模型", "LSTM网络", "用TensorFlow"]
SPACED = {"Adam优化器": "Adam 优化器", "GAN训练": "GAN 训练", "CNN模型": "CNN 模型", "LSTM网络": "LSTM 网络", "用TensorFlow": "用 TensorFlow"}
# query -> the pages or sections (zh paths; the English site has the same under en/) one of which must be among the
# first TOP links, and the first of which the test opens
FORMULAS = {
    "D(G(z))": ["articles/gan-exploration/#adversarial-loss"],  # the GAN objective
    "softmax(z)": ["glossary/#softmax", "articles/tech-challenges/#bp-example"],
    "β1": ["articles/gan-exploration/#adam"],  # Adam's β₁
    "θ": ["articles/gan-exploration/#sgd", "articles/tech-challenges/#gd-model"],
    "∂J/∂W": ["articles/tech-challenges/#bp-model", "articles/cnn-app/#backward"],
    "ReLU(z)": ["glossary/#relu", "articles/cnn-app/#relu"],
}
EXPECTED = {
    "Adam优化器": ["articles/gan-exploration/#adam"],
    "GAN训练": ["articles/gan-exploration/#gan-training"],
    "CNN模型": ["articles/cnn-app/"],
    "LSTM网络": ["glossary/#long-short-term-memory"],
    "用TensorFlow": ["articles/gan-exploration/#worked-examples-code"],
    **FORMULAS,
}
QUERIES = [("zh", q) for q in EXPECTED] + [("en", q) for q in FORMULAS]  # the Chinese words exist only in zh
TOP = 6  # links: an article's result and its best sections come first
# Typeset by KaTeX, these formulas are one span per symbol: Material's highlighter, which marks matches inside one
# text node, finds nothing to mark on the page (the result's snippet marks them: see the test).
FORMULA_ONLY = {"softmax(z)", "β1", "ReLU(z)"}
LEAD = {"zh": ["编者注：本页在结构上的改动", "本页校订自机器生成的中文原稿", "本文的全部代码也整理成了"],
        "en": ["Editor's note: the structural edits on this page", "Edited from a machine-written Chinese original", "All the code of this article"]}
RESULTS = """() => [...document.querySelectorAll('.md-search-result__link')].map(a => ({
  href: a.href, text: a.querySelector('article').innerText.replace(/\\u200b/g, ''),
  marks: [...a.querySelectorAll('mark')].map(m => m.textContent)}))"""


def home(site_url: str, lang: str) -> str:
    return f"{site_url}/{'' if lang == 'zh' else 'en/'}"


def results_of(page, query: str) -> list[dict]:
    """The results Material shows for `query` (tests/test_browser.py's search()), or a failure saying it found none."""
    if page.input_value("input.md-search__input"):
        page.fill("input.md-search__input", "")
        page.keyboard.press("End")  # Material empties the list (and shows its placeholder) on a key event
    try:
        search(page, query)
    except PlaywrightTimeout:
        meta = page.inner_text(".md-search-result__meta")
        pytest.fail(f"searching {query!r} on {page.url} found nothing ({meta!r})")
    return page.evaluate(RESULTS)


def terms_of(link: str) -> list[str]:
    return parse_qs(urlsplit(link).query).get("h", [""])[0].split()


def problems_with(results: list[dict], root: str, query: str, expected: list[str]) -> list[str]:
    """What is wrong with one query's results: the expected hit not among the first TOP links, a link without
    terms to highlight, a snippet that does not mark the query, an editorial lead shown as a snippet."""
    found = [where(r["href"]) for r in results]
    problems = []
    if not any(root + wanted in found[:TOP] for wanted in expected):
        problems.append(f"{query!r}: none of {expected} among the first {TOP} results: {found[:TOP]}")
    empty = [where(r["href"]) for r in results if not terms_of(r["href"])]
    if empty:
        problems.append(f"{query!r}: results that highlight nothing (empty h=): {empty[:5]}")
    hit = next((r for r in results if where(r["href"]) == root + expected[0]), None)
    spaced = SPACED.get(query, query).lower().split()
    if hit is not None and not any(m.lower().startswith(tuple(spaced)) for m in hit["marks"]):
        problems.append(f"{query!r}: the snippet of {expected[0]} marks {hit['marks']}, not the query")
    return problems


def lead_shown(results: list[dict], lang: str) -> list[str]:
    return [f"{where(r['href'])} shows {text!r}" for r in results for text in LEAD[lang] if text in r["text"]]


@pytest.mark.parametrize(("lang", "query"), QUERIES, ids=[f"{lang}-{q}" for lang, q in QUERIES])
def test_search_finds_what_a_reader_means(browser, site_url, lang, query):
    root = home(site_url, lang)
    page, _ = open_page(browser, root)
    results = results_of(page, query)
    expected = EXPECTED[query]
    assert not problems_with(results, root, query, expected), "\n".join(problems_with(results, root, query, expected))
    assert not lead_shown(results, lang), f"searching {query!r}: an article's editorial lead as a snippet: {lead_shown(results, lang)}"

    hit = next((r["href"] for r in results if where(r["href"]) == root + expected[0]), None)
    assert hit, f"searching {query!r}: no result for {expected[0]}: {[where(r['href']) for r in results][:TOP]}"
    page.goto(hit, wait_until="load")
    terms = terms_of(hit)
    if query in FORMULA_ONLY:
        pytest.xfail(f"{query!r} is only in typeset formulas, which Material's highlighter cannot mark ({hit})")
    page.wait_for_function("document.querySelectorAll('mark[data-md-highlight]').length > 0", timeout=15_000)
    marks = page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    wrong = sorted({m for m in marks if not set(m.lower().split()) <= set(terms)})
    assert not wrong, f"{hit}: {len(marks)} marks, of which {wrong} are not the terms {terms}"
    page.context.close()


@pytest.mark.parametrize("query", MIXED)
def test_latin_and_chinese_together_find_what_the_spaced_form_finds(browser, site_url, query):
    page, _ = open_page(browser, home(site_url, "zh"))
    together = [r["href"] for r in results_of(page, query)]
    spaced = [r["href"] for r in results_of(page, SPACED[query])]
    assert together == spaced, f"{query!r} and {SPACED[query]!r} differ: {together[:6]} against {spaced[:6]}"
    page.context.close()


@pytest.mark.parametrize(("lang", "query", "page_path"), [("zh", "LSTM网络", "glossary/"), ("en", "LSTM", "glossary/"),
                                                          ("en", "θ", "articles/tech-challenges-revisited/")])
def test_a_pages_own_result_highlights_what_its_sections_found(browser, site_url, lang, query, page_path):
    """The page's own result, which Material adds when only its sections matched, links with the terms they found."""
    root = home(site_url, lang)
    page, _ = open_page(browser, root)
    results = results_of(page, query)
    own = next((r["href"] for r in results if where(r["href"]) == root + page_path), None)
    assert own, f"searching {query!r}: no result for the page {page_path}: {[where(r['href']) for r in results]}"
    terms = terms_of(own)
    assert terms, f"searching {query!r}: the result of the page {page_path} links with an empty h=: {own}"
    sections = {t for r in results if where(r["href"]).startswith(root + page_path + "#") for t in terms_of(r["href"])}
    assert set(terms) == sections, f"{own}: h= holds {terms}, its sections found {sorted(sections)}"
    page.goto(own, wait_until="load")
    page.wait_for_function("document.querySelectorAll('mark[data-md-highlight]').length > 0", timeout=15_000)
    marks = page.eval_on_selector_all("mark[data-md-highlight]", "marks => marks.map(m => m.textContent)")
    assert all(set(m.lower().split()) <= set(terms) for m in marks), f"{own}: marks {sorted(set(marks))} for {terms}"
    page.context.close()


def description(built_site: Path, lang: str, path: str) -> str:
    page = (language_root(built_site, lang) / path / "index.html").read_text(encoding="utf-8")
    return html.unescape(re.search(r'<meta name="description" content="([^"]*)"', page)[1])


@pytest.mark.parametrize(("lang", "query", "article"), [("zh", "GAN训练", "gan-exploration"), ("zh", "CNN模型", "cnn-app"),
                                                        ("en", "GAN", "gan-exploration"), ("en", "CNN", "cnn-app")])
def test_the_top_result_shows_article_text_not_the_editorial_lead(browser, site_url, built_site, lang, query, article):
    """These queries made the article's own result the top one, with the note listing the structural edits as its
    snippet; it now shows what the article is about (its description), and no result shows the lead."""
    page, _ = open_page(browser, home(site_url, lang))
    results = results_of(page, query)
    top = results[0]
    assert where(top["href"]) == home(site_url, lang) + f"articles/{article}/", f"searching {query!r}: the top result is {top['href']}"
    assert description(built_site, lang, f"articles/{article}") in top["text"], f"searching {query!r}: the top result shows {top['text'][:300]!r}"
    assert not lead_shown(results, lang), f"searching {query!r}: {lead_shown(results, lang)}"
    page.context.close()


LEAD_BLOCKS = re.compile(r'<p class="(?:notebook-link|page-origin|editor-notes-control)".*?</p>|<details class="note".*?</details>'
                         r'|<noscript>.*?</noscript>', re.S)


def article_lead(built_site: Path, lang: str, slug: str) -> str:
    """An article's HTML between its title and its first section, without the editorial blocks."""
    page = (language_root(built_site, lang) / "articles" / slug / "index.html").read_text(encoding="utf-8")
    lead = page[page.index("</h1>") : page.index("<h2")]
    return LEAD_BLOCKS.sub("", lead)


def plain_text(markup: str) -> str:
    return re.sub(r"\s+", "", html.unescape(re.sub(r"<[^>]+>", "", markup)).replace("\u200b", ""))


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_articles_own_entry_is_its_text_or_description(built_site, lang):
    """In the index, each article's own entry holds none of the editorial lead: the article's text before its first
    section (tech-challenges: keywords and abstract), or, where there is none, the article's description."""
    index = json.loads((language_root(built_site, lang) / "search" / "search_index.json").read_text(encoding="utf-8"))
    entries = {d["location"]: d for d in index["docs"]}
    assert index["config"]["lang"] == ["en"] and index["config"]["pipeline"] == [], index["config"]
    assert index["config"]["separator"] == search_hooks.SEPARATOR, "the index is not cut with tools/site/search_hooks.py's SEPARATOR"
    for slug in ARTICLES:
        text = html.unescape(entries[f"articles/{slug}/"]["text"].replace("\u200b", ""))
        lead = [t for t in LEAD[lang] if t in text]
        assert not lead, f"{lang} index, articles/{slug}/: the editorial lead {lead} is in the page's own entry"
        own_text = plain_text(article_lead(built_site, lang, slug))
        entry_text = plain_text(entries[f"articles/{slug}/"]["text"])
        if own_text:  # the article's own text before its first section
            assert entry_text.startswith(own_text[:30]), f"{lang} index, articles/{slug}/: {entry_text[:100]!r}, not {own_text[:100]!r}"
        else:
            assert description(built_site, lang, f"articles/{slug}") in text, f"{lang} index, articles/{slug}/: {text[:200]!r}"


def test_with_materials_tokens_these_queries_find_nothing(browser, site_url, built_site):
    """Negative: on the zh site served with its index configured as before (Material's zh separator, lunr's en+zh
    trimmer), the mixed and formula queries find nothing, which the checks above report."""
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    index["config"].update(separator="[\\s\\u200b\\u3000\\-、。，．？！；]+", lang=["en", "zh"], pipeline=["trimmer"])
    context = browser.new_context()
    page = context.new_page()
    page.route("**/search/search_index.json", lambda route: route.fulfill(status=200, content_type="application/json", body=json.dumps(index)))
    page.goto(home(site_url, "zh"), wait_until="load")
    for query in ("Adam优化器", "θ", "∂J/∂W"):
        with pytest.raises(pytest.fail.Exception, match="found nothing"):
            results_of(page, query)
    context.close()


def test_a_worker_without_the_page_result_expression_fails_the_build(tmp_path):
    """Negative: a worker without the expression that WORKER_FIXES rewrites fails the build, naming what it fixes."""
    import material

    workers = Path(material.__file__).parent / "templates" / "assets" / "javascripts" / "workers"
    site = tmp_path / "site" / "assets" / "javascripts" / "workers"
    site.mkdir(parents=True)
    for worker in workers.glob("search.*.min.js"):
        shutil.copy(worker, site / worker.name)
    old, _, why = search_hooks.WORKER_FIXES[-1]
    for worker in site.glob("search.*.min.js"):
        worker.write_text(worker.read_text(encoding="utf-8").replace(old, old.replace("terms:{}", "terms:{ }")), encoding="utf-8")
    with pytest.raises(search_hooks.PluginError, match=re.escape(why)):
        search_hooks.patch_search_worker(tmp_path / "site")


@pytest.mark.parametrize(("tex", "readable"), [("\\beta_1", "β1"), ("W_{12}", "W12"), ("m_{t-1}", "mₜ₋₁"), ("x_i", "xᵢ"),
                                               ("\\hat{m}_t", "m̂ₜ"), ("\\sum_{i=1}^{N} x_i", "∑ᵢ₌₁^N xᵢ")])
def test_a_letters_subscript_of_digits_is_written_as_readers_type_it(tex, readable):
    """β₁ is in the index as β1 (what a reader types); other subscripts stay Unicode or _( )."""
    docs_dir = str(Path(search_hooks.__file__).parents[2] / "docs")
    assert search_hooks.readable_formula(tex, False, docs_dir) == readable
