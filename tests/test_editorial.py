"""The editor's layer, checked like the code: quotations of the originals are real, and cross-references tell the truth.

Quotations: in an editor's note every passage quoted from the original is a `<q>…</q>` element (tools/editorial/originals.py).
On a Chinese page it must occur in that article's original (`../shared/seeds/`, mapped in tools.editorial.originals.ORIGINALS),
up to whitespace and punctuation; its English twin quotes, in translation, as many passages in the same note.
"""

from __future__ import annotations

import math
import re

import pytest

from conftest import ARTICLES, ROOT
from tools.editorial import originals

needs_seeds = pytest.mark.skipif(
    not originals.seeds_available(),
    reason=f"the originals are not in {originals.SEEDS_DIR} (the shared/ folder beside the checkout), so quotations cannot be checked",
)


def page(slug: str, lang: str):
    return ROOT / "docs" / "articles" / slug / f"index.{lang}.md"


def test_every_original_is_mapped_to_an_article():
    assert set(originals.ORIGINALS) <= set(ARTICLES), "tools/editorial/originals.py ORIGINALS names a slug that has no article"


def test_an_article_without_an_original_quotes_none():
    """An article written for this site (not mapped in ORIGINALS) has no original to quote."""
    for slug in (s for s in ARTICLES if s not in originals.ORIGINALS):
        quoted = [q for lang in ("zh", "en") for note in originals.notes(page(slug, lang)) for q in note.quotations]
        assert not quoted, f"{slug} is not mapped to an original in tools/editorial/originals.py, yet its notes quote one: {quoted[:3]}"


@pytest.mark.parametrize("mode", ["original", "fingerprint"])
@pytest.mark.parametrize("slug", sorted(originals.ORIGINALS))
def test_quotations_are_in_the_original(slug, mode):
    """Against the original where ../shared/seeds/ is present; against its committed fingerprint always (so the check
    also runs in a clone without the originals, such as GitHub's CI)."""
    if mode == "original" and not originals.seeds_available():
        pytest.skip(f"the originals are not in {originals.SEEDS_DIR}: the fingerprint case checks the quotations")
    invented = originals.invented_quotations(slug, use_fingerprint=mode == "fingerprint")
    assert not invented, (
        f"quotations not found in the original {originals.ORIGINALS[slug]} ({mode}; quote its real text, or stop quoting):\n"
        + "\n".join(invented)
    )


@needs_seeds
@pytest.mark.parametrize("slug", sorted(originals.ORIGINALS))
def test_the_committed_fingerprint_is_the_originals(slug):
    committed = originals.fingerprint_path(slug).read_text(encoding="ascii")
    assert committed == originals.fingerprint(originals.seed_path(slug).read_text(encoding="utf-8"), slug), (
        f"{originals.fingerprint_path(slug).relative_to(ROOT)} is not the fingerprint of {originals.ORIGINALS[slug]}:"
        " run `python -m tools.editorial.originals --fingerprint`")


def test_the_fingerprint_holds_no_text():
    text = originals.fingerprint_path("cnn-app").read_text(encoding="ascii")
    assert not re.search(r"[\u4e00-\u9fff]", text) and "卷积" not in text


@pytest.mark.parametrize(
    ("quotation", "found"),
    [
        ("使用验证集评估模型性能，以避免过拟合", True),
        ("验证集评估……避免过拟合", True),  # an omission, parts in order
        ("避免过拟合……验证集评估", False),  # parts out of order
        ("使用验证集评估模型性能，以避免欠拟合", False),  # one character changed
        ("验证集", True),  # under 4 characters: cannot be checked, passes
    ],
)
def test_fingerprint_matching(quotation, found):
    original = "1. **验证集评估**：使用验证集评估模型性能,以避免过拟合。"
    fp = originals.Fingerprint.read(originals.fingerprint(original))
    assert originals.in_fingerprint(quotation, fp) is found


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


