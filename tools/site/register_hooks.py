"""Steps of the site plugin (tools/site/plugin.py): articles that register themselves, and publishing.

An article is a folder docs/articles/<slug>/ with index.zh.md and index.en.md (and, once `make record` has run,
its notebooks). Nothing else has to name it. From the front matter of its two pages

    ---
    title: 大模型背后的深度学习：……       # the page title (<title>, the home-page table)
    nav_title: CNN 与 RNN               # short title for the navigation
    summary: 一句话说明这篇文章讲什么。   # the home-page table
    description: ……                     # <meta name="description">
    order: 2                            # position in the navigation and the table (same in both languages)
    search_terms: [卷积层, 池化层]       # optional, zh only: words jieba must keep whole (see below)
    ---

this module makes, for each language build:

- the navigation: the `文章: articles/` entry of `nav` in mkdocs.yml becomes one section per article (by `order`),
  titled with its `nav_title`, whose index is the article and whose one child is its notebook;
- `{{ articles.table }}` on a page (the home pages): the table of articles, title linked, and summary;
- `{{ articles.count }}` on a page and in `site_description`: the number of articles, as a word (五 / five);
- `{{ glossary.<section> }}` on a page (the glossary pages): that section of docs/glossary.yml, heading and table;
- `{{ recorded.<name> }}` on a page: a number a snippet printed, read from its recording (tools/model/recorded.py), before
  any other hook (KaTeX included) reads the page.

A page or a front-matter field that is missing fails the build with the file to fix, and so does a page that
includes a recorded output `make record` has not written yet, naming the command that writes it.

Chinese search: Material's search plugin segments Chinese text with jieba at build time, but the browser does not
segment the query, so a word that jieba splits (正则化 -> 正则 + 化) can never be found as typed. We add to jieba
every Chinese word of the glossary's Chinese terms (docs/glossary.yml, the variants to avoid included: a reader may
type them) and the `search_terms` of each article's zh front matter.

Publishing: without SITE_URL (mkdocs.yml: `site_url: !ENV [SITE_URL, null]`) there is no address to put in a
sitemap, so sitemap.xml(.gz) is not written rather than written with URLs that start with "None".

Notebook twins: static-i18n pairs a page with its translation only when MkDocs counts the file as a documentation
page, which for MkDocs means Markdown. It rebuilds every file as a plain File, so notebook.zh.ipynb and
notebook.en.ipynb go through its branch for assets (static-i18n#198): no alternates, so its switcher and the head's
hreflang links fall back to the other language's home page, and no place in its sitemap. Once tools/site/mkdocs_hooks.py
has made them notebook pages again, we give each notebook its twin the way static-i18n pairs pages (its own
create_i18n_file, so the address is the one it builds) and add it to the pages of its sitemap; static-i18n's page
context then leads the switcher and hreflang to the twin, and the sitemap lists both with their alternates. A
notebook page also gets a description of its own (<meta name="description">), not the site's.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from mkdocs.exceptions import PluginError

from tools.model import glossary, markdown, recorded

LANGUAGES = ("zh", "en")
REQUIRED = ("title", "nav_title", "summary", "description", "order")
NAV_MARKER = "articles/"  # the value of the nav entry that this module fills in
NOTEBOOK_TITLE = {"zh": "代码笔记本", "en": "Notebook"}
TABLE_HEADER = {"zh": "| 文章 | 内容 |\n| --- | --- |", "en": "| Article | What it covers |\n| --- | --- |"}
TOKEN = re.compile(r"\{\{\s*(?P<kind>articles|glossary)\.(?P<name>[\w-]+)\s*\}\}")
# The site's page paths (src_uri), for every step: an article in a language (or none), its notebook.
ARTICLE_PAGE = re.compile(r"articles/(?P<slug>[\w-]+)/index(?:\.(?P<lang>\w+))?\.md")
GENERATED_INCLUDE = re.compile(r'--8<--\s+"(?P<path>generated/(?P<slug>[\w-]+)/(?P<stem>[^"/]+)\.txt)"')
NOTEBOOK_PAGE = re.compile(r"articles/(?P<slug>[\w-]+)/notebook\.(?P<lang>\w+)\.ipynb")
CJK_WORD = re.compile(r"[\u4e00-\u9fff]{2,}")
ZH_DIGITS = "零一二三四五六七八九"
EN_NUMBERS = "zero one two three four five six seven eight nine ten eleven twelve".split()


@dataclass(frozen=True)
class Article:
    slug: str
    order: int
    meta: dict  # language -> front matter of that language's page

    def has_snippets(self, root: Path) -> bool:
        return any((root / "snippets" / self.slug).glob("*.py"))


def plugin_error(error: type[Exception], read, *args, **kwargs):
    """read(*args, **kwargs), its `error` raised as a PluginError with the same message, so that the build fails
    naming the file to fix (a page's front matter, glossary.yml, a recorded number)."""
    try:
        return read(*args, **kwargs)
    except error as problem:
        raise PluginError(str(problem)) from None


def articles(docs_dir: Path) -> list[Article]:
    """Every article under docs_dir/articles, in `order`; raises PluginError naming the file to fix."""
    found, problems = [], []
    for folder in sorted(p for p in (Path(docs_dir) / "articles").iterdir() if p.is_dir()):
        meta = {}
        for lang in LANGUAGES:
            page = folder / f"index.{lang}.md"
            if not page.exists():
                problems.append(f"{page} is missing: an article needs index.zh.md and index.en.md")
                continue
            meta[lang] = plugin_error(ValueError, markdown.front_matter, page)
            missing = [key for key in REQUIRED if meta[lang].get(key) in (None, "")]
            if missing:
                problems.append(f"{page}: front matter lacks {', '.join(missing)} (see CONTRIBUTING.md, 'Add an article')")
        if len(meta) < len(LANGUAGES) or any(problems):
            continue
        orders = {meta[lang]["order"] for lang in LANGUAGES}
        if len(orders) != 1 or not all(isinstance(o, int) for o in orders):
            problems.append(f"{folder}: `order` must be the same integer in both languages, found {sorted(map(str, orders))}")
            continue
        found.append(Article(folder.name, orders.pop(), meta))
    seen: dict[int, str] = {}
    for article in found:
        if article.order in seen:
            problems.append(f"docs/articles/{article.slug} and docs/articles/{seen[article.order]} have the same `order: {article.order}`")
        seen[article.order] = article.slug
    if problems:
        raise PluginError("Articles cannot be registered:\n  " + "\n  ".join(problems))
    return sorted(found, key=lambda a: a.order)


def count_word(n: int, lang: str) -> str:
    if lang == "zh":
        if n < 10:
            return ZH_DIGITS[n]
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else ZH_DIGITS[tens]) + "十" + (ZH_DIGITS[ones] if ones else "") if n < 100 else str(n)
    return EN_NUMBERS[n] if n < len(EN_NUMBERS) else str(n)


