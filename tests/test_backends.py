"""Keras backends (issue 23, item 1): what a snippet declares in `backends`, what load() refuses, what the recorder
kept of its runs on JAX, and what its title bar on the page says.

The runs themselves are cases of tests/test_snippets.py (`<slug>/<file>.py-jax`).
"""

from __future__ import annotations

import re

import pytest

from conftest import ARTICLES, language_root
from tools.model import snippets as harness

SNIPPETS = harness.discover()
ON_JAX = [s for s in SNIPPETS if "jax" in s.backends]

HEADER = '''# /// script
# [tool.docs-snippet]
# title = {{ zh = "t", en = "t" }}
# backends = {backends}
#
# [[tool.docs-snippet.check]]
# pattern = 'w = (?P<w>\\S+)'
# expect = "w > 0"
# ///
# --8<-- [start:program]
'''


def write_snippet(tmp_path, body: str, backends: str = '["tensorflow", "jax"]'):
    path = tmp_path / "snippets" / "x" / "01_x.py"
    path.parent.mkdir(parents=True)
    path.write_text(HEADER.format(backends=backends) + body + "# --8<-- [end:program]\n", encoding="utf-8")
    return path


KERAS_ONLY = 'import keras\nimport numpy as np\n\nw = keras.ops.convert_to_numpy(keras.ops.ones(1))[0]\nprint(f"w = {w}")\n'


def test_a_keras_only_program_may_declare_jax(tmp_path):
    """The positive control: the same program as below without TensorFlow loads, with both backends."""
    assert harness.load(write_snippet(tmp_path, KERAS_ONLY)).backends == ("tensorflow", "jax")


@pytest.mark.parametrize("body, named", [
    ("import keras\nimport tensorflow as tf\n\nprint(f'w = {tf.reduce_sum([1.0])}')\n", "line 12: import tensorflow"),
    ("import keras\nfrom tensorflow import math\n\nprint(f'w = {math.exp(0.0)}')\n", "line 12: from tensorflow import ..."),
    ("import keras\nimport numpy as np\n\ndef w():\n    return tf.constant(1.0)\n", "line 15: tf"),
], ids=["import tensorflow", "from tensorflow", "tf. without an import"])
def test_a_program_declared_for_jax_that_uses_tensorflow_fails_to_load(tmp_path, body, named):
    """The message names the file and the line (of the file: the program starts on line 11) that ties it to TensorFlow."""
    path = write_snippet(tmp_path, body)
    with pytest.raises(harness.SnippetMetadataError) as error:
        harness.load(path)
    message = str(error.value)
    assert str(path) in message and "uses TensorFlow itself" in message and named in message, message


def test_the_same_program_declared_for_tensorflow_only_loads(tmp_path):
    body = "import keras\nimport tensorflow as tf\n\nprint(f'w = {tf.reduce_sum([1.0])}')\n"
    assert harness.load(write_snippet(tmp_path, body, '["tensorflow"]')).backends == ("tensorflow",)


@pytest.mark.parametrize("backends", ['["tensorflow", "torch"]', '["jax"]', '"jax"'])
def test_an_unknown_backend_or_one_without_tensorflow_fails_to_load(tmp_path, backends):
    path = write_snippet(tmp_path, KERAS_ONLY, backends)
    with pytest.raises(harness.SnippetMetadataError, match=re.escape(str(path)) + ".*each must be one of"):
        harness.load(path)


def test_the_six_keras_only_snippets_declare_jax():
    """Issue 23: the snippets that use only `keras`, and no others (load() refuses a TensorFlow program anyway)."""
    assert sorted(s.id for s in ON_JAX) == [
        "cnn-app/01_cnn_digits.py", "cnn-app/03_rnn_text.py", "large-model-basics/02_linear_regression_keras.py",
        "tech-challenges-revisited/02_mlp_make_classification.py", "tech-challenges-revisited/03_second_pass_fixed.py",
        "tech-challenges/01_linear_regression_keras.py",
    ]


@pytest.mark.parametrize("snippet", ON_JAX, ids=[s.id for s in ON_JAX])
def test_the_recording_kept_a_passing_run_on_jax(snippet):
    """tools/run/record.py ran it on JAX, from this source, with the JAX requirements.txt pins: its checks pass on the
    values it kept."""
    entry = harness.read_manifest(snippet.recording_dir).get(snippet.path.name, {})
    assert entry.get("sha256") == harness.file_sha256(snippet.path), f"{snippet.id}: not recorded from this source"
    jax = entry.get("jax")
    assert jax, f"{snippet.id}: its recording has no run on JAX: python -m tools.run.record {snippet.path.relative_to(harness.ROOT)}"
    pinned = re.search(r"^jax\[cpu\]==(\S+)", (harness.ROOT / "requirements.txt").read_text(encoding="utf-8"), re.M)
    assert pinned and jax["versions"]["jax"] == pinned[1], f"{snippet.id}: recorded on JAX {jax['versions']['jax']}"
    for check in snippet.checks:
        names = re.compile(check.pattern).groupindex
        values = {name: jax["checked"][name] for name in names}
        assert eval(check.expect, {"__builtins__": {}, **harness.EXPECT_NAMES}, values), f"{snippet.id}: {check.expect} {values}"


TITLE_BAR = re.compile(r'<span class="filename">(?:<a [^>]*>)?(?P<path>snippets/[\w./-]+\.py)(?:</a>)?'
                       r'<span class="snippet-backends"[^>]*>(?P<badge>[^<]*)</span></span>')
BADGE = {"zh": {("tensorflow",): "仅 TensorFlow", ("tensorflow", "jax"): "TensorFlow · JAX"},
         "en": {("tensorflow",): "TensorFlow only", ("tensorflow", "jax"): "TensorFlow · JAX"}}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_each_title_bar_names_the_backends_its_snippet_declares(built_site, lang):
    """Every snippet on every article's page: its title bar's badge names exactly its declared backends."""
    by_path = {str(s.path.relative_to(harness.ROOT)): s for s in SNIPPETS}
    shown = {}
    for slug in ARTICLES:
        page = (language_root(built_site, lang) / "articles" / slug / "index.html").read_text(encoding="utf-8")
        assert page.count('<span class="filename">snippets/') + page.count('<span class="filename"><a ') == len(
            TITLE_BAR.findall(page)), f"articles/{slug} ({lang}): a snippet title bar without a backends badge"
        shown.update((m["path"], m["badge"]) for m in TITLE_BAR.finditer(page))
    assert set(shown) == set(by_path), f"snippets without a title bar: {sorted(set(by_path) - set(shown))}"
    wrong = {path: badge for path, badge in shown.items() if badge != BADGE[lang][by_path[path].backends]}
    assert not wrong, f"{lang}: badges that do not name the declared backends: {wrong}"
