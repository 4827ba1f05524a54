"""The ProperDocs comparison of the weekly canary (tools/run/engine_check.py): what it ignores and what it reports."""

from __future__ import annotations

from tools.run.engine_check import differences, site_requirements

PAGE = '<head><meta name="generator" content="{}"></head><p>$x^2$</p>'


def write(site, files: dict[str, str]) -> None:
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")


def test_only_the_generator_tag_may_differ(tmp_path):
    a, b = tmp_path / "mkdocs", tmp_path / "properdocs"
    write(a, {"index.html": PAGE.format("mkdocs-1.6.1, mkdocs-material-9.8.1"), "en/index.html": "<p>en</p>"})
    write(b, {"index.html": PAGE.format("mkdocs-ProperDocs 1.6.7, mkdocs-material-9.8.1"), "en/index.html": "<p>en</p>"})
    assert differences(a, b) == []


def test_a_changed_page_and_a_missing_one_are_reported(tmp_path):
    a, b = tmp_path / "mkdocs", tmp_path / "properdocs"
    write(a, {"index.html": PAGE.format("mkdocs"), "sitemap.xml": "<urlset/>"})
    write(b, {"index.html": PAGE.format("mkdocs").replace("x^2", "x^3"), "extra.html": ""})
    assert differences(a, b) == ["only in the MkDocs build: sitemap.xml", "only in the ProperDocs build: extra.html",
                                 "differs: index.html"]


def test_properdocs_gets_the_site_packages_and_not_tensorflow():
    names = [line.split("==")[0] for line in site_requirements()]
    assert {"mkdocs", "mkdocs-material", "mkdocs-static-i18n", "mkdocs-jupyter"} <= set(names), names
    assert not any(name.startswith("tensorflow") or name == "pytest" for name in names), names
