"""The editor's layer, part B: one vocabulary from the glossary, and the claims the notes of tech-challenges-revisited
and gan-exploration make about their originals' code and numbers, re-derived here.

Vocabulary: tools/editorial/vocabulary.py reads the preferred terms and the variants not to use from docs/glossary.yml;
an article may use a variant only inside a <q>…</q> quotation of its original.

Claims about the originals: each test below runs the original's code (or the smallest part of it that shows the
claim) on the pinned versions, or recomputes the original's numbers, and asserts what the editor's note says.
"""

from __future__ import annotations

import math
import os
import re
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from tools.editorial import originals, vocabulary
from tools.model import glossary

needs_seeds = pytest.mark.skipif(
    not originals.seeds_available(),
    reason=f"the originals are not in {originals.SEEDS_DIR} (the shared/ folder beside the checkout)",
)


# --- one vocabulary -------------------------------------------------------------------------------------------------


def test_glossary_lists_variants_for_the_mixed_terms():
    """The terms the articles used to mix are in the glossary with their variants."""
    avoided = {v for t in glossary.load().terms for v in t.avoid["zh"]}
    assert {"多层感知器", "批次大小", "提前停止", "模式崩塌", "训练数据集", "线性整流"} <= avoided, avoided
    assert {"multi-layer", "minibatch"} <= {v for t in glossary.load().terms for v in t.avoid["en"]}
    assert {"normalize", "regularize", "optimize", "generalize", "analyze"} <= set(glossary.load().spelling)


@pytest.mark.parametrize("page", vocabulary.pages(), ids=lambda p: str(p.relative_to(ROOT / "docs")))
def test_articles_use_the_glossary_terms(page):
    found = vocabulary.violations(page)
    assert not found, "variants the glossary rules out (use its preferred term, or quote the original in <q>…</q>):\n" + "\n".join(found)


def test_snippet_titles_use_the_glossary_terms():
    found = vocabulary.snippet_title_violations()
    assert not found, "snippet titles with variants the glossary rules out:\n" + "\n".join(found)


def test_a_variant_outside_a_quotation_fails_and_inside_one_passes():
    page = ROOT / "docs" / "articles" / "cnn-app" / "index.zh.md"
    text = "# 标题\n\n训练时用提前停止。\n\n??? note \"编者注：统一用术语表里的早停\"\n    原文写<q>使用提前停止和批次大小 32</q>。\n\n`提前停止` 在代码里不算。\n"
    found = vocabulary.violations(page, text)
    assert len(found) == 1 and "index.zh.md:3:" in found[0] and "提前停止" in found[0] and "早停" in found[0], found
    en = ROOT / "docs" / "articles" / "cnn-app" / "index.en.md"
    found = vocabulary.violations(en, "We normalise the data.\n\nA multi-layer network with analysed minibatches.\n")
    assert [f.split(" (")[0] for f in found] == [
        "docs/articles/cnn-app/index.en.md:1: “normalise”",
        "docs/articles/cnn-app/index.en.md:3: “multi-layer”",
        "docs/articles/cnn-app/index.en.md:3: “analysed”",
        "docs/articles/cnn-app/index.en.md:3: “minibatches”",
    ], found
    assert not vocabulary.violations(en, "The analyses were organized; noise, raise, exercise, supervised, advised.\n")


@pytest.mark.parametrize("word", ["recognisable", "normalisation", "optimisations", "generalisability", "analysable", "organisational"])
def test_every_ise_derivative_fails(word):
    en = ROOT / "docs" / "about.en.md"
    found = vocabulary.violations(en, f"A {word} thing.\n")
    assert len(found) == 1 and f"“{word}”" in found[0] and found[0].startswith("docs/about.en.md:1:"), found


def test_the_rule_covers_the_about_and_home_pages():
    names = {p.relative_to(ROOT / "docs").as_posix() for p in vocabulary.pages()}
    assert {"about.zh.md", "about.en.md", "index.zh.md", "index.en.md"} <= names, names
    assert "大型语言模型" in {v for t in glossary.load().terms for v in t.avoid["zh"]}, "the glossary decides 大语言模型 over 大型语言模型"