@pytest.mark.parametrize("mode", ["original", "fingerprint"])
def test_an_invented_quotation_fails_and_is_named(mode):
    """A sentence the editors wrote (the page's own title), passed off as the original's, is caught and located,
    against the original and against its fingerprint."""
    if mode == "original" and not originals.seeds_available():
        pytest.skip(f"the originals are not in {originals.SEEDS_DIR}")
    slug = "cnn-app"
    text = page(slug, "zh").read_text(encoding="utf-8")
    title = next(line for line in text.splitlines() if line.startswith("# ")).removeprefix("# ")
    first = originals.notes(page(slug, "zh"))[0]
    lines = text.splitlines()
    lines.insert(first.line, f"    原文写<q>{title}</q>。")
    found = originals.invented_quotations(slug, "\n".join(lines), use_fingerprint=mode == "fingerprint")
    assert len(found) == 1, found
    assert found[0].startswith(f"docs/articles/{slug}/index.zh.md:{first.line} (note in “"), found[0]
    assert found[0].endswith(f"<q>{title}</q>"), found[0]


def test_a_quotation_outside_a_note_is_caught():
    text = page("cnn-app", "zh").read_text(encoding="utf-8") + "\n正文里的<q>引文</q>。\n"
    assert originals.stray_quotations(page("cnn-app", "zh"), text)


def test_a_missing_quotation_in_english_is_caught():
    zh = '??? note "编者注：甲乙"\n    原文写<q>甲</q>和<q>乙</q>。\n'
    en = "??? note \"Editor's note: A and B\"\n    The original says <q>A</q> and B.\n"
    differ = originals.untranslated_quotations(ROOT / "x.zh.md", ROOT / "x.en.md", zh, en)
    assert differ == ["x.zh.md:1 (note in “(top of the page)”) quotes 2 passage(s), x.en.md:1 (note in “(top of the page)”) quotes 1"]


def test_without_the_originals_the_fingerprint_checks_quotations(monkeypatch, tmp_path):
    monkeypatch.setattr(originals, "SEEDS_DIR", tmp_path / "shared" / "seeds")
    assert not originals.seeds_available()
    text = page("cnn-app", "zh").read_text(encoding="utf-8")
    assert originals.invented_quotations("cnn-app", text) == []
    invented = text.replace("<q>", "<q>编者虚构的一句话，", 1)
    assert len(originals.invented_quotations("cnn-app", invented)) == 1


# Cross-references (tools/editorial/crossrefs.py): titles are the real ones; "verified there" points to a section with a program.

from tools.editorial import crossrefs  # noqa: E402

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
    links = [link for p in crossrefs.pages() for link in crossrefs.article_links(p)]  # the glossary's: tools/model/glossary.py
    assert len(links) > 30, f"only {len(links)} links between pages found: is the link pattern still right?"


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


# "Every change is marked" made true: the page about the site (docs/about.{zh,en}.md, linked from the one line under
# each article's title) says which changes carry a note and promises that the first editor's note of every article
# lists its structural edits; every article edited from an original (tools.editorial.originals.ORIGINALS) keeps that promise.

ABOUT = {lang: ROOT / "docs" / f"about.{lang}.md" for lang in ("zh", "en")}
PROMISE = {"zh": "每篇文章的第一条编者注列出结构上的改动", "en": "The first editor's note of each article lists its structural edits"}
STRUCTURAL = {"zh": "本页在结构上的改动", "en": "The structural edits on this page"}
ABOUT_LINK = "](../../about.md#editors-notes)"  # the line under an article's title links how changes are marked


def structural_note_problems(page, lang, text=None):
    text = page.read_text(encoding="utf-8") if text is None else text
    notes = originals.notes(page, lang, text)
    first_section = text.find("\n## ")
    if not notes or (first_section >= 0 and notes[0].line > text.count("\n", 0, first_section) + 1):
        return [f"{page.relative_to(ROOT)}: docs/about.{lang}.md promises a first editor's note listing the structural edits, but no note comes before the first section"]
    if STRUCTURAL[lang].casefold() not in f"{notes[0].title or ''}\n{notes[0].text}".casefold():
        return [f"{page.relative_to(ROOT)}:{notes[0].line}: the first editor's note does not list the structural edits ({STRUCTURAL[lang]!r})"]
    return []


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_about_page_makes_the_promise(lang):
    text = " ".join(ABOUT[lang].read_text(encoding="utf-8").split())
    assert PROMISE[lang] in text, f"docs/about.{lang}.md no longer says {PROMISE[lang]!r}: the test below checks that promise"


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", sorted(originals.ORIGINALS))
def test_the_first_note_lists_the_structural_edits(slug, lang):
    assert not structural_note_problems(page(slug, lang), lang)


