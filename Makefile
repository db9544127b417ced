# The README's two commands are `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test test-pg test-browser test-redis lint typecheck bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/servicehall demo

# One test process per CPU (pytest-xdist); each has its own test database.
test: $(STAMP)
	$(BIN)/pytest -n auto

test-pg: $(STAMP)
	bash .ci/postgres.sh $(BIN)/pytest -n auto -m "not browser and not redis"

# Province topology: starts redis-server (must be installed), two gunicorn servers and a Celery worker.
test-redis: $(STAMP)
	$(BIN)/pytest -m redis tests/test_province.py

test-browser: $(STAMP)
	$(BIN)/pytest -m browser

# Style, layers (import contracts in pyproject.toml) and types.
lint: $(STAMP)
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	PYTHONPATH=src $(BIN)/lint-imports
	$(MAKE) typecheck

typecheck: $(STAMP)
	PYTHONPATH=src $(BIN)/mypy

docs: $(STAMP)
	$(BIN)/servicehall policy docs > docs/policy.md

clean:
	rm -rf $(VENV) servicehall.sqlite3 staticfiles
