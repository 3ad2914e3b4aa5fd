# `make run` sets everything up and serves the site; `make test` sets up and runs the tests.
VENV := .venv
PY := $(VENV)/bin/python
FIXTURES := fixtures/failure_modes.json fixtures/rubrics.json fixtures/tags.json $(sort $(wildcard fixtures/questions/*.json))

.PHONY: run setup install lock test lint worker

# Exactly the versions and hashes in the lock; the project itself without dependencies.
$(VENV)/.installed: requirements-dev.txt
	test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements-dev.txt
	$(PY) -m pip install --quiet --no-deps -e .
	touch $@

# axe-core, which the browser tests inject to check accessibility: the versions in the lock.
node_modules/.installed: package.json package-lock.json
	npm ci --silent --no-audit --no-fund
	touch $@

install: $(VENV)/.installed node_modules/.installed

# After changing the dependencies in pyproject.toml: requirements.txt (what the image installs)
# and requirements-dev.txt (the same versions, plus the dev tools), hashed, for Python 3.12+.
LOCK := $(VENV)/bin/uv pip compile pyproject.toml --quiet --universal --python-version 3.12 --generate-hashes
lock: install
	$(LOCK) -o requirements.txt
	$(LOCK) --extra dev -c requirements.txt -o requirements-dev.txt

setup: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_bank $(FIXTURES)
	$(PY) manage.py create_demo_accounts

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# Locally the test databases are kept between runs (--reuse-db); CI passes --create-db.
PYTEST_ARGS ?= --reuse-db

# Tests are handed out one at a time, slowest first (tests/conftest.py): xdist's default chunks
# gave one process every browser test while the other sat idle for a minute.
test: lint
	$(VENV)/bin/pytest -n auto --maxschedchunk 1 $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

worker: install
	$(VENV)/bin/celery -A prep worker -Q celery,heuristic,llm --loglevel INFO
