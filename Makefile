# tracker: two commands do all the set-up.
#   make run   - virtual environment, install, translations, migrations, demo data, serve on :5000
#   make test  - test dependencies, then the whole suite on SQLite and (when it answers) PostgreSQL
#   make test-fast - the quick lane while working: SQLite only, no browser, no slow or process tests, 2 workers

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
HOST   ?= 127.0.0.1
PORT   ?= 5000

.PHONY: run serve test test-fast install install-test translations bench lint clean

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	$(PY) -m pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

# poppler-utils (pdftotext) reads the PDFs back in the tests; installed with apt-get where missing.
install-test: $(VENV)/.installed-test
	@bash scripts/ensure_poppler.sh

run: install
	$(VENV)/bin/tracker translations compile >/dev/null
	$(VENV)/bin/tracker setup
	@echo ""
	@echo "Serving tracker on http://$(HOST):$(PORT)/  (log in at http://$(HOST):$(PORT)/login; Ctrl+C stops it)"
	$(VENV)/bin/tracker serve --host $(HOST) --port $(PORT)

test: install-test
	bash scripts/run_tests.sh

test-fast: install-test
	$(VENV)/bin/tracker translations compile >/dev/null
	TRACKER_TEST_DATABASE_URL= $(PY) -m pytest -n 2 -q -p no:cacheprovider -m "not browser and not slow and not serial"

translations: install
	$(PY) scripts/i18n.py update
	$(VENV)/bin/tracker translations compile

bench: install-test
	$(PY) -m bench.pages
	$(PY) -m bench.pdf
	$(PY) -m bench.planner
	$(PY) -m bench.names

lint: install-test
	$(VENV)/bin/ruff check .

clean:
	rm -rf $(VENV) *.egg-info
