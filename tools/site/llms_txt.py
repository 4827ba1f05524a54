"""Steps of the site plugin (tools/site/plugin.py): llms.txt and llms-full.txt per language (https://llmstxt.org/).

The mkdocs-llmstxt plugin is not on the package index this project installs from, so the build writes them itself.
Each language gets, at its root (/ for zh, /en/ for en):

- llms.txt: the site's title, its description as the summary, and a list of the articles (link, description and a
  link to the article's Markdown), then the glossary and the about page;
- llms-full.txt: every article in navigation order, as Markdown;
- articles/<slug>/index.html.md: one article's Markdown (the proposal's "page URL + .md").

An article's Markdown is its page as the plugin's other steps leave it (recorded numbers filled in, the lines under each
recorded output: its provenance and the canary's verdict), with the includes that pymdownx.snippets would expand
written out: each snippet's `program` section (tools/model/snippets.py `program()`, as the page shows it) and each recorded
output. Editor's notes become block quotes that start with their title ("Editor's note: …", "编者注：…"); other
admonitions and content tabs become a bold title and their body. Attribute lists and each figure's dark-palette
twin are dropped, <q> becomes quotation marks and the plugin's raw HTML (<p>, <a>) Markdown (a <br> a hard line
break); formulas stay TeX.
Links become absolute on site_url; without it (a local build) they are relative to the file that holds them.

static-i18n builds each language inside the default build's on_post_build: pages are collected as each language is
built and the files are written once, after the last language (i18n.building false), like the search indexes of
tools/site/mkdocs_hooks.py. Under `mkdocs serve` every rebuild writes them again into the served folder.
"""

from __future__ import annotations

import html
import posixpath
import re
from dataclasses import dataclass
from pathlib import Path

from tools.model import snippets as harness
from tools.model.markdown import admonitions, outside_fences
from tools.site.mkdocs_hooks import FIRST_HEADING
from tools.site.register_hooks import ARTICLE_PAGE

LISTED = re.compile(r"(?:glossary|about)(?:\.\w+)?\.md$")  # in llms.txt after the articles, without their Markdown
INCLUDE = re.compile(r'^(?P<prefix>[ \t>]*)--8<-- "(?P<path>[^"]+?)(?::(?P<section>\w+))?"[ \t]*$', re.M)
ATTR_LIST = re.compile(r'[ \t]*(?<!\\)\{:?[ \t]+(?:(?:[#.][\w-]+|[\w-]+=(?:"[^"]*"|[^\s}]+))[ \t]*)+\}[ \t]*$', re.M)
DARK_FIGURE = re.compile(r"^[ \t]*!\[[^\]\n]*\]\([^)\s]*#only-dark\)[ \t]*\n", re.M)  # the light one says the same
LINK = re.compile(r"(?P<text>!?\[[^\]\n]*\])\((?P<target>[^)\s]+)\)")
HTML_P = re.compile(r'<p class="[\w-]+">(?P<body>.*?)</p>', re.S)
HTML_A = re.compile(r'<a href="(?P<href>[^"]+)"[^>]*>(?P<text>.*?)</a>', re.S)
ABOUT_LINK = re.compile(r'href="\.\./(llms(?:-full)?\.txt)"')  # docs/about.*.md: raw HTML, as the files are not in docs/
SITE = "\x00/"  # stands for the site's root in collected links, until the file they go into is known
CONTENT = {  # what both files hold, after the sentence that says what each file is
    "zh": "每个程序都完整给出（与页面上显示的相同），每份录下的输出也连同下方的说明（来历，以及用最新版本复核的结果，如果有）"
          "放在与页面上相同的位置；编者注说明机器生成的原文在哪里、为什么改动，以引用块保留。公式用 TeX 书写。",
    "en": "Every program is shown in full, as its page shows it, and every recorded output in the same place as on its page, "
          "with the lines under it (its provenance and, where there is one, the verdict of the latest check with the newest "
          "releases); the editor's notes, which say where and why the machine-written original was corrected, are kept as "
          "block quotes. Formulas are written in TeX.",
}
TEXT = {
    "zh": {"articles": "文章", "markdown": "Markdown 版", "page": "网页版",
           "listing": "每篇文章也有 Markdown 版（简介后的链接），[llms-full.txt]({full}) 按导航的顺序收录全部文章。" + CONTENT["zh"],
           "full": "本文件按导航的顺序收录本站的全部文章（Markdown 格式），[llms.txt]({index}) 是文章的列表。" + CONTENT["zh"]},
    "en": {"articles": "Articles", "markdown": "Markdown", "page": "Web page",
           "listing": "Each article is also available as Markdown (the link after its description), and [llms-full.txt]({full}) "
                      "holds all of them in the order of the navigation. " + CONTENT["en"],
           "full": "This file holds every article of this site as Markdown, in the order of the navigation; [llms.txt]({index}) "
                   "lists them. " + CONTENT["en"]},
}


