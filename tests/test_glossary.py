"""The glossary as data: docs/glossary.yml, read only by tools/model/glossary.py, which renders the glossary pages'
tables and refuses a wrong row with the file and the row to fix."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, mkdocs_build, project_copy
from tools.model import glossary

PLACEHOLDER = re.compile(r"\{\{\s*glossary\.([\w-]+)\s*\}\}")


def docs_with(tmp_path, old: str, new: str):
    """A docs folder whose glossary.yml has `old` replaced by `new` (the articles are the real ones)."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "articles").symlink_to(ROOT / "docs" / "articles")
    text = (ROOT / "docs" / "glossary.yml").read_text(encoding="utf-8")
    assert text.count(old) == 1, old
    (docs / "glossary.yml").write_text(text.replace(old, new), encoding="utf-8")
    return docs


def test_both_pages_place_every_section_once_in_order():
    sections = list(glossary.load().headings) + ["spelling"]
    for lang in glossary.LANGUAGES:
        assert PLACEHOLDER.findall((ROOT / "docs" / f"glossary.{lang}.md").read_text(encoding="utf-8")) == sections, lang


def test_a_row_renders_with_its_variants_and_links():
    table = glossary.table(ROOT / "docs", "regularization", "en", "glossary.md")
    assert table.startswith("## Overfitting and regularization { #regularization }\n\n| Term | 中文 | Meaning | Where explained |")
    assert "\n| Early stopping | 早停<br>不用：提前停止 | Monitoring the loss" in table
    assert "[Tech challenges revisited §9.3](articles/tech-challenges-revisited/index.md#faq-overfitting)" in table


@pytest.mark.parametrize("old, new, message", [
    ("        en: large language model (LLM)\n", "", "row 2 (大语言模型): `en` is missing"),
    ("          en: >-\n            A large model pre-trained", "          fr: >-\n            A large model pre-trained",
     "row 2 (大语言模型): `meaning.en` is missing"),
    ("{to: cnn-app#mse,", "{to: cnn-app#no-such-anchor,", "row 2 (均方误差): `see` links cnn-app#no-such-anchor, but"),
    ("en: CNN and RNN §4.1.2}", "en: CNN and RNN §4.1.1}",
     "row 2 (均方误差): `see` links cnn-app#mse, but its en text should be 'CNN and RNN §4.1.2'"),
])
def test_a_wrong_row_names_the_file_and_the_row(tmp_path, old, new, message):
    with pytest.raises(glossary.GlossaryError) as error:
        glossary.load(docs_with(tmp_path, old, new))
    assert "glossary.yml: section " in str(error.value) and message in str(error.value), str(error.value)


def test_the_build_fails_on_a_missing_translation(tmp_path):
    project = project_copy(tmp_path)
    yml = project / "docs" / "glossary.yml"
    yml.write_text(yml.read_text(encoding="utf-8").replace("        en: mode collapse\n", ""), encoding="utf-8")
    result = mkdocs_build(project, tmp_path / "site")
    assert result.returncode != 0, "the build passed with a glossary row that has no English term"
    assert "glossary.yml: section generative, row 5 (模式崩溃): `en` is missing" in result.stderr, result.stderr[-3000:]
