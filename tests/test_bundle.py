"""`make bundle` (issue 23, item 5): one zip of the site built to be opened from disk, the notebooks and
requirements.txt. One test, one build and one browser, since the build is most of its time: the zip is unpacked and
its pages are opened from file://, where math, a diagram, the search (both languages) and the language switch must
work without any request leaving the disk."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ARTICLES, ROOT
from tools.generate.diagrams import CHROMIUM, CHROMIUM_ARGS


def wait_for_search_index(page) -> None:
    """Material shows its placeholder once the search worker (from file://: an iframe, with the index as a script) is ready."""
    page.click("input.md-search__input")
    page.wait_for_function(
        """() => document.querySelector('.md-search-result__meta').textContent ===
                 JSON.parse(document.getElementById('__config').textContent).translations['search.result.placeholder']""",
        timeout=30_000,
    )


def search(page, query: str) -> list[str]:
    wait_for_search_index(page)
    page.fill("input.md-search__input", query)
    page.keyboard.press("End")  # Material searches on key events
    page.wait_for_selector(".md-search-result__item", timeout=15_000)
    hits = page.eval_on_selector_all(".md-search-result__link", "links => links.map(a => a.href)")
    page.keyboard.press("Escape")  # closes the search dialog, which would cover the header
    return hits


def test_the_offline_bundle_works_from_disk(tmp_path):
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} not found: install it with `apt-get install chromium fonts-noto-cjk` (`.ci/run` does)")
    venv = Path(sys.executable).parent.parent
    result = subprocess.run(["make", "-C", str(ROOT), "bundle", f"DIST={tmp_path}", f"VENV={venv}"],
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    with zipfile.ZipFile(tmp_path / "ai-notes-offline.zip") as bundle:
        names = set(bundle.namelist())
        bundle.extractall(tmp_path / "unpacked")
    top = "ai-notes-offline/"
    assert {f"{top}requirements.txt", f"{top}site/index.html", f"{top}site/en/index.html"} <= names
    assert {f"{top}notebooks/{slug}.{lang}.ipynb" for slug in ARTICLES for lang in ("zh", "en")} <= names
    site = tmp_path / "unpacked" / top / "site"

    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            off_disk, failed = [], []
            page.on("request", lambda request: off_disk.append(request.url) if not request.url.startswith("file:") else None)
            page.on("requestfailed", lambda request: failed.append(request.url))

            page.goto((site / "en" / "articles" / "gan-exploration" / "index.html").as_uri(), wait_until="load")
            assert page.locator(".katex").count() > 10
            page.locator(".katex").first.scroll_into_view_if_needed()
            page.wait_for_function("document.fonts.check('16px KaTeX_Main')", timeout=10_000)  # KaTeX's fonts, from disk
            diagram = page.locator(".diagram--light svg").first.bounding_box()
            assert diagram and diagram["width"] > 300 and diagram["height"] > 300, diagram
            hits = search(page, "discriminator")
            assert any(hit.startswith((site / "en" / "articles" / "gan-exploration").as_uri() + "/index.html") for hit in hits), hits

            page.hover(".md-select")  # the language menu opens on hover
            with page.expect_navigation():
                page.click("a.md-select__link[hreflang=zh]")
            # the same page in Chinese (at the section being read: the switch keeps the place)
            assert page.url.split("#")[0] == (site / "articles" / "gan-exploration" / "index.html").as_uri(), page.url
            assert page.locator("html").get_attribute("lang") == "zh"
            hits = search(page, "判别器")
            assert any(hit.startswith((site / "articles" / "gan-exploration").as_uri() + "/index.html") for hit in hits), hits
            assert not off_disk, f"requests that left the disk: {off_disk}"
            assert not failed, f"files the pages asked for and the bundle lacks: {failed}"
        finally:
            browser.close()