@dataclass
class Page:
    url: str  # the site's address of the page, e.g. en/articles/cnn-app/
    title: str
    description: str
    markdown: str  # articles only: links as SITE + path


def blocks_to_markdown(text: str) -> str:
    """Admonitions and tabs as plain Markdown: an editor's note a block quote, anything else a bold title and its body."""
    lines, out, i = text.split("\n"), [], 0
    for block in admonitions(text, tabs=True):
        start = block.line - 1
        if start < i:  # inside the block before it: written out with that block's body
            continue
        end = block.end
        while end > start + 1 and not lines[end - 1].strip():  # the blank lines after it are the page's
            end -= 1
        indent = lines[start][: len(lines[start]) - len(lines[start].lstrip())]
        out += lines[i:start]
        title = f"**{block.title or block.kind.capitalize()}**"
        inner = blocks_to_markdown("\n".join(line[len(indent) + 4 :] for line in lines[start + 1 : end])).split("\n")
        if block.kind == "note":
            out += [f"{indent}> {title}", f"{indent}>", *(f"{indent}> {b}" if b else f"{indent}>" for b in inner)]
        else:
            out += [f"{indent}{title}", "", *(f"{indent}{b}" if b else "" for b in inner)]
        i = end
    return "\n".join(out + lines[i:])


def absolute(target: str, page, files) -> str:
    """A link of the page as SITE + the path of its target in the site, resolved as MkDocs resolves links."""
    if re.match(r"[a-z][a-z0-9+.-]*:", target):
        return target
    path, _, anchor = target.partition("#")
    resolved = posixpath.normpath(posixpath.join(posixpath.dirname(page.file.src_uri), path))
    # A .ipynb link is the notebook's download (mkdocs-jupyter copies the file), not its page, which the file's url names.
    file = files.get_file_from_path(resolved) if path and not path.endswith(".ipynb") else None
    if file is not None:  # a page or an asset: its address, as MkDocs makes it
        url = file.url
    elif path:  # what a hook links in raw HTML (the notebook): relative to the page's folder (…/index.html offline)
        folder = posixpath.dirname(page.url) if page.url.endswith(".html") else page.url
        url = posixpath.normpath(posixpath.join(folder, path)) + ("/" if path.endswith("/") else "")
    else:  # the page itself
        url = page.url
    return SITE + url + (f"#{anchor}" if anchor else "")


def prose(text: str, page, files) -> str:
    """Outside code: no attribute lists or dark-palette figures; <q> and the hooks' HTML as Markdown; links absolute."""
    text = ATTR_LIST.sub("", text).replace("<q>", "“").replace("</q>", "”")
    text = DARK_FIGURE.sub("", text).replace("#only-light)", ")")
    text = HTML_P.sub(lambda m: html.unescape(m["body"].replace("<br>", "  \n")), text)  # a hard line break
    text = HTML_A.sub(lambda m: f"[{m['text']}]({m['href']})", text)
    text = LINK.sub(lambda m: f"{m['text']}({absolute(m['target'], page, files)})", text)
    return re.sub(r"\n{3,}", "\n\n", text)  # the blank lines a dropped attribute list or block title leaves


