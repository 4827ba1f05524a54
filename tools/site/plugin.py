"""The site's one MkDocs plugin (mkdocs.yml `plugins: - ai-notes`, an entry point of pyproject.toml): every build
step of tools/site/, event by event, in the order it runs, and the state the steps share. The modules it calls say
what each step does and why.

It is the last entry of `plugins:`, so at an equal priority it runs after search, offline, mkdocs-jupyter and
static-i18n. The priorities below place a step before or after those plugins' own handlers (MkDocs runs an event's
handlers from the highest priority down). static-i18n builds the other languages inside its on_post_build (-100),
with this same instance, so the state below spans all languages, and the steps that write files for the whole site
wait for the last language (`building` false).
"""

from __future__ import annotations

from pathlib import Path

from mkdocs.plugins import BasePlugin, CombinedEvent, event_priority

from tools.site import katex_engine, notebook_cache
from tools.site import links_hook as links
from tools.site import llms_txt as llms
from tools.site import mkdocs_hooks as pages
from tools.site import provenance_hook as provenance
from tools.site import register_hooks as register
from tools.site import search_hooks as search


def other_languages_pending(config) -> bool:
    """True while static-i18n builds a language inside its on_post_build: the other languages come later."""
    return getattr(config.plugins.get("i18n"), "building", False)


