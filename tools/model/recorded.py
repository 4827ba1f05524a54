r"""Numbers in the prose that a program printed, inserted from its recording when the site is built (MyST-NB's "glue").

A number on an article page that a snippet produced is never typed: the page writes a reference,

    准确率为 {{ recorded.cnn_accuracy }}（答错 {{ recorded.cnn_mistakes }} 张）
    an accuracy of {{ recorded.cnn_accuracy }} ({{ recorded.cnn_mistakes }} mistakes)

and `docs/articles/<slug>/recorded.yml` (in the repository, not published) says where each name comes from:

    values:
      cnn_accuracy:
        snippet: 01_cnn_digits                   # its recording: docs/assets/generated/<slug>/01_cnn_digits.txt
        pattern: 'held-out accuracy: (\S+)'       # a regular expression with one group, searched in the recording
      cnn_mistakes:
        snippet: 01_cnn_digits
        pattern: 'held-out accuracy: (\S+)'
        expr: 'round((1 - x) * 450)'             # optional: computed from the number x (abs, round, min, max)
        format: '{:.0f}'                         # optional: a Python format for the number; without it (and
                                                 # without expr) the text exactly as the program printed it
        match: -1                                # optional: which match of the pattern (0 = first, the default; -1 = last;
                                                 # min / max: the smallest / largest; argmin / argmax: its position, from 1)
    typed:                                       # numbers the prose may type although a recording prints them too,
      "0.999": "Adam's beta_2, a setting the program prints, not a result"   # each with its reason (required)

A reference works anywhere in the Markdown, formulas included (the hook replaces it before KaTeX sees the page), and
both languages use the same names (tools/editorial/parity.py compares them). An unknown name, a pattern the recording no longer
prints, or a malformed entry fails the build: for an unknown name the message names the page, for the others the
article's recorded.yml and the entry (and the recording, where one was read).

`typed_recorded_numbers()` lists the numbers a page types although they equal a recorded value (the test
`tests/test_recorded.py` fails on any): a decimal number with at least three significant digits, or an integer of four
digits or more, that is printed in one of the article's recordings, either exactly or (decimals only) rounded to the
decimals the page shows (0.982 for a printed 0.9822). Shorter numbers are not checked (a learning rate of 0.01, a
moment of 0.0009), so the page may type those. Code blocks, inline code, snippet includes and link targets are not
prose.

    python -m tools.model.recorded            # every typed number that should be a reference, and every value's text
"""

from __future__ import annotations

import math
import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from tools.model import markdown

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
GENERATED = DOCS / "assets" / "generated"
LEDGER = "recorded.yml"

# {{ recorded.<name> }} on an article page; {{ recorded.<slug>.<name> }} names another article's value (any page)
REFERENCE = re.compile(r"\{\{\s*recorded\.(?:(?P<slug>[a-z0-9-]+)\.)?(?P<name>\w+)\s*\}\}")
EXPR_NAMES = {"abs": abs, "round": round, "min": min, "max": max}
ENTRY_KEYS = {"snippet", "pattern", "expr", "format", "match"}


class RecordedError(ValueError):
    """A reference or a recorded.yml entry that cannot be resolved; the message names the file and the name."""


