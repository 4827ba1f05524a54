# Two commands do all the set-up (see README.md):  make serve  |  make test
VENV ?= .venv
PY := $(VENV)/bin/python
export NO_MKDOCS_2_WARNING := 1
export TF_CPP_MIN_LOG_LEVEL := 1

.PHONY: serve test build record bench browser-deps clean

$(VENV)/.installed: requirements.txt
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

## serve: install everything into .venv, then serve the site on http://127.0.0.1:8000
serve: $(VENV)/.installed
	$(VENV)/bin/mkdocs serve

## test: install everything, then run the whole suite (snippets, recordings, site, browser, README/CONTRIBUTING blocks)
test: $(VENV)/.installed browser-deps
	PATH="$(abspath $(VENV))/bin:$$PATH" $(PY) -m pytest --codeblocks tests README.md CONTRIBUTING.md docs

## build: the static site into site/
build: $(VENV)/.installed
	$(VENV)/bin/mkdocs build --strict

## record: re-run the snippets whose source changed, save their outputs, regenerate the notebooks, refresh the README screenshots
record: $(VENV)/.installed browser-deps
	$(PY) -m tools.record
	$(PY) -m tools.notebooks
	RECORD_SCREENSHOTS=1 $(PY) -m pytest -n0 -q tests/test_browser.py

## bench: the speed budget (snippet floor and suite, build time, page weight), measured on this machine
bench: $(VENV)/.installed browser-deps
	$(PY) bench/bench.py

# The browser tests drive Debian's Chromium (no browser download) and need CJK fonts for the Chinese pages.
browser-deps:
	@if ! command -v chromium >/dev/null || ! ls /usr/share/fonts/opentype/noto/NotoSansCJK* >/dev/null 2>&1; then \
	  echo "Installing chromium and fonts-noto-cjk with apt-get (needs root or sudo)"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium fonts-noto-cjk; \
	fi

clean:
	rm -rf site .artifacts .pytest_cache
