"""Generate each article's Jupyter notebooks from its snippets and their recordings: `make record` calls this.

    python -m tools.generate.notebooks          # (re)write docs/articles/<slug>/notebook.{zh,en}.ipynb
    python -m tools.generate.notebooks --check  # exit 1 if a notebook is not what the generator makes now

A notebook is never edited by hand: one code cell per snippet (its `program` section, exactly what the page shows),
with the output recorded by `make record` (stdout, and the PNG files the snippet declares). Every snippet is a
standalone program, so the notebook runs top to bottom. The first cell is for the reader: what the notebook holds,
how to run it, and the dates, device and versions its outputs were recorded with, read from the recordings
(recordings.json), so that a new recording regenerates it. tests/test_notebooks.py checks that each notebook is
byte-for-byte what this generator makes from the current snippets; tests/test_snippets.py runs the snippets.
"""

from __future__ import annotations

import base64
import sys
from collections.abc import Iterator
from pathlib import Path

import nbformat

from tools.model import markdown
from tools.model import snippets as harness

ARTICLES_DIR = harness.ROOT / "docs" / "articles"
LANGUAGES = ("zh", "en")
# The first cell speaks to the reader, in Jupyter, in Colab or on the site: what the notebook holds, how to run it
# and what the outputs were recorded with (read from the recordings, docs/assets/generated/<slug>/recordings.json).
INTRO = {
    "zh": (
        "# {title} · 代码笔记本\n\n"
        "这里是文章《{title}》的全部程序，每个代码单元下面是它录制时打印的输出。"
        "每个单元都是一个独立的 TensorFlow 2 / Keras 3 程序，不依赖前面的单元，可以单独运行。\n\n"
        "**运行方法**：在 Google Colab 中打开即可运行（用的是 Colab 自带的版本，打印的数字可能不同）；若在自己的电脑上用 Jupyter，请先安装录制时所用的版本（Python {python}）：\n\n"
        "```\npip install {pins}\n```\n\n"
        "**录制环境**：{dates}，{device}，{versions}；{length}。"
        "换一台机器或换一个版本，训练得到的数字可能与录制的不同。"
        "想先快速跑一遍，可以先在一个单元里执行 `%env SNIPPETS_QUICK=1`：读取这个变量的程序会大幅减少训练轮数，结果也会与录制的不同。"
    ),
    "en": (
        "# {title} · Notebook\n\n"
        "This notebook holds every program in the article “{title}”; each code cell is followed by the output it "
        "printed when it was recorded. Each cell is a standalone TensorFlow 2 / Keras 3 program that does not depend on "
        "the cells before it, so you can run any of them on its own.\n\n"
        "**To run it**, open it in Google Colab (which uses its own versions, so the numbers may differ), or in "
        "Jupyter on your own machine after installing the versions it was recorded with (Python {python}):\n\n"
        "```\npip install {pins}\n```\n\n"
        "**Recorded** {dates} {device} with {versions}, {length}. "
        "On another machine or with other versions, the numbers a training run prints may differ from these. "
        "For a quick first run, run `%env SNIPPETS_QUICK=1` in a cell first: the programs that read it train for far "
        "fewer epochs, and their results differ from the recorded ones."
    ),
}
RECORDING_WORDS = {
    "zh": {"dates": "{first} 至 {last}", "cpu": "CPU（{model}）", "gpu": "GPU（{model}）", "and": "、",
           "full": "所有程序均以完整模式运行（不是下文的快速模式）", "quick": "以下面说的快速模式运行",
           "mixed": "部分程序以下面说的快速模式运行"},
    "en": {"dates": "from {first} to {last}", "cpu": "on a CPU ({model})", "gpu": "on a GPU ({model})", "and": " and ",
           "full": "each program run in full (not in the quick mode described below)",
           "quick": "in the quick mode described below", "mixed": "some programs in the quick mode described below"},
}
PINS_PER_LINE = 3  # the pip command in lines short enough for a phone and clear of the copy button
# How the recorded versions are named to a reader, in this order; pip installs every one but Python.
VERSION_NAMES = (("tensorflow", "TensorFlow"), ("keras", "Keras"), ("numpy", "NumPy"), ("scikit-learn", "scikit-learn"),
                 ("matplotlib", "Matplotlib"), ("python", "Python"))
# The page of a notebook (tools/site/links_hook.py) links the .ipynb to download, Colab and the snippets under its title; the
# notebook itself names its article but links nothing relative to the site: in Colab or Jupyter such a link is dead.
CELL_HEADING = "## {n}. {title}\n\n`snippets/{id}`"


def page_title(slug: str, lang: str) -> str:
    return markdown.front_matter(ARTICLES_DIR / slug / f"index.{lang}.md").get("title") or slug


