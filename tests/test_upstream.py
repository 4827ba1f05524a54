"""What our hooks and overrides take from the inside of Material, mkdocs-static-i18n and mkdocs-jupyter rather than
from their documented options. Each test fails, naming our code to adapt, when the installed package no longer has
what that code relies on, or no longer has the bug it works around. No site build.

After an upgrade that fails here: see whether upstream now does it right (then delete the workaround), else adapt
the workaround and the value recorded below. Each negative test feeds a check a modified copy of the upstream text.
"""

from __future__ import annotations

import hashlib
import inspect
import re
from pathlib import Path

import material
import pytest
from material.plugins.search import plugin as search_plugin
from mkdocs_jupyter import convert
from mkdocs_jupyter import plugin as jupyter_plugin
from mkdocs_static_i18n import plugin as i18n_plugin
from mkdocs_static_i18n import suffix as i18n_suffix

from conftest import ARTICLES, ROOT
from tools.site import links_hook, mkdocs_hooks, search_hooks

TEMPLATES = Path(material.__file__).parent / "templates"

# Material partials that overrides/ copies whole and changes: their sha256 in mkdocs-material 9.8.1.
COPIED_PARTIALS = {
    "partials/alternate.html": "572b1d4dae611aa5fd65107edec95e44331b6141abf86834ea4dc6c1ddd7241b",
    "partials/source.html": "6847616d67be4920d39c278c2799bf20222bbc02ee2a8393aca85e3eaa518752",
}

# Text of Material's templates that our code finds in the rendered page: (template, text, who relies on it).
MATERIAL_TEXT = [
    ("partials/search.html", mkdocs_hooks.SEARCH_DIALOG, "tools/site/mkdocs_hooks.py name_search_dialog (a silent no-op without it)"),
    ("base.html", '<script id="__config" type="application/json">', "CONFIG_BASE in tools/site/mkdocs_hooks.py and search_hooks.py"),
    ("base.html", '"base": base_url,', "CONFIG_BASE in tools/site/mkdocs_hooks.py and search_hooks.py"),
    ("base.html", '<link rel="alternate" href="{{ alt.link | url }}" hreflang=', "overrides/partials/alternate.html's script"),
    ("base.html", "{% block content %}", "overrides/404.html"),
]


def worker_problems(code: str) -> list[str]:
    return [f"{why}: expected {old!r} once, found {code.count(old)}" for old, _, why in search_hooks.WORKER_FIXES if code.count(old) != 1]


def test_materials_search_worker_has_every_expression_we_patch():
    [worker] = TEMPLATES.glob(search_hooks.WORKER_GLOB)
    problems = worker_problems(worker.read_text(encoding="utf-8"))
    assert not problems, "Material's search worker changed; if it fixed these, drop them from WORKER_FIXES" \
        " (tools/site/search_hooks.py), else adapt them:\n  " + "\n  ".join(problems)


def test_a_worker_that_fixed_the_segmentation_is_reported():
    [worker] = TEMPLATES.glob(search_hooks.WORKER_GLOB)
    old, new, why = search_hooks.WORKER_FIXES[0]
    assert worker_problems(worker.read_text(encoding="utf-8").replace(old, new)) == [f"{why}: expected {old!r} once, found 0"]


def partial_problem(partial: str, text: bytes) -> str | None:
    digest = hashlib.sha256(text).hexdigest()
    if digest != COPIED_PARTIALS[partial]:
        return (f"Material's {partial} changed: merge its change into overrides/{partial}, then record"
                f" {digest} in tests/test_upstream.py")
    return None


@pytest.mark.parametrize("partial", sorted(COPIED_PARTIALS))
def test_the_material_partials_we_copy_are_unchanged(partial):
    assert (ROOT / "overrides" / partial).exists(), f"overrides/{partial} is gone: drop it from COPIED_PARTIALS"
    problem = partial_problem(partial, (TEMPLATES / partial).read_bytes())
    assert problem is None, problem


