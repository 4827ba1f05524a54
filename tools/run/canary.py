"""A canary on the newest releases: `make canary` (does not change the pinned set in requirements.txt).

    python -m tools.run.canary             # build .canary/venv with the newest TensorFlow, Keras and NumPy, run every check
    python -m tools.run.canary --pre       # the same with pre-releases allowed

It creates a separate virtualenv (.canary/venv, git-ignored), installs requirements.txt there with TensorFlow,
Keras and NumPy unpinned (`--upgrade`: the newest releases the registry offers that install together), then runs
every snippet in quick mode on the CPU inside that virtualenv (warm runner, as the tests do) and prints one table:
snippet, pass/fail, and each checked value beside its recorded value (the recording is a full-mode run of the pinned
versions, so a value may legitimately differ by more than the quick/full difference; the checks decide pass/fail).
It also writes docs/assets/generated/canary.json (the date, the versions that ran, and per snippet its source's sha256,
pass/fail and the checked values beside the recorded ones), which tools/site/provenance_hook.py shows on the site; sorted
keys and no time of day, so that the weekly commit of it is a readable diff. Exit status 1 when any snippet fails there.
"""

from __future__ import annotations

import argparse
import datetime
import json
import re
import subprocess
import sys
import tempfile
from pathlib import Path

from tools.model import snippets as harness

CANARY = harness.ROOT / ".canary"
VENV = CANARY / "venv"
RESULT = harness.GENERATED_DIR / "canary.json"
UPGRADED = ("tensorflow-cpu", "keras", "numpy")  # the releases that break sites like ours first


def canary_requirements() -> str:
    """requirements.txt with the upgraded packages unpinned."""
    lines = []
    for line in (harness.ROOT / "requirements.txt").read_text(encoding="utf-8").splitlines():
        name = re.match(r"\s*([A-Za-z0-9._-]+)", line)
        lines.append(name.group(1) if name and name.group(1).lower() in UPGRADED else line)
    return "\n".join(lines) + "\n"


def build_venv(pre: bool) -> Path:
    python = VENV / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    requirements = CANARY / "requirements.txt"
    requirements.write_text(canary_requirements(), encoding="utf-8")
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--upgrade", *(["--pre"] if pre else []),
                    "-r", str(requirements)], check=True)
    return python


def run_inside() -> int:
    """In the canary virtualenv: run every snippet's checks, print the table; 1 if any failed."""
    env = harness.environment()["versions"]
    print("canary: " + ", ".join(f"{name} {version}" for name, version in env.items()))
    print("pinned: " + ", ".join(f"{name} {version}" for name, version in harness.pinned_versions().items()))
    rows, failed, report = [], 0, {}
    for snippet in harness.discover():
        with tempfile.TemporaryDirectory(prefix="canary-") as cwd:
            result = harness.run(snippet, "cpu", Path(cwd), quick=True, warm=True)
        if result.returncode is None:
            failures = [f"timed out after {snippet.timeout:.0f} s"]
        else:
            failures = [f"exit {result.returncode}"] if result.returncode != 0 else harness.failed_checks(snippet, result.stdout)
        recorded_text = snippet.recorded_stdout.read_text(encoding="utf-8") if snippet.recorded_stdout.exists() else ""
        now, recorded = harness.checked_values(snippet, result.stdout), harness.checked_values(snippet, recorded_text)
        # The sha256 lets the site give a verdict only to the source that ran: a snippet changed since has none.
        report[snippet.id] = {"sha256": harness.file_sha256(snippet.path), "passed": not failures,
                              "values": {name: {"canary": now.get(name), "recorded": recorded.get(name)}
                                         for name in dict.fromkeys([*recorded, *now])},
                              **({"failures": failures} if failures else {})}
        values = ", ".join(f"{name} {now.get(name, float('nan')):.4g} (recorded {recorded.get(name, float('nan')):.4g})"
                           for name in dict.fromkeys([*recorded, *now]))
        rows.append((snippet.id, "FAIL" if failures else "pass", values, failures, harness.tail(result.stderr, 5)))
        failed += bool(failures)
    width = max(len(row[0]) for row in rows)
    print(f"\n{'snippet':{width}s}  result  checked value (recorded value, full mode, pinned versions)")
    for snippet_id, verdict, values, failures, stderr in rows:
        print(f"{snippet_id:{width}s}  {verdict:6s}  {values}")
        for failure in failures:
            print(f"{'':{width}s}          {failure}")
        if failures and stderr:
            print("\n".join(f"{'':{width}s}          | {line}" for line in stderr.splitlines()))
    print(f"\n{len(rows) - failed} passed, {failed} failed")
    date = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
    RESULT.write_text(json.dumps({"date": date, "versions": env, "snippets": report}, indent=2, sort_keys=True) + "\n",
                      encoding="utf-8")
    print(f"wrote {RESULT}")
    return 1 if failed else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pre", action="store_true", help="allow pre-releases")
    parser.add_argument("--inside", action="store_true", help=argparse.SUPPRESS)  # run by the canary venv's python
    args = parser.parse_args(argv)
    if args.inside:
        return run_inside()
    python = build_venv(args.pre)
    return subprocess.run([str(python), "-m", "tools.run.canary", "--inside"], cwd=harness.ROOT).returncode


if __name__ == "__main__":
    sys.exit(main())
