"""Scaffold a new article: both pages, one snippet with a real check, and the list of what is left to do.

    python -m tools.generate.new_article <slug>        # e.g. python -m tools.generate.new_article attention-basics

Writes docs/articles/<slug>/index.zh.md and index.en.md (front matter that registers the article, the same heading
anchors in both, a formula, a diagram, the snippet's include and its recorded output's include, an example
editor's note) and snippets/<slug>/01_example.py (a TensorFlow program with a check the tests run). Nothing else
has to be edited for the article to appear in the navigation, on the home pages and in search
(tools/site/register_hooks.py). Every place still to be written says TODO(new_article); tests/test_new_article.py fails
while one is left in docs/ or snippets/.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TODO = "TODO(new_article)"

SNIPPET = '''# /// script
# requires-python = ">=3.11"
# dependencies = ["tensorflow>=2.16", "numpy"]
#
# [tool.docs-snippet]
# title = {{ zh = "§2 梯度的公式与自动微分对照", en = "§2 The gradient by formula and by automatic differentiation" }}
# timeout = 120
#
# [[tool.docs-snippet.check]]
# pattern = 'largest \\|GradientTape - 2x\\|: (?P<err>\\S+)'
# expect = "err < 1e-6"
# why = "d/dx sum(x^2) = 2x exactly; float32 represents these small values and their doubles exactly"
#
# [[tool.docs-snippet.check]]
# pattern = 'loss after (?P<n>\\d+) steps: (?P<last>\\S+) \\(first (?P<first>\\S+)\\)'
# expect = "last < first / 5"
# why = "learning rate 0.1 on sum(x^2) multiplies x by 0.8, the loss by 0.64 per step: 0.64^5 = 0.107 (quick mode)"
# ///
# --8<-- [start:program]
"""{todo}: say what this program shows. The gradient of sum(x^2) by tf.GradientTape, checked against 2x."""

import os

import keras
import numpy as np
import tensorflow as tf

keras.utils.set_random_seed(0)
STEPS = 5 if os.environ.get("SNIPPETS_QUICK") else 20  # quick mode (the tests) trains less

x = tf.Variable(np.linspace(-2.0, 2.0, 5, dtype=np.float32))
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(x**2)
grad = tape.gradient(loss, x)
print("x        =", np.round(x.numpy(), 3))
print("gradient =", np.round(grad.numpy(), 3))
print(f"largest |GradientTape - 2x|: {{np.max(np.abs(grad.numpy() - 2 * x.numpy())):.1e}}")

optimizer = keras.optimizers.SGD(learning_rate=0.1)
first = float(loss)
for _ in range(STEPS):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(x**2)
    optimizer.apply_gradients([(tape.gradient(loss, x), x)])
print(f"loss after {{STEPS}} steps: {{float(tf.reduce_sum(x**2)):.6f}} (first {{first:.6f}})")
# --8<-- [end:program]
'''

PAGE = {
    "zh": '''---
title: "{todo}: 文章标题"
nav_title: "{todo}: 短标题"
summary: "{todo}: 首页表格里的一句话介绍。"
description: "{todo}: 搜索引擎显示的一两句话。"
order: {order}
search_terms: []  # 术语表之外、读者会搜索而 jieba 会拆开的中文词，如 [注意力蒸馏]
---

# {todo}: 文章标题 {{ #{slug} }}

## 1. 背景 {{ #background }}

{todo}: 正文。行内公式写作 \\(f(x) = \\sum_i x_i^2\\)，独立公式写作：

$$
\\nabla f(x) = 2x
$$

```mermaid
flowchart LR
    A[数据] --> B[模型] --> C[损失]
```

??? note "编者注：{todo}: 用一行写出改正，如 GPT-2 发布于 2019 年，不是 2018 年"
    {todo}: 编者注的示例，写完文章后改写或删除。编者注标出对原稿的改正：原文怎么写（引用原文时用 <q>…</q>）、
    正确的是什么、为什么；标题用一行说出改正本身（不超过 40 个汉字），`???` 让它默认收起。没有原稿、为本站新写的
    文章没有可改正的原文，就不写编者注（改正它引用的某个来源时除外）。

## 2. 代码 {{ #code }}

```python title="snippets/{slug}/01_example.py"
--8<-- "{slug}/01_example.py:program"
```

运行 `python snippets/{slug}/01_example.py` 录下的输出：

```text
--8<-- "generated/{slug}/01_example.txt"
```
''',
    "en": '''---
title: "{todo}: Article title"
nav_title: "{todo}: Short title"
summary: "{todo}: one sentence for the table on the home page."
description: "{todo}: a sentence or two for search engines."
order: {order}
---

# {todo}: Article title {{ #{slug} }}

## 1. Background {{ #background }}

{todo}: the text. Inline math is written \\(f(x) = \\sum_i x_i^2\\), display math:

$$
\\nabla f(x) = 2x
$$

```mermaid
flowchart LR
    A[Data] --> B[Model] --> C[Loss]
```

??? note "Editor's note: {todo}: the correction in one line, e.g. GPT-2 was released in 2019, not 2018"
    {todo}: an example of an editor's note; rewrite or delete it once the article is written. An editor's note marks
    a correction of the original: what the original said (quoted passages in <q>…</q>), what is correct, and why. Its
    title states the correction itself, in one line (at most 90 characters); `???` keeps it closed until the reader
    opens it. An article written for this site has no original to correct, and so no editor's notes (unless it
    corrects a source it cites).

## 2. Code {{ #code }}

```python title="snippets/{slug}/01_example.py"
--8<-- "{slug}/01_example.py:program"
```

Output recorded from a run of `python snippets/{slug}/01_example.py`:

```text
--8<-- "generated/{slug}/01_example.txt"
```
''',
}

NEXT_STEPS = """\
Wrote:
  docs/articles/{slug}/index.zh.md
  docs/articles/{slug}/index.en.md
  snippets/{slug}/01_example.py
