"""The editor's layer, checked like the code: quotations of the originals are real, and cross-references tell the truth.

Quotations: in an editor's note every passage quoted from the original is a `<q>…</q>` element (tools/originals.py).
On a Chinese page it must occur in that article's original (`../shared/seeds/`, mapped in tools.originals.ORIGINALS),
up to whitespace and punctuation; its English twin quotes, in translation, as many passages in the same note.
"""

from __future__ import annotations

import pytest

from conftest import ARTICLES, ROOT
from tools import originals

needs_seeds = pytest.mark.skipif(
    not originals.seeds_available(),
    reason=f"the originals are not in {originals.SEEDS_DIR} (the shared/ folder beside the checkout), so quotations cannot be checked",
)


def page(slug: str, lang: str):
    return ROOT / "docs" / "articles" / slug / f"index.{lang}.md"


def test_every_article_has_its_original_mapped():
    assert sorted(originals.ORIGINALS) == ARTICLES, "tools/originals.py ORIGINALS must name the original of every article"


@needs_seeds
@pytest.mark.parametrize("slug", ARTICLES)
def test_quotations_are_in_the_original(slug):
    invented = originals.invented_quotations(slug)
    assert not invented, (
        f"quotations not found in the original {originals.seed_path(slug).name} (quote its real text, or stop quoting):\n"
        + "\n".join(invented)
    )


@pytest.mark.parametrize("slug", ARTICLES)
def test_english_notes_quote_as_many_passages(slug):
    differ = originals.untranslated_quotations(page(slug, "zh"), page(slug, "en"))
    assert not differ, f"{slug}: English notes must translate every quotation of their Chinese twin:\n" + "\n".join(differ)


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_quotations_only_in_notes(slug, lang):
    assert not originals.stray_quotations(page(slug, lang))


@pytest.mark.parametrize(
    ("quotation", "original"),
    [
        ("使用验证集评估模型性能，以避免过拟合", "1. **验证集评估**：使用验证集评估模型性能,以避免过拟合。"),
        ("AI大模型", "AI 大模型"),  # spaces between Chinese and Latin letters
        ("Python（推荐版本 3.8 及以上）", "安装Python(推荐版本3.8及以上)。"),  # full- and half-width brackets
        ("“大”模型", '"大"模型'),  # quotation marks
        ("生成器训练……直到模型收敛", "2. **生成器训练**：生成器尝试生成数据。\n4. 重复，直到模型收敛。"),  # an omission
        (r"\(L = \frac{1}{2}\)", "$L = \\frac{1}{2}$"),  # math delimiters
    ],
)
def test_normalization_keeps_the_wording_only(quotation, original):
    assert originals.in_original(quotation, original)


@pytest.mark.parametrize(
    ("quotation", "original"),
    [
        ("直到模型收敛……生成器训练", "2. 生成器训练。4. 直到模型收敛。"),  # the parts of an omission out of order
        ("AI 大模型创业：打造爆款应用", "关键词：AI大模型，创业，爆款应用"),  # words of the original, not its sentence
        ("……", "anything"),  # nothing quoted
    ],
)
def test_normalization_does_not_invent(quotation, original):
    assert not originals.in_original(quotation, original)


