# The course's work loop. `make` or `make help` lists the tasks.
# Every task runs inside the project's virtual environment (.venv), created by `make install`.

VENV   ?= .venv
BIN    := $(VENV)/bin
PYTHON := $(BIN)/python
L      ?= single-neuron

export NO_MKDOCS_2_WARNING := 1

.DEFAULT_GOAL := help
.PHONY: help install lint format typecheck check style test-fast test lesson serve build benchmark

help: ## List the tasks
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'
	@echo "  (make lesson L=<slug> picks the lesson; default $(L))"

install: ## Create .venv and install the course with its test and lint tools
	python3 -m venv $(VENV) && $(BIN)/pip install -q -r requirements-dev.txt

lint: ## ruff check, ruff format --check and actionlint
	$(BIN)/ruff check code hooks lessons tests
	$(BIN)/ruff format --check code hooks lessons tests
	$(BIN)/actionlint .github/workflows/pages.yml

format: ## Format the code and apply ruff's safe fixes
	$(BIN)/ruff check --fix code hooks lessons tests
	$(BIN)/ruff format code hooks lessons tests

typecheck: ## mypy over the library, the build machinery and the site hooks
	$(BIN)/mypy

check: lint typecheck ## Everything CI checks before the tests

style: ## The style check of the prose: glossary terms, number typography, US spelling
	$(PYTHON) -m coursebuild style

test-fast: ## Tests that build no site and execute no lesson (well under a minute)
	$(PYTHON) -m pytest -q -m "not site and not pipeline and not browser"

test: ## The whole suite, as CI runs it (builds the site once, strict)
	$(PYTHON) -m pytest -q

lesson: ## Run one lesson through the real runner and checks: make lesson L=transformer
	$(PYTHON) -m coursebuild lesson $(L)

serve: ## Preview the site on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

build: ## Build the site into site/ with --strict
	$(BIN)/mkdocs build --strict

benchmark: ## Time cold, warm and edited builds (prints a table)
	$(PYTHON) -m coursebuild.benchmark
