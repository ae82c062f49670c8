# CSP Hub: `make demo` serves the demo, `make test` runs every test.
# Both set everything up first; nothing needs installing by hand but
# Python 3.11+ and Node.

PYTHON ?= python3
PORT ?= 8000
WORKERS ?= 2
TASK_WORKERS ?= 1
VENV := .venv
PY := $(VENV)/bin/python
BUILD := csphub/web/static/build
export CSPHUB_DEMO_PASSWORD ?= csphub-demo

.PHONY: demo test check bench proof setup assets serve clean

# The demo (and the checks and benches, which run on throwaway data) say so:
# outside the demo the site will not start without CSPHUB_SECRET_KEY, and
# asks everyone with a role for a second factor (csphub/settings.py).
demo check bench: export CSPHUB_DEMO = 1

setup: $(VENV)/.installed assets

$(VENV)/.installed: requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "CSP Hub needs Python 3.11 or newer; set PYTHON=python3.11")'
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.lock
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: $(BUILD)/.built

$(BUILD)/.built: node_modules/.installed scripts/build_assets.mjs $(wildcard csphub/web/assets/*)
	node scripts/build_assets.mjs
	touch $@

demo: setup
	mkdir -p var
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	@# A task worker for background work (imports), stopped with the server.
	$(PY) manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Production-style on one machine: gunicorn (WORKERS) + whitenoise, and
# TASK_WORKERS task workers, on DATABASE_URL's database; stopped together.
serve: setup
	mkdir -p var
	PORT=$(PORT) WORKERS=$(WORKERS) TASK_WORKERS=$(TASK_WORKERS) $(PY) scripts/serve.py

# One worker a core (pytest-xdist, pinned in requirements.lock); each worker
# loads the demo into its own test database (SQLite in memory, or
# test_<name>_gwN on PostgreSQL). --dist loadfile keeps a module on one worker,
# so a module-scoped fixture is built once. PYTEST_ARGS="-n 0" runs serially.
test: setup
	$(PY) -m pytest -n auto --dist loadfile $(PYTEST_ARGS)

check: setup
	mkdir -p var
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

bench: setup
	$(PY) bench/run.py

# The proof (issue 16): the access matrix and fuzzing at full strength, load
# against gunicorn, SIGKILL and restart, concurrent edits and task workers.
# Prints a table and writes bench/proof.json. With DATABASE_URL naming a
# PostgreSQL server, the server parts run on a throwaway database there.
proof: setup
	$(PY) bench/proof.py

clean:
	rm -rf $(VENV) node_modules $(BUILD) var staticfiles
