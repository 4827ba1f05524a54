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

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
from tools.model import recorded  # noqa: E402

LANGUAGES = ("zh", "en")
# An editor's note in either form (tools/editorial/originals.py: `??? note "编者注：<title>"`, or the untitled `!!! note "编者注"`).
EDITOR_NOTE = {"zh": '"编者注', "en": '"Editor\'s note'}

FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)\n(?P<body>.*?)^(?P=indent)(?P=fence)[ \t]*$", re.M | re.S)
INCLUDE = re.compile(r'--8<--\s+"([^"]+)"')
HEADING_ANCHOR = re.compile(r"^#{1,6} .*\{[^}]*#([\w-]+)[^}]*\}\s*$", re.M)
DISPLAY_MATH = re.compile(r"\$\$.+?\$\$|\\\[.+?\\\]", re.S)
INLINE_MATH = re.compile(r"\\\(.+?\\\)|(?<![\\$])\$(?!\$)[^\n$]+?(?<![\\$])\$(?!\$)")
INLINE_CODE = re.compile(r"`[^`\n]+`")
ADMONITION = re.compile(r"^[ \t]*(!!!|\?\?\?\+?)[ \t]+([\w-]+)", re.M)
ADMONITION_LINE = re.compile(r'^[ \t]*(?:!!!|\?\?\?\+?)[ \t]+(?P<kind>[\w-]+)[ \t]*(?P<title>"[^"\n]*")?[ \t]*$', re.M)


def editor_notes(text: str, lang: str) -> list[str]:
    """The opening lines of a page's editor's notes (admonitions of kind note titled 编者注… / Editor's note…)."""
    return [m.group(0) for m in ADMONITION_LINE.finditer(text) if m.group("kind") == "note" and (m.group("title") or "").startswith(EDITOR_NOTE[lang])]


def features(text: str) -> dict[str, object]:
    """What must be the same in both languages, read from one markdown page."""
    fences = list(FENCE.finditer(text))
    mermaid = sum(1 for f in fences if f.group("info").strip().startswith("mermaid"))
    includes = INCLUDE.findall(text)
    prose = INLINE_CODE.sub("", FENCE.sub("", text))
    display = DISPLAY_MATH.findall(prose)
    inline = INLINE_MATH.findall(DISPLAY_MATH.sub("", prose))
    return {
        "snippet includes": includes,
        "heading anchors": HEADING_ANCHOR.findall(text),
        "display formulas": len(display),
        "inline formulas": len(inline),
        "mermaid diagrams": mermaid,
        "admonitions": [f"{m.group(1)} {m.group(2)}" for m in ADMONITION.finditer(text)],
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
    for fence in FENCE.finditer(text):
        info = fence.group("info").strip().split(" ")[0]
        if info in PYTHON_INFO and not INCLUDE.fullmatch(fence.group("body").strip()):
            line = text.count("\n", 0, fence.start()) + 1
            problems.append(
                f"{page}:{line}: Python typed into the page; move it to a snippet (snippets/{slug}/NN_<what>.py, see "
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
        problems.append(f"{zh} vs {en}: {notes[0]} editor's notes ({EDITOR_NOTE['zh'][1:]}) but {notes[1]} ({EDITOR_NOTE['en'][1:]})")
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
