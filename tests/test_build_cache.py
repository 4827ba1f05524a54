"""The cache of notebook HTML (tools/site/notebook_cache.py): what it returns is what mkdocs-jupyter makes, a changed
notebook is a miss, and a broken entry is a miss too."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import ARTICLES, ROOT
from tools.site import notebook_cache

NOTEBOOK = ROOT / "docs" / "articles" / ARTICLES[0] / "notebook.en.ipynb"


@pytest.fixture
def cache(tmp_path, monkeypatch):
    monkeypatch.setitem(notebook_cache.STATE, "dir", tmp_path / "cache")
    return tmp_path / "cache"


def test_cached_html_is_what_mkdocs_jupyter_makes(cache, tmp_path):
    from mkdocs_jupyter import convert

    render = notebook_cache.cached(convert.nb2html, "html")
    first = render(str(NOTEBOOK), theme="light")
    assert first == convert.nb2html(str(NOTEBOOK), theme="light")
    [entry] = cache.glob("html-*.json")
    assert json.loads(entry.read_text()) == first
    assert render(str(NOTEBOOK), theme="light") == first  # a hit

    changed = tmp_path / "changed.ipynb"
    notebook = json.loads(NOTEBOOK.read_text())
    notebook["cells"][0]["source"] = ["# A changed notebook\n"]
    changed.write_text(json.dumps(notebook))
    assert "A changed notebook" in render(str(changed), theme="light")
    assert len(list(cache.glob("html-*.json"))) == 2, "a changed notebook must be a new entry, not the old page"

    render(str(NOTEBOOK), theme="dark")
    assert len(list(cache.glob("html-*.json"))) == 3, "other arguments must be another entry"


def test_a_broken_entry_is_a_miss(cache, tmp_path):
    calls = []

    def convert(path):
        calls.append(path)
        return ["toc", "title"]

    render = notebook_cache.cached(convert, "toc", decode=tuple)
    copy = tmp_path / "n.ipynb"
    shutil.copy(NOTEBOOK, copy)
    assert render(str(copy)) == ["toc", "title"] and len(calls) == 1
    assert render(str(copy)) == ("toc", "title") and len(calls) == 1  # read back from the cache
    [entry] = cache.glob("toc-*.json")
    entry.write_text('{"half a')  # as if a build had been killed while writing (store() renames, but a disk may fill)
    assert render(str(copy)) == ["toc", "title"] and len(calls) == 2
    assert not list(cache.glob("*.tmp")), "no temporary file left behind"


def test_the_cache_wraps_mkdocs_jupyter():
    """The pinned mkdocs-jupyter still has the functions the cache wraps (an upgrade that renames them fails)."""
    from mkdocs_jupyter import plugin

    notebook_cache.wrap_mkdocs_jupyter({"config_file_path": str(ROOT / "mkdocs.yml")})
    assert hasattr(plugin.convert.nb2html, "uncached") and hasattr(plugin._get_nb_toc_tokens, "uncached")
