# The two commands the README promises: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PYTEST_ARGS ?=

.PHONY: run test lint install bench clean cluster

$(BIN)/python:
	bash .ci/ensure-python-venv.sh $(PYTHON)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(VENV)/.installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install -q -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

## run: the site on http://127.0.0.1:8000 with the Paystack sandbox, the worker and demo data.
run: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py seed_demo
	PATH="$(CURDIR)/$(BIN):$$PATH" $(BIN)/honcho -f Procfile.dev start

## test: system packages, the import contracts, a throwaway PostgreSQL, the whole suite, ruff.
test: install
	bash .ci/ensure-system-deps.sh
	$(BIN)/lint-imports
	bash .ci/with-postgres.sh $(BIN)/pytest $(PYTEST_ARGS)
	$(BIN)/ruff check .

## cluster: the deployment on this machine (docs/SCALING.md): PostgreSQL primary + streaming
## replica, PgBouncer, Redis, 2 gunicorn nodes behind HAProxy, 2 worker clusters, the sandbox.
cluster: install
	bash .ci/ensure-system-deps.sh
	$(BIN)/python -m deploy.cluster $(CLUSTER_ARGS)

lint: install
	$(BIN)/lint-imports
	$(BIN)/ruff check .

bench: install
	bash .ci/with-postgres.sh $(BIN)/python bench/transfers.py

clean:
	rm -rf $(VENV) var staticfiles .pytest_cache .ruff_cache