def article_table(items: list[Article], lang: str, page_src_uri: str) -> str:
    here = posixpath.dirname(page_src_uri) or "."
    rows = [TABLE_HEADER[lang]]
    for article in items:
        meta = article.meta[lang]
        link = posixpath.relpath(f"articles/{article.slug}/index.md", here)
        cell = lambda text: str(text).replace("|", "\\|").replace("\n", " ").strip()  # noqa: E731
        rows.append(f"| [{cell(meta['title'])}]({link}) | {cell(meta['summary'])} |")
    return "\n".join(rows)


def search_terms(docs_dir: Path) -> list[str]:
    """The Chinese words jieba must keep whole: the glossary's Chinese terms and variants, articles' search_terms."""
    words: set[str] = set()
    for term in plugin_error(glossary.GlossaryError, glossary.load, docs_dir).terms:
        for text in (term.term["zh"], *term.avoid["zh"]):
            words.update(CJK_WORD.findall(text))
    for folder in sorted((Path(docs_dir) / "articles").glob("*/index.zh.md")):
        extra = plugin_error(ValueError, markdown.front_matter, folder).get("search_terms") or []
        words.update(str(w).strip() for w in extra if str(w).strip())
    return sorted(words)


def generated_nav(nav: list, items: list[Article], lang: str, root: Path) -> list:
    out, filled = [], False
    for entry in nav:
        if isinstance(entry, dict) and len(entry) == 1 and next(iter(entry.values())) == NAV_MARKER:
            title = next(iter(entry))
            sections = []
            for article in items:
                children = [f"articles/{article.slug}/index.md"]
                if article.has_snippets(root):
                    children.append({NOTEBOOK_TITLE[lang]: f"articles/{article.slug}/notebook.ipynb"})
                sections.append({str(article.meta[lang]["nav_title"]): children})
            out.append({title: sections})
            filled = True
        else:
            out.append(entry)
    if not filled:
        raise PluginError(f"mkdocs.yml: `nav` has no entry `<title>: {NAV_MARKER}` for tools/site/register_hooks.py to fill with the articles")
    return out


def missing_notebooks(items: list[Article], docs_dir: Path, root: Path) -> list[str]:
    return [
        f"docs/articles/{a.slug}/notebook.{lang}.ipynb"
        for a in items if a.has_snippets(root)
        for lang in LANGUAGES if not (Path(docs_dir) / "articles" / a.slug / f"notebook.{lang}.ipynb").exists()
    ]