def test_large_model_is_defined_once_with_one_threshold():
    """The glossary states the lower bound; every article that gives a threshold gives the same one and links there."""
    for lang, bound in (("zh", "约 1 亿"), ("en", "about 100 million")):
        row = next(t for t in glossary.load().terms if t.term["zh"] == "大模型").meaning[lang]
        assert bound in row, row
        for page in (ROOT / "docs" / "articles").glob(f"*/index.{lang}.md"):
            text = page.read_text(encoding="utf-8")
            for other in (("数亿以上", "亿级以上", "百万甚至数十亿") if lang == "zh" else ("hundreds of millions of parameters or more", "usually hundreds of millions or more")):
                assert other not in originals.QUOTE.sub("", text), f"{page}: another threshold for a large model: {other!r}"
            if bound in text:
                assert "glossary.md#basics" in text, f"{page} states the bound but does not link the glossary"


# --- tech-challenges-revisited: the original's logs and code ------------------------------------------------------

LOG_LINE = re.compile(r"loss: (?P<loss>[\d.]+) - accuracy: (?P<acc>[\d.]+) - val_loss: (?P<val_loss>[\d.]+) - val_accuracy: (?P<val_acc>[\d.]+)")


def original_second_log() -> tuple[list[dict[str, float]], float, float]:
    text = originals.seed_path("tech-challenges-revisited").read_text(encoding="utf-8")
    block = text[text.index("Train on 800 samples"):]
    block = block[: block.index("```")]
    epochs = [{k: float(v) for k, v in m.groupdict().items()} for m in LOG_LINE.finditer(block)]
    test_loss = float(re.search(r"Test loss: ([\d.]+)", block).group(1))
    test_acc = float(re.search(r"Test accuracy: ([\d.]+)", block).group(1))
    return epochs, test_loss, test_acc


def shown_as(count: int, total: int, shown: float) -> bool:
    """Whether count/total prints as `shown` with four decimals (the Keras progress bar's format)."""
    return f"{count / total:.4f}" == f"{shown:.4f}"


@needs_seeds
def test_original_second_log_is_not_a_real_keras_log():
    epochs, test_loss, test_acc = original_second_log()
    assert [e["val_acc"] for e in epochs] == [0.6750, 0.7000, 0.7000], "the note quotes the first epoch's 0.6750"
    # validation_data is the test set and evaluate() runs right after the last epoch on the same weights and data,
    # so the last val_loss must equal the test loss; the original shows two different numbers.
    assert epochs[-1]["val_loss"] == 0.4731 and test_loss == 0.4716
    # Accuracy on 800 training samples is k/800 (k/1600 for the two element-wise outputs of Dense(2, sigmoid)).
    impossible = [e["acc"] for e in epochs if not any(shown_as(k, n, e["acc"]) for n in (800, 1600) for k in range(n + 1))]
    assert impossible == [0.6552], impossible
    assert all(any(shown_as(k, 200, e["val_acc"]) for k in range(201)) for e in epochs)  # 200 held-out samples: possible
    assert test_acc == epochs[-1]["val_acc"]


def test_the_fixed_programs_show_validation_loss_equal_to_test_loss():
    """What a real run prints: the recorded outputs of §5.2 and §5.3 (same data for validation_data and evaluate)."""
    generated = ROOT / "docs" / "assets" / "generated" / "tech-challenges-revisited"
    first = (generated / "02_mlp_make_classification.txt").read_text(encoding="utf-8")
    second = (generated / "03_second_pass_fixed.txt").read_text(encoding="utf-8")
    assert re.findall(r"val_loss: ([\d.]+)", first)[-1] == re.search(r"held-out loss: ([\d.]+)", first).group(1)
    assert re.findall(r"val_loss: ([\d.]+)", second)[-1] == re.search(r"Test loss: ([\d.]+)", second).group(1)


def run_python(code: str, timeout: int = 240) -> subprocess.CompletedProcess:
    env = {**os.environ, "CUDA_VISIBLE_DEVICES": "", "TF_CPP_MIN_LOG_LEVEL": "3", "TF_ENABLE_ONEDNN_OPTS": "0"}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout, env=env, cwd=ROOT)


def original_code_blocks(slug: str) -> list[str]:
    text = originals.seed_path(slug).read_text(encoding="utf-8")
    return re.findall(r"```python\n(.*?)```", text, re.S)


@needs_seeds
def test_original_second_program_stops_at_once_with_a_name_error():
    """§5.3 note: the original's second program never defines X and y."""
    preprocessing = next(b for b in original_code_blocks("tech-challenges-revisited") if "StandardScaler" in b)
    result = run_python(preprocessing)
    assert result.returncode != 0 and "NameError: name 'X' is not defined" in result.stderr, result.stderr[-2000:]


