# The two commands a new user needs: `make run` and `make test` (see README.md). `make help` lists all.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8501
# Tests run on every core (pytest-xdist); the browser tests share one worker and one app server.
PARALLEL ?= -n auto --dist loadgroup

N ?= $(shell nproc 2>/dev/null || echo 2)

.PHONY: help run serve test test-fast test-all coverage lint bench system-deps data docs-screenshot clean

## List the targets
help:
	@awk '/^## /{doc=substr($$0,4); next} /^[a-z][a-z-]*:/{if(doc){split($$0,t,":"); printf "  make %-16s %s\n", t[1], doc}; doc=""}' $(MAKEFILE_LIST)

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

## A workshop server (Linux): N Streamlit processes (default: the cores) behind nginx at http://localhost:$(PORT)
serve: $(VENV)/.installed system-deps
	$(PY) scripts/serve.py --processes $(N) --port $(PORT)

## Every test but the full heavy round trips (a sample of each runs), browser tests included, after ruff (< 10 min)
test: $(VENV)/.installed-test system-deps lint
	$(PY) -m pytest $(PARALLEL) -m "not full" --durations=25

## The loop before each commit (< 2 min): every analytics/ and ui/ module, every page once, no browser
test-fast: $(VENV)/.installed-test lint
	$(PY) -m pytest $(PARALLEL) -m "fast and not full" -q

## Everything: make test plus every template and the whole upload corpus through the app, the 3.7 M city
test-all: $(VENV)/.installed-test system-deps lint
	$(PY) -m pytest $(PARALLEL)

## Coverage of analytics/ and ui/ by make test's tests, in one process (slow; prints the table)
coverage: $(VENV)/.installed-test system-deps
	$(PY) -m coverage run -m pytest -p no:xdist -m "not full" -q
	$(PY) -m coverage report

## ruff (rules E, W, F, I, B, UP; line length 120; see pyproject.toml)
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check .

## Speed, memory and the perturbation sweep at scale 1 and 7, then the websocket load test (slow; BENCH="--only publication --scales 7" selects rows)
bench: $(VENV)/.installed-test system-deps
	$(PY) -m benchmarks.run $(BENCH)
	$(PY) -m benchmarks.loadtest --processes $(N)

## Debian's Chromium and Japanese/emoji fonts for the browser tests
system-deps:
	@bash scripts/system-deps.sh

## Regenerate sample_data/ from the fixed seed
data: $(VENV)/.installed
	$(PY) -m analytics.synth

## Refresh docs/home.png with the browser test's own screenshot code
docs-screenshot: $(VENV)/.installed-test system-deps
	EBPM_DOCS_SCREENSHOTS=1 $(PY) -m pytest tests/e2e -k home -q

## Remove the virtual environment and test artefacts
clean:
	rm -rf $(VENV) tests/artifacts
