"""The scaffold (`python -m tools.generate.new_article <slug>`): in a copy of the project, the path a contributor follows, from
scaffold to a strict build that shows the article on the home page; and no scaffold placeholder left in the tree."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path


from conftest import ROOT, mkdocs_build, project_copy
from tools.generate import new_article
from tools.editorial import parity
from tools.model import snippets as harness

# No xdist group: these build their own copies (not the shared built_site), so any worker may take them.

SLUG = "scaffolded-article"


def run(project: Path, *args: str, timeout: int = 300) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "TF_CPP_MIN_LOG_LEVEL": "2"}
    return subprocess.run([sys.executable, *args], cwd=project, capture_output=True, text=True, env=env, timeout=timeout)


def test_scaffold_record_build(tmp_path):
    project = project_copy(tmp_path)
    result = run(project, "-m", "tools.generate.new_article", SLUG)
    assert result.returncode == 0, result.stderr
    steps = result.stdout
    diagrams = (project / "tools" / "generate" / "diagrams.py").exists()
    order = ["python -m tools.run.record", "python -m tools.generate.notebooks", *(["python -m tools.generate.diagrams"] * diagrams), "python -m tools.editorial.parity", "make build", "make check", "make test"]
    positions = [steps.find(command) for command in order]
    assert -1 not in positions and positions == sorted(positions), f"the steps are missing or out of order:\n{steps}"

    pages = project / "docs" / "articles" / SLUG
    snippet = project / "snippets" / SLUG / "01_example.py"
    assert parity.compare(pages / "index.zh.md", pages / "index.en.md") == []
    assert harness.read_metadata(snippet)["check"], "the template snippet has no check"

    built = mkdocs_build(project, tmp_path / "early")  # before recording: the build says what to run
    assert built.returncode != 0 and "make record" in built.stderr and "python -m tools.run.record" in built.stderr, built.stderr[-2000:]

    recorded = run(project, "-m", "tools.run.record", f"snippets/{SLUG}/01_example.py")  # full mode, twice; checks must pass
    assert recorded.returncode == 0, recorded.stdout[-2000:] + recorded.stderr[-2000:]
    for tool in ("tools.generate.notebooks", *(["tools.generate.diagrams"] * diagrams)):
        done = run(project, "-m", tool)
        assert done.returncode == 0, f"{tool}: {done.stdout[-1500:]}{done.stderr[-1500:]}"

    built = mkdocs_build(project, tmp_path / "site")
    assert built.returncode == 0, built.stderr[-3000:]
    home = (tmp_path / "site" / "index.html").read_text(encoding="utf-8")
    assert f'href="articles/{SLUG}/"' in home and "六篇" in home
    page = (tmp_path / "site" / "en" / "articles" / SLUG / "index.html").read_text(encoding="utf-8")
    assert "largest |GradientTape - 2x|: 0.0e+00" in page, "the recorded output is not on the page"


def test_scaffold_refuses_a_taken_or_malformed_slug(tmp_path):
    project = project_copy(tmp_path)
    taken = run(project, "-m", "tools.generate.new_article", "cnn-app")
    assert taken.returncode == 1 and "already exists" in taken.stderr
    malformed = run(project, "-m", "tools.generate.new_article", "CNN App")
    assert malformed.returncode == 2 and "usage" in malformed.stderr


def test_no_scaffold_placeholder_is_left():
    left = [
        f"{path.relative_to(ROOT)}:{number}"
        for folder in ("docs", "snippets")
        for path in (ROOT / folder).rglob("*")
        if path.suffix in {".md", ".py"}
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if new_article.TODO in line
    ]
    assert not left, f"{new_article.TODO} still to be written at: {left}"
