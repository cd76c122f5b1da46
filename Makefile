# fieldkit: `make run` serves the app with demo data, `make test` runs every test.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8080
INSTANCE ?= instance

.PHONY: install run test lint bench mutate translations clean

# Re-install when the dependencies change.
$(BIN)/.installed: setup.cfg pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

install: $(BIN)/.installed

run: install
	@test -f $(INSTANCE)/config.toml || $(BIN)/fieldkit --instance $(INSTANCE) init --demo
	$(BIN)/fieldkit --instance $(INSTANCE) serve --host $(HOST) --port $(PORT)

test: install
	$(BIN)/python -m pytest

# ESLint for the JavaScript (eslint.config.js) and tsc for the outbox's JSDoc types (tsconfig.json),
# pinned by package.json and package-lock.json and installed into ./node_modules by `npm ci`.
ESLINT := node_modules/.bin/eslint

$(ESLINT): package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	touch $@

lint: install $(ESLINT)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(ESLINT) --max-warnings 0 static/js fieldkit/offline/sw.js eslint.config.js
	node_modules/.bin/tsc -p tsconfig.json

# Lighthouse for `make bench`, pinned; it drives Debian's /usr/bin/chromium and downloads no browser.
LIGHTHOUSE_VERSION := 12.8.2
LIGHTHOUSE := bench/.lighthouse/node_modules/.bin/lighthouse

$(LIGHTHOUSE):
	npm install --prefix bench/.lighthouse --no-save --no-package-lock --no-audit --no-fund --silent \
		lighthouse@$(LIGHTHOUSE_VERSION)

bench: install $(LIGHTHOUSE)
	$(BIN)/python -m bench $(BENCH)

# Mutation testing of the modules that guard data and access; adds mutation_score to bench/results.json.
# MUTANTS="fieldkit.sync.bundle* fieldkit.auth.scope*" limits the run (and the score) to those mutants.
mutate: install
	$(BIN)/python -m bench.mutation $(MUTANTS)

translations: install
	$(BIN)/python -m fieldkit.catalogs

clean:
	rm -rf $(VENV) build dist *.egg-info .pytest_cache mutants bench/.lighthouse node_modules
