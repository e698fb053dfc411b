# vnru: two commands do everything on a fresh machine: `make reports` and `make test`.
# Every target creates .venv (python3 -m venv + pip install -e .[dev]) when it is missing.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= reports
PIP_FLAGS ?= --quiet --disable-pip-version-check

.DEFAULT_GOAL := help
.PHONY: help setup reports test lab lint validate bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -e '.[dev]' 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true
	@$(BIN)/python -c "import vnru, papermill, frictionless, pytest" || { echo "install failed"; exit 1; }
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the kit with its dev tools

reports: $(STAMP) ## Run every notebook on the bundled data into reports/
	$(BIN)/vnru run --out $(OUT)

test: $(STAMP) ## Run the test suite (library, data, notebooks, CLI)
	$(BIN)/python -m pytest

lab: $(STAMP) ## Open JupyterLab with the kernel that has vnru installed
	$(BIN)/jupyter lab notebooks/

lint: $(STAMP) ## Lint the library and tests with ruff
	$(BIN)/ruff check lib tests

validate: $(STAMP) ## Check the data package against datapackage.json
	$(BIN)/vnru validate

bench: $(STAMP) ## Print the benchmark ratios (see bench/)
	$(BIN)/python bench/run.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
