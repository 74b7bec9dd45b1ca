# `make run` and `make test` bootstrap .venv on a fresh machine, then start the server / run the tests.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8080
ARGS ?=

.PHONY: run test compile bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Bytecode ahead of time: with PYTHONDONTWRITEBYTECODE set (as on this machine) every start would
# otherwise recompile every module, which more than doubles start-up (0.24 s vs 0.55 s).
compile: $(STAMP)
	$(BIN)/python -m compileall -q fakeapi fkubectl

run: compile
	$(BIN)/fakeapi serve --port $(PORT) --static-pod-path manifests/static $(ARGS)

test: compile
	$(BIN)/lint-imports --config pyproject.toml
	$(BIN)/python -m pytest -q $(ARGS)

bench: compile
	$(BIN)/python bench/bench_server.py
	$(BIN)/python bench/bench_fkubectl.py

clean:
	rm -rf $(VENV) build *.egg-info