def test_two_sigmoid_outputs_are_not_a_distribution_and_keras_3_accuracy_is_categorical():
    """§5.3 note: Dense(2, sigmoid) + binary_crossentropy on one-hot labels gives two independent probabilities that
    need not sum to 1. Keras 3 picks the metric behind 'accuracy' from the shapes, not from the loss: with two
    outputs it is CategoricalAccuracy (the larger output decides), not binary accuracy element by element."""
    result = run_python(textwrap.dedent("""
        import keras, numpy as np
        from sklearn.datasets import make_classification
        keras.utils.set_random_seed(0)
        X, y = make_classification(n_samples=200, n_features=10, n_classes=2, random_state=42)
        Y = keras.utils.to_categorical(y)
        model = keras.Sequential([keras.Input((10,)), keras.layers.Dense(8, activation="relu"), keras.layers.Dense(2, activation="sigmoid")])
        model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
        model.fit(X, Y, epochs=2, verbose=0)
        p = model.predict(X, verbose=0)
        reported = model.evaluate(X, Y, verbose=0, return_dict=True)["accuracy"]
        element_wise = np.mean((p > 0.5) == (Y > 0.5))
        per_sample = np.mean(p.argmax(1) == y)
        print(f"rowsum {np.max(np.abs(p.sum(1) - 1)):.3f} reported {reported:.6f} element_wise {element_wise:.6f} per_sample {per_sample:.6f}")
    """))
    assert result.returncode == 0, result.stderr[-2000:]
    m = re.search(r"rowsum (\S+) reported (\S+) element_wise (\S+) per_sample (\S+)", result.stdout)
    rowsum, reported, element_wise, per_sample = map(float, m.groups())
    assert rowsum > 0.01, "the two sigmoid outputs happened to sum to 1"
    assert abs(reported - per_sample) < 1e-6 and abs(reported - element_wise) > 1e-6, result.stdout


def test_083_is_not_the_ceiling_of_the_data():
    """§5.5: the two networks' ~0.83 on the 200 held-out samples is what a linear model gets; tree ensembles get more,
    so the accuracy is not a property of the data alone."""
    from sklearn.datasets import make_classification
    from sklearn.ensemble import GradientBoostingClassifier, RandomForestClassifier
    from sklearn.linear_model import LogisticRegression
    from sklearn.model_selection import train_test_split

    X, y = make_classification(n_samples=1000, n_features=10, n_classes=2, random_state=42)
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=42)
    scores = {
        "logistic regression": LogisticRegression(max_iter=1000).fit(X_train, y_train).score(X_test, y_test),
        "random forest": RandomForestClassifier(200, random_state=0).fit(X_train, y_train).score(X_test, y_test),
        "gradient boosting": GradientBoostingClassifier(random_state=0).fit(X_train, y_train).score(X_test, y_test),
    }
    assert scores["logistic regression"] == 0.83, scores
    assert scores["random forest"] == 0.88 and scores["gradient boosting"] == 0.90, scores  # random forest: 0.880-0.885 over seeds 0-4


# --- gan-exploration: the original's numbers and code -------------------------------------------------------------


def test_original_worked_examples_recomputed():
    """§4 notes: MSE 0.0833 is the first sample's error alone; the original's Adam answer is not what its own
    m_1, v_1 and learning rate give; GPT-3's compute in V100 years (§9.5)."""
    assert round((2 - 2.5) ** 2 / 3, 4) == 0.0833 and round(((2 - 2.5) ** 2 + (3 - 3.2) ** 2 + (4 - 4.1) ** 2) / 3, 6) == 0.1
    m1, v1, lr = (0.09, 0.27), (0.009, 0.027), 0.001  # the original's (wrong) moments
    own_step = [lr * m / math.sqrt(v) for m, v in zip(m1, v1)]
    assert [round(s, 4) for s in own_step] == [0.0009, 0.0016], own_step  # its formula moves each parameter < 0.002
    assert [round(1 - v, 3) for v in v1] == [0.991, 0.973]  # its answer is [1, 1] minus v_1
    assert round(0.1 * 14, 6) == 1.4 and round(0.05 * 14, 6) == 0.7
    gpt3_flops, v100_sustained = 3.14e23, 28e12  # Brown et al. (2020), table D.1; Lambda's 28 TFLOPS estimate
    years = gpt3_flops / v100_sustained / (365.25 * 24 * 3600)
    assert 300 < years < 400 and 2.5e6 < years * 365.25 * 24 < 3.5e6, years


ORIGINAL_GAN_HEAD = """
    import numpy as np, tensorflow as tf
    from tensorflow.keras.layers import Dense, Flatten, Reshape
    from tensorflow.keras.models import Sequential
    from tensorflow.keras.optimizers import Adam
"""