def test_a_broken_promise_fails():
    zh = page("cnn-app", "zh")
    text = zh.read_text(encoding="utf-8").replace(STRUCTURAL["zh"], "本页的改动")
    assert structural_note_problems(zh, "zh", text)
    text = zh.read_text(encoding="utf-8")
    first_note = originals.notes(zh, "zh", text)[0].line - 1  # a section heading above the first note: it no longer comes first
    lines = text.splitlines()
    problems = structural_note_problems(zh, "zh", "\n".join(lines[:first_note] + ["## 0. 新的一节 { #new }", ""] + lines[first_note:]))
    assert problems and "no note comes before the first section" in problems[0], problems


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", sorted(originals.ORIGINALS))
def test_one_line_under_the_title_links_the_about_page(slug, lang):
    """What the old "About this page" box said is on docs/about.*.md; an article edited from an original keeps one
    short line under its title that says so and links it (an article written for this site has no original)."""
    text = page(slug, lang).read_text(encoding="utf-8")
    after_title = text.split("\n# ", 1)[1].split("\n", 1)[1].lstrip("\n")
    first_block = after_title.split("\n\n", 1)[0]
    assert ABOUT_LINK in first_block and not first_block.startswith(("!!!", "???")), (
        f"{slug} ({lang}): the first paragraph under the title should be the one line that links ../../about.md, found:\n{first_block[:300]}"
    )
    limit = {"zh": 80, "en": 200}[lang]  # characters of the whole paragraph, the link's target left out
    shown = re.sub(r"\]\([^)]*\)", "]", first_block.replace("\n{ .page-origin }", "")).replace("\n", " ")
    assert len(shown) <= limit, f"{slug} ({lang}): the paragraph under the title has {len(shown)} characters, more than {limit}"


# Claims the notes of tech-challenges, cnn-app and large-model-basics make about their originals' code and numbers,
# and about TensorFlow / Keras / NumPy, run on the pinned versions (a fresh interpreter, CPU only).

import os  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import textwrap  # noqa: E402


