"""Steps of the site plugin (tools/site/plugin.py): from a page to running code, and pages that read on any screen.

Repository links, only when REPO_URL is set (mkdocs.yml: `repo_url: !ENV [REPO_URL, null]`); without it the site
builds with none of them, and no relative "edit" link either (MkDocs would make one from `edit_uri` alone):

- the title of every included snippet (```python title="snippets/<slug>/<file>.py") links that file in the
  repository, at the branch `edit_uri` names (`edit/<branch>/docs/`);
- "edit this page" / "view the source" (Material's content.action.edit / .view) link the page's own Markdown
  file; notebook pages get none (a notebook is generated from the snippets, never edited);
- the line under an article's title that links its notebook also opens the notebook in Colab (GitHub only);
- each notebook page gets a line of links under its title: download the .ipynb (with the `download` attribute),
  open it in Colab (only for a GitHub repository: Colab opens notebooks by their GitHub path), and the snippet
  folder it is generated from.

Backends: every snippet's title bar names the Keras backends its tests run it on, from its metadata
(`backends`, tools/model/snippets.py; tests/test_snippets.py runs each): "TensorFlow · JAX", or "TensorFlow only".

Notebook headings get the same ids in both languages, so that the language switch (which takes the address's
#section along: overrides/partials/alternate.html) lands on the same program: mkdocs-jupyter makes a heading's id
from its text (`1-5-88` for "1. §5 卷积神经网络：识别 8×8 手写数字", a different one in English). The title becomes
`#notebook` and each program's heading the name of its snippet file (`snippets/cnn-app/01_cnn_digits.py`, shown under
the heading: `#cnn-digits`), in the page and in its table of contents, which `navigation.tracking` writes into the
address as the reader scrolls.

Footer: Material's "previous"/"next" follow the navigation, in which each article's notebook comes right after the
article, so every article's "next" led to its notebook. Pages other than notebooks now skip the notebooks: an
article leads to the next article (the last one to the glossary); a notebook page keeps its neighbours.
"""

from __future__ import annotations

import html
import re
from urllib.parse import quote

from mkdocs.exceptions import PluginError

from tools.model import snippets as harness
from tools.site.register_hooks import ARTICLE_PAGE, NOTEBOOK_PAGE

EDIT_URI = re.compile(r"^(?:edit|blob)/(?P<branch>[^/]+)/docs/$")
GITHUB = re.compile(r"^https://github\.com/(?P<owner>[\w.-]+)/(?P<repo>[\w.-]+?)(?:\.git)?/?$")
SNIPPET_TITLE = re.compile(r'<span class="filename">(?P<path>snippets/[\w./-]+\.py)</span>')
COLAB = "https://colab.research.google.com/github/{owner}/{repo}/blob/{branch}/{path}"
NOTEBOOK_ACTIONS = {
    "zh": {"download": "下载 {name}", "colab": "在 Colab 中打开", "source": "源程序：{folder}"},
    "en": {"download": "Download {name}", "colab": "Open in Colab", "source": "Source: {folder}"},
}
def repository(config) -> dict[str, str]:
    """{url, branch} of REPO_URL and edit_uri, or {} without REPO_URL (and then no edit links either)."""
    repo_url = (config.repo_url or "").rstrip("/")
    if not repo_url:
        config["edit_uri"] = ""  # no repository: no edit links (MkDocs would make them relative to the site)
        return {}
    match = EDIT_URI.match(config.edit_uri or "")
    if match is None:
        raise PluginError(f"mkdocs.yml: edit_uri {config.edit_uri!r} is not edit/<branch>/docs/: cannot link the repository")
    return {"url": repo_url, "branch": match["branch"]}


def repository_url(repository: dict, kind: str, path: str) -> str:
    """The repository's page for a file (kind "blob") or a folder ("tree"), path relative to the repository root."""
    return f"{repository['url']}/{kind}/{repository['branch']}/{quote(path)}"


def colab_url(repository: dict, path: str) -> str | None:
    match = GITHUB.match(repository["url"])
    if match is None:
        return None
    return COLAB.format(owner=match["owner"], repo=match["repo"], branch=repository["branch"], path=quote(path))


def link_snippet_titles(output: str, page, repository: dict) -> str:
    def link(match: re.Match) -> str:
        path = match["path"]
        if not (harness.ROOT / path).is_file():
            raise PluginError(f"{page.file.src_uri}: a code block's title names {path}, which is not in the repository")
        return f'<span class="filename"><a href="{html.escape(repository_url(repository, "blob", path))}">{path}</a></span>'

    return SNIPPET_TITLE.sub(link, output)


# After link_snippet_titles: the path may be a link by now.
TITLE_BAR = re.compile(r'<span class="filename">(?P<inner>(?:<a [^>]*>)?(?P<path>snippets/[\w./-]+\.py)(?:</a>)?)</span>')
BACKEND_NAMES = {"tensorflow": "TensorFlow", "jax": "JAX"}
BACKEND_LABELS = {
    "zh": {"only": "仅 {name}", "hint": "测试运行此程序所用的 Keras 后端（在每个后端上各项检查均须通过）"},
    "en": {"only": "{name} only", "hint": "The Keras backends the tests run this program on (all its checks must pass on each)"},
}


