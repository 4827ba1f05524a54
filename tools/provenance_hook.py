"""MkDocs hook (mkdocs.yml `hooks:`): under every recorded output, one line that says what produced it.

A page includes a recording as a fenced block whose only line is `--8<-- "generated/<slug>/<name>.txt"`. Before
the page is converted, we add below that block the provenance `make record` stored in
docs/assets/generated/<slug>/recordings.json, in the page's language, e.g.

    Recorded 2026-12-01 · TensorFlow 2.21.0 · Keras 3.15.1 · NumPy 2.4.6 · scikit-learn 1.9.1 · Python 3.11.7 · CPU (AMD EPYC) · 12 s

A recording without provenance is a warning, which `mkdocs build --strict` turns into a failure naming the page
and the recording.
"""

from __future__ import annotations

import html
import logging
import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools import snippets as harness  # noqa: E402

log = logging.getLogger("mkdocs.hooks.provenance")

RECORDED_OUTPUT = re.compile(
    r'^(?P<indent>[ \t]*)(?P<fence>`{3,})[^\n]*\n(?P=indent)--8<-- "generated/(?P<slug>[\w-]+)/(?P<stem>[\w-]+)\.txt"[ \t]*\n'
    r"(?P=indent)(?P=fence)[ \t]*$",
    re.M,
)
LABELS = {
    "zh": {"recorded": "录制于 {date}", "seconds": "用时 {seconds} 秒", "cpu": "CPU（{model}）", "gpu": "GPU（{model}）"},
    "en": {"recorded": "Recorded {date}", "seconds": "{seconds} s", "cpu": "CPU ({model})", "gpu": "GPU ({model})"},
}
SHOWN_VERSIONS = (("tensorflow", "TensorFlow"), ("keras", "Keras"), ("numpy", "NumPy"), ("scikit-learn", "scikit-learn"),
                  ("python", "Python"))


def provenance_line(entry: dict, language: str) -> str:
    labels = LABELS.get(language, LABELS["en"])
    versions = entry["versions"]
    device = labels["gpu"].format(model=entry["gpu"]) if entry.get("gpu") else labels["cpu"].format(model=entry["cpu"])
    seconds = f"{entry['seconds']:.0f}" if entry["seconds"] >= 10 else f"{entry['seconds']:.1f}"
    parts = [labels["recorded"].format(date=entry["date"]),
             *(f"{shown} {versions[key]}" for key, shown in SHOWN_VERSIONS if versions.get(key)),
             device, labels["seconds"].format(seconds=seconds)]
    return " · ".join(html.escape(part) for part in parts)


def on_page_markdown(markdown: str, page, config, files) -> str:
    language = config.theme["language"]

    def add_line(match: re.Match) -> str:
        entry = harness.read_manifest(harness.GENERATED_DIR / match["slug"]).get(f"{match['stem']}.py")
        if not entry or "versions" not in entry:
            log.warning(f"{page.file.src_uri}: the recording generated/{match['slug']}/{match['stem']}.txt has no provenance "
                        f"in recordings.json: run `python -m tools.record snippets/{match['slug']}/{match['stem']}.py`")
            return match.group(0)
        line = f'<p class="recording-provenance">{provenance_line(entry, language)}</p>'
        return f"{match.group(0)}\n\n{match['indent']}{line}"

    return RECORDED_OUTPUT.sub(add_line, markdown)