def test_a_changed_partial_is_reported():
    text = (TEMPLATES / "partials/alternate.html").read_bytes().replace(b'class="md-select__link"', b'class="md-select__link" lang')
    assert "merge its change into overrides/partials/alternate.html" in partial_problem("partials/alternate.html", text)


@pytest.mark.parametrize(("template", "text", "who"), MATERIAL_TEXT, ids=[f"{t}:{x[:30]}" for t, x, _ in MATERIAL_TEXT])
def test_material_templates_still_say_what_our_hooks_look_for(template, text, who):
    assert text in (TEMPLATES / template).read_text(encoding="utf-8"), f"Material's {template} no longer has {text!r}: adapt {who}"


def test_materials_bundle_script_is_what_mermaid_goes_before():
    """tools/site/mkdocs_hooks.py (under `mkdocs serve`, a stale diagram) puts mermaid before this <script>."""
    match = re.search(r"""<script src="\{\{ '(assets/javascripts/bundle\.\w+\.min\.js)' \| url \}\}"></script>""",
                      (TEMPLATES / "base.html").read_text(encoding="utf-8"))
    assert match and mkdocs_hooks.BUNDLE_SCRIPT.fullmatch(f'<script src="../{match[1]}"></script>'), \
        "Material's bundle <script> changed: adapt BUNDLE_SCRIPT in tools/site/mkdocs_hooks.py"


def test_materials_language_switch_still_looks_up_sitemaps():
    """overrides/partials/alternate.html hides the head's hreflang links from this lookup and keeps this click handler
    (on document.body) from the switcher's links; if Material dropped the lookup, drop that script."""
    [bundle] = (TEMPLATES / "assets" / "javascripts").glob("bundle.*.min.js")
    code = bundle.read_text(encoding="utf-8")
    for text in ('"link[rel=alternate]"', 'new URL("sitemap.xml",', 'h(document.body,"click")'):
        assert text in code, f"Material's bundle no longer has {text!r}: see overrides/partials/alternate.html's scripts"


def test_materials_search_index_has_what_search_hooks_uses():
    """search_hooks.index_entries appends to SearchIndex.entries after Material's on_page_context and segments its
    own entries with the private SearchIndex._segment_chinese."""
    index = search_plugin.SearchIndex()
    assert index.entries == [], "Material's SearchIndex has no `entries` list: adapt tools/site/search_hooks.py"
    segment = getattr(index, "_segment_chinese", None)
    assert segment is not None and list(inspect.signature(segment).parameters) == ["data"], \
        "Material's SearchIndex._segment_chinese(data) is gone: adapt tools/site/search_hooks.py (page_entry_text, glossary rows)"
    assert segment("梯度下降法").replace("\u200b", "") == "梯度下降法", \
        "Material's _segment_chinese changes the text it segments: adapt tools/site/search_hooks.py (page_entry_text, glossary rows)"
    assert "self.search_index.add_entry_from_context(page)" in inspect.getsource(search_plugin.SearchPlugin.on_page_context), \
        "Material no longer indexes a page in on_page_context: adapt the priorities of SitePlugin.on_page_context"


def test_static_i18n_has_what_our_hooks_read():
    plugin = i18n_plugin.I18n()
    for name in ("building", "current_language", "extra_alternate", "i18n_files_per_language"):
        assert hasattr(plugin, name), f"static-i18n has no `{name}`: adapt tools/site/ (grep i18n.{name})"
    for name in ("default_language", "build_languages", "all_languages"):
        assert isinstance(getattr(type(plugin), name, None), property), f"static-i18n has no `{name}` property: adapt tools/site/ (grep i18n.{name})"
    assert list(inspect.signature(i18n_suffix.create_i18n_file).parameters) == \
        ["file", "current_language", "default_language", "all_languages", "config"], "adapt register_hooks.notebook_alternates"
    post_build = inspect.getsource(i18n_plugin.I18n.on_post_build)
    assert "self.building = True" in post_build and "build(config" in post_build and "reconfigure_search_index(config)" in post_build, \
        "static-i18n no longer builds the other languages inside its on_post_build (the `building` flag) nor writes one" \
        " combined index: adapt SitePlugin.on_post_build (tools/site/plugin.py: the index split, the 404 pages, llms.txt)"
    assert "config.extra.alternate = deepcopy(self.extra_alternate)" in inspect.getsource(i18n_plugin.I18n.reconfigure_page_context), \
        "static-i18n sets the switcher's links differently: adapt search_hooks.switcher_to_homes (the 404 page)"


