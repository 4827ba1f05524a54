"""Each article's notebooks are generated from its snippets and recordings, never kept by hand."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ARTICLES, ROOT, language_root
from tools.generate import notebooks
from tools.model import snippets as harness

# No xdist group: spread over both workers (built_site is built once per worker).


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_is_what_the_generator_makes(slug, lang):
    path = notebooks.notebook_path(slug, lang)
    assert path.exists(), f"{path} is missing: run `python -m tools.generate.notebooks` (a second; `make record` also re-records stale snippets first)"
    assert path.read_text(encoding="utf-8") == notebooks.build(slug, lang), (
        f"{path} is not what tools/generate/notebooks.py makes from the current snippets and recordings: run `python -m tools.generate.notebooks` (a second; `make record` also re-records stale snippets first)"
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


# Issue 21: the intro speaks to a reader; the two languages share heading ids; each page leads to its twin.

def intro(slug: str, lang: str) -> str:
    notebook = json.loads(notebooks.notebook_path(slug, lang).read_text(encoding="utf-8"))
    return "".join(notebook["cells"][0]["source"])


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_intro_names_the_recorded_versions_and_no_maintainer_command(slug, lang):
    text = intro(slug, lang)
    recordings = json.loads((ROOT / "docs" / "assets" / "generated" / slug / "recordings.json").read_text(encoding="utf-8"))
    for name, entry in recordings.items():
        for package, version in entry["versions"].items():
            assert version in text, f"{notebooks.notebook_path(slug, lang)}: the intro does not name {package} {version}, which recorded {name}"
            if package != "python":
                assert f"{package}=={version}" in text, f"{notebooks.notebook_path(slug, lang)}: the pip line does not pin {package}=={version}"
        assert entry["date"] in text or min(e["date"] for e in recordings.values()) in text, f"{slug}: no recording date in the intro"
        assert (entry["gpu"] or entry["cpu"]) in text, f"{notebooks.notebook_path(slug, lang)}: the intro does not name the device {entry['cpu']}"
    for maintainer_talk in ("tools/", "make record", "`make", "python -m tools", "do not edit", "请勿手工修改"):
        assert maintainer_talk not in text, f"{notebooks.notebook_path(slug, lang)}: the intro speaks to maintainers ({maintainer_talk!r})"


HEADING_ID = re.compile(r'<h[1-6] id="([^"]+)"')
TOC_LINK = re.compile(r'<a href="#([^"]+)" class="md-nav__link">')


def notebook_page(site, slug: str, lang: str) -> str:
    return (language_root(site, lang) / "articles" / slug / "notebook" / "index.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_headings_have_the_same_ids_in_both_languages(built_site, slug):
    pages = {lang: notebook_page(built_site, slug, lang) for lang in notebooks.LANGUAGES}
    ids = {lang: [i for i in HEADING_ID.findall(page) if i != "not-found"] for lang, page in pages.items()}
    assert ids["zh"] == ids["en"], f"articles/{slug}/notebook/: the heading ids differ between the languages: {ids}"
    programs = [s.path.stem.split("_", 1)[1].replace("_", "-") for s in harness.discover() if s.slug == slug]
    assert ids["zh"] == ["notebook", *programs], f"articles/{slug}/notebook/: heading ids {ids['zh']}, expected #notebook and one per snippet"
    for lang, page in pages.items():
        toc = TOC_LINK.findall(page)
        assert toc and set(toc) <= set(ids[lang]), f"{lang} articles/{slug}/notebook/: the table of contents links {sorted(set(toc) - set(ids[lang]))}, which no heading has"


@pytest.mark.parametrize("lang", notebooks.LANGUAGES)
@pytest.mark.parametrize("slug", notebooks.articles_with_snippets())
def test_notebook_switcher_and_hreflang_lead_to_the_twin(built_site, slug, lang):
    page_dir = language_root(built_site, lang) / "articles" / slug / "notebook"
    html = (page_dir / "index.html").read_text(encoding="utf-8")
    for other in notebooks.LANGUAGES:
        twin = (language_root(built_site, other) / "articles" / slug / "notebook").resolve()
        links = {"switcher": re.findall(rf'<a href="([^"]*)" hreflang="{other}"[^>]*class="md-select__link"', html),
                 "hreflang": re.findall(rf'<link rel="alternate" href="([^"]*)" hreflang="{other}">', html)}
        for kind, hrefs in links.items():
            assert len(hrefs) == 1, f"{page_dir}: {len(hrefs)} {kind} links to {other}"
            assert (page_dir / hrefs[0]).resolve() == twin, f"{page_dir}: the {kind} link to {other} leads to {hrefs[0]}, not to its notebook"
    description = re.search(r'<meta name="description" content="([^"]+)"', html)
    title = notebooks.page_title(slug, lang)
    assert description and title in description[1], f"{page_dir}: no description of its own (found {description and description[1]!r})"


def test_heading_ids_come_from_the_snippet_files_and_a_clash_fails_naming_the_page():
    """tools/site/links_hook.py: the ids of mkdocs-jupyter's headings (made from their text) become #notebook and the
    snippet's name, in the page and its table of contents; two headings that would share an id fail the build."""
    from types import SimpleNamespace

    from mkdocs.exceptions import PluginError
    from mkdocs.structure.toc import AnchorLink

    from tools.site import links_hook

    def heading(level: int, id: str, text: str, snippet: str = "") -> str:
        under = f"\n<p><code>snippets/x/{snippet}.py</code></p>" if snippet else ""
        return f'<h{level} id="{id}">{text}<a class="anchor-link" href="#{id}">¶</a></h{level}>{under}'

    title = AnchorLink("Title", "x-notebook", 1)
    title.children = [AnchorLink("1. A", "1-a", 2), AnchorLink("2. B", "2-b", 2)]
    page = SimpleNamespace(file=SimpleNamespace(src_uri="articles/x/notebook.en.ipynb"), toc=[title])
    html = heading(1, "x-notebook", "Title") + heading(2, "1-a", "1. A", "01_first_program") + heading(2, "2-b", "2. B", "02_second")
    out = links_hook.shared_heading_ids(html, page)
    assert re.findall(r'<h\d id="([^"]+)"', out) == ["notebook", "first-program", "second"], out
    assert re.findall(r'href="#([^"]+)"', out) == ["notebook", "first-program", "second"], out
    assert [title.id, *(c.id for c in title.children)] == ["notebook", "first-program", "second"]
    clash = heading(2, "1-a", "1. A", "01_same") + heading(2, "2-b", "2. B", "02_same")
    with pytest.raises(PluginError, match="articles/x/notebook.en.ipynb: two headings would get the id #same"):
        links_hook.shared_heading_ids(clash, SimpleNamespace(file=page.file, toc=[]))
