"""zh/en parity of the markdown pages (the way FastAPI checks its translations).

Every `docs/**/X.zh.md` must have an `X.en.md` twin and vice versa, and the twins must agree on what a
translation must not change: the snippet includes (same files, same order), the heading anchors (same ids,
same order), the number of display and inline formulas, the Mermaid diagrams, and the admonitions (same kinds in
the same order, editor's notes included), and the numbers quoted from the recordings (`{{ recorded.<name> }}`, the
same names). For a list that differs it names the first item that does. It also rejects
Python typed into a page (every Python block must include a snippet's program, which the tests run), giving the line
and the include to write instead.

    python -m tools.editorial.parity            # prints the differences; exit 1 if any
"""

from __future__ import annotations

import sys
from pathlib import Path

from tools.editorial import originals
from tools.model import markdown, recorded

LANGUAGES = ("zh", "en")


def editor_notes(text: str, lang: str) -> list:
    """A page's editor's notes, in either form (`??? note "编者注：<title>"`, or the untitled `!!! note "编者注"`)."""
    return originals.notes(Path(f"page.{lang}.md"), lang, text)


def features(text: str) -> dict[str, object]:
    """What must be the same in both languages, read from one markdown page (tools/model/markdown.py's tokens)."""
    formulas = markdown.formulas(text)
    return {
        "snippet includes": markdown.includes(text),
        "heading anchors": [h.id for h in markdown.headings(text) if h.id],
        "display formulas": sum(1 for f in formulas if f.display),
        "inline formulas": sum(1 for f in formulas if not f.display),
        "mermaid diagrams": sum(1 for f in markdown.fences(text) if f.language.startswith("mermaid")),
        "admonitions": [f"{a.marker} {a.kind}" for a in markdown.admonitions(text)],
        # numbers from the recordings (tools/model/recorded.py): the same values in both languages (word order may differ)
        "recorded values": sorted(recorded.references(text)),
    }


def first_difference(zh: list, en: list) -> str:
    """Where two lists part: "first difference: item 3, zh #mse, en #mean-squared-error"."""
    for i, (ours, theirs) in enumerate(zip(zh, en), 1):
        if ours != theirs:
            return f"first difference: item {i}, zh {ours!r}, en {theirs!r}"
    longer, lang = (zh, "zh") if len(zh) > len(en) else (en, "en")
    return f"first difference: item {min(len(zh), len(en)) + 1}, only {lang} has {longer[min(len(zh), len(en))]!r}"


PYTHON_INFO = {"python", "py", "{.python", "pycon"}


def typed_python(page: Path, text: str | None = None) -> list[str]:
    """Python typed into a page instead of included from snippets/ (the tests run only snippets), with the line."""
    text = page.read_text(encoding="utf-8") if text is None else text
    problems = []
    slug = page.parent.name if page.parent.parent.name == "articles" else "<slug>"
    for fence in markdown.fences(text):
        if fence.language in PYTHON_INFO and markdown.INCLUDE.fullmatch(fence.content.strip()) is None:
            problems.append(
                f"{page}:{fence.line}: Python typed into the page; move it to a snippet (snippets/{slug}/NN_<what>.py, see "
                f"CONTRIBUTING.md) and include its program instead:\n"
                f'    ```python title="snippets/{slug}/NN_<what>.py"\n    --8<-- "{slug}/NN_<what>.py:program"\n    ```'
            )
    return problems


def compare(zh: Path, en: Path) -> list[str]:
    problems = []
    zh_text, en_text = zh.read_text(encoding="utf-8"), en.read_text(encoding="utf-8")
    ours, theirs = features(zh_text), features(en_text)
    for key, value in ours.items():
        if value != theirs[key]:
            where = f" ({first_difference(value, theirs[key])})" if isinstance(value, list) else ""
            problems.append(f"{zh} vs {en}: {key} differ{where}:\n    zh: {value}\n    en: {theirs[key]}")
    problems += typed_python(zh, zh_text) + typed_python(en, en_text)
    notes = len(editor_notes(zh_text, "zh")), len(editor_notes(en_text, "en"))
    if notes[0] != notes[1]:
        problems.append(f"{zh} vs {en}: {notes[0]} editor's notes ({originals.NOTE_LABEL['zh']}) but {notes[1]} ({originals.NOTE_LABEL['en']})")
    return problems


def check(docs_dir: Path) -> list[str]:
    """All parity problems under docs_dir, each naming the file(s)."""
    problems = []
    pages = {lang: {p.with_suffix("").with_suffix(""): p for p in docs_dir.rglob(f"*.{lang}.md")} for lang in LANGUAGES}
    for stem in sorted(pages["zh"].keys() | pages["en"].keys()):
        zh, en = pages["zh"].get(stem), pages["en"].get(stem)
        if zh is None or en is None:
            have, missing = (zh, "en") if en is None else (en, "zh")
            problems.append(f"{have} has no {missing} twin {stem}.{missing}.md")
            continue
        problems.extend(compare(zh, en))
    return problems


if __name__ == "__main__":
    found = check(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).resolve().parents[2] / "docs")
    print("\n".join(found) or "zh/en parity: OK")
    sys.exit(1 if found else 0)