def pip_arguments(pins: list[str]) -> str:
    lines = [" ".join(pins[at : at + PINS_PER_LINE]) for at in range(0, len(pins), PINS_PER_LINE)]
    return " \\\n    ".join(lines)


def recorded_with(snippets: list, lang: str) -> dict[str, str]:
    """The intro's words for the dates, device, length and versions of the notebook's recordings."""
    words = RECORDING_WORDS[lang]
    # Only the recorded ones: while an article's snippets are being recorded one by one (tools/run/record.py regenerates
    # the notebook after each), the others have no entry yet, and the site refuses to build until they have.
    entries = [e for e in (harness.read_manifest(s.recording_dir).get(s.path.name) for s in snippets) if e and "versions" in e]
    if not entries:
        raise SystemExit(f"tools/generate/notebooks.py: no snippet of {snippets[0].slug if snippets else '?'} is recorded yet: run `python -m tools.run.record snippets/<slug>/<file>.py` first")
    dates = sorted({e["date"] for e in entries})
    devices = sorted({(e["gpu"] and "gpu" or "cpu", e["gpu"] or e["cpu"]) for e in entries})
    modes = {e["mode"] for e in entries}

    def versions_of(key: str) -> str:
        return " / ".join(sorted({e["versions"][key] for e in entries if e["versions"].get(key)}))

    named = [(key, name, versions_of(key)) for key, name in VERSION_NAMES]
    return {
        "dates": dates[0] if len(dates) == 1 else words["dates"].format(first=dates[0], last=dates[-1]),
        "device": words["and"].join(words[kind].format(model=model) for kind, model in devices),
        "length": words[modes.pop()] if len(modes) == 1 else words["mixed"],
        "versions": " · ".join(f"{name} {found}" for _, name, found in named if found),
        "python": versions_of("python"),
        "pins": pip_arguments([f"{key}=={found.split(' / ')[-1]}" for key, _, found in named if found and key != "python"]),
    }


def build(slug: str, lang: str) -> str:
    snippets = [s for s in harness.discover() if s.slug == slug]
    intro = INTRO[lang].format(title=page_title(slug, lang), **recorded_with(snippets, lang))
    cells = [nbformat.v4.new_markdown_cell(intro)]
    for n, snippet in enumerate(snippets, start=1):
        title = snippet.title_zh if lang == "zh" else snippet.title_en
        cells.append(nbformat.v4.new_markdown_cell(CELL_HEADING.format(n=n, title=title, id=snippet.id)))
        outputs = []
        if snippet.recorded_stdout.exists():
            outputs.append(nbformat.v4.new_output("stream", name="stdout", text=snippet.recorded_stdout.read_text(encoding="utf-8")))
        for name in snippet.outputs:
            figure = snippet.recording_dir / name
            # A notebook shows the figure the program drew for the light palette; its dark twin is for the site.
            if name.endswith(".png") and not name.endswith("-dark.png") and figure.exists():
                data = {"image/png": base64.b64encode(figure.read_bytes()).decode("ascii"), "text/plain": [f"<{name}>"]}
                outputs.append(nbformat.v4.new_output("display_data", data=data))
        cells.append(nbformat.v4.new_code_cell(harness.program(snippet.path), outputs=outputs, execution_count=n))
    for index, cell in enumerate(cells):
        cell["id"] = f"{slug}-{index}"  # fixed ids: the file must come out byte-for-byte the same every time
    notebook = nbformat.v4.new_notebook(cells=cells)
    notebook.metadata = {
        "kernelspec": {"display_name": "Python 3", "language": "python", "name": "python3"},
        "language_info": {"name": "python"},
    }
    return nbformat.writes(notebook) + "\n"


def notebook_path(slug: str, lang: str) -> Path:
    return ARTICLES_DIR / slug / f"notebook.{lang}.ipynb"


def articles_with_snippets() -> list[str]:
    return sorted({s.slug for s in harness.discover() if (ARTICLES_DIR / s.slug / "index.zh.md").exists()})


def stale_notebooks(slugs) -> Iterator[tuple[Path, str]]:
    """The notebooks of these articles (in the order given, each zh then en) that are missing or not what build()
    makes now, each with the text it should have; each is built only when the one before it has been handled."""
    for slug in slugs:
        for lang in LANGUAGES:
            path, text = notebook_path(slug, lang), build(slug, lang)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                yield path, text


def main(argv: list[str]) -> int:
    stale = []
    for path, text in stale_notebooks(articles_with_snippets()):
        if "--check" in argv:
            stale.append(str(path.relative_to(harness.ROOT)))
        else:
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path.relative_to(harness.ROOT)}")
    if stale:
        print("stale notebooks (run `python -m tools.generate.notebooks`; `make record` also re-records stale snippets):", *stale, sep="\n  ")
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
