"""What `python -m tools.editorial.parity` tells a contributor: the first item where the two languages part, and Python typed
into a page (with its line and the include to write instead)."""

from __future__ import annotations

import shutil

from conftest import ROOT
from tools.editorial import parity


def test_parity_names_the_first_anchor_that_differs_and_typed_python(tmp_path):
    pages = tmp_path / "docs" / "articles" / "cnn-app"
    shutil.copytree(ROOT / "docs" / "articles" / "cnn-app", pages)
    en = pages / "index.en.md"
    text = en.read_text(encoding="utf-8").replace("{ #mse }", "{ #mean-squared-error }", 1)
    at = text.index("## 1. Background")
    text = text[:at] + "```python\nprint('typed, not included')\n```\n\n" + text[at:]
    en.write_text(text, encoding="utf-8")
    report = "\n".join(parity.check(tmp_path / "docs"))
    assert "heading anchors differ (first difference: item" in report and "zh 'mse', en 'mean-squared-error'" in report, report
    line = text[:at].count("\n") + 1
    assert f"index.en.md:{line}: Python typed into the page" in report, report
    assert '--8<-- "cnn-app/NN_<what>.py:program"' in report, report


def test_first_difference_when_one_list_is_longer():
    assert parity.first_difference(["a", "b"], ["a"]) == "first difference: item 2, only zh has 'b'"
    assert parity.first_difference(["a"], ["a", "c"]) == "first difference: item 2, only en has 'c'"