@dataclass(frozen=True)
class Value:
    name: str
    snippet: str
    pattern: str
    expr: str | None = None
    format: str | None = None
    match: int | str = 0

    def text(self, slug: str, generated: Path = GENERATED) -> str:
        """The value as the page shows it, read from the recording now."""
        path = generated / slug / f"{self.snippet}.txt"
        if not path.is_file():
            raise RecordedError(f"{slug}/{LEDGER}: {self.name}: no recording {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}"
                                f" (run `python -m tools.run.record snippets/{slug}/{self.snippet}.py`)")
        found = re.findall(self.pattern, path.read_text(encoding="utf-8"), re.M)
        if found and isinstance(found[0], tuple):
            raise RecordedError(f"{slug}/{LEDGER}: {self.name}: the pattern {self.pattern!r} has more than one group")
        try:
            if self.match in ("min", "max", "argmin", "argmax"):
                numbers = [float(f.replace(",", "")) for f in found]
                best = (min if self.match.endswith("min") else max)(range(len(numbers)), key=numbers.__getitem__)
                printed = str(best + 1) if self.match.startswith("arg") else found[best]
            else:
                printed = found[int(self.match)]
        except (IndexError, ValueError):
            raise RecordedError(f"{slug}/{LEDGER}: {self.name}: {path.name} does not print {self.pattern!r}"
                                f" (match {self.match} of {len(found)}): update the pattern or the prose") from None
        if self.expr is None and self.format is None:
            return printed
        x = float(printed.replace(",", ""))
        number = eval(self.expr, {"__builtins__": {}}, {**EXPR_NAMES, "x": x}) if self.expr else x  # noqa: S307 (our file)
        return self.format.format(number) if self.format else f"{number:g}"


@dataclass(frozen=True)
class Ledger:
    slug: str
    values: dict[str, Value]
    typed: dict[str, str]  # number as the page types it -> why it is not a reference


def load(slug: str, docs: Path = DOCS) -> Ledger:
    """The article's recorded.yml (an empty ledger where the article has none)."""
    path = docs / "articles" / slug / LEDGER
    if not path.is_file():
        return Ledger(slug, {}, {})
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    unknown = set(data) - {"values", "typed"}
    if unknown:
        raise RecordedError(f"{path}: unknown top-level keys {sorted(unknown)} (known: values, typed)")
    values = {}
    for name, entry in (data.get("values") or {}).items():
        if not isinstance(entry, dict) or not {"snippet", "pattern"} <= set(entry) or set(entry) - ENTRY_KEYS:
            raise RecordedError(f"{path}: {name}: an entry needs snippet and pattern, and may have expr, format, match; found {entry!r}")
        values[name] = Value(name=name, **entry)
    typed = {str(k): str(v).strip() for k, v in (data.get("typed") or {}).items() if v is not None}
    unexplained = sorted(str(k) for k, v in (data.get("typed") or {}).items() if v is None or not str(v).strip())
    if unexplained:
        raise RecordedError(f"{path}: typed numbers without a reason: {unexplained} (write why the page may type each)")
    return Ledger(slug, values, typed)


def substitute(markdown: str, slug: str | None, where: str, docs: Path = DOCS, generated: Path = GENERATED) -> str:
    """The page with every {{ recorded.<name> }} replaced by the value its recording holds now (slug: the page's
    article, None on a page outside docs/articles/)."""
    if not REFERENCE.search(markdown):
        return markdown
    ledgers: dict[str, Ledger] = {}

    def value(match: re.Match) -> str:
        article = match["slug"] or slug
        if article is None:
            raise RecordedError(f"{where}: {match.group(0)}: outside an article, name the article: {{{{ recorded.<slug>.{match['name']} }}}}")
        ledger = ledgers.setdefault(article, load(article, docs))
        entry = ledger.values.get(match["name"])
        if entry is None:
            raise RecordedError(f"{where}: {match.group(0)} is not defined in docs/articles/{article}/{LEDGER}"
                                f" (defined: {', '.join(sorted(ledger.values)) or 'none'})")
        return entry.text(article, generated)

    return REFERENCE.sub(value, markdown)


def references(text: str) -> list[str]:
    """The names a page refers to, in order ("name", or "slug.name" for another article's value)."""
    return [f"{m['slug']}.{m['name']}" if m["slug"] else m["name"] for m in REFERENCE.finditer(text)]


# --- typed numbers that equal a recorded value ---------------------------------------------------------------------

