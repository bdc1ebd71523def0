# fieldtui — two commands on a fresh clone: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP_RUN  := $(VENV)/.installed-run
STAMP_TEST := $(VENV)/.installed-test

.PHONY: run test check fmt bench demo clean

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(STAMP_RUN): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e .
	touch $@

$(STAMP_TEST): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@ $(STAMP_RUN)

## run: set everything up and open the app on the demo store
run: $(STAMP_RUN)
	$(VENV)/bin/fieldtui --demo $(ARGS)

## test: set everything up and run the whole suite (one worker per core: pytest-xdist)
test: $(STAMP_TEST)
	$(PY) -m pytest -q -n auto $(PYTEST_ARGS)

## check: ruff (format check + lint) and mypy --strict
check: $(STAMP_TEST)
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/ruff check .
	$(VENV)/bin/mypy

fmt: $(STAMP_TEST)
	$(VENV)/bin/ruff format .
	$(VENV)/bin/ruff check --fix .

bench: $(STAMP_TEST)
	$(PY) bench/store_bench.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
