# The two commands of the README's quick start, each doing its own set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: demo test install install-test benchmarks models clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .

install-test: $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'

demo: install
	$(BIN)/analyzer run --out runs/demo

test: install-test
	$(BIN)/python -m pytest -q

benchmarks: install
	@for b in benchmarks/bench_*.py; do $(BIN)/python $$b; done

models: install
	$(BIN)/analyzer train --out models

clean:
	rm -rf runs test-artifacts build *.egg-info
