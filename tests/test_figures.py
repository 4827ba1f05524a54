"""Figures that follow the reader's palette (issue #23, item 2).

A snippet that saves a figure `X.png` also saves `X-dark.png` from the same run (dark colours on the background of
Material's slate palette) and declares both in `outputs`; `make record` keeps the sha256 of each file in that run's
entry of recordings.json (tools/run/record.py), so a variant copied from another run, or edited by hand, is caught. The
pages show `X.png#only-light` and `X-dark.png#only-dark` (Material hides the other one), both `loading=lazy`, so
that the browser fetches only the one it shows.
"""

from __future__ import annotations

import re

import pytest

from conftest import ROOT
from test_browser import browser  # noqa: F401 (a fixture)
from test_browser import article_url, open_page, switch_palette, wait_until_rendered
from tools.model import snippets as harness

DARK = "-dark.png"
WITH_FIGURES = [s for s in harness.discover() if any(name.endswith(".png") for name in s.outputs)]
FIGURES = [(s, name) for s in WITH_FIGURES for name in s.outputs if name.endswith(".png") and not name.endswith(DARK)]


def dark(name: str) -> str:
    return name.removesuffix(".png") + DARK


def not_from_this_recording(snippet: harness.Snippet, names, entry: dict | None = None) -> list[str]:
    """The recorded files among `names` that are missing or are not the ones the snippet's recording wrote."""
    entry = entry if entry is not None else harness.read_manifest(snippet.recording_dir).get(snippet.path.name, {})
    recorded = entry.get("outputs", {})
    return [name for name in names if not (snippet.recording_dir / name).exists() or name not in recorded
            or harness.file_sha256(snippet.recording_dir / name) != recorded[name]]


def test_the_two_recorded_figures_are_covered():
    """If a snippet stopped declaring its figure, the tests below would have nothing to check."""
    assert {f"{s.slug}/{name}" for s, name in FIGURES} >= {
        "gan-exploration/generated_digits.png", "tech-challenges-revisited/training_curves.png"}


@pytest.mark.parametrize("snippet", WITH_FIGURES, ids=[s.id for s in WITH_FIGURES])
def test_every_figure_has_both_variants_declared(snippet):
    pngs = {name for name in snippet.outputs if name.endswith(".png")}
    light = {name for name in pngs if not name.endswith(DARK)}
    assert {dark(name) for name in light} == pngs - light, (
        f"{snippet.id}: outputs {sorted(pngs)} should pair each X.png with X-dark.png")


@pytest.mark.parametrize(("snippet", "name"), FIGURES, ids=[f"{s.slug}/{n}" for s, n in FIGURES])
def test_both_variants_come_from_the_same_recording(snippet, name):
    stale = not_from_this_recording(snippet, [name, dark(name)])
    assert not stale, (f"{snippet.id}: {stale} missing or not written by its recorded run (sha256 in recordings.json): "
                       f"run `python -m tools.run.record {snippet.path.relative_to(ROOT)}`")


def test_a_variant_from_another_run_is_caught(tmp_path):
    """Negative case: a dark variant whose bytes are not those the recording stored fails; the matching pair passes."""
    (tmp_path / "curves.png").write_bytes(b"light")
    (tmp_path / "curves-dark.png").write_bytes(b"dark, from another run")
    entry = {"outputs": {"curves.png": harness.file_sha256(tmp_path / "curves.png"),
                         "curves-dark.png": "0" * 64}}

    class Fake:  # a snippet's recording folder is all that is read when the entry is given
        recording_dir = tmp_path

    assert not_from_this_recording(Fake, ["curves.png", "curves-dark.png"], entry) == ["curves-dark.png"]
    entry["outputs"]["curves-dark.png"] = harness.file_sha256(tmp_path / "curves-dark.png")
    assert not_from_this_recording(Fake, ["curves.png", "curves-dark.png"], entry) == []
    assert not_from_this_recording(Fake, ["curves.png"], {}) == ["curves.png"]  # recorded before outputs were hashed


def image_sources(slug: str, lang: str) -> list[str]:
    page = (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")
    return re.findall(r"!\[[^\]]*\]\(([^)\s]+)\)(\{[^}]*\})?", page)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize(("snippet", "name"), FIGURES, ids=[f"{s.slug}/{n}" for s, n in FIGURES])
def test_pages_show_the_light_and_the_dark_variant(snippet, name, lang):
    base = f"../../assets/generated/{snippet.slug}/"
    found = {src: attrs for src, attrs in image_sources(snippet.slug, lang) if src.startswith(base)}
    expected = {base + name + "#only-light", base + dark(name) + "#only-dark"}
    where = f"articles/{snippet.slug}/index.{lang}.md"
    assert expected <= set(found), f"{where} shows {sorted(found)}, expected {sorted(expected)}"
    assert all("loading=lazy" in found[src] for src in expected), f"{where}: both variants need {{ loading=lazy }}"
    bare = [src for src in found if src.split("#")[0] in (base + name, base + dark(name)) and src not in expected]
    assert not bare, f"{where}: {bare} shown in both palettes"


SHOWN = """(stem) => Object.fromEntries([...document.querySelectorAll(`img[src*="/${stem}"]`)].map(i =>
  [i.getAttribute('src').split('/').pop(),
   i.getBoundingClientRect().height > 0 && i.complete && i.naturalWidth > 0]))"""
FETCHED = """() => performance.getEntriesByType('resource').map(r => r.name.split('/').pop())
  .filter(n => n.includes('.png#'))"""
INTO_VIEW = "(stem) => document.querySelector(`img[src*='/${stem}']`).parentElement.scrollIntoView({block: 'center'})"


def figure_state(page, stem: str) -> tuple[dict, list]:
    """Which variants are shown (laid out and decoded) once the figure is scrolled into view, and which were fetched."""
    page.evaluate(INTO_VIEW, stem)
    page.wait_for_load_state("networkidle")
    page.wait_for_function(f"() => Object.values(({SHOWN})('{stem}')).some(Boolean)", timeout=10_000)
    return page.evaluate(SHOWN, stem), sorted(page.evaluate(FETCHED))


@pytest.mark.parametrize(("snippet", "name"), FIGURES, ids=[f"{s.slug}/{n}" for s, n in FIGURES])
def test_the_browser_shows_the_variant_of_the_palette(browser, site_url, snippet, name):  # noqa: F811
    """Light palette: the light variant shows and the dark one is not even fetched; after the header's toggle, the
    dark one shows and the light one is hidden; a reader whose system prefers dark fetches only the dark one."""
    stem = name.removesuffix(".png")
    light, dark_one = f"{name}#only-light", f"{dark(name)}#only-dark"
    url = article_url(site_url, snippet.slug, "en")
    page, _ = open_page(browser, url)
    wait_until_rendered(page)
    assert figure_state(page, stem) == ({light: True, dark_one: False}, [light]), f"{url} (light)"
    switch_palette(page, "slate")
    both = sorted([light, dark_one])  # the light one was fetched before the toggle
    assert figure_state(page, stem) == ({light: False, dark_one: True}, both), f"{url} (toggled to dark)"
    page.context.close()

    url = article_url(site_url, snippet.slug, "zh")
    page, _ = open_page(browser, url, color_scheme="dark", width=375)
    wait_until_rendered(page)
    assert figure_state(page, stem) == ({light: False, dark_one: True}, [dark_one]), f"{url} (system dark, phone)"
    page.context.close()
