"""Numbers that cannot drift (tools/model/recorded.py): a number in the prose that a program printed is a reference,
`{{ recorded.<name> }}`, that the build fills in from the recording; a number typed instead fails here, naming the page
and line. These replace the old substring tests (prose_numbers_*), which only checked that a number occurred somewhere."""

from __future__ import annotations

import re

import pytest

from conftest import ARTICLES, ROOT, language_root
from tools.model import recorded

DOCS = ROOT / "docs"


def page(slug: str, lang: str):
    return DOCS / "articles" / slug / f"index.{lang}.md"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_no_recorded_number_is_typed(slug, lang):
    typed = recorded.typed_recorded_numbers(page(slug, lang), slug)
    assert not typed, "numbers a program printed, typed into the prose instead of referenced:\n" + "\n".join(typed)


@pytest.mark.parametrize("slug", ARTICLES)
def test_every_value_resolves_and_both_languages_use_the_same(slug):
    ledger = recorded.load(slug)
    for value in ledger.values.values():
        assert value.text(slug), f"{slug}: {value.name} resolves to nothing"
    assert not recorded.unused_values(slug)
    zh, en = (sorted(recorded.references(page(slug, lang).read_text(encoding="utf-8"))) for lang in ("zh", "en"))
    assert zh == en, f"{slug}: the two languages quote different recorded values:\n zh {zh}\n en {en}"


def first_precise_number(slug: str) -> tuple[str, str]:
    """A number an article's recordings print that the typed-number rule covers (at least 3 significant digits)."""
    for number, recording in recorded.recorded_numbers(slug).items():
        if "." in number and recorded.significant_digits(number) >= 4:
            return number, recording
    raise AssertionError(f"{slug}: no recording prints a decimal number with 4 significant digits")


@pytest.mark.parametrize("slug", ["cnn-app", "tech-challenges"])
def test_a_typed_number_fails_naming_page_and_line(slug):
    number, recording = first_precise_number(slug)
    text = page(slug, "zh").read_text(encoding="utf-8") + f"\n\n正文里手写的数字 {number}。\n"
    line = text.count("\n") - 1 + 1
    typed = [t for t in recorded.typed_recorded_numbers(page(slug, "zh"), slug, text) if f" {number} " in t]
    assert typed and typed[-1].startswith(f"docs/articles/{slug}/index.zh.md:{line}: {number} is printed in {recording}"), typed
    rounded = f"{float(number):.{len(number.split('.')[1]) - 1}f}"  # the same number rounded by one decimal is caught too
    if recorded.significant_digits(rounded) >= 3:
        text = page(slug, "en").read_text(encoding="utf-8") + f"\n\nA hand-typed {rounded}.\n"
        assert any(f" {rounded} " in t for t in recorded.typed_recorded_numbers(page(slug, "en"), slug, text))


@pytest.mark.parametrize("slug", ["cnn-app", "tech-challenges"])
def test_a_typed_number_between_chinese_characters_is_caught(slug):
    """Chinese text does not put spaces around a number: 准确率207.04。 is typed as surely as 准确率 207.04 。"""
    number, recording = first_precise_number(slug)
    text = page(slug, "zh").read_text(encoding="utf-8") + f"\n\n准确率为{number}，比原文高。\n"
    assert any(f" {number} is printed in {recording}" in t
               for t in recorded.typed_recorded_numbers(page(slug, "zh"), slug, text)), f"准确率为{number}， not caught"


def test_a_typed_exception_needs_its_reason(tmp_path):
    (tmp_path / "articles" / "demo").mkdir(parents=True)
    (tmp_path / "articles" / "demo" / "recorded.yml").write_text("typed:\n  '0.25': a seed range\n  '1234':\n", encoding="utf-8")
    with pytest.raises(recorded.RecordedError, match=r"recorded.yml: typed numbers without a reason: \['1234'\]"):
        recorded.load("demo", tmp_path)


def test_code_links_anchors_and_references_are_not_prose():
    text = "`0.9822` [x](a/0.9822.md) { #s-0.9822 } <span data-x=\"0.9822\"> {{ recorded.acc }}\n\n```text\n0.9822\n```\n"
    assert not re.search(r"\d", recorded.prose(text))


def test_a_reference_is_replaced_and_an_unknown_one_fails(tmp_path):
    docs, generated = tmp_path / "docs", tmp_path / "generated"
    (docs / "articles" / "demo").mkdir(parents=True)
    (generated / "demo").mkdir(parents=True)
    (generated / "demo" / "01_demo.txt").write_text("held-out accuracy: 0.9822\nloss 1.5\nloss 0.25\nloss 0.75\n", encoding="utf-8")
    (docs / "articles" / "demo" / "recorded.yml").write_text(
        "values:\n"
        "  acc: {snippet: 01_demo, pattern: 'held-out accuracy: (\\S+)'}\n"
        "  mistakes: {snippet: 01_demo, pattern: 'held-out accuracy: (\\S+)', expr: 'round((1 - x) * 450)', format: '{:.0f}'}\n"
        "  last_loss: {snippet: 01_demo, pattern: 'loss (\\S+)', match: -1, format: '{:.2f}'}\n"
        "  lowest: {snippet: 01_demo, pattern: 'loss (\\S+)', match: min}\n"
        "  lowest_at: {snippet: 01_demo, pattern: 'loss (\\S+)', match: argmin}\n",
        encoding="utf-8")
    out = recorded.substitute("准确率 {{ recorded.acc }}，答错 {{recorded.mistakes}} 张，\\(L = {{ recorded.last_loss }}\\)",
                              "demo", "demo.md", docs, generated)
    assert out == "准确率 0.9822，答错 8 张，\\(L = 0.75\\)"
    assert recorded.substitute("{{ recorded.lowest }} after step {{ recorded.lowest_at }}", "demo", "demo.md", docs, generated) == "0.25 after step 2"
    with pytest.raises(recorded.RecordedError, match=r"demo\.md: \{\{ recorded\.nope \}\} is not defined in docs/articles/demo/recorded\.yml"):
        recorded.substitute("{{ recorded.nope }}", "demo", "demo.md", docs, generated)
    (generated / "demo" / "01_demo.txt").write_text("the program now prints something else\n", encoding="utf-8")
    with pytest.raises(recorded.RecordedError, match=r"acc: 01_demo\.txt does not print"):
        recorded.substitute("{{ recorded.acc }}", "demo", "demo.md", docs, generated)


def test_the_built_pages_show_the_recorded_values(built_site):
    """The build replaced every reference (none is left in the HTML), with the text the recording holds."""
    checked = 0
    for slug in ARTICLES:
        for name, value in recorded.load(slug).values.items():
            for lang in ("zh", "en"):
                html = (language_root(built_site, lang) / "articles" / slug / "index.html").read_text(encoding="utf-8")
                assert not recorded.REFERENCE.search(html), f"{slug} ({lang}): a reference was left unreplaced"
                assert value.text(slug) in html, f"{slug} ({lang}): {name} = {value.text(slug)!r} is not on the built page"
                checked += 1
    assert checked >= 20, f"only {checked} recorded values on the pages: are the references still used?"
