# Two commands do all the set-up (see README.md):  make serve  |  make test
# VENV=<path> uses (or creates) another virtualenv, e.g. one shared by several clones: make test VENV=~/venvs/ai-notes
VENV ?= .venv
PY := $(VENV)/bin/python
# The interpreter that creates the virtualenv: TensorFlow 2.21 has wheels for CPython 3.10-3.13 and Material needs 3.11
# or newer, so 3.11-3.13 (pyproject.toml's requires-python). E.g. make test PYTHON=python3.12
PYTHON ?= python3
SUPPORTED_PYTHONS := 3.11 3.12 3.13
# The install stamp is named after the content of requirements.txt and pyproject.toml (sha256), not their modification time:
# a fresh clone has a requirements.txt newer than any existing virtualenv, which must not make it reinstall.
REQUIREMENTS_HASH := $(shell $(PYTHON) -c 'import hashlib; print(hashlib.sha256(open("requirements.txt", "rb").read() + open("pyproject.toml", "rb").read()).hexdigest()[:16])')
INSTALLED := $(VENV)/.installed-$(REQUIREMENTS_HASH)
# `make test` runs these; CI splits them across jobs (.github/workflows/ci.yml): make test TESTS=... PYTEST_ARGS=...
TESTS ?= tests README.md CONTRIBUTING.md docs
PYTEST_ARGS ?=
export NO_MKDOCS_2_WARNING := 1
# The site plugin's code is this checkout's, even in a virtualenv that another clone installed it into (VENV=...).
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))
export TF_CPP_MIN_LOG_LEVEL := 1

.PHONY: install serve test test-snippets check build record screenshots bench canary bundle engine-check ci-durations browser-deps python-version clean

# Checked before anything is installed (order-only: it never makes the stamp out of date). Outside 3.11-3.13, pip
# would fail half-way through requirements.txt (3.14: no TensorFlow wheel) or Material would not import (3.10).
$(INSTALLED): | python-version
	[ -x $(PY) ] || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	$(PY) -m pip install --quiet --no-deps -e .  # the site plugin's entry point (pyproject.toml)
	rm -f $(VENV)/.installed $(VENV)/.installed-*  # the stamps of other requirements (and the old mtime stamp)
	touch $@

## install: create the virtualenv (VENV, default .venv) and install requirements.txt, if its content changed
install: $(INSTALLED)

## serve: install everything into .venv, then serve the site on http://127.0.0.1:8000
serve: $(INSTALLED)
	$(VENV)/bin/mkdocs serve

## python-version: stop, naming the supported range, unless the virtualenv's Python (or PYTHON, before there is one) is 3.11-3.13
python-version:
	@py=$$( [ -x $(PY) ] && echo $(PY) || echo $(PYTHON) ); \
	version=$$($$py --version 2>&1 | sed -n 's/^Python \(3\.[0-9]*\).*/\1/p'); \
	case " $(SUPPORTED_PYTHONS) " in *" $$version "*) ;; *) \
	  echo "make: $$py is Python $${version:-?}, but this project needs Python 3.11, 3.12 or 3.13 (TensorFlow 2.21" \
	    "has wheels for 3.10-3.13; the pinned Material, Keras, NumPy, scikit-learn and Matplotlib need 3.11+)." \
	    "Nothing was installed. Install one of those and run, e.g., make $(firstword $(MAKECMDGOALS) test) PYTHON=python3.12" \
	    "$$( [ -x $(PY) ] && echo "(first delete $(VENV): it was made by $$py)")" >&2; \
	  exit 1;; esac

## test: install everything, then run the whole suite (snippets, recordings, site, browser, README/CONTRIBUTING blocks)
test: $(INSTALLED) browser-deps
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pytest --codeblocks $(PYTEST_ARGS) $(TESTS)

## test-snippets: only tests/test_snippets.py, without Chromium, apt-get or sudo (CI's snippet shards and its gpu job)
test-snippets: $(INSTALLED)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pytest $(PYTEST_ARGS) tests/test_snippets.py

## build: the static site into site/
build: $(INSTALLED)
	$(VENV)/bin/mkdocs build --strict

