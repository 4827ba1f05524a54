"""llms.txt and llms-full.txt (tools/site/llms_txt.py): the articles as Markdown, with every program, every recorded output
and its provenance line written out, and the editor's notes kept."""

from __future__ import annotations

import html
import os
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ARTICLES, ROOT, language_root, mkdocs_build
from tools.site import llms_txt, provenance_hook
from tools.model import snippets as harness

LANGUAGES = ["zh", "en"]
SOURCE_NOTE = re.compile(r"""^[ \t]*\?\?\?\+?[ \t]+note[ \t]+"(?:编者注：|Editor['’]s note: )""", re.M)
QUOTED_NOTE = re.compile(r"""^[ \t]*> \*\*(?:编者注：|Editor['’]s note: )""", re.M)
LINK = re.compile(r"\]\((?P<target>[^)\s]+)\)")


def missing(text: str, lang: str) -> list[str]:
    """What llms-full.txt must hold and does not: each program in its titled fence, each recording, each provenance."""
    problems = []
    for snippet in harness.discover():
        program = harness.program(snippet.path)
        if f'```python title="snippets/{snippet.id}"\n{program}\n```' not in text:
            problems.append(f"program of {snippet.id}")
        recording = snippet.recorded_stdout.read_text(encoding="utf-8").rstrip("\n")
        if f"```text\n{recording}\n```" not in text:
            problems.append(f"recorded output of {snippet.id}")
        entry = harness.read_manifest(snippet.recording_dir)[snippet.path.name]
        if html.unescape(provenance_hook.provenance_line(entry, lang)) not in text:
            problems.append(f"provenance line of {snippet.id}")
    return problems


def full(site: Path, lang: str) -> str:
    return (language_root(site, lang) / "llms-full.txt").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", LANGUAGES)
def test_both_files_per_language_hold_every_program_output_and_provenance(built_site, lang):
    root = language_root(built_site, lang)
    index = (root / "llms.txt").read_text(encoding="utf-8")
    assert index.startswith("# ") and "\n> " in index and "\n## " in index, "llms.txt: not an H1, a summary and sections"
    text = full(built_site, lang)
    assert missing(text, lang) == []
    assert "--8<--" not in text + index, "an include was left unresolved"
    prose = re.sub(r"^([ \t>]*)```.*?^\1```[ \t]*$", "", text, flags=re.M | re.S)  # programs may hold {{ or <p class=
    assert not re.search(r"\{\{|\{ +(?:[#.][\w-]+|[\w-]+=)|<p class=|<q>|#only-dark", prose), "Jinja, attribute lists or HTML"