The article is registered by its front matter (order: {order}): no other file needs editing.

Left to do, in this order (every {todo} must go; tests/test_new_article.py fails while one is left):
  1. Write the program: rename snippets/{slug}/01_example.py to NN_<what>.py (and its two includes in the pages),
     give it checks whose tolerances you measured in quick mode, then run it as a reader would:
       python snippets/{slug}/01_example.py
       SNIPPETS_QUICK=1 python snippets/{slug}/01_example.py
  2. Record its output (full mode, twice) and write the notebooks{diagrams_what}:
       python -m tools.run.record snippets/{slug}/01_example.py
       python -m tools.generate.notebooks{diagrams_command}
     (`make record` does this for every stale snippet{diagrams_all}.)
  3. Write both pages: title, nav_title, summary, description; the same heading anchors, includes, formulas,
     diagrams and admonitions in both languages. Check the pair:
       python -m tools.editorial.parity
  4. Build strictly and read it (`make serve` serves it at http://127.0.0.1:8000):
       make build
  5. Optional: the terms it introduces, in docs/glossary.yml (both languages), each row linking to its
     section; Chinese words readers will search for that are not in the glossary go in the zh page's search_terms.
     If the article was edited from an original, map its slug in tools/editorial/originals.py.
  6. The quick loop, then the whole suite:
       make check
       make test
"""


def main(argv: list[str]) -> int:
    if len(argv) != 1 or not SLUG.fullmatch(argv[0]):
        print("usage: python -m tools.generate.new_article <slug>   (lower-case words joined by '-', e.g. attention-basics)", file=sys.stderr)
        return 2
    slug = argv[0]
    article, snippets = ROOT / "docs" / "articles" / slug, ROOT / "snippets" / slug
    existing = [p for p in (article, snippets) if p.exists()]
    if existing:
        print(f"{', '.join(str(p.relative_to(ROOT)) for p in existing)} already exists; choose another slug", file=sys.stderr)
        return 1
    from tools.site import register_hooks

    order = max((a.order for a in register_hooks.articles(ROOT / "docs")), default=0) + 1
    article.mkdir(parents=True)
    snippets.mkdir(parents=True)
    for lang, template in PAGE.items():
        (article / f"index.{lang}.md").write_text(template.format(slug=slug, order=order, todo=TODO), encoding="utf-8")
    (snippets / "01_example.py").write_text(SNIPPET.format(todo=TODO), encoding="utf-8")
    diagrams = (ROOT / "tools" / "generate" / "diagrams.py").exists()  # SVG diagrams made ahead of time, where the project has them
    print(NEXT_STEPS.format(
        slug=slug, order=order, todo=TODO,
        diagrams_what=" and the diagram's SVG" if diagrams else "",
        diagrams_command="\n       python -m tools.generate.diagrams" if diagrams else "",
        diagrams_all=" and diagram" if diagrams else "",
    ))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
