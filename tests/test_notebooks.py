"""Each article's notebooks are generated from its snippets and recordings, never kept by hand."""

from __future__ import annotations

import json

import pytest

from conftest import ARTICLES, language_root
from tools import notebooks

# No xdist group: spread over both workers (built_site is built once per worker).


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_is_what_the_generator_makes(slug, lang):
    path = notebooks.notebook_path(slug, lang)
    assert path.exists(), f"{path} is missing: run `python -m tools.notebooks` (a second; `make record` also re-records stale snippets first)"
    assert path.read_text(encoding="utf-8") == notebooks.build(slug, lang), (
        f"{path} is not what tools/notebooks.py makes from the current snippets and recordings: run `python -m tools.notebooks` (a second; `make record` also re-records stale snippets first)"
    )


@pytest.mark.parametrize("slug", ARTICLES)
def test_every_article_with_code_has_notebooks(slug):
    assert slug in notebooks.articles_with_snippets(), f"articles/{slug} has no snippets, so no notebook"


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_page_is_rendered_with_outputs_and_download(built_site, slug, lang):
    page_dir = language_root(built_site, lang) / "articles" / slug / "notebook"
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    assert '"cells"' not in html[:2000], f"{page_dir} is raw notebook JSON, not a rendered page"
    notebook = json.loads(notebooks.notebook_path(slug, lang).read_text(encoding="utf-8"))
    code_cells = [c for c in notebook["cells"] if c["cell_type"] == "code"]
    assert html.count("jp-CodeCell") >= len(code_cells), f"{page_dir}: not every code cell is on the page"
    assert "jp-OutputArea" in html, f"{page_dir}: the recorded outputs are not shown"
    assert (page_dir / f"notebook.{lang}.ipynb").exists(), f"{page_dir}: no notebook to download"
    assert f'href="notebook.{lang}.ipynb"' in html, f"{page_dir}: no download link"
