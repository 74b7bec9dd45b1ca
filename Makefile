# `make run` and `make test` bootstrap .venv on a fresh machine, then start the server / run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8080
ARGS ?=

.PHONY: run test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/fakeapi serve --port $(PORT) --static-pod-path manifests/static $(ARGS)

test: $(STAMP)
	$(BIN)/lint-imports --config pyproject.toml
	$(BIN)/python -m pytest -q $(ARGS)

bench: $(STAMP)
	$(BIN)/python bench/bench_server.py

clean:
	rm -rf $(VENV) build *.egg-info
