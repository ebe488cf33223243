# The two commands a new user needs: `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501

.PHONY: run test lint bench system-deps data docs-screenshot clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install --quiet -e '.[test]'
	touch $@

## Start the app on the synthetic city at http://localhost:$(PORT)
run: $(VENV)/.installed
	$(VENV)/bin/streamlit run app.py --server.port $(PORT)

## Run every test, browser tests included (installs Chromium and CJK fonts when root), after the linter
test: $(VENV)/.installed-test system-deps lint
	$(PY) -m pytest

## ruff (rules E, W, F, I, B, UP; line length 120; see pyproject.toml)
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

## Speed and memory of generation, heavy calls and pages at scale 1 and 7 (prints a table; slow)
bench: $(VENV)/.installed-test system-deps
	$(PY) -m benchmarks.run

## Debian's Chromium and Japanese/emoji fonts for the browser tests
system-deps:
	@bash scripts/system-deps.sh

## Regenerate sample_data/ from the fixed seed
data: $(VENV)/.installed
	$(PY) -m analytics.synth

## Refresh docs/home.png with the browser test's own screenshot code
docs-screenshot: $(VENV)/.installed-test system-deps
	EBPM_DOCS_SCREENSHOTS=1 $(PY) -m pytest tests/e2e -k home -q

clean:
	rm -rf $(VENV) tests/artifacts