def run_python(code: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONWARNINGS": "default"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def original_program(slug: str, contains: str) -> str:
    return next(block for block in originals.code_blocks(slug) if contains in block)


@needs_seeds
def test_large_model_basics_original_numpy_program_fails_on_its_shapes():
    """§1.5 note: y broadcasts to (100, 100), dw is (1, 100), and the first `w -= eta * dw` raises this ValueError."""
    program = original_program("large-model-basics", "np.random.seed(0)")
    probe = program.split("# 训练模型")[0] + "print('y', y.shape)\nprint('dw', (X.T).dot(X.dot(w) + b - y).shape)\n"
    shapes = run_python(probe)
    assert "y (100, 100)" in shapes.stdout and "dw (1, 100)" in shapes.stdout, shapes.stdout + shapes.stderr
    result = run_python(program)
    assert result.returncode != 0
    assert "ValueError: non-broadcastable output operand with shape (1,1) doesn't match the broadcast shape (1,100)" in result.stderr, result.stderr[-1500:]


@needs_seeds
def test_large_model_basics_original_loss_line_fails_and_summed_gradient_diverges():
    """§1.5 note: `.dot` of two (100, 1) vectors fails; with y fixed to (100, 1), eta = 0.1 on the summed gradient
    diverges (eta * sum x_i^2 is about 3 > 2), and the summed dw is about 100 times the averaged db in scale."""
    program = original_program("large-model-basics", "np.random.seed(0)")
    fixed = program.replace("3 * X.squeeze() + 2", "3 * X + 2").replace("print(\"Loss:\", loss)", "")
    loss_line = run_python(fixed)
    assert loss_line.returncode != 0 and "ValueError: shapes (100,1) and (100,1) not aligned" in loss_line.stderr, loss_line.stderr[-1500:]
    no_loss = fixed.replace("loss = (y_pred - y).dot(y_pred - y) / 2", "pass")
    result = run_python("import warnings\nwarnings.simplefilter('ignore')\n" + no_loss + textwrap.dedent("""
        print("eta*sum(x^2) =", eta * float((X ** 2).sum()))
        print("w finite:", bool(np.isfinite(w).all()))
    """))
    assert result.returncode == 0, result.stderr[-1500:]
    eta_sum = float(re.search(r"eta\*sum\(x\^2\) = (\S+)", result.stdout).group(1))
    assert 2.8 < eta_sum < 3.5, result.stdout
    assert "w finite: False" in result.stdout, result.stdout


def test_large_model_basics_standard_errors():
    """§1.5 note: the standard error of w for x ~ U(0, 1), noise sd 0.5 is about 0.17 for N = 100, 0.055 for N = 1000."""
    se = {n: 0.5 / math.sqrt(n / 12) for n in (100, 1000)}  # sd / sqrt(sum (x - mean)^2), Var U(0, 1) = 1/12
    assert round(se[100], 2) == 0.17 and round(se[1000], 3) == 0.055, se


def test_large_model_basics_keras_adam_epsilon_next_to_the_uncorrected_root():
    """§1.4.3 note: Keras's Adam adds epsilon to sqrt(v_t), not to sqrt(v_hat_t), and its default epsilon is 1e-7.
    A large epsilon (0.5) makes the two placements differ visibly after one step."""
    result = run_python(textwrap.dedent("""
        import keras, numpy as np
        print("default epsilon", keras.optimizers.Adam().epsilon)
        lr, b1, b2, eps, g = 0.1, 0.9, 0.999, 0.5, 2.0
        w = keras.Variable(np.array([1.0], dtype="float32"))
        opt = keras.optimizers.Adam(learning_rate=lr, beta_1=b1, beta_2=b2, epsilon=eps)
        opt.apply_gradients([(keras.ops.convert_to_tensor([g]), w)])
        m, v = (1 - b1) * g, (1 - b2) * g * g
        uncorrected = 1 - lr * np.sqrt(1 - b2) / (1 - b1) * m / (np.sqrt(v) + eps)
        corrected = 1 - lr * (m / (1 - b1)) / (np.sqrt(v / (1 - b2)) + eps)
        print("keras", float(w.numpy()[0]), "uncorrected", uncorrected, "corrected", corrected)
    """))
    assert result.returncode == 0, result.stderr[-1500:]
    assert "default epsilon 1e-07" in result.stdout, result.stdout
    keras_w, uncorrected, corrected = (float(x) for x in re.search(r"keras (\S+) uncorrected (\S+) corrected (\S+)", result.stdout).groups())
    assert abs(keras_w - uncorrected) < 1e-6 and abs(keras_w - corrected) > 1e-3, result.stdout


def test_large_model_basics_original_adam_rule_only_decreases():
    """§1.4.3 note: the original's rule w <- w - eta * v_t / (1 - beta_2^t) moves w by a non-negative amount times
    -1 whatever the gradient's sign; its first step is eta * g_1^2 (at w = -2, g = w: -2 - 0.01 * 4 = -2.04)."""
    import numpy as np

    eta, b2 = 0.01, 0.999
    w, v = np.array([1.0, -2.0]), np.zeros(2)
    for t in range(1, 6):
        g = w.copy()  # gradient of 0.5 * ||w||^2
        v = b2 * v + (1 - b2) * g**2
        step = eta * v / (1 - b2**t)
        if t == 1:
            assert np.allclose(step, eta * g**2) and np.allclose(w - step, [0.99, -2.04])
        assert (step >= 0).all()
        w = w - step
    assert w[1] < -2.0  # the negative parameter moved away from the minimum at 0


@needs_seeds
def test_cnn_app_original_setup_block_is_not_python():
    """§5.2 note: the original's first line `!pip install tensorflow` is notebook syntax, a SyntaxError in a .py file."""
    setup = original_program("cnn-app", "!pip install tensorflow")
    with pytest.raises(SyntaxError):
        compile(setup, "original_5_1.py", "exec")


@needs_seeds
def test_cnn_app_original_never_imports_numpy_but_calls_np_argmax():
    blocks = originals.code_blocks("cnn-app")
    assert any("np.argmax" in b for b in blocks)
    assert not any(re.search(r"^\s*import numpy", b, re.M) for b in blocks)


CNN_APP_ORIGINAL_MODEL = """
import warnings
import numpy as np
import tensorflow as tf
from tensorflow.keras.layers import Conv2D, MaxPooling2D, Flatten, Dense
from tensorflow.keras.models import Sequential
tf.random.set_seed(42)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    {model}
print("warnings:", [str(w.message) for w in caught])
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
# MNIST's shapes without the download: (N, 28, 28) images, one-hot labels, as the original prepares them.
x = np.random.rand(256, 28, 28).astype("float32")
y = tf.keras.utils.to_categorical(np.random.randint(0, 10, 256), 10)
history = model.fit(x, y, batch_size=64, epochs=1, validation_data=(x[:64], y[:64]), verbose=0)
print("fit ran, input", model.inputs[0].shape, "loss", history.history["loss"][0])
"""


@needs_seeds
def test_cnn_app_original_model_warns_about_input_shape_and_adds_the_channel_axis_itself():
    """§5.2 note: `input_shape=` on a layer warns in Keras 3; images of shape (N, 28, 28) without a channel axis do NOT
    make `model.fit` fail: Keras 3 adds the trailing axis of size 1 that the model's input declares."""
    source = original_program("cnn-app", "Sequential([")
    model = re.search(r"model = Sequential\(\[.*?\]\)", source, re.S).group(0)
    result = run_python(CNN_APP_ORIGINAL_MODEL.replace("{model}", textwrap.indent(model, "    ").lstrip()))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Do not pass an `input_shape`/`input_dim` argument to a layer" in result.stdout, result.stdout
    assert "fit ran, input (None, 28, 28, 1)" in result.stdout, result.stdout


@needs_seeds
def test_tech_challenges_original_program_warns_and_is_not_reproducible():
    """§5.2 note: `input_shape=(1,)` warns in Keras 3; np.random.seed(42) fixes neither TensorFlow's weight
    initialization nor the order in which `fit` shuffles the samples each epoch, so two runs of the original program
    give different models (keras.utils.set_random_seed fixes both);
    §5.3 note: it evaluates on the training data it was fitted on."""
    program = original_program("tech-challenges", "np.random.seed(42)")
    assert "model.evaluate(X, y)" in program and "model.fit(X, y," in program  # the same data: no test set
    # 2 epochs instead of 100 keep the test short: the runs already differ (initial weights and shuffling).
    quiet = program.replace("epochs=100)", "epochs=2, verbose=0)").replace("model.evaluate(X, y)", "model.evaluate(X, y, verbose=0)")
    driver = textwrap.dedent("""
        import warnings
        import keras
        PROGRAM = PLACEHOLDER
        runs = {False: [], True: []}
        warned = False
        for seeded in (False, False, True, True):
            with warnings.catch_warnings(record=True) as caught:
                warnings.simplefilter("always")
                if seeded:
                    keras.utils.set_random_seed(42)
                namespace = {}
                exec(PROGRAM, namespace)
            warned = warned or any("input_shape" in str(w.message) for w in caught)
            runs[seeded].append(namespace["mse"])
        print("warned:", warned)
        print("np.random.seed only:", runs[False])
        print("set_random_seed:", runs[True])
    """)
    result = run_python(driver.replace("PLACEHOLDER", repr(quiet)))
    assert result.returncode == 0, result.stderr[-2000:]
    assert "warned: True" in result.stdout, result.stdout
    unseeded = [float(x) for x in re.search(r"np.random.seed only: \[(.*)\]", result.stdout).group(1).split(",")]
    seeded = [float(x) for x in re.search(r"set_random_seed: \[(.*)\]", result.stdout).group(1).split(",")]
    assert unseeded[0] != unseeded[1] and seeded[0] == seeded[1], result.stdout


# Numbers in the prose that come from a program are references filled in from the recordings: tests/test_recorded.py.


@needs_seeds
def test_large_model_basics_original_numpy_program_learns_once_fixed_as_the_note_says():
    """The control for the two tests above: with y of shape (100, 1), dw averaged like db and the loss a mean, the
    original's own loop (same seed, rate and 1000 steps) learns w close to 3 and b close to 2, so the failures above
    come from exactly the defects the note names."""
    program = original_program("large-model-basics", "np.random.seed(0)")
    fixed = (program.replace("3 * X.squeeze() + 2", "3 * X + 2")
             .replace("dw = (X.T).dot(y_pred - y)", "dw = (X.T).dot(y_pred - y) / len(X)")
             .replace("loss = (y_pred - y).dot(y_pred - y) / 2", "loss = float(np.mean((y_pred - y) ** 2))"))
    result = run_python(fixed + "\nprint('learned', w.item(), b.item())\n")
    assert result.returncode == 0, result.stderr[-1500:]
    w, b = (float(v) for v in re.search(r"learned (\S+) (\S+)", result.stdout).groups())
    assert abs(w - 3) < 0.5 and abs(b - 2) < 0.3, result.stdout  # standard errors about 0.17 and 0.1 for N = 100


def test_tensorflow_claims_in_the_prose_of_cnn_app_and_large_model_basics():
    """cnn-app §4.1.3: TensorFlow takes ReLU'(0) = 0; §4.2.3: Keras computes the MSE of float64 inputs in float32.
    large-model-basics §1.4.3: Keras's Adam differs from the closed form by about 2e-7 after 3 steps, and rounding the
    learning rate and the betas to float32 everywhere in the closed form does not remove that difference, while using the
    float32 betas only in the bias correction 1 - beta**t, as Keras does, removes it completely."""
    result = run_python(textwrap.dedent("""
        import numpy as np, keras, tensorflow as tf
        z = tf.constant([-1.0, 0.0, 1.0])
        with tf.GradientTape() as tape:
            tape.watch(z)
            r = tf.nn.relu(z)
        print("relu grad", tape.gradient(r, z).numpy().tolist())
        a, b = np.array([1.0, 2.0]), np.array([1.5, 1.0])
        print("mse dtype", keras.losses.MeanSquaredError()(a, b).dtype)

        def closed(lr, b1, b2, eps=1e-7):
            w, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
            for t in range(1, 4):
                g = w
                m, v = b1 * m + (1 - b1) * g, b2 * v + (1 - b2) * g**2
                w = w - lr * (m / (1 - b1**t)) / (np.sqrt(v / (1 - b2**t)) + eps / np.sqrt(1 - b2**t))
            return w
        var = tf.Variable([1.0, -2.0], dtype=tf.float64)
        adam = keras.optimizers.Adam(learning_rate=0.01, beta_1=0.9, beta_2=0.999, epsilon=1e-7)
        for _ in range(3):
            with tf.GradientTape() as tape:
                f = 0.5 * tf.reduce_sum(var**2)
            adam.apply_gradients([(tape.gradient(f, var), var)])
        f32 = lambda x: float(np.float32(x))
        print("gap", np.abs(var.numpy() - closed(0.01, 0.9, 0.999)).max())
        print("gap f32", np.abs(var.numpy() - closed(f32(0.01), f32(0.9), f32(0.999))).max())

        def as_keras(lr, b1, b2, eps=1e-7):  # keras/src/optimizers/adam.py: ops.cast(self.beta_1, float64) goes via float32
            w, m, v = np.array([1.0, -2.0]), np.zeros(2), np.zeros(2)
            for t in range(1, 4):
                g = w
                m, v = m + (g - m) * (1 - b1), v + (g**2 - v) * (1 - b2)  # exact Python 1 - beta
                alpha = f32(lr) * np.sqrt(1 - f32(b2) ** t) / (1 - f32(b1) ** t)  # float32 betas, float32 learning rate
                w = w - m * alpha / (np.sqrt(v) + eps)
            return w
        print("gap bias correction f32", np.abs(var.numpy() - as_keras(0.01, 0.9, 0.999)).max())
    """))
    assert result.returncode == 0, result.stderr[-1500:]
    assert "relu grad [0.0, 0.0, 1.0]" in result.stdout and "float32" in result.stdout.split("mse dtype")[1].splitlines()[0], result.stdout
    gap, gap32, gap_keras = (float(x) for x in re.search(
        r"gap (\S+)\ngap f32 (\S+)\ngap bias correction f32 (\S+)", result.stdout).groups())
    assert 1e-7 < gap < 1e-6 and gap32 > 0.5 * gap and gap_keras < 1e-15, result.stdout


# Notes that stay out of the way (issue 14): every editor's note is `??? note "编者注：<the correction>"` /
# `??? note "Editor's note: <the correction>"`, closed until the reader opens it, its title one short line
# (tools/editorial/originals.py: title_problems, TITLE_LIMIT).


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("slug", ARTICLES)
def test_every_note_is_collapsed_with_a_short_title(slug, lang):
    problems = originals.title_problems(page(slug, lang))
    assert not problems, "editor's notes must be collapsed and titled with the correction they make:\n" + "\n".join(problems)


@pytest.mark.parametrize("slug", ARTICLES)
def test_both_languages_have_the_same_notes(slug):
    zh, en = originals.notes(page(slug, "zh")), originals.notes(page(slug, "en"))
    assert len(zh) == len(en), f"{slug}: {len(zh)} editor's notes in Chinese, {len(en)} in English"
    assert [n.heading != "(top of the page)" for n in zh] == [n.heading != "(top of the page)" for n in en]
    if slug in originals.ORIGINALS:
        assert zh, f"{slug}: an edited original with no editor's note (the first lists the structural edits)"


NOTES_ZH = """# 标题 {{ #t }}

## 1. 一节 {{ #one }}

??? note "编者注：GPT-2 发布于 2019 年，不是 2018 年"
    原文写<q>2018 年</q>。

{marker} note "编者注{rest}"
    原文写<q>甲</q>。
"""


@pytest.mark.parametrize(
    ("marker", "rest", "expected"),
    [
        ("???", "", "no title"),
        ("???", "：", "no title"),
        ("???", ":半角冒号", "no title"),  # the separator is the full-width colon
        ("!!!", "：改正", "!!! note"),
        ("???+", "：改正", "???+ note"),
        ("???", "：" + "长" * 41, "title longer than 40"),
    ],
)
def test_an_untitled_open_or_long_note_fails_naming_page_and_line(marker, rest, expected):
    zh = page("cnn-app", "zh")
    problems = originals.title_problems(zh, "zh", NOTES_ZH.format(marker=marker, rest=rest))
    assert len(problems) == 1, problems
    assert problems[0].startswith("docs/articles/cnn-app/index.zh.md:8 (note in “1. 一节”): ") and expected in problems[0], problems


def test_title_limits():
    ok = "GPT-2 发布于 2019 年，不是 2018 年"
    assert originals.title_width(ok, "zh") == 17 and not originals.title_problems(page("x", "zh"), "zh", NOTES_ZH.format(marker="???", rest="：" + "长" * 40))
    en = NOTES_ZH.replace("编者注：", "Editor's note: ").replace("编者注", "Editor's note")
    assert not originals.title_problems(page("x", "en"), "en", en.format(marker="???", rest=": " + "x" * 90))
    too_long = originals.title_problems(page("x", "en"), "en", en.format(marker="???", rest=": " + "x" * 91))
    assert len(too_long) == 1 and "longer than 90 characters" in too_long[0], too_long
    untitled = originals.title_problems(page("x", "en"), "en", en.format(marker="???", rest=""))
    assert len(untitled) == 1 and "no title" in untitled[0], untitled


def test_a_dropped_note_is_caught_in_either_form():
    """The zh/en note counts are compared whatever form a note is in (tools/editorial/parity.py and tools/editorial/originals.py)."""
    from tools.editorial import parity

    zh = NOTES_ZH.format(marker="!!!", rest="")
    en = zh.replace("编者注：GPT-2 发布于 2019 年，不是 2018 年", "Editor's note: GPT-2 was released in 2019, not 2018")
    en = en.split('!!! note')[0]  # the second note dropped
    assert len(parity.editor_notes(zh, "zh")) == 2 and len(parity.editor_notes(en, "en")) == 1
    differ = originals.untranslated_quotations(ROOT / "x.zh.md", ROOT / "x.en.md", zh, en)
    assert differ == ["2 editor's notes in x.zh.md, 1 in x.en.md"], differ
