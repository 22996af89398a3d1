# The two commands: `make demo` and `make test`. Everything else is a helper.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint migrate clean messages

$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -c requirements.lock -e '.[dev]'
	./scripts/sysdeps.sh
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/openenforce migrate --noinput -v0

demo: migrate
	$(BIN)/openenforce load_demo
	@echo "Serving on http://$(HOST):$(PORT)/  (Ctrl-C to stop)"
	$(BIN)/openenforce runserver $(HOST):$(PORT)

lint: install
	$(BIN)/ruff check .

# The whole suite on SQLite, then on PostgreSQL when DATABASE_URL points to it.
test: install
	$(BIN)/ruff check .
	$(BIN)/openenforce makemigrations --check --dry-run -v0
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then \
		echo "== PostgreSQL: $$DATABASE_URL"; \
		$(BIN)/pytest -p no:cacheprovider; \
	else echo "DATABASE_URL not set: PostgreSQL run skipped"; fi

# Refresh the English catalogue after changing UI strings (commit the .po and .mo).
messages: install
	$(BIN)/openenforce makemessages -l en --ignore=.venv --ignore=var -v0
	$(BIN)/python scripts/en_glossary.py

clean:
	rm -rf $(VENV) var .pytest_cache .ruff_cache