def backend_badges(output: str, language: str) -> str:
    """In each snippet's title bar, after its path: the Keras backends its metadata declares (which the tests run).
    Left out of the search index (Material's data-search-exclude): it would add "TensorFlow" to every program's section."""
    labels = BACKEND_LABELS.get(language, BACKEND_LABELS["en"])

    def badge(match: re.Match) -> str:
        names = [BACKEND_NAMES[b] for b in harness.load(harness.ROOT / match["path"]).backends]
        text = " · ".join(names) if len(names) > 1 else labels["only"].format(name=names[0])
        return (f'<span class="filename">{match["inner"]}'
                f'<span class="snippet-backends" data-search-exclude title="{html.escape(labels["hint"])}">{html.escape(text)}</span></span>')

    return TITLE_BAR.sub(badge, output)


NOTEBOOK_LINE = re.compile(r'(<p class="notebook-link">.*?)(</p>)', re.S)
COLAB_ON_ARTICLE = {"zh": '也可以<a href="{url}">在 Colab 中打开</a>。', "en": ' Or <a href="{url}">open it in Colab</a>.'}


def colab_on_article(output: str, page, repository: dict) -> str:
    """The line under an article's title that links its notebook (tools/site/mkdocs_hooks.py) also opens it in Colab."""
    match = ARTICLE_PAGE.fullmatch(page.file.src_uri)
    if match is None or match["lang"] not in COLAB_ON_ARTICLE:
        return output
    url = colab_url(repository, f"docs/articles/{match['slug']}/notebook.{match['lang']}.ipynb")
    if url is None:
        return output
    words = COLAB_ON_ARTICLE[match["lang"]].format(url=html.escape(url))
    return NOTEBOOK_LINE.sub(lambda m: m.group(1) + words + m.group(2), output, count=1)


NOTEBOOK_HEADING = re.compile(
    r'<h(?P<level>[1-6]) id="(?P<id>[^"]+)">(?P<text>.*?)<a class="anchor-link" href="#(?P=id)">(?P<mark>.*?)</a></h(?P=level)>'
    r'(?P<under>\s*<p><code>snippets/[\w-]+/(?:\d+_)?(?P<snippet>\w+)\.py</code></p>)?',
    re.S,
)
NOTEBOOK_TITLE_ID = "notebook"


def shared_heading_ids(output: str, page) -> str:
    """The notebook's title is #notebook and each program's heading the name of the snippet file shown under it."""
    renamed: dict[str, str] = {}

    def rename(match: re.Match) -> str:
        if match["level"] == "1":
            new = NOTEBOOK_TITLE_ID
        elif match["snippet"]:
            new = match["snippet"].replace("_", "-")
        else:
            return match.group(0)
        if new in renamed.values():
            raise PluginError(f"{page.file.src_uri}: two headings would get the id #{new}")
        renamed[match["id"]] = new
        level = match["level"]
        return (f'<h{level} id="{new}">{match["text"]}<a class="anchor-link" href="#{new}">{match["mark"]}</a></h{level}>'
                + (match["under"] or ""))

    output = NOTEBOOK_HEADING.sub(rename, output)

    def retarget(links) -> None:
        for link in links:
            link.id = renamed.get(link.id, link.id)
            retarget(link.children)

    retarget(page.toc or [])
    return output


def is_notebook(page) -> bool:
    return page is not None and page.file.src_uri.endswith(".ipynb")


def previous_next(page, nav) -> None:
    """The footer's neighbours of a page other than a notebook skip the notebooks."""
    if is_notebook(page):
        return
    pages = [p for p in nav.pages if not is_notebook(p)]
    if page in pages:
        at = pages.index(page)
        page.previous_page = pages[at - 1] if at > 0 else None
        page.next_page = pages[at + 1] if at + 1 < len(pages) else None


def notebook_actions(output: str, page, repository: dict) -> str:
    match = NOTEBOOK_PAGE.fullmatch(page.file.src_uri)
    if match is None:
        return output
    name, lang, slug = f"notebook.{match['lang']}.ipynb", match["lang"], match["slug"]
    words = NOTEBOOK_ACTIONS.get(lang, NOTEBOOK_ACTIONS["en"])
    # The intro cell's own link to the file (tools/generate/notebooks.py) downloads it too, instead of showing JSON.
    output = output.replace(f'<a href="{name}">', f'<a href="{name}" download>')
    links = [f'<a href="{name}" download>{words["download"].format(name=name)}</a>']
    if repository:
        colab = colab_url(repository, f"docs/{page.file.src_uri}")
        if colab:
            links.append(f'<a href="{html.escape(colab)}">{words["colab"]}</a>')
        folder = f"snippets/{slug}/"
        links.append(f'<a href="{html.escape(repository_url(repository, "tree", folder))}">{words["source"].format(folder=folder)}</a>')
    line = '<p class="notebook-actions">' + " · ".join(links) + "</p>"
    heading_end = output.find("</h1>")
    if heading_end < 0:
        raise PluginError(f"{page.file.src_uri}: no <h1> in the rendered notebook; cannot place its download link")
    at = heading_end + len("</h1>")
    return output[:at] + line + output[at:]