def register_articles(config, original_nav: list) -> None:
    """This language's nav (from mkdocs.yml's, `original_nav`), site_description and jieba words, from the articles."""
    docs_dir, root = Path(config.docs_dir), Path(config.config_file_path).parent
    lang = config.theme["language"]
    items = articles(docs_dir)
    missing = missing_notebooks(items, docs_dir, root)
    if missing:
        raise PluginError(
            "Not recorded yet: " + ", ".join(missing) + ".\n  Run `make record` first (it records the snippets' outputs and"
            " writes the notebooks; for one snippet: `python -m tools.run.record snippets/<slug>/NN_<what>.py`,"
            " then `python -m tools.generate.notebooks`)."
        )
    config.nav = generated_nav(original_nav, items, lang, root)
    if config.site_description:
        config.site_description = TOKEN.sub(lambda m: replace_token(m, items, lang, "mkdocs.yml site_description"), config.site_description)
    try:
        import jieba
    except ImportError:  # without jieba the search plugin does not segment Chinese at all
        return
    for word in search_terms(docs_dir):
        jieba.add_word(word, freq=100000)


def replace_token(match: re.Match, items: list[Article], lang: str, where: str, page_src_uri: str = "", docs_dir: Path = glossary.DOCS) -> str:
    name = match["name"]
    if match["kind"] == "glossary":
        if page_src_uri:
            return plugin_error(glossary.GlossaryError, glossary.table, docs_dir, name, lang, page_src_uri)
    elif name == "count":
        return count_word(len(items), lang)
    elif name == "table" and page_src_uri:
        return article_table(items, lang, page_src_uri)
    raise PluginError(f"{where}: unknown placeholder {match.group(0)} (known: {{{{ articles.count }}}}, and on a page {{{{ articles.table }}}}, {{{{ glossary.<section> }}}})")


def substitute(markdown: str, page, config) -> str:
    """Recorded numbers and the {{ articles.* }} / {{ glossary.* }} placeholders, before any other step reads the page."""
    docs_dir = Path(config.docs_dir)
    src = page.file.src_uri
    article = ARTICLE_PAGE.fullmatch(src)
    slug = article["slug"] if article else None
    markdown = plugin_error(recorded.RecordedError, recorded.substitute, markdown, slug, src, docs=docs_dir)
    for m in GENERATED_INCLUDE.finditer(markdown):
        if not (docs_dir / "assets" / m["path"]).exists():
            raise PluginError(
                f"{src} shows {m['path']}, which has not been recorded yet: run `python -m tools.run.record"
                f" snippets/{m['slug']}/{m['stem']}.py` (or `make record` for every stale snippet), then build again."
            )
    if TOKEN.search(markdown):
        items = articles(docs_dir)
        markdown = TOKEN.sub(lambda m: replace_token(m, items, config.theme["language"], src, src, docs_dir), markdown)
    return markdown


NOTEBOOK_DESCRIPTION = {
    "zh": "《{title}》一文的全部程序及其录制的输出：一个可以下载、在 Jupyter 或 Colab 中从头运行的笔记本。",
    "en": "All the programs in “{title}”, with their recorded output, as a notebook you can download and run top to bottom in Jupyter or Colab.",
}


def title_notebook(page, config) -> None:
    """A notebook is titled 代码笔记本 / Notebook in the navigation (under its article); its <title> names the article,
    and so does its description."""
    match = NOTEBOOK_PAGE.fullmatch(page.file.src_uri)
    if match and match["lang"] in NOTEBOOK_TITLE:
        article = Path(config.docs_dir) / "articles" / match["slug"] / f"index.{match['lang']}.md"
        title = plugin_error(ValueError, markdown.front_matter, article).get("title") if article.exists() else None
        if title:
            page.meta = {**(page.meta or {}), "title": f"{title} · {NOTEBOOK_TITLE[match['lang']]}",
                         "description": NOTEBOOK_DESCRIPTION[match["lang"]].format(title=title)}


def notebook_alternates(files, config) -> None:
    """Each notebook page gets its twin as static-i18n's alternate, and a place among its sitemap's pages."""
    i18n = config.plugins.get("i18n")
    if i18n is None:
        return
    from mkdocs.structure.files import File
    from mkdocs_jupyter.plugin import NotebookFile
    from mkdocs_static_i18n.suffix import create_i18n_file

    sitemap_pages = i18n.i18n_files_per_language.setdefault(i18n.current_language, [])
    for notebook in [f for f in files if isinstance(f, NotebookFile)]:
        match = NOTEBOOK_PAGE.fullmatch(notebook.src_uri)
        if match is None:
            continue
        alternates = {i18n.current_language: notebook}  # static-i18n lists a page first among its own alternates
        for lang in sorted(set(i18n.build_languages) - {i18n.current_language}):
            twin = f"articles/{match['slug']}/notebook.{lang}.ipynb"
            if (Path(config.docs_dir) / twin).exists():
                source = NotebookFile(File(twin, config.docs_dir, config.site_dir, config.use_directory_urls), **config)
                alternates[lang] = create_i18n_file(source, lang, i18n.default_language, i18n.all_languages, config)
        notebook.alternates = alternates
        if notebook not in sitemap_pages:
            sitemap_pages.append(notebook)


def drop_sitemaps(config) -> None:
    if config.site_url:
        return
    for sitemap in Path(config.site_dir).rglob("sitemap.xml*"):  # without SITE_URL every <loc> would start with "None"
        sitemap.unlink()
