"""Scaffold a new article: both pages, one snippet with real checks, and the list of what is left to do.

    python -m tools.generate.new_article <slug>        # e.g. python -m tools.generate.new_article attention-basics

Writes docs/articles/<slug>/index.zh.md and index.en.md (front matter that registers the article, the same heading
anchors in both, an inline and a display formula, a diagram, the snippet's include and its recorded output's include,
an example editor's note) and snippets/<slug>/01_example.py (a TensorFlow program with checks the tests run), made
from the files in tools/generate/article_template/: they read as the new files will, except for the placeholders
{slug}, {order} and {todo}, which render() fills in. Nothing else has to be edited for the article to appear in the
navigation, on the home pages and in search (tools/site/register_hooks.py). Every place still to be written says
TODO(new_article), and tests/test_new_article.py fails while one is left in a page or program under docs/ or snippets/;
the example formulas, diagram and headings and the snippet's title and checks carry no marker: replace them too.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
TODO = "TODO(new_article)"

TEMPLATE = Path(__file__).with_name("article_template")
FILES = {"index.zh.md": "docs/articles", "index.en.md": "docs/articles", "01_example.py": "snippets"}


def render(name: str, slug: str, order: int) -> str:
    text = (TEMPLATE / name).read_text(encoding="utf-8")
    return text.replace("{slug}", slug).replace("{order}", str(order)).replace("{todo}", TODO)


NEXT_STEPS = """\
Wrote:
  docs/articles/{slug}/index.zh.md
  docs/articles/{slug}/index.en.md
  snippets/{slug}/01_example.py
The article is registered by its front matter (order: {order}): no other file needs editing.

Left to do, in this order (every {todo} must go; tests/test_new_article.py fails while one is left):
  1. Write the program: rename snippets/{slug}/01_example.py to NN_<what>.py (and the four places each page names it),
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
    for name, folder in FILES.items():
        (ROOT / folder / slug / name).write_text(render(name, slug, order), encoding="utf-8")
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