## record: re-run the snippets whose source changed and save their outputs, redraw the diagrams whose source changed
## (in Chromium), regenerate the notebooks; never the README screenshots (make screenshots)
record: $(INSTALLED) browser-deps
	$(PY) -m tools.run.record
	$(PY) -m tools.generate.diagrams
	$(PY) -m tools.generate.notebooks

## screenshots: refresh the three README screenshots (docs/assets/generated/screenshots/); only when asked
screenshots: $(INSTALLED) browser-deps
	RECORD_SCREENSHOTS=1 $(PY) -m pytest -n0 -q tests/test_browser.py -k "large-model-basics and (renders_offline or dark_mode or phone)"

## check: the quick loop: the snippet cases whose source or environment changed since they last passed here (a case
## whose recording was made from the same source, with the same versions on the same CPU, counts as passed, so a fresh clone does
## not re-run them all), plus recordings, notebooks, site, parity and the editorial tests (quotations, ledger,
## recorded numbers, vocabulary). make test is the full suite (CI).
check: $(INSTALLED)
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pytest --changed-snippets $(PYTEST_ARGS) tests/test_snippets.py tests/test_recordings.py \
	  tests/test_notebooks.py tests/test_site.py tests/test_parity.py tests/test_editorial.py tests/test_editorial_partb.py \
	  tests/test_collation.py tests/test_recorded.py

## canary: every snippet's checks on the newest TensorFlow, Keras and NumPy, in .canary/venv (the pinned set is not changed)
canary: $(INSTALLED)
	$(PY) -m tools.run.canary

DIST ?= dist
## bundle: $(DIST)/ai-notes-offline.zip: the site built to open from disk (index.html; search works too), the notebooks and
## requirements.txt
bundle: $(INSTALLED)
	rm -rf $(DIST)/ai-notes-offline $(DIST)/ai-notes-offline.zip
	OFFLINE=true $(VENV)/bin/mkdocs build --strict -d $(abspath $(DIST))/ai-notes-offline/site
	mkdir -p $(DIST)/ai-notes-offline/notebooks
	for nb in docs/articles/*/notebook.*.ipynb; do cp $$nb $(DIST)/ai-notes-offline/notebooks/$$(basename $$(dirname $$nb)).$${nb##*/notebook.}; done
	cp requirements.txt $(DIST)/ai-notes-offline/
	cd $(DIST) && $(abspath $(PY)) -m zipfile -c ai-notes-offline.zip ai-notes-offline
	@echo "$(DIST)/ai-notes-offline.zip: $$(du -k $(DIST)/ai-notes-offline.zip | cut -f1) kB; open ai-notes-offline/site/index.html"

## engine-check: build the site with ProperDocs (the maintained fork of MkDocs 1.x, in .canary/properdocs-venv) and
## with MkDocs, and compare them file by file (the weekly canary runs it)
engine-check: $(INSTALLED)
	$(PY) -m tools.run.engine_check

## bench: the speed budget (snippet floor and suite, build time, page weight), measured on this machine
bench: $(INSTALLED) browser-deps
	$(PY) -m pip install --quiet -r bench/requirements.txt
	$(PY) bench/bench.py

## ci-durations: re-measure the durations that CI splits the non-snippet tests by, into .ci/test-durations.json
## (pytest-split --store-durations; commit the file). The snippet tests' durations come from their recordings.
ci-durations: $(INSTALLED) browser-deps
	$(PY) -m pip install --quiet -r requirements-ci.txt
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pytest --codeblocks --ignore=tests/test_snippets.py --store-durations \
	  --clean-durations --durations-path .ci/test-durations.json tests README.md CONTRIBUTING.md docs
	$(PY) -m tools.run.ci_durations --critical-path

# The browser tests drive Debian's Chromium (no browser download) and need CJK fonts for the Chinese pages.
browser-deps:
	@if ! command -v chromium >/dev/null || ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then \
	  echo "Installing chromium and fonts-noto-cjk with apt-get (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

clean:
	rm -rf site .artifacts .pytest_cache
