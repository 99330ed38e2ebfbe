# Heltid — two commands on a fresh machine: `make run` and `make test`.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
PYTHON ?= python3
export HELTID_VAR_DIR ?= $(CURDIR)/var
HOST ?= 127.0.0.1
PORT ?= 8000

# htmx ships inside the package (and the wheel): copied from npm, never committed.
HTMX_NPM := node_modules/htmx.org/dist/htmx.min.js
HTMX := src/heltid/static/vendor/htmx/htmx.min.js
DIST ?= dist

.PHONY: install run test test-fast lint format bench loadtest messages clean system-packages vendor dist

$(VENV)/.installed: pyproject.toml setup.py package.json
	@test -d $(VENV) || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	npm install --no-audit --no-fund --loglevel=error
	@touch $@

install: $(VENV)/.installed vendor system-packages
	@$(BIN)/python -m heltid.i18n_compile >/dev/null

vendor:
	@test -s $(HTMX_NPM) || { echo "$(HTMX_NPM) is missing: run npm ci first" >&2; exit 1; }
	@mkdir -p $(dir $(HTMX))
	@cmp -s $(HTMX_NPM) $(HTMX) || cp $(HTMX_NPM) $(HTMX)

# The sdist and the wheel production installs (the wheel is built from the sdist).
dist: install
	$(BIN)/python -m build --outdir $(DIST) .

# Chromium for the browser tests, Pango and a font for WeasyPrint's PDFs: installed from
# Debian when missing and we may (root).
PDF_PACKAGES = libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core
system-packages:
	@if [ ! -x /usr/bin/chromium ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "Chromium is missing: run 'sudo apt-get install chromium' for the browser tests."; fi; \
	fi
	@missing=$$(for p in $(PDF_PACKAGES); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q '^install ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Missing for PDFs: run 'sudo apt-get install $$missing'."; fi; \
	fi

run: install
	@mkdir -p $(HELTID_VAR_DIR)/static
	$(BIN)/heltid migrate --noinput -v0
	$(BIN)/heltid demo --seed 1 --if-empty
	$(BIN)/heltid worklist refresh
	$(BIN)/heltid demo_logins
	@echo "Heltid serves http://$(HOST):$(PORT)/ with a background worker — stop with Ctrl-C."
	@# the worker runs the tasks (statistics, reports, exports), the schedule enqueues what is
	@# due every five minutes; both stop with the server (decision 0022)
	@$(BIN)/heltid db_worker & worker=$$!; \
	$(BIN)/heltid schedule --every 300 >/dev/null & schedule=$$!; \
	trap 'kill $$worker $$schedule 2>/dev/null; wait $$worker $$schedule 2>/dev/null' EXIT; \
	$(BIN)/gunicorn heltid.wsgi:application --bind $(HOST):$(PORT) --workers 2 --access-logfile -

test: install
	$(BIN)/pytest -p no:cacheprovider -n 2 --dist loadgroup

test-fast: install
	$(BIN)/pytest -p no:cacheprovider -n 2 -m "not browser and not slow"

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks
	$(BIN)/mypy
	$(BIN)/heltid makemigrations --check --dry-run -v0

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: install
	$(BIN)/python -m benchmarks

# A working day of 50 users against a city of 35,000 recipients on PostgreSQL (docs/loadtest.md);
# LOADTEST_RECIPIENTS=2000 LOADTEST_SECONDS=20 make loadtest for a quick one.
loadtest: install
	$(BIN)/python -m benchmarks.loadtest.run

messages: install
	cd src/heltid && ../../$(BIN)/heltid makemessages -l sv --no-obsolete --add-location file
	$(BIN)/python scripts/apply_translations.py
	$(BIN)/python -m heltid.i18n_compile

clean:
	rm -rf $(VENV) node_modules var dist build $(dir $(HTMX)) .pytest_cache .mypy_cache .ruff_cache