def test_static_i18n_still_turns_notebook_pages_into_plain_files():
    """The reason for mkdocs_hooks.wrap_notebooks (re-wrapping) and register_hooks.notebook_alternates (twins): static-i18n#198."""
    assert "file = File(" in inspect.getsource(i18n_suffix.create_i18n_file), \
        "static-i18n's create_i18n_file may now keep a NotebookFile: see whether the re-wrapping and twinning can go"


def test_mkdocs_jupyter_calls_what_notebook_cache_wraps():
    """notebook_cache.py replaces plugin.convert.nb2html and plugin._get_nb_toc_tokens; that caches only while the
    page's render looks both up at call time, by those names (a `from .convert import nb2html` would bypass it)."""
    render = inspect.getsource(jupyter_plugin.Plugin.on_pre_page)
    for call in ("convert.nb2html(\n                    page.file.abs_src_path,", "_get_nb_toc_tokens(\n                    page.file.abs_src_path, toc_depth"):
        assert call in render, f"mkdocs-jupyter's render no longer calls {call.split('(')[0]}(path, …): tools/site/notebook_cache.py would not cache"
    assert jupyter_plugin.convert is convert, "mkdocs-jupyter's plugin no longer uses its convert module: adapt tools/site/notebook_cache.py"
    assert list(inspect.signature(jupyter_plugin._get_nb_toc_tokens).parameters) == ["fpath", "toc_depth"], \
        "mkdocs-jupyter's _get_nb_toc_tokens(fpath, toc_depth) changed: adapt tools/site/notebook_cache.py"
    assert list(inspect.signature(jupyter_plugin.NotebookFile).parameters) == ["file", "use_directory_urls", "site_dir", "kwargs"], \
        "NotebookFile(file, **config) changed: adapt mkdocs_hooks.wrap_notebooks and register_hooks.notebook_alternates"


def test_mkdocs_jupyter_still_evicts_the_cache_entries_a_build_did_not_use():
    """The reason for notebook_cache.py: with static-i18n the second language (or a build beside it) deletes the
    first's entries, and an entry deleted between its exists() and its read fails the build."""
    assert "cache_file.unlink()" in inspect.getsource(jupyter_plugin.Plugin.on_post_build), \
        "mkdocs-jupyter no longer evicts unused cache entries: see whether its own `cache: true` can replace notebook_cache.py"


def test_a_notebook_page_has_the_markup_our_hooks_rewrite():
    """What mkdocs-jupyter makes of a notebook with mkdocs.yml's settings (its defaults): the empty MathJax <script>
    and the code cells mkdocs_hooks.finish_page rewrites (silent no-ops otherwise), the headings links_hook renames."""
    defaults = {name: option.default for name, option in jupyter_plugin.Plugin.config_scheme}
    parameters = inspect.signature(convert.nb2html).parameters
    notebook = ROOT / "docs" / "articles" / ARTICLES[0] / "notebook.en.ipynb"
    body = convert.nb2html(str(notebook), **{name: value for name, value in defaults.items() if name in parameters})
    for text in ('<script src=""> </script>', '<div class="highlight-ipynb hl-python">'):
        assert text in body, f"mkdocs-jupyter's HTML has no {text!r}: adapt mkdocs_hooks.finish_page"
    headings = [m["level"] for m in links_hook.NOTEBOOK_HEADING.finditer(body)]
    assert headings.count("1") == 1 and len(headings) > 1, "mkdocs-jupyter's headings changed: adapt links_hook.NOTEBOOK_HEADING"
