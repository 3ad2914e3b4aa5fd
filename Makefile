# `make run` sets everything up and serves the site; `make test` sets up and runs the tests.
VENV := .venv
PY := $(VENV)/bin/python
FIXTURES := fixtures/failure_modes.json fixtures/rubrics.json fixtures/tags.json $(sort $(wildcard fixtures/questions/*.json))

.PHONY: run setup install test lint worker

$(VENV)/.installed: pyproject.toml
	test -x $(PY) || "$$(scripts/find-python)" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

install: $(VENV)/.installed

setup: install
	$(PY) manage.py migrate --no-input
	$(PY) manage.py import_bank $(FIXTURES)
	$(PY) manage.py create_demo_accounts

run: setup
	$(PY) manage.py runserver 127.0.0.1:8000

# Locally the test databases are kept between runs (--reuse-db); CI passes --create-db.
PYTEST_ARGS ?= --reuse-db

test: lint
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

worker: install
	$(VENV)/bin/celery -A prep worker -Q celery,heuristic,llm --loglevel INFO