# Not part of a longer token: a letter, digit or underscore of the Latin alphabet (not `\w`, which counts Chinese
# characters too, so that 准确率207.04。 would go unseen), a decimal point, a thousands comma, a path or an anchor.
NUMBER = re.compile(r"(?<![A-Za-z0-9_.,/#])(?:\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d+|\d{4,})(?![A-Za-z0-9_]|\.\d|,\d{3})")
NOT_PROSE = re.compile(r"`[^`\n]*`|\]\([^)\n]*\)|\{[^}\n]*#[\w-]+[^}\n]*\}|<[^>\n]+>|https?://\S+|" + REFERENCE.pattern)
def prose(text: str) -> str:
    """The page with everything that is not prose blanked out (line numbers kept)."""
    return markdown.blank_out(markdown.without_code(text), NOT_PROSE)


def significant_digits(number: str) -> int:
    digits = number.replace(",", "").replace(".", "").lstrip("0")
    return len(digits)


def recorded_numbers(slug: str, generated: Path = GENERATED) -> dict[str, str]:
    """Every number the article's recordings print ({number as printed, thousands separators removed: recording})."""
    found = {}
    for path in sorted((generated / slug).glob("*.txt")):
        for m in NUMBER.finditer(path.read_text(encoding="utf-8")):
            found.setdefault(m.group(0).replace(",", ""), path.name)
    return found


def equals_recorded(number: str, recorded: dict[str, str]) -> str | None:
    """The recording that prints this number (exactly, or more precisely with this rounding), or None."""
    plain = number.replace(",", "")
    if plain in recorded:
        return recorded[plain]
    if "." not in plain:
        return None
    decimals = len(plain.split(".")[1])
    value = float(plain)
    for printed, recording in recorded.items():
        if "." in printed and len(printed.split(".")[1]) > decimals and math.isclose(round(float(printed), decimals), value):
            return recording
    return None


def typed_recorded_numbers(page: Path, slug: str, text: str | None = None, docs: Path = DOCS, generated: Path = GENERATED) -> list[str]:
    """'page:line: 0.9822 is printed in 01_cnn_digits.txt: write {{ recorded.<name> }} (docs/articles/<slug>/recorded.yml)'."""
    text = page.read_text(encoding="utf-8") if text is None else text
    recorded = recorded_numbers(slug, generated)
    allowed = load(slug, docs).typed
    name = page.relative_to(ROOT) if page.is_relative_to(ROOT) else page
    problems = []
    body = prose(text)
    for m in NUMBER.finditer(body):
        number = m.group(0)
        if number in allowed or number.replace(",", "") in allowed:
            continue
        plain = number.replace(",", "")
        if ("." in plain and significant_digits(plain) < 3) or ("." not in plain and len(plain) < 4):
            continue
        recording = equals_recorded(number, recorded)
        if recording:
            line = body.count("\n", 0, m.start()) + 1
            problems.append(f"{name}:{line}: {number} is printed in {recording}: write {{{{ recorded.<name> }}}}, defined in"
                            f" docs/articles/{slug}/{LEDGER} (or list it there under typed:, with the reason)")
    return problems


def unused_values(slug: str, docs: Path = DOCS) -> list[str]:
    """Names defined in recorded.yml that a page of the article does not use (in either language)."""
    ledger = load(slug, docs)
    problems = []
    for lang in ("zh", "en"):
        page = docs / "articles" / slug / f"index.{lang}.md"
        used = set(references(page.read_text(encoding="utf-8"))) if page.is_file() else set()
        problems += [f"docs/articles/{slug}/{LEDGER}: {n} is not used on index.{lang}.md" for n in sorted(set(ledger.values) - used)]
    return problems


def articles(docs: Path = DOCS) -> list[str]:
    return sorted(p.parent.name for p in docs.glob("articles/*/index.zh.md"))


if __name__ == "__main__":
    bad = []
    for slug in articles():
        ledger = load(slug)
        for name, value in ledger.values.items():
            try:
                print(f"{slug}: {name} = {value.text(slug)}")
            except RecordedError as error:
                bad.append(str(error))
        for lang in ("zh", "en"):
            bad += typed_recorded_numbers(DOCS / "articles" / slug / f"index.{lang}.md", slug)
        bad += unused_values(slug)
    print("\n".join(bad) or "every recorded number on a page is a reference")
    sys.exit(1 if bad else 0)
