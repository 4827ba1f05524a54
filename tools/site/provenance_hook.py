"""A step of the site plugin (tools/site/plugin.py): under every recorded output, one line that says what produced it.

A page includes a recording as a fenced block whose only line is `--8<-- "generated/<slug>/<name>.txt"`. Before
the page is converted, we add below that block the provenance `make record` stored in
docs/assets/generated/<slug>/recordings.json, in the page's language, e.g.

    Recorded 2026-12-01 · TensorFlow 2.21.0 · Keras 3.15.1 · NumPy 2.4.6 · scikit-learn 1.9.1 · Python 3.11.7 · CPU (AMD EPYC) · 12 s

A recording that also ran on JAX (recordings.json: its "jax" part) ends with "the checks also pass on JAX 0.10.2".

A recording without provenance is a warning, which `mkdocs build --strict` turns into a failure naming the page
and the recording.

Where `make canary` has written docs/assets/generated/canary.json, the line gets a second one with that program's
verdict on the versions the canary ran, e.g. "Checked on 2026-12-03 with the newest releases (TensorFlow 2.21.0, Keras
3.15.1, NumPy 2.4.6), in quick mode: the checks pass", and `{{ canary.verdict }}` on a page (the about page) becomes
"…: 15 of 15 programs pass.", followed by a sentence saying so when the newest releases are the pinned ones. Only a
snippet whose source still has the sha256 the canary ran gets a verdict; without canary.json (or with none that
applies) the about page says that no result applies yet, and the recordings get no second line.
"""

from __future__ import annotations

import html
import json
import logging
import re
from pathlib import Path

from tools.model import snippets as harness

log = logging.getLogger("mkdocs.hooks.provenance")

RECORDED_OUTPUT = re.compile(
    r'^(?P<indent>[ \t]*)(?P<fence>`{3,})[^\n]*\n(?P=indent)--8<-- "generated/(?P<slug>[\w-]+)/(?P<stem>[\w-]+)\.txt"[ \t]*\n'
    r"(?P=indent)(?P=fence)[ \t]*$",
    re.M,
)
LABELS = {
    "zh": {"recorded": "录制于 {date}", "seconds": "用时 {seconds} 秒", "cpu": "CPU（{model}）", "gpu": "GPU（{model}）",
           "jax": "在 JAX {version} 上检查同样通过"},
    "en": {"recorded": "Recorded {date}", "seconds": "{seconds} s", "cpu": "CPU ({model})", "gpu": "GPU ({model})",
           "jax": "the checks also pass on JAX {version}"},
}
SHOWN_VERSIONS = (("tensorflow", "TensorFlow"), ("keras", "Keras"), ("numpy", "NumPy"), ("scikit-learn", "scikit-learn"),
                  ("python", "Python"))
CANARY = harness.GENERATED_DIR / "canary.json"
CANARY_TOKEN = re.compile(r"\{\{\s*canary\.verdict\s*\}\}")
CANARY_LABELS = {
    "zh": {"checked": "{date} 用最新版本（TensorFlow {tensorflow}、Keras {keras}、NumPy {numpy}）以快速模式复核",
           "pass": "通过", "fail": "未通过", "count": "{total} 个程序中 {passed} 个通过", "failing": "未通过的是 {ids}",
           "unchecked": "此后新增或改动的 {n} 个程序未复核", "pinned": "这些最新版本就是 requirements.txt 固定的版本。",
           "none": "目前还没有哪次复核的结果适用于现在的程序。"},
    "en": {"checked": "Checked on {date} with the newest releases (TensorFlow {tensorflow}, Keras {keras}, NumPy {numpy}), "
                      "in quick mode", "pass": "the checks pass", "fail": "the checks fail",
           "count": "{passed} of {total} {programs} {pass_}", "failing": "{ids} {fail}",
           "unchecked": "{n} {programs} added or changed since then {were} not checked",
           "pinned": "These newest releases are the versions requirements.txt pins.",
           "none": "No canary result that applies to the programs as they are now has been merged yet."},
}


def provenance_line(entry: dict, language: str) -> str:
    labels = LABELS.get(language, LABELS["en"])
    versions = entry["versions"]
    device = labels["gpu"].format(model=entry["gpu"]) if entry.get("gpu") else labels["cpu"].format(model=entry["cpu"])
    seconds = f"{entry['seconds']:.0f}" if entry["seconds"] >= 10 else f"{entry['seconds']:.1f}"
    parts = [labels["recorded"].format(date=entry["date"]),
             *(f"{shown} {versions[key]}" for key, shown in SHOWN_VERSIONS if versions.get(key)),
             device, labels["seconds"].format(seconds=seconds)]
    if "jax" in entry:  # the recorder's run on JAX (tools/run/record.py: record_on), kept only when its checks passed
        parts.append(labels["jax"].format(version=entry["jax"]["versions"]["jax"]))
    return " · ".join(html.escape(part) for part in parts)


