# secoop — the two commands: `make run` and `make test`. Each sets up everything it needs.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
# PostgreSQL for the second pass of the suite (trust auth on these machines).
PG_URL ?= postgres://postgres@127.0.0.1:5432/secoop
export PATH := $(CURDIR)/$(BIN):$(PATH)

.PHONY: run test test-sqlite test-postgres setup system-packages pango chromium lint bench load lock clean

## Python environment and front-end packages, pinned (requirements.lock, package-lock.json).
$(BIN)/.installed: pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.lock
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

setup: $(BIN)/.installed node_modules/.installed

## Debian packages, installed only when missing: pango for WeasyPrint's PDF exports (needed at
## run time) and chromium for the browser tests (Playwright cannot download a browser here).
PANGO_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0
pango:
	@missing=""; for p in $(PANGO_PACKAGES); do \
	  dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "ok installed" || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages for PDF exports:$$missing"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "Installing Debian's chromium for the browser tests"; \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }
	@command -v chromium >/dev/null 2>&1 || { echo "chromium is required for the browser tests"; exit 1; }

system-packages: pango chromium

## Serve the product with its demo data on SQLite, with the background-task worker.
## DEBUG is off (the product's own error pages) with a random secret key made once in var/secret_key
## (mode 0600, git-ignored); `DEBUG=1 make run` for development. PLAIN_HTTP=1: a local server on
## http://127.0.0.1 without the HTTPS-only cookie and redirect settings (docs/decisions/0009).
HOST ?= 127.0.0.1
RUN_ENV = DEBUG=$${DEBUG:-0} PLAIN_HTTP=$${PLAIN_HTTP:-1} HOST=$(HOST) PORT=$(PORT)
run: setup pango
	mkdir -p var
	python -m secoop.keyfile var/secret_key
	$(RUN_ENV) secoop migrate --no-input
	$(RUN_ENV) secoop demo --force
	@echo "secoop: http://$(HOST):$(PORT)/  (demo users and password in README.md)"
	$(RUN_ENV) secoop serve --host $(HOST) --port $(PORT)

## Lint, then every test, on SQLite and then on PostgreSQL. PostgreSQL must be reachable: never skipped.
test: setup system-packages lint test-sqlite test-postgres

# Two test processes per pass (pytest-xdist; `TEST_WORKERS=0` runs in one). Each pass builds its
# database once (migrate + demo) and clones it per worker; tests/README.md says which tests run on
# which database. The browser tests stay together on one worker (they share one server) and run on
# the PostgreSQL pass only. Each pass prints its wall time (and CPU time: on a shared machine the
# wall time says more about the neighbours than about the suite).
TEST_WORKERS ?= auto
# pytest rewrites the asserts of every test module (about 9 of the 14 CPU seconds a process takes to
# collect) and caches the result in __pycache__, unless PYTHONDONTWRITEBYTECODE is set, as it is on
# some machines: then each of the four test processes (and the PostgreSQL pass's, again) rewrites
# all of them. The cache is git-ignored; the SQLite pass writes it, the PostgreSQL pass reads it.
unexport PYTHONDONTWRITEBYTECODE
PYTEST_ARGS ?= -n $(TEST_WORKERS) --dist loadgroup
define timed
	@start=$$(date +%s); $(2); rc=$$?; s=$$(( $$(date +%s) - start )); cpu=$$(mktemp); times > $$cpu; \
	printf '=== %s pass: %d:%02d wall (%d s), exit %d; CPU of its processes (user, system): %s ===\n' \
	  "$(1)" $$((s / 60)) $$((s % 60)) $$s $$rc "$$(tail -1 $$cpu)"; rm -f $$cpu; exit $$rc
endef

test-sqlite:
	@echo "=== test suite on SQLite ==="
	$(call timed,SQLite,env -u DATABASE_URL pytest $(PYTEST_ARGS))

test-postgres:
	@echo "=== test suite on PostgreSQL ($(PG_URL)) ==="
	@DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} python -c "import os, sys, psycopg, dj_database_url; \
	c = dj_database_url.parse(os.environ['DATABASE_URL']); \
	psycopg.connect(host=c['HOST'], port=c['PORT'] or 5432, user=c['USER'], password=c['PASSWORD'] or None, dbname='postgres', connect_timeout=5).close()" \
	|| { echo "FAIL: PostgreSQL is not reachable at $${DATABASE_URL:-$(PG_URL)}; the suite must run on it."; exit 1; }
	$(call timed,PostgreSQL,DATABASE_URL=$${DATABASE_URL:-$(PG_URL)} pytest $(PYTEST_ARGS))

lint: setup
	ruff check src tests bench
	ruff format --check src tests bench

## The bench (bench/README.md): every list, search and detail against its hand-written floor.
## `make bench` builds var/bench-small.sqlite3 once (migrations, demo, `secoop generate --scale
## small`) and runs bench/ratios.py; `SCALE=enterprise` for issue 15's sizes (long: use
## PostgreSQL, `DATABASE_URL=postgres://…`); BENCH_ARGS for ratios.py (`--runs 9 --only cases`).
SCALE ?= small
BENCH_ARGS ?= $(if $(filter small,$(SCALE)),--runs 3 --deep 3,)
bench: setup
	mkdir -p var && python -m secoop.keyfile var/secret_key  # DEBUG off needs a real key (secoop.E002)
	python bench/ratios.py --scale $(SCALE) --json var/ratios-$(SCALE).json $(BENCH_ARGS)

## Load test (locust, loopback only, bounded): the demo roles at 10, 50 and 200 users on PostgreSQL.
## locust lives in its own environment (var/load-venv, pinned by bench/requirements-load.lock).
LOAD_URL ?= postgres://postgres@127.0.0.1:5432/secoop_load
LOAD_ARGS ?=
var/load-venv/.installed: bench/requirements-load.lock
	mkdir -p var && $(PYTHON) -m venv var/load-venv
	var/load-venv/bin/pip install --quiet --disable-pip-version-check -r bench/requirements-load.lock
	touch $@

load: setup var/load-venv/.installed
	mkdir -p var && python -m secoop.keyfile var/secret_key
	DATABASE_URL=$${DATABASE_URL:-$(LOAD_URL)} python bench/load.py --json var/load.json $(LOAD_ARGS)

## The portfolio optimizer (issue 16 §3): 100 to 5,000 options, MILP vs greedy, a time limit per
## solve (OPT_ARGS="--sizes 100 1000 --time-limit 20"). Pure Python: no database.
.PHONY: bench-optimizer
bench-optimizer: setup
	mkdir -p var && python bench/optimizer.py --json var/optimizer.json $(OPT_ARGS)

## Re-pin the Python lock file from pyproject.toml (needs the registry).
lock:
	rm -rf /tmp/secoop-lock && $(PYTHON) -m venv /tmp/secoop-lock
	/tmp/secoop-lock/bin/pip install --quiet -e ".[test]"
	/tmp/secoop-lock/bin/pip freeze --exclude-editable | grep -v '^-e' > requirements.lock

clean:
	rm -rf $(VENV) node_modules var