def test_a_missing_program_or_output_is_named(built_site):
    """Negative test: the check above names what a doctored llms-full.txt lacks."""
    text = full(built_site, "en")
    snippet = harness.discover()[0]
    last_line = harness.program(snippet.path).splitlines()[-1]
    recording_line = snippet.recorded_stdout.read_text(encoding="utf-8").splitlines()[-1]
    doctored = text.replace(last_line + "\n```", last_line + "  # changed\n```", 1)
    doctored = doctored.replace(recording_line, recording_line + "0", 1)
    assert missing(doctored, "en") == [f"program of {snippet.id}", f"recorded output of {snippet.id}"]


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("slug", ARTICLES)
def test_each_article_keeps_its_editors_notes(built_site, slug, lang):
    source = (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")
    article = (language_root(built_site, lang) / "articles" / slug / "index.html.md").read_text(encoding="utf-8")
    # Without SITE_URL links are relative to the file that holds them: the same once the leading ../ are dropped.
    same_links = lambda text: re.sub(r"(?:\.\./)+", "", text)  # noqa: E731
    assert same_links(article) in same_links(full(built_site, lang)), f"{slug}/index.html.md ({lang}) is not in llms-full.txt"
    assert len(QUOTED_NOTE.findall(article)) == len(SOURCE_NOTE.findall(source)) > 0


@pytest.mark.parametrize("lang", LANGUAGES)
def test_llms_txt_links_resolve_to_built_pages(built_site, lang):
    root = language_root(built_site, lang)
    site_url = os.environ.get("SITE_URL", "").rstrip("/") + "/"
    targets = LINK.findall((root / "llms.txt").read_text(encoding="utf-8"))
    assert len(targets) == 2 * len(ARTICLES) + 3  # each article and its Markdown, llms-full, the glossary, about
    for target in targets:
        path = built_site / target[len(site_url):] if target.startswith("http") else root / target
        path = path.resolve()
        assert target.startswith(site_url) or not target.startswith("http"), f"{target} is not on the site"
        assert (path / "index.html").is_file() or path.is_file(), f"llms.txt ({lang}) links {target}, which was not built"


def test_notes_become_block_quotes_and_other_blocks_a_bold_title():
    page = "\n".join([
        '??? note "Editor\'s note: why"',
        "    Said so.",
        "",
        '??? example "Output"',
        "",
        "    ```text",
        '    --8<-- "generated/x/y.txt"',
        "    ```",
        "",
        "After.",
    ])
    assert llms_txt.blocks_to_markdown(page).split("\n") == [
        "> **Editor's note: why**", ">", "> Said so.", "", "**Output**", "", "", "```text", '--8<-- "generated/x/y.txt"',
        "```", "", "After.",
    ]


def test_links_are_absolute_on_site_url_and_relative_without_it():
    text = f"[a]({llms_txt.SITE}en/articles/x/#b)"
    assert llms_txt.site_links(text, SimpleNamespace(site_url="https://example.org/ai-notes/"), "en/") == \
        "[a](https://example.org/ai-notes/en/articles/x/#b)"
    assert llms_txt.site_links(text, SimpleNamespace(site_url=None), "en/") == "[a](../en/articles/x/#b)"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_about_page_links_its_languages_files(built_site, lang):
    about = language_root(built_site, lang) / "about"
    hrefs = re.findall(r'href="([^"]*llms[^"]*)"', (about / "index.html").read_text(encoding="utf-8"))
    assert sorted(hrefs) == ["../llms-full.txt", "../llms.txt"]
    assert all((about / href).resolve() == (language_root(built_site, lang) / href[3:]).resolve() for href in hrefs)
    assert all((about / href).is_file() for href in hrefs)


def test_a_br_becomes_a_hard_line_break():
    """A provenance line and the canary's verdict under it (a <br> on the page) stay two lines in Markdown, not one
    paragraph (the build has a verdict only while canary.json applies to the programs, so this is checked here)."""
    paragraph = '<p class="recording-provenance">Recorded 2026-12-01 · 5.9 s<br>Checked on 2026-12-03: the checks pass</p>'
    assert llms_txt.prose(paragraph, None, None) == "Recorded 2026-12-01 · 5.9 s  \nChecked on 2026-12-03: the checks pass"


@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_article_links_its_web_page(built_site, lang):
    article = (language_root(built_site, lang) / "articles" / ARTICLES[0] / "index.html.md").read_text(encoding="utf-8")
    assert re.search(rf"^\[{llms_txt.TEXT[lang]['page']}\]\([^)\s]+\)$", article, re.M)


def test_offline_build_links_resolve(tmp_path, monkeypatch):
    """The offline bundle's build (`make bundle`: OFFLINE=true, pages end in .html and are opened from disk): every
    relative link in the llms files reaches a file, and the about page links its own language's files."""
    monkeypatch.setenv("OFFLINE", "true")
    monkeypatch.delenv("SITE_URL", raising=False)  # links relative, so that they can be followed on disk
    site = tmp_path / "site"
    result = mkdocs_build(ROOT, site)
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{harness.tail(result.stderr, 40)}"
    for lang in LANGUAGES:
        root = language_root(site, lang)
        files = [root / "llms.txt", root / "llms-full.txt", *sorted(root.glob("articles/*/index.html.md"))]
        targets = [(file, target.split("#")[0]) for file in files for target in LINK.findall(file.read_text(encoding="utf-8"))
                   if not re.match(r"[a-z][a-z0-9+.-]*:|#", target)]
        assert len(targets) > 2 * len(ARTICLES)
        broken = [f"{file.relative_to(site)}: {target}" for file, target in targets if not (file.parent / target).is_file()]
        assert broken == []
        downloads = [target for _, target in targets if target.endswith(f"/notebook.{lang}.ipynb")]  # not its page
        assert len(downloads) == 2 * len(ARTICLES)  # under each article's title, in llms-full.txt and in its own file
        hrefs = re.findall(r'href="([^"]*llms[^"]*)"', (root / "about.html").read_text(encoding="utf-8"))
        assert sorted((root / href).resolve() for href in hrefs) == [(root / name).resolve() for name in ("llms-full.txt", "llms.txt")]
