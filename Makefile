# Two commands set everything up on a fresh machine with Python 3.11:
#   make run   - install, migrate, load demo data, serve on http://127.0.0.1:8000
#   make test  - install, lint, run the whole test suite
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: run test lint format install migrate demo bench simulate clean

$(PY):
	$(PYTHON) -m venv $(VENV)

$(STAMP): requirements.txt | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

run: demo
	$(PY) manage.py serve_embedded --addr 127.0.0.1:8000

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Two workers: the suite's browser and real-worker tests wait on I/O much of the time.
PYTEST_WORKERS ?= 2

test: lint
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

bench: migrate
	$(PY) manage.py bench

simulate: install
	$(PY) manage.py simulate_reinforcement --plot docs/simulation/spacing-frontiers.png

clean:
	rm -rf $(VENV) var