@needs_seeds
def test_original_gan_code_fails_on_keras_3():
    """§5.2 note: the original never imports numpy; its generator's (28, 28) output cannot be stacked with the
    (28, 28, 1) images (the combined model itself runs: Flatten takes either shape), nor plotted with [i, :, :, 0];
    Keras 3's save_weights refuses `generator_epoch_100.h5`; the discriminator is not frozen inside the combined
    model, so training the generator also trains it, and freezing it after compile() changes nothing until the
    next compile(); train_on_batch without metrics returns a float (the `:.4f` format works)."""
    code = next(b for b in original_code_blocks("gan-exploration") if "build_generator" in b)
    definitions = code[: code.index("# 加载MNIST数据集")]
    bare = run_python(definitions + "\nnp.random.normal(0, 1, (2, z_dim))\n")
    assert bare.returncode != 0 and "NameError: name 'np' is not defined" in bare.stderr, bare.stderr[-2000:]

    result = run_python(textwrap.dedent(ORIGINAL_GAN_HEAD) + definitions + """
batch_size = 4
real = np.zeros((batch_size, 28, 28, 1), dtype="float32")  # MNIST after the original's expand_dims
noise = np.random.normal(0, 1, (batch_size, z_dim))
fake = generator.predict(noise, verbose=0)
print("generator output", fake.shape)
try:
    np.concatenate([real, fake])
except ValueError as e:
    print("concatenate fails:", type(e).__name__)
labels = np.concatenate([np.ones((batch_size, 1)), np.zeros((batch_size, 1))])
d_loss = discriminator.train_on_batch(np.concatenate([real, fake[..., None]]), labels)
print(f"d_loss type {type(d_loss).__name__} {d_loss:.4f}")
before = [w.copy() for w in discriminator.get_weights()]
g_loss = gan.train_on_batch(noise, np.ones((batch_size, 1)))
changed = any(not np.array_equal(a, b) for a, b in zip(before, discriminator.get_weights()))
print("discriminator changed by the generator step:", changed)
discriminator.trainable = False  # freezing after compile: no effect until the model is compiled again
before = [w.copy() for w in discriminator.get_weights()]
gan.train_on_batch(noise, np.ones((batch_size, 1)))
print("frozen after compile, changed:", any(not np.array_equal(a, b) for a, b in zip(before, discriminator.get_weights())))
try:
    fake[0, :, :, 0]  # the original's plotting
except IndexError:
    print("plotting fails: IndexError")
try:
    generator.save_weights("generator_epoch_100.h5")
except ValueError as e:
    print("save_weights fails:", str(e)[:80])
""")
    assert result.returncode == 0, result.stderr[-3000:]
    out = result.stdout
    assert "generator output (4, 28, 28)" in out and "concatenate fails: ValueError" in out, out
    assert re.search(r"d_loss type float \d", out), out
    assert "discriminator changed by the generator step: True" in out, out
    assert "frozen after compile, changed: True" in out, out
    assert "plotting fails: IndexError" in out, out
    assert "save_weights fails:" in out and ".weights.h5" in out, out


# --- numbers in the prose of 003/004 are the recorded outputs' numbers --------------------------------------------

GENERATED = ROOT / "docs" / "assets" / "generated"


def recording(slug: str, name: str) -> str:
    return (GENERATED / slug / name).read_text(encoding="utf-8")


def article_text(slug: str, lang: str) -> str:
    return (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_tech_challenges_revisited_overfitting_claims_follow_the_recordings(lang):
    """§5.5: the epochs after which the validation loss stops falling are derived from the recorded logs (the values
    themselves are {{ recorded.* }} references, tests/test_recorded.py), and the second program's training loss
    starts above its validation loss."""
    text = article_text("tech-challenges-revisited", lang)
    logs = [recording("tech-challenges-revisited", name) for name in ("02_mlp_make_classification.txt", "03_second_pass_fixed.txt")]
    best = [1 + min(range(len(v)), key=v.__getitem__) for v in ([float(x) for x in re.findall(r"val_loss: (\S+)", log)] for log in logs)]
    epochs = f"分别在第 {best[0]} 和第 {best[1]} 个 epoch" if lang == "zh" else f"after epochs {best[0]} and {best[1]} respectively"
    assert epochs in text, f"§5.5 should say the validation loss stops falling {epochs!r}"
    first_loss, first_val = map(float, re.search(r" - loss: (\S+) - val_accuracy: \S+ - val_loss: (\S+)", logs[1]).groups())
    assert first_loss > first_val, "§5.5 says the second program's training loss starts above its validation loss"