@needs_seeds
def test_an_invented_quotation_fails_and_is_named():
    """A sentence the editors wrote (the page's own title), passed off as the original's, is caught and located."""
    slug = "cnn-app"
    text = page(slug, "zh").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# ")).removeprefix("# ")
    first = originals.notes(page(slug, "zh"))[0]
    lines = text.splitlines()
    lines.insert(first.line, f"    原文写<q>{title}</q>。")
    found = originals.invented_quotations(slug, "\n".join(lines))
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/articles/{slug}/index.zh.md:{first.line} (note in “"), found[0]
    assert found[0].endswith(f"<q>{title}</q>"), found[0]


def test_a_quotation_outside_a_note_is_caught():
    text = page("cnn-app", "zh").read_text(encoding="utf-8") + "\n正文里的<q>引文</q>。\n"
    assert originals.stray_quotations(page("cnn-app", "zh"), text)


def test_a_missing_quotation_in_english_is_caught():
    zh = '!!! note "编者注"\n    原文写<q>甲</q>和<q>乙</q>。\n'
    en = "!!! note \"Editor's note\"\n    The original says <q>A</q> and B.\n"
    differ = originals.untranslated_quotations(ROOT / "x.zh.md", ROOT / "x.en.md", zh, en)
    assert differ == ["x.zh.md:1 (note in “(top of the page)”) quotes 2 passage(s), x.en.md:1 (note in “(top of the page)”) quotes 1"]


def test_skips_without_the_originals(monkeypatch, tmp_path):
    monkeypatch.setattr(originals, "SEEDS_DIR", tmp_path / "shared" / "seeds")
    assert not originals.seeds_available()


# Cross-references (tools/crossrefs.py): titles are the real ones; "verified there" points to a section with a program.

from tools import crossrefs  # noqa: E402

PAGES = [p.relative_to(ROOT).as_posix() for p in crossrefs.pages()]


@pytest.mark.parametrize("path", PAGES)
def test_links_name_articles_by_their_real_titles(path):
    wrong = crossrefs.wrong_titles(ROOT / path)
    assert not wrong, "links that name another article by a title it does not have:\n" + "\n".join(wrong)


@pytest.mark.parametrize("path", PAGES)
def test_verified_there_points_to_a_section_that_runs_a_program(path):
    unverified = crossrefs.unverified_references(ROOT / path)
    assert not unverified, "\n".join(unverified)


def test_the_cross_reference_checks_see_the_links():
    links = [link for p in crossrefs.pages() for link in crossrefs.article_links(p)]
    assert len(links) > 100, f"only {len(links)} links between pages found: is the link pattern still right?"


ZH_PAGE = ROOT / "docs" / "articles" / "tech-challenges-revisited" / "index.zh.md"
EN_PAGE = ROOT / "docs" / "articles" / "tech-challenges-revisited" / "index.en.md"


@pytest.mark.parametrize(
    ("page", "sentence"),
    [
        (ZH_PAGE, "见[《AI 大模型：定义、特点、算法与公式》](../large-model-basics/index.md)。"),  # a title it never had
        (EN_PAGE, "See [Large AI models: definition, features, algorithms and formulas](../large-model-basics/index.md)."),
        (EN_PAGE, "See [*Large AI Models: Definitions*](../large-model-basics/index.md)."),
    ],
)
def test_a_wrong_title_fails(page, sentence):
    text = page.read_text(encoding="utf-8") + "\n" + sentence + "\n"
    wrong = crossrefs.wrong_titles(page, text)
    assert len(wrong) == 1 and "large-model-basics" in wrong[0], wrong


@pytest.mark.parametrize(
    ("page", "sentence"),
    [
        (ZH_PAGE, "这个公式在[《AI 大模型的定义、特点、算法与公式》](../large-model-basics/index.md#history)中有详细的验证。"),
        (ZH_PAGE, "这个公式在[《AI 大模型的定义、特点、算法与公式》](../large-model-basics/index.md)中核对过。"),
        (EN_PAGE, "The formula is checked in [*Large AI Models*](../large-model-basics/index.md#history)."),
    ],
)
def test_verified_there_without_a_program_fails(page, sentence):
    text = page.read_text(encoding="utf-8") + "\n" + sentence + "\n"
    assert len(crossrefs.unverified_references(page, text)) == 1


# "Every change is marked" made true: the banner says which changes carry a note, and where the structural edits are.

BANNER = {"zh": '!!! info "关于本页"', "en": '!!! info "About this page"'}
PROMISE = {"zh": "列在本页第一条编者注里", "en": "listed in the first editor's note on the page"}
STRUCTURAL = {"zh": "本页在结构上的改动", "en": "The structural edits on this page"}


def structural_note_problems(page, lang, text=None):
    text = page.read_text(encoding="utf-8") if text is None else text
    banner = text.split(BANNER[lang], 1)[1].split("\n\n", 1)[0] if BANNER[lang] in text else ""
    if PROMISE[lang] not in " ".join(banner.split()):
        return []
    notes = originals.notes(page, lang, text)
    first_section = text.find("\n## ")
    if not notes or text.find(originals.NOTE_START[lang]) > first_section:
        return [f"{page.relative_to(ROOT)}: the banner promises a first editor's note listing the structural edits, but no note comes before the first section"]
    if STRUCTURAL[lang] not in notes[0].text:
        return [f"{page.relative_to(ROOT)}:{notes[0].line}: the first editor's note does not list the structural edits ({STRUCTURAL[lang]!r})"]
    return []


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_the_banner_promise_holds(slug, lang):
    assert not structural_note_problems(page(slug, lang), lang)


def test_a_broken_banner_promise_fails():
    zh = page("cnn-app", "zh")
    text = zh.read_text(encoding="utf-8").replace(STRUCTURAL["zh"], "本页的改动")
    assert structural_note_problems(zh, "zh", text)
