"""KaTeX at build time: the vendored docs/assets/vendor/katex/katex.min.js in one embedded V8 (the mini-racer
package from PyPI: no Node) per docs folder, shared by the two hooks that need it. tools/site/mkdocs_hooks.py typesets
each formula as HTML for the pages; tools/site/search_hooks.py asks for its MathML and writes it out as text for the
search index. Both load this file by path (MkDocs loads hooks by path, not as the `tools` package) under one name
in sys.modules, so a build starts one isolate, and `close_all()` (on a failed build and at shutdown) disposes of it.
"""

from __future__ import annotations

import json
from pathlib import Path

KATEX_JS = "assets/vendor/katex/katex.min.js"  # relative to docs/; run here, never sent to the browser
FUNCTIONS = """function renderTex(tex, displayMode) {
  try { return {html: katex.renderToString(tex, {displayMode: displayMode, throwOnError: true})}; }
  catch (error) { return {error: String(error.message || error)}; }
}
function mathml(tex, display) { return katex.renderToString(tex, {output: 'mathml', displayMode: display, throwOnError: false}); }"""


class Katex:
    """One V8 isolate with KaTeX loaded; each distinct formula is typeset once per output."""

    def __init__(self, docs_dir: str):
        from concurrent.futures import ThreadPoolExecutor

        from py_mini_racer import MiniRacer

        # MiniRacer adopts the asyncio loop running where it is made, if there is one (Playwright's, in a test process
        # that also drives a browser), and fails with "Event loop is closed" once that loop ends; made in a thread
        # with no loop, it starts one of its own that lives as long as the isolate.
        with ThreadPoolExecutor(max_workers=1) as thread:
            self.ctx = thread.submit(MiniRacer).result()
        self.ctx.eval("var window = globalThis, self = globalThis;")
        self.ctx.eval((Path(docs_dir) / KATEX_JS).read_text(encoding="utf-8"))
        self.ctx.eval(FUNCTIONS)
        self.cache: dict[tuple[str, str, bool], object] = {}

    def render(self, tex: str, display: bool) -> dict:
        """{"html": ...} or {"error": ...}: a formula KaTeX cannot parse is reported, not drawn in red."""
        key = ("html", tex, display)
        if key not in self.cache:
            result = self.ctx.call("renderTex", tex, display)
            self.cache[key] = json.loads(result) if isinstance(result, str) else dict(result)
        return self.cache[key]

    def mathml(self, tex: str, display: bool) -> str:
        key = ("mathml", tex, display)
        if key not in self.cache:
            self.cache[key] = self.ctx.call("mathml", tex, display)
        return self.cache[key]


ENGINES: dict[str, Katex] = {}


def engine(docs_dir: str) -> Katex:
    return ENGINES.get(docs_dir) or ENGINES.setdefault(docs_dir, Katex(docs_dir))


def close_all() -> None:
    """Dispose of the V8 isolates before the interpreter exits: left to interpreter shutdown, an isolate's teardown
    can wait forever on V8's background threads (a failed build was seen to print "Aborted with a BuildError!" and
    never exit)."""
    while ENGINES:
        _, katex = ENGINES.popitem()
        katex.ctx.close()
