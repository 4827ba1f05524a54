"""mkdocs-jupyter's rendering of a notebook page, cached by the notebook's content.

Turning the ten notebooks into HTML (nbconvert, and a second nbconvert pass to Markdown for each page's table of
contents) is about a third of a build, and the notebooks change only when `make record` regenerates them. The
test suite builds the site about twenty times (each worker's site, plus project copies that negative tests break),
so that cost was paid twenty times for the same ten files.

mkdocs-jupyter has a cache of its own (`cache: true`), but it is not safe here: after each build it deletes every
cache file that build did not use, so static-i18n's second language, and any build running beside it (two test
workers), deletes the other's entries, and a reader may meet a half-written file. This cache:

- is keyed by the notebook's bytes, the conversion's arguments and the versions of mkdocs-jupyter, nbconvert and
  Pygments (which make the HTML), so a changed notebook or an upgrade is a miss, never a stale page;
- writes each entry to a temporary file and renames it into place (atomic), and never deletes what another build
  may read; it keeps the most recently used MAX_ENTRIES entries;
- lives in `.cache/notebook-html/` beside mkdocs.yml (git-ignored), or in $NOTEBOOK_HTML_CACHE (the tests point
  every project copy at the checkout's cache; NOTEBOOK_HTML_CACHE=off disables it).

It wraps mkdocs-jupyter's two conversion functions; the pinned mkdocs-jupyter is checked to have them, so an
upgrade that renames them fails the build, naming this file, instead of silently rendering uncached.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
import tempfile
from importlib.metadata import version
from pathlib import Path

log = logging.getLogger("mkdocs.hooks.notebook_cache")

CACHE_ENV = "NOTEBOOK_HTML_CACHE"
MAX_ENTRIES = 200  # two conversions per notebook page: room for many regenerations of the ten notebooks
VERSIONS = tuple(f"{name}=={version(name)}" for name in ("mkdocs-jupyter", "nbconvert", "pygments"))
STATE: dict[str, Path | None] = {"dir": None}


def cache_dir(config) -> Path | None:
    setting = os.environ.get(CACHE_ENV, "")
    if setting == "off":
        return None
    return Path(setting) if setting else Path(config["config_file_path"]).parent / ".cache" / "notebook-html"


def key(kind: str, path, args, kwargs) -> str:
    digest = hashlib.sha256(Path(path).read_bytes())
    digest.update(repr((kind, args, sorted(kwargs.items()), VERSIONS)).encode())
    return digest.hexdigest()


def store(directory: Path, name: str, value) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile("w", dir=directory, suffix=".tmp", delete=False, encoding="utf-8") as tmp:
        json.dump(value, tmp)
    os.replace(tmp.name, directory / name)
    entries = sorted(directory.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True)
    for old in entries[MAX_ENTRIES:]:
        old.unlink(missing_ok=True)


def cached(function, kind: str, decode=lambda value: value):
    """`function(path, ...)`, remembered in the cache directory by the file's content and the arguments."""

    @functools.wraps(function)
    def wrapper(path, *args, **kwargs):
        directory = STATE["dir"]
        if directory is None:
            return function(path, *args, **kwargs)
        name = f"{kind}-{key(kind, path, args, kwargs)}.json"
        entry = directory / name
        try:
            value = json.loads(entry.read_text(encoding="utf-8"))
            os.utime(entry)  # most recently used: kept by the eviction in store()
            return decode(value)
        except (FileNotFoundError, ValueError):
            pass
        value = function(path, *args, **kwargs)
        store(directory, name, value)
        return value

    wrapper.uncached = function
    return wrapper


def wrap_mkdocs_jupyter(config) -> None:
    """mkdocs-jupyter's two conversions, cached in cache_dir(config) (the site plugin calls this in its on_config)."""
    from mkdocs_jupyter import plugin

    missing = [name for owner, name in ((plugin.convert, "nb2html"), (plugin, "_get_nb_toc_tokens")) if not hasattr(owner, name)]
    if missing:
        raise SystemExit(f"tools/site/notebook_cache.py: mkdocs-jupyter {version('mkdocs-jupyter')} has no {', '.join(missing)}")
    if not hasattr(plugin.convert.nb2html, "uncached"):
        plugin.convert.nb2html = cached(plugin.convert.nb2html, "html")
        plugin._get_nb_toc_tokens = cached(plugin._get_nb_toc_tokens, "toc", decode=lambda value: (value[0], value[1]))
    STATE["dir"] = cache_dir(config)