def expand(match: re.Match, docs_dir: Path) -> str:
    """One --8<-- line written out: a snippet's program or a recorded output (the base paths of mkdocs.yml)."""
    if match["section"] == "program":
        text = harness.program(harness.SNIPPETS_DIR / match["path"])
    else:
        text = (docs_dir / "assets" / match["path"]).read_text(encoding="utf-8").rstrip("\n")
    return "\n".join(match["prefix"] + line if line else match["prefix"].rstrip() for line in text.split("\n"))


def article_markdown(markdown: str, page, config, files) -> str:
    markdown = outside_fences(blocks_to_markdown(markdown), lambda text: prose(text, page, files),
                              lambda code: INCLUDE.sub(lambda m: expand(m, Path(config.docs_dir)), code))
    return markdown.strip() + "\n"


def collect(markdown: str, page, config, files) -> Page | None:
    """An article's Markdown as every other step left it (or, for the glossary and about pages, its title alone)."""
    article = ARTICLE_PAGE.fullmatch(page.file.src_uri) is not None
    if not (article or LISTED.search(page.file.src_uri)):
        return None
    return Page(page.url, page.meta.get("title") or page.title, page.meta.get("description", ""),
                article_markdown(markdown, page, config, files) if article else "")


def about_links(markdown: str, config) -> str:
    if not config.use_directory_urls:  # the about page's raw links: about.html is beside llms.txt, not in about/ under it
        markdown = ABOUT_LINK.sub(r'href="\1"', markdown)
    return markdown


def language(nav, config) -> dict:
    """This language's root, name, description and page urls in navigation order (after static-i18n made its nav)."""
    i18n = config.plugins.get("i18n")
    language = config.theme["language"]
    root = "" if i18n is None or language == i18n.default_language else f"{language}/"
    return {"root": root, "name": config.site_name, "description": config.site_description or "",
            "urls": [page.url for page in nav.pages]}


def site_links(text: str, config, here: str) -> str:
    """SITE + path made absolute on site_url, or relative to `here` (the folder of the file, in the site)."""
    prefix = config.site_url.rstrip("/") + "/" if config.site_url else "../" * here.count("/")
    return text.replace(SITE, prefix)


def write(site: Path, path: str, text: str, config) -> None:
    target = site / path
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(site_links(text, config, posixpath.dirname(path) + "/" if "/" in path else ""), encoding="utf-8")


def write_files(site: Path, config, languages: dict[str, dict], collected: dict[str, Page]) -> None:
    """llms.txt, llms-full.txt and each article's Markdown, per language (language -> its language(); url -> Page)."""
    for language, info in languages.items():
        text, root = TEXT.get(language, TEXT["en"]), info["root"]
        pages = [collected[url] for url in info["urls"] if url in collected]
        articles = [with_address(page, text) for page in pages if page.markdown]
        links = {"full": f"{SITE}{root}llms-full.txt", "index": f"{SITE}{root}llms.txt"}
        head = f"# {info['name']}\n\n> {info['description']}\n\n"
        listing = [head + text["listing"].format(**links) + "\n", f"## {text['articles']}\n"]
        for page, markdown in zip([p for p in pages if p.markdown], articles):
            listing.append(f"- [{page.title}]({SITE}{page.url}): {page.description} "
                           f"([{text['markdown']}]({SITE}{markdown_path(page.url)}))")
            write(site, markdown_path(page.url), markdown, config)
        listing += ["", "## Optional\n"]  # the proposal's name for what a reader can skip
        listing += [f"- [{page.title}]({SITE}{page.url})" + (f": {page.description}" if page.description else "")
                    for page in pages if not page.markdown]
        write(site, f"{root}llms.txt", "\n".join(listing) + "\n", config)
        write(site, f"{root}llms-full.txt", head + text["full"].format(**links) + "\n\n" + "\n".join(articles), config)


def markdown_path(url: str) -> str:
    """The proposal's address of a page's Markdown: its URL + .md, index.html.md for a folder (use_directory_urls)."""
    return url + ".md" if url.endswith(".html") else url + "index.html.md"


def with_address(page: Page, text: dict) -> str:
    """The article's Markdown with its web address under its title."""
    heading = FIRST_HEADING.search(page.markdown)
    at = heading.end() if heading else 0
    return page.markdown[:at] + f"\n\n[{text['page']}]({SITE}{page.url})" + page.markdown[at:]
