"""The contributor's loop: `make` stops before installing anything when its Python is not 3.11-3.13; `make check`
counts a recording made from the same source, with the same versions on the same CPU, as a pass (so a fresh clone's first run is
quick) and runs the notebook and editorial tests (so it fails where `make test` would); `tools.run.record` stores what
that needs and regenerates the notebooks of what it recorded."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT, passed_key, passed_value, project_copy, recorded_pass
from tools.generate import notebooks
from tools.model import snippets as harness

VENV = Path(sys.executable).parent.parent  # the virtualenv running the tests: `make` in a copy uses it as it is


def fake_python(tmp_path: Path, version: str) -> Path:
    """A `python3` that says it is `version` and otherwise is this interpreter (so that, were the guard to let it
    through, it would really create a virtualenv, and the test would see one)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    script = folder / "python3"
    script.write_text(f'#!/bin/sh\nif [ "$1" = "--version" ]; then echo "Python {version}"; exit 0; fi\nexec "{sys.executable}" "$@"\n')
    script.chmod(0o755)
    return folder


def make(*args: str, path_prefix: Path | None = None, cwd: Path = ROOT, timeout: int = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PATH": f"{path_prefix}:{os.environ['PATH']}" if path_prefix else os.environ["PATH"]}
    env.pop("MAKEFLAGS", None)
    return subprocess.run(["make", "--no-print-directory", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout)


@pytest.mark.parametrize("version", ["3.14.0", "3.10.12"])
def test_make_stops_outside_the_supported_pythons(tmp_path, version):
    venv = tmp_path / "venv"
    result = make("install", f"VENV={venv}", path_prefix=fake_python(tmp_path, version))
    assert result.returncode != 0, result.stdout + result.stderr
    assert f"Python {version[:4]}" in result.stderr and "needs Python 3.11, 3.12 or 3.13" in result.stderr, result.stderr
    assert "Nothing was installed" in result.stderr and not venv.exists(), "make created a virtualenv anyway"
    assert "pip" not in result.stdout, result.stdout


@pytest.mark.parametrize("version", ["3.11.7", "3.12.3", "3.13.1"])
def test_make_accepts_the_supported_pythons(tmp_path, version):
    result = make("python-version", f"VENV={tmp_path / 'venv'}", path_prefix=fake_python(tmp_path, version))
    assert result.returncode == 0, result.stderr


def test_one_supported_range_everywhere():
    pyproject = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'^requires-python = ">=3\.11,<3\.14"$', pyproject, re.M), "pyproject.toml: requires-python"
    assert re.search(r"^SUPPORTED_PYTHONS := 3\.11 3\.12 3\.13$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M)
    assert "Python 3.11–3.13" in (ROOT / "README.md").read_text(encoding="utf-8"), "README.md does not name 3.11–3.13"


CHECKED = ["tests/test_snippets.py", "tests/test_recordings.py", "tests/test_notebooks.py", "tests/test_site.py",
           "tests/test_parity.py", "tests/test_editorial.py", "tests/test_editorial_partb.py", "tests/test_collation.py",
           "tests/test_recorded.py"]


def test_make_check_runs_the_notebook_and_editorial_tests():
    recipe = make("-n", "check").stdout
    assert "--changed-snippets" in recipe
    assert [name for name in CHECKED if name not in recipe] == [], recipe


def contributor_copy(tmp_path: Path) -> Path:
    """What `make check` and `tools.run.record` read, copied for a test to break (no ../shared beside it: the quotations
    are checked against the committed fingerprints, as in a clone without the originals)."""
    copy = project_copy(tmp_path)
    shutil.copytree(ROOT / "tests", copy / "tests", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml", "requirements.txt"):
        shutil.copy(ROOT / name, copy / name)
    return copy


def test_make_check_fails_on_a_stale_notebook_and_an_invented_quotation(tmp_path):
    copy = contributor_copy(tmp_path)
    chosen = "PYTEST_ARGS=-n0 -k 'notebook_is_what_the_generator_makes or quotations_are_in_the_original'"
    intact = make("check", f"VENV={VENV}", chosen, cwd=copy, timeout=600)
    assert intact.returncode == 0, intact.stdout[-3000:] + intact.stderr[-2000:]

    notebook = notebooks.notebook_path("cnn-app", "en").relative_to(ROOT)
    (copy / notebook).write_text((copy / notebook).read_text(encoding="utf-8").replace("cnn-app", "cnn-app (edited)", 1), encoding="utf-8")
    page = copy / "docs" / "articles" / "gan-exploration" / "index.zh.md"
    text = page.read_text(encoding="utf-8")
    first_quotation = text.index("<q>")
    page.write_text(text[:first_quotation] + "<q>原稿从未写过的一句编者自己的话</q>" + text[first_quotation:], encoding="utf-8")
    broken = make("check", f"VENV={VENV}", chosen, cwd=copy, timeout=600)
    output = broken.stdout + broken.stderr
    assert broken.returncode != 0, output[-3000:]
    assert f"{notebook} is not what tools/generate/notebooks.py makes" in output, output[-3000:]
    assert "quotations not found in the original" in output and "原稿从未写过的一句编者自己的话" in output, output[-3000:]


def collect_changed(copy: Path, cache: Path, changed: bool = True) -> tuple[list[str], str]:
    """The snippet tests `make check` would run in this copy with this pytest cache (all of them: changed=False)."""
    listed = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-n0", "-o", f"cache_dir={cache}",
         *(["--changed-snippets"] if changed else []), "tests/test_snippets.py"], cwd=copy, capture_output=True, text=True, timeout=120,
    )
    assert listed.returncode == 0, listed.stdout[-2000:] + listed.stderr[-2000:]
    return [line for line in listed.stdout.splitlines() if line.startswith("tests/test_snippets.py::")], listed.stdout


def remember(cache: Path, snippet: harness.Snippet, case: str, value: dict) -> None:
    entry = cache / "v" / passed_key(snippet, case)
    entry.parent.mkdir(parents=True, exist_ok=True)
    entry.write_text(json.dumps(value))


def test_make_check_counts_a_recording_of_the_same_source_and_environment(tmp_path):
    """--changed-snippets: a cpu case or warm/cold comparison passes if it passed here before (pytest's cache) or if its recording was made
    from the same source, with the same versions on the same CPU; anything else about it changed, and it runs."""
    copy = contributor_copy(tmp_path)
    snippets = harness.longest_first(harness.discover())
    edited, other_machine, legacy = snippets[-1], snippets[-2], snippets[-3]  # short ones: each has a warm/cold case
    ids = {s.id for s in (edited, other_machine, legacy)}
    # Normally none: a snippet edited in the checkout and not yet recorded again.
    unrecorded = {s.id for s in snippets if not recorded_pass(s, "cpu")}
    # Before the edits: everything passed here.
    cache = tmp_path / "cache"
    for snippet in snippets:
        for case in ("cpu", "gpu", "jax", "test_warm_start_prints_what_a_cold_start_prints"):
            remember(cache, snippet, case, passed_value(snippet, case))
    # The edits: one snippet's source, one recording made elsewhere, one made before recordings had a fingerprint.
    (copy / edited.path.relative_to(ROOT)).write_text(edited.path.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    for snippet, change in ((other_machine, {"environment": "0" * 64}), (legacy, {"cpu": "another processor"})):
        manifest_path = copy / snippet.recording_dir.relative_to(ROOT) / harness.MANIFEST
        manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        entry = {key: value for key, value in manifest[snippet.path.name].items() if key != "environment"}
        manifest[snippet.path.name] = {**entry, **change}
        manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    selected, _ = collect_changed(copy, cache)
    assert selected == [f"tests/test_snippets.py::test_snippet[{edited.id}-cpu]", f"tests/test_snippets.py::test_snippet[{edited.id}-gpu]",
                        f"tests/test_snippets.py::test_warm_start_prints_what_a_cold_start_prints[{edited.id}]",
                        "tests/test_snippets.py::test_snippets_exist"], selected

    # A fresh clone: nothing in the cache, so only the recordings count, for the cases they stand for (the cpu run and
    # the warm/cold comparison, never the gpu run).
    selected, output = collect_changed(copy, tmp_path / "empty-cache")
    runs = ids | unrecorded
    every = collect_changed(copy, tmp_path / "empty-cache", changed=False)[0]

    def still_runs(node: str) -> bool:
        case = re.search(r"\[(?P<id>[^\]]+?)(?:-(?P<device>cpu|gpu))?\]$", node)
        return case is None or case["device"] == "gpu" or case["id"] in runs

    assert selected == [node for node in every if still_runs(node)], selected
    assert sum(node.endswith("-gpu]") for node in selected) == len(snippets)
    counted = len(every) - len(selected)
    assert (f"{counted} snippet cases count as passed: their recording was made from the same source, with the same "
            "versions on the same CPU") in output, output[-2000:]


def test_record_stores_the_fingerprint_and_regenerates_the_notebooks(tmp_path):
    copy = contributor_copy(tmp_path)
    snippet = harness.load(ROOT / "snippets" / "large-model-basics" / "03_formulas.py")
    stale = copy / notebooks.notebook_path(snippet.slug, "zh").relative_to(ROOT)
    stale.write_text("{}\n", encoding="utf-8")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1"}
    recorded = subprocess.run([sys.executable, "-m", "tools.run.record", str(snippet.path.relative_to(ROOT))],
                              cwd=copy, capture_output=True, text=True, timeout=600, env=env)
    assert recorded.returncode == 0, recorded.stdout[-2000:] + recorded.stderr[-3000:]
    assert f"refreshed  {snippet.id}" in recorded.stdout
    assert f"regenerated {stale.relative_to(copy)}" in recorded.stdout, recorded.stdout
    check = subprocess.run([sys.executable, "-m", "tools.generate.notebooks", "--check"], cwd=copy, capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout
    manifest = json.loads((copy / snippet.recording_dir.relative_to(ROOT) / harness.MANIFEST).read_text(encoding="utf-8"))
    assert manifest[snippet.path.name]["environment"] == harness.environment_fingerprint("cpu")
    selected, _ = collect_changed(copy, tmp_path / "empty-cache")
    assert f"tests/test_snippets.py::test_snippet[{snippet.id}-cpu]" not in selected
