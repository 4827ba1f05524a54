"""Articles register themselves (tools/site/register_hooks.py): adding docs/articles/<slug>/ and snippets/<slug>/ is all
it takes for the article to appear in the navigation, on both home pages, in the counts and in search; and a
registration that goes missing fails the build instead of passing quietly."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import ROOT, language_root, mkdocs_build, project_copy
from tools.model import glossary
from tools.site import register_hooks

# No xdist group: these build their own copies (not the shared built_site), so any worker may take them.

NEW = "copied-article"
NEW_WORD = "注意力蒸馏"  # not a word jieba knows: without the article's search_terms it would be split (注意力 + 蒸馏)


def files(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts}


def add_article_by_copying(project: Path, source: str = "cnn-app", slug: str = NEW) -> None:
    """What a contributor does: a docs folder, a snippets folder and the recordings `make record` would write."""
    shutil.copytree(project / "snippets" / source, project / "snippets" / slug)
    shutil.copytree(project / "docs" / "assets" / "generated" / source, project / "docs" / "assets" / "generated" / slug)
    for manifest in (project / "docs" / "assets" / "generated" / slug).glob("*.json"):  # diagrams.json names its pages
        manifest.write_text(manifest.read_text(encoding="utf-8").replace(f"articles/{source}/", f"articles/{slug}/"), encoding="utf-8")
    shutil.copytree(project / "docs" / "articles" / source, project / "docs" / "articles" / slug)
    for lang, title in (("zh", "复制的文章"), ("en", "A copied article")):
        page = project / "docs" / "articles" / slug / f"index.{lang}.md"
        text = page.read_text(encoding="utf-8").replace(f'"{source}/', f'"{slug}/').replace(f"generated/{source}/", f"generated/{slug}/")
        text = re.sub(r"^title: .*$", f"title: {title}", text, count=1, flags=re.M)
        text = re.sub(r"^nav_title: .*$", f"nav_title: {title}（短）" if lang == "zh" else f"nav_title: {title} (short)", text, count=1, flags=re.M)
        text = re.sub(r"^order: .*$", "order: 99", text, count=1, flags=re.M)
        if lang == "zh":
            text = re.sub(r"^search_terms: .*$", f"search_terms: [{NEW_WORD}]", text, count=1, flags=re.M)
            text += f"\n\n本节用到{NEW_WORD}。\n"
        else:
            text += "\n\nThis section uses attention distillation.\n"
        page.write_text(text, encoding="utf-8")


def nav_links(html: str) -> list[str]:
    nav = re.search(r'<nav class="md-nav md-nav--primary".*?</nav>\s*</div>', html, re.S)
    return re.findall(r'<a href="([^"]+)"', nav.group(0)) if nav else []


def test_an_article_added_by_copying_registers_itself(tmp_path):
    project = project_copy(tmp_path)
    before = files(project)
    add_article_by_copying(project)
    after = files(project)
    touched = sorted(path for path in before if before[path] != after.get(path))
    assert not touched, f"adding an article changed existing files: {touched}"
    folders = (f"snippets/{NEW}/", f"docs/articles/{NEW}/", f"docs/assets/generated/{NEW}/")
    assert all(path.startswith(folders) for path in after.keys() - before.keys())

    site = tmp_path / "site"
    result = mkdocs_build(project, site)
    assert result.returncode == 0, result.stderr[-3000:]
    for lang, count in (("zh", "六篇"), ("en", "six Chinese articles")):
        root = language_root(site, lang)
        home = (root / "index.html").read_text(encoding="utf-8")
        links = nav_links(home)
        at = links.index(f"articles/{NEW}/")  # the article is a section of the navigation, its notebook beneath it
        assert links[at + 1] == f"articles/{NEW}/notebook/", links
        assert links[at - 2 : at] == ["articles/gan-exploration/", "articles/gan-exploration/notebook/"], "order 99 comes last"
        title = "复制的文章" if lang == "zh" else "A copied article"
        assert re.search(rf'<td><a href="articles/{NEW}/">{title}</a></td>', home), f"{lang} home page: no table row for {NEW}"
        assert count in home, f"{lang} home page does not count six articles"
        glossary = (root / "glossary" / "index.html").read_text(encoding="utf-8")
        assert ("六篇" if lang == "zh" else "the six articles") in glossary
        index = json.loads((root / "search" / "search_index.json").read_text(encoding="utf-8"))
        assert any(doc["location"].startswith(f"articles/{NEW}/") for doc in index["docs"]), f"{lang} search index lacks {NEW}"
        if lang == "zh":
            text = "".join(doc["text"] for doc in index["docs"] if doc["location"].startswith(f"articles/{NEW}/"))
            assert f"\u200b{NEW_WORD}\u200b" in text, f"{NEW_WORD} (the new article's search_terms) was split by jieba"
    description = re.search(r'<meta name="description" content="([^"]*)"', (site / "index.html").read_text(encoding="utf-8"))
    assert description and description.group(1).startswith("六篇"), description


def test_a_lost_registration_fails_the_build(tmp_path):
    """Each way the old hand-kept registration could go missing now breaks the strict build, naming what to fix."""
    project = project_copy(tmp_path)
    page = project / "docs" / "articles" / "cnn-app" / "index.en.md"
    page.write_text(re.sub(r"^order: .*\n", "", page.read_text(encoding="utf-8"), count=1, flags=re.M), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site1")
    assert result.returncode != 0 and "cnn-app/index.en.md: front matter lacks order" in result.stderr, result.stderr[-2000:]

    (tmp_path / "b").mkdir()
    project = project_copy(tmp_path / "b")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("  - 文章: articles/\n", ""), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site2")
    assert result.returncode != 0 and "`nav` has no entry `<title>: articles/`" in result.stderr, result.stderr[-2000:]

    # Without the step that registers them, a hand-written nav that leaves an article out fails too
    # (validation.nav.omitted_files: warn). The copy's plugin is the one the build runs (tests/conftest.py).
    (tmp_path / "c").mkdir()
    project = project_copy(tmp_path / "c")
    plugin = project / "tools" / "site" / "plugin.py"
    step = "register.register_articles(config, self.original_nav.setdefault(id(config), config.nav))"
    assert step in plugin.read_text(encoding="utf-8")
    plugin.write_text(plugin.read_text(encoding="utf-8").replace(step, "pass"), encoding="utf-8")
    config = project / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    text = text.replace("  - 文章: articles/\n", "  - 文章:\n      - articles/large-model-basics/index.md\n      - articles/large-model-basics/notebook.ipynb\n")
    text = text.replace("{{ articles.count }}", "五")
    config.write_text(text, encoding="utf-8")
    for name in ("index.zh.md", "index.en.md", "glossary.zh.md", "glossary.en.md"):
        doc = project / "docs" / name
        doc.write_text(doc.read_text(encoding="utf-8").replace("{{ articles.table }}", "").replace("{{ articles.count }}", "5"), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site3")
    assert result.returncode != 0, "a page left out of the navigation did not fail the strict build"
    assert "articles/cnn-app/index" in result.stderr and "not included in the \"nav\"" in result.stderr, result.stderr[-2000:]


def test_building_before_recording_says_what_to_run(tmp_path):
    project = project_copy(tmp_path)
    (project / "docs" / "assets" / "generated" / "cnn-app" / "01_cnn_digits.txt").unlink()
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "python -m tools.run.record snippets/cnn-app/01_cnn_digits.py" in result.stderr, result.stderr[-2000:]

    (project / "docs" / "articles" / "cnn-app" / "notebook.en.ipynb").unlink()
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0
    assert "notebook.en.ipynb" in result.stderr and "make record" in result.stderr, result.stderr[-2000:]


def test_search_terms_come_from_the_glossary_and_the_articles():
    terms = set(register_hooks.search_terms(ROOT / "docs"))
    for word in ("正则化", "梯度下降", "反向传播", "生成对抗网络"):  # what tests/test_browser.py types into the search box
        assert word in terms
    for term in glossary.load().terms:
        for word in re.findall(r"[\u4e00-\u9fff]{2,}", " ".join((term.term["zh"], *term.avoid["zh"]))):
            assert word in terms, f"glossary term {word} is not a search term"
    assert "不用" not in terms and "术语" not in terms


def test_search_terms_read_the_glossary_yaml_and_the_front_matter(tmp_path):
    docs = tmp_path / "docs"
    (docs / "articles" / "a").mkdir(parents=True)
    for lang in ("zh", "en"):
        (docs / "articles" / "a" / f"index.{lang}.md").write_text("---\ntitle: t\nsearch_terms: [词袋模型]\n---\n# t { #y }\n", encoding="utf-8")
    (docs / "glossary.yml").write_text(
        "spelling: [optimize]\nsections:\n  - id: s\n    heading: {zh: 节, en: Section}\n    terms:\n"
        "      - {zh: 多层感知机（MLP）, en: multilayer perceptron, avoid: {zh: [多层感知器]}, meaning: {zh: 网络, en: a network},"
        " see: [{to: a#y, zh: 甲, en: A}]}\n",
        encoding="utf-8",
    )
    assert register_hooks.search_terms(docs) == sorted(["多层感知机", "多层感知器", "词袋模型"])


@pytest.mark.parametrize("n, zh, en", [(1, "一", "one"), (5, "五", "five"), (10, "十", "ten"), (12, "十二", "twelve"), (21, "二十一", "21")])
def test_count_words(n, zh, en):
    assert register_hooks.count_word(n, "zh") == zh and register_hooks.count_word(n, "en") == en