def canary_verdicts(path: Path) -> tuple[dict, dict[str, bool]] | None:
    """canary.json, and {snippet id: passed} for the current snippets that it ran as they are now (same sha256)."""
    if not path.exists():
        return None
    report = json.loads(path.read_text(encoding="utf-8"))
    verdicts = {}
    for source in sorted(harness.SNIPPETS_DIR.glob("*/*.py")):
        snippet_id = f"{source.parent.name}/{source.name}"
        entry = report["snippets"].get(snippet_id)
        if entry and entry["sha256"] == harness.file_sha256(source):
            verdicts[snippet_id] = entry["passed"]
    return report, verdicts


def checked_with(report: dict, language: str) -> str:
    labels = CANARY_LABELS.get(language, CANARY_LABELS["en"])
    return labels["checked"].format(date=report["date"], **{k: report["versions"].get(k) for k in ("tensorflow", "keras", "numpy")})


def snippet_verdict(report: dict, passed: bool, language: str) -> str:
    """Under one recording: "Also checked with TensorFlow … and Keras … on <date>: the checks pass"."""
    labels = CANARY_LABELS.get(language, CANARY_LABELS["en"])
    return html.escape(f"{checked_with(report, language)}{'：' if language == 'zh' else ': '}{labels['pass' if passed else 'fail']}")


def site_verdict(report: dict, verdicts: dict[str, bool], language: str) -> str:
    """On the about page: "Also checked with … on <date>: n of m programs pass", m counting only what the canary ran."""
    if not verdicts:
        return ""
    labels = CANARY_LABELS.get(language, CANARY_LABELS["en"])
    colon, semicolon, stop = ("：", "；", "。") if language == "zh" else (": ", "; ", ".")
    passed, total = sum(verdicts.values()), len(verdicts)
    parts = [labels["count"].format(passed=passed, total=total, programs="program" if total == 1 else "programs",
                                    pass_="passes" if passed == 1 else "pass")]
    failing = [snippet_id for snippet_id, passed in verdicts.items() if not passed]
    if failing:
        parts.append(labels["failing"].format(ids=("、" if language == "zh" else ", ").join(f"`{i}`" for i in failing),
                                              fail="fails" if len(failing) == 1 else "fail"))
    unchecked = len(list(harness.SNIPPETS_DIR.glob("*/*.py"))) - len(verdicts)
    if unchecked:
        parts.append(labels["unchecked"].format(n=unchecked, programs="program" if unchecked == 1 else "programs",
                                                were="was" if unchecked == 1 else "were"))
    pins = harness.pinned_versions()
    newest_are_pinned = all(report["versions"].get(k) == pins.get(k) for k in ("tensorflow", "keras", "numpy"))
    return checked_with(report, language) + colon + semicolon.join(parts) + stop + (
        ("" if language == "zh" else " ") + labels["pinned"] if newest_are_pinned else "")


def add_provenance(markdown: str, page, config) -> str:
    language = config.theme["language"]
    canary = canary_verdicts(CANARY) if RECORDED_OUTPUT.search(markdown) or CANARY_TOKEN.search(markdown) else None
    if CANARY_TOKEN.search(markdown):
        none_yet = CANARY_LABELS.get(language, CANARY_LABELS["en"])["none"]
        markdown = CANARY_TOKEN.sub(lambda m: site_verdict(*canary, language) or none_yet if canary else none_yet, markdown)

    def add_line(match: re.Match) -> str:
        entry = harness.read_manifest(harness.GENERATED_DIR / match["slug"]).get(f"{match['stem']}.py")
        if not entry or "versions" not in entry:
            log.warning(f"{page.file.src_uri}: the recording generated/{match['slug']}/{match['stem']}.txt has no provenance "
                        f"in recordings.json: run `python -m tools.run.record snippets/{match['slug']}/{match['stem']}.py`")
            return match.group(0)
        line = provenance_line(entry, language)
        snippet_id = f"{match['slug']}/{match['stem']}.py"
        if canary and snippet_id in canary[1]:
            line += "<br>" + snippet_verdict(canary[0], canary[1][snippet_id], language)
        line = f'<p class="recording-provenance">{line}</p>'
        return f"{match.group(0)}\n\n{match['indent']}{line}"

    return RECORDED_OUTPUT.sub(add_line, markdown)
