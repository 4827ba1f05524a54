"""The canary's verdict on the site (issue 23, item 4): `make canary` writes docs/assets/generated/canary.json, and
the about page and the provenance line under each recorded output say what it says, and only for the snippets it ran
as they are now."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import SimpleNamespace

import pytest

from conftest import ARTICLES, ROOT, language_root
from tools.run import canary
from tools.site import provenance_hook
from tools.model import snippets as harness

SOURCES = sorted(harness.SNIPPETS_DIR.glob("*/*.py"))
IDS = [f"{p.parent.name}/{p.name}" for p in SOURCES]


def report(entries: dict[str, dict]) -> dict:
    return {"date": "2030-01-02", "versions": {"tensorflow": "9.9.0", "keras": "9.9.1", "numpy": "9.0.0", "python": "3.11.7"},
            "snippets": entries}


def entry(snippet_id: str, passed: bool, sha256: str | None = None) -> dict:
    return {"sha256": sha256 or harness.file_sha256(harness.SNIPPETS_DIR / snippet_id), "passed": passed, "values": {}}


def write(tmp_path: Path, data: dict) -> Path:
    path = tmp_path / "canary.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def test_make_canary_writes_a_small_stable_json(tmp_path, monkeypatch):
    """run_inside (what `make canary` runs in .canary/venv), with the runs faked: a pass, a failed check, a crash."""
    fake = {IDS[0]: "PASS", IDS[1]: "FAIL", IDS[2]: None}
    snippets = [harness.load(harness.SNIPPETS_DIR / i) for i in fake]

    def run(snippet, device, cwd, quick, warm):
        recorded = snippet.recorded_stdout.read_text(encoding="utf-8")
        if fake[snippet.id] is None:
            return harness.Run(1, "", "Traceback: boom", 0.1)
        # a failing run: exit status 0, but no line its checks look for
        return harness.Run(0, recorded if fake[snippet.id] == "PASS" else "nothing to check\n", "", 0.1)

    monkeypatch.setattr(canary.harness, "discover", lambda: snippets)
    monkeypatch.setattr(canary.harness, "run", run)
    monkeypatch.setattr(canary, "RESULT", tmp_path / "canary.json")
    assert canary.run_inside() == 1
    text = (tmp_path / "canary.json").read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"  # sorted keys, one value a line: readable diffs
    assert re.fullmatch(r"\d{4}-\d\d-\d\d", data["date"]), data["date"]
    assert data["versions"] == harness.environment()["versions"]  # what ran (in the canary: its venv's packages)
    assert sorted(data["snippets"]) == sorted(fake)
    for snippet in snippets:
        got = data["snippets"][snippet.id]
        assert got["sha256"] == harness.file_sha256(snippet.path)
        assert got["passed"] is (fake[snippet.id] == "PASS"), got
        assert ("failures" in got) is (fake[snippet.id] != "PASS"), got
    passing = data["snippets"][IDS[0]]["values"]
    assert passing and all(v["canary"] == v["recorded"] is not None for v in passing.values()), passing
    assert data["snippets"][IDS[2]]["failures"] == ["exit 1"]
    assert all(v["canary"] is None for v in data["snippets"][IDS[2]]["values"].values())


def test_the_committed_canary_json_has_that_shape():
    path = provenance_hook.CANARY
    if not path.exists():
        pytest.skip("no docs/assets/generated/canary.json: `make canary` writes it (the about page then says that no result applies yet)")
    text = path.read_text(encoding="utf-8")
    data = json.loads(text)
    assert text == json.dumps(data, indent=2, sort_keys=True) + "\n"
    assert {"tensorflow", "keras", "numpy", "python"} <= set(data["versions"]), data["versions"]
    for snippet_id, got in data["snippets"].items():
        assert set(got) >= {"sha256", "passed", "values"} and isinstance(got["passed"], bool), (snippet_id, got)


def test_only_the_snippets_the_canary_ran_as_they_are_get_a_verdict(tmp_path):
    path = write(tmp_path, report({
        IDS[0]: entry(IDS[0], True),
        IDS[1]: entry(IDS[1], False),
        IDS[2]: entry(IDS[2], True, sha256="0" * 64),  # changed since the canary ran it
        "gone/01_removed.py": entry(IDS[0], True, sha256="1" * 64),  # no longer exists
    }))
    data, verdicts = provenance_hook.canary_verdicts(path)
    assert verdicts == {IDS[0]: True, IDS[1]: False}
    unchecked = len(IDS) - 2
    assert provenance_hook.site_verdict(data, verdicts, "en") == (
        f"Checked on 2030-01-02 with the newest releases (TensorFlow 9.9.0, Keras 9.9.1, NumPy 9.0.0), in quick mode: 1 of 2 programs passes; `{IDS[1]}` fails;"
        f" {unchecked} programs added or changed since then were not checked.")
    assert provenance_hook.site_verdict(data, verdicts, "zh") == (
        f"2030-01-02 用最新版本（TensorFlow 9.9.0、Keras 9.9.1、NumPy 9.0.0）以快速模式复核：2 个程序中 1 个通过；未通过的是 `{IDS[1]}`；"
        f"此后新增或改动的 {unchecked} 个程序未复核。")
    assert provenance_hook.snippet_verdict(data, False, "en") == "Checked on 2030-01-02 with the newest releases (TensorFlow 9.9.0, Keras 9.9.1, NumPy 9.0.0), in quick mode: the checks fail"
    assert provenance_hook.snippet_verdict(data, True, "zh") == "2030-01-02 用最新版本（TensorFlow 9.9.0、Keras 9.9.1、NumPy 9.0.0）以快速模式复核：通过"
    everything = report({i: entry(i, True) for i in IDS})
    assert provenance_hook.site_verdict(everything, dict.fromkeys(IDS, True), "en").endswith(f": {len(IDS)} of {len(IDS)} programs pass.")
    assert provenance_hook.site_verdict(data, {}, "en") == ""  # nothing the canary ran is still current: no claim
    pinned = {**everything, "versions": {**everything["versions"], **harness.pinned_versions()}}
    assert provenance_hook.site_verdict(pinned, dict.fromkeys(IDS, True), "en").endswith(
        f": {len(IDS)} of {len(IDS)} programs pass. These newest releases are the versions requirements.txt pins.")
    assert provenance_hook.site_verdict(pinned, dict.fromkeys(IDS, True), "zh").endswith("个通过。这些最新版本就是 requirements.txt 固定的版本。")
    assert "pins" not in provenance_hook.site_verdict(everything, dict.fromkeys(IDS, True), "en")


def page_markdown(tmp_path, monkeypatch, data: dict | None, markdown: str, lang: str = "en") -> str:
    monkeypatch.setattr(provenance_hook, "CANARY", write(tmp_path, data) if data else tmp_path / "absent.json")
    page = SimpleNamespace(file=SimpleNamespace(src_uri=f"about.{lang}.md"))
    return provenance_hook.add_provenance(markdown, page, SimpleNamespace(theme={"language": lang}))


def recording(snippet_id: str) -> str:
    slug, name = snippet_id.split("/")
    return f'```text\n--8<-- "generated/{slug}/{name.removesuffix(".py")}.txt"\n```\n'


def test_the_hook_shows_the_verdict_under_its_own_recording_only(tmp_path, monkeypatch):
    markdown = "{{ canary.verdict }}\n\n" + recording(IDS[0]) + "\n" + recording(IDS[1])
    out = page_markdown(tmp_path, monkeypatch, report({IDS[0]: entry(IDS[0], False)}), markdown)
    lines = re.findall(r'<p class="recording-provenance">(.*?)</p>', out)
    assert len(lines) == 2 and lines[0].endswith("<br>Checked on 2030-01-02 with the newest releases (TensorFlow 9.9.0, Keras 9.9.1, NumPy 9.0.0), in quick mode: the checks fail")
    assert "newest releases" not in lines[1], lines[1]  # the canary did not run it: no verdict
    assert out.startswith("Checked on 2030-01-02 with the newest releases (TensorFlow 9.9.0, Keras 9.9.1, NumPy 9.0.0), in quick mode: 0 of 1 program pass;")


def test_without_canary_json_the_pages_say_nothing(tmp_path, monkeypatch):
    markdown = "Before.\n\n{{ canary.verdict }}\n\n" + recording(IDS[0])
    out = page_markdown(tmp_path, monkeypatch, None, markdown)
    assert "canary.verdict" not in out and "newest releases" not in out and "<br>" not in out, out
    assert out.startswith(f"Before.\n\n{provenance_hook.CANARY_LABELS['en']['none']}\n\n```text"), out


def text_of(html: str) -> str:
    return re.sub(r"<[^>]+>", "", html)


def test_the_built_site_says_what_canary_json_says(built_site):
    """The about page and every article's provenance lines, built from this checkout's canary.json (or its absence)."""
    canary_data = provenance_hook.canary_verdicts(provenance_hook.CANARY)
    for lang in ("zh", "en"):
        about = text_of((language_root(built_site, lang) / "about" / "index.html").read_text(encoding="utf-8"))
        assert "canary.verdict" not in about
        checked = "）以快速模式复核：" if lang == "zh" else "), in quick mode: "
        if canary_data and canary_data[1]:
            assert provenance_hook.site_verdict(*canary_data, lang).replace("`", "") in about
        else:
            assert checked not in about and provenance_hook.CANARY_LABELS[lang]["none"] in about
        for slug in ARTICLES:
            source = (ROOT / "docs" / "articles" / slug / f"index.{lang}.md").read_text(encoding="utf-8")
            page = (language_root(built_site, lang) / "articles" / slug / "index.html").read_text(encoding="utf-8")
            lines = re.findall(r'<p class="recording-provenance">(.*?)</p>', page)
            ids = [f"{s}/{stem}.py" for s, stem in re.findall(r'--8<-- "generated/([\w-]+)/([\w-]+)\.txt"', source)]
            assert len(lines) == len(ids), (slug, lang)
            for line, snippet_id in zip(lines, ids):
                if canary_data and snippet_id in canary_data[1]:
                    verdict = provenance_hook.snippet_verdict(canary_data[0], canary_data[1][snippet_id], lang)
                    assert line.endswith("<br>" + verdict), (slug, lang, line)
                else:
                    assert checked not in line, (slug, lang, line)