class SitePlugin(BasePlugin):
    def __init__(self):
        self.serve = False  # `mkdocs serve`: a stale diagram is drawn by mermaid in the browser instead of failing
        self.original_nav: dict[int, list] = {}  # id(config) -> mkdocs.yml's nav (config.nav is rewritten per language)
        self.repository: dict[str, str] = {}  # REPO_URL's url and branch; empty without REPO_URL
        self.notebook_urls: set[str] = set()  # left out of the search index
        self.entries_before: dict[str, int] = {}  # page url -> the index's length before the search plugin read it
        self.glossary_rows: dict[str, list[dict]] = {}  # page url -> its rows' search entries
        self.not_found: dict[str, str] = {}  # language -> its 404.html
        self.llms_pages: dict[str, llms.Page] = {}  # by url, kept across `mkdocs serve --dirtyreload` rebuilds
        self.llms_languages: dict[str, dict] = {}  # language -> its root, name, description and page urls

    def on_startup(self, *, command, dirty):
        self.serve = command == "serve"

    def on_shutdown(self):
        katex_engine.close_all()

    def on_build_error(self, *, error):
        katex_engine.close_all()

    # --- on_config -----------------------------------------------------------------------------------------------

    @event_priority(100)  # before Material's search plugin copies its settings into its index
    def _separator(self, config):
        search.set_separator(config)

    @event_priority(50)  # before Material's offline plugin adds its shim from unpkg.com
    def _polyfill(self, config):
        pages.offline_polyfill(config)

    def _config(self, config):
        notebook_cache.wrap_mkdocs_jupyter(config)
        self.repository = links.repository(config)

    @event_priority(-150)  # after static-i18n (-100) has set this language's theme and site_description
    def _articles(self, config):
        register.register_articles(config, self.original_nav.setdefault(id(config), config.nav))

    on_config = CombinedEvent(_separator, _polyfill, _config, _articles)

    # --- files and navigation --------------------------------------------------------------------------------------

    @event_priority(-100)  # after static-i18n has chosen this language's files
    def _notebooks_and_figures(self, files, *, config):
        self.notebook_urls |= pages.wrap_notebooks(files, config)
        pages.add_figures(files, config)

    @event_priority(-110)  # after the notebooks are notebook pages again
    def _notebook_twins(self, files, *, config):
        register.notebook_alternates(files, config)

    on_files = CombinedEvent(_notebooks_and_figures, _notebook_twins)

    @event_priority(-100)  # after static-i18n has made this language's navigation
    def on_nav(self, nav, *, config, files):
        self.llms_languages[config.theme["language"]] = llms.language(nav, config)

    def on_pre_page(self, page, *, config, files):
        if page.file.src_uri.endswith(".ipynb"):
            page.edit_url = None  # generated from the snippets (tools/generate/notebooks.py): nothing to edit by hand

    # --- a page's Markdown ----------------------------------------------------------------------------------------

    @event_priority(100)  # before anything else reads the page
    def _substitute(self, markdown, *, page, config, files):
        return register.substitute(markdown, page, config)

    def _markdown(self, markdown, *, page, config, files):
        markdown = pages.join_cjk_lines(pages.link_the_notebook(markdown, page, config))
        return provenance.add_provenance(markdown, page, config)

    @event_priority(-100)  # the page's Markdown as every step (and plugin) left it
    def _collect(self, markdown, *, page, config, files):
        collected = llms.collect(markdown, page, config, files)
        if collected is not None:
            self.llms_pages[page.url] = collected
        return llms.about_links(markdown, config)

    on_page_markdown = CombinedEvent(_substitute, _markdown, _collect)

    # --- its HTML and its search entries ---------------------------------------------------------------------------

    def _content(self, html, *, page, config, files):
        if links.is_notebook(page):
            html = links.shared_heading_ids(html, page)
        if self.repository:
            html = links.link_snippet_titles(html, page, self.repository)
            html = links.colab_on_article(html, page, self.repository)
        return links.backend_badges(html, config.theme["language"])

    @event_priority(-20)  # after _content; the search plugin reads the page later, in on_page_context
    def _search_content(self, html, *, page, config, files):
        index = search.search_index(config)
        self.entries_before[page.url] = len(index.entries) if index is not None else 0
        html = search.editorial_lead_left_out(html)
        if search.is_glossary(page):
            html, self.glossary_rows[page.url] = search.glossary_rows(html, page)
        return html

    on_page_content = CombinedEvent(_content, _search_content)

    def _context(self, context, *, page, config, nav):
        register.title_notebook(page, config)
        links.previous_next(page, nav)

    @event_priority(-10)  # after Material's search plugin has added the page's entries
    def _search_entries(self, context, *, page, config, nav):
        index = search.search_index(config)
        if index is not None:
            rows = self.glossary_rows.get(page.url, []) if search.is_glossary(page) else []
            search.index_entries(index, page, config, self.entries_before.get(page.url, len(index.entries)), rows)

    on_page_context = CombinedEvent(_context, _search_entries)

    def on_template_context(self, context, *, template_name, config):
        if template_name == "404.html":
            search.switcher_to_homes(config)

    def _template(self, output, *, template_name, config):
        return pages.name_search_dialog(output, config)  # 404.html and other static templates

    @event_priority(-50)  # after the search dialog is named
    def _not_found(self, output, *, template_name, config):
        if template_name == "404.html":
            output = self.not_found[config.theme["language"]] = search.not_found_page(output, config)
        return output

    on_post_template = CombinedEvent(_template, _not_found)

    def on_post_page(self, output, *, page, config):
        output = pages.finish_page(output, page, config, self.serve)
        return links.notebook_actions(output, page, self.repository)

    # --- the whole site, after the last language -------------------------------------------------------------------

    @event_priority(-200)  # after static-i18n has built every language and written the index of all of them
    def _site_files(self, *, config):
        if other_languages_pending(config):
            return
        pages.split_search_index(config, self.notebook_urls)
        register.drop_sitemaps(config)
        llms.write_files(Path(config.site_dir), config, self.llms_languages, self.llms_pages)

    @event_priority(-300)  # after the index is split
    def _search_files(self, *, config):
        if other_languages_pending(config):
            return
        site = Path(config.site_dir)
        search.patch_search_worker(site)
        search.write_not_found(site, config, self.not_found)
        self.not_found.clear()

    on_post_build = CombinedEvent(_site_files, _search_files)
