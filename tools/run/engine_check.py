"""The hedge on the engine: build the site with ProperDocs (the maintained fork of MkDocs 1.x) and compare it with the
MkDocs build, file by file. `make engine-check`; the weekly canary workflow runs it.

    python -m tools.run.engine_check

ProperDocs goes into its own virtualenv (.canary/properdocs-venv, git-ignored) with requirements.txt's site packages;
both builds are `--strict`. The two sites must hold the same files with the same bytes, except the generator
<meta> tag, which names the engine. Any other difference (a page, a link, a formula, a diagram) is printed, exit 1.
"""

from __future__ import annotations

import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.model import snippets as harness

VENV = harness.ROOT / ".canary" / "properdocs-venv"
PROPERDOCS = "properdocs==1.6.7"
GENERATOR = re.compile(rb'<meta name="generator" content="[^"]*">')


def site_requirements() -> list[str]:
    """The lines of requirements.txt's "# Site" section: what a build needs, without TensorFlow and the test tools."""
    lines = (harness.ROOT / "requirements.txt").read_text(encoding="utf-8").split("\n\n")[0].splitlines()
    return [line.split("#")[0].strip() for line in lines if line.strip() and not line.startswith("#")]


def build(command: list[str], destination: Path) -> None:
    subprocess.run([*command, "build", "--strict", "--quiet", "-f", str(harness.ROOT / "mkdocs.yml"), "-d", str(destination)],
                   check=True, cwd=harness.ROOT)


def differences(mkdocs_site: Path, properdocs_site: Path) -> list[str]:
    """What differs between the two builds, ignoring the generator <meta> tag."""
    files = {p.relative_to(mkdocs_site) for p in mkdocs_site.rglob("*") if p.is_file()}
    other = {p.relative_to(properdocs_site) for p in properdocs_site.rglob("*") if p.is_file()}
    found = [f"only in the MkDocs build: {p}" for p in sorted(files - other)]
    found += [f"only in the ProperDocs build: {p}" for p in sorted(other - files)]
    for path in sorted(files & other):
        a, b = (GENERATOR.sub(b"", (site / path).read_bytes()) for site in (mkdocs_site, properdocs_site))
        if a != b:
            found.append(f"differs: {path}")
    return found


def main() -> int:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", PROPERDOCS, *site_requirements()], check=True)
    # The site plugin's entry point (pyproject.toml), which ProperDocs reads from the same group as MkDocs.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(harness.ROOT)], check=True,
                   capture_output=True)
    with tempfile.TemporaryDirectory(prefix="engine-check-") as tmp:
        mkdocs_site, properdocs_site = Path(tmp, "mkdocs"), Path(tmp, "properdocs")
        build([str(Path(sys.executable).parent / "mkdocs")], mkdocs_site)
        build([str(VENV / "bin" / "properdocs")], properdocs_site)
        found = differences(mkdocs_site, properdocs_site)
        count = sum(1 for p in mkdocs_site.rglob("*") if p.is_file())
    for line in found:
        print(line)
    print(f"ProperDocs ({PROPERDOCS}) and MkDocs: {count} files, {len(found)} differences besides the generator tag")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
