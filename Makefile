# vnru: two commands do everything on a fresh machine: `make reports` and `make test`.
# Every target creates .venv when it is missing: the exact versions of requirements.lock, then the kit
# itself (editable, pip install -e .[dev] constrained by the lock). `make lock` refreshes the lock.

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= reports
PIP_FLAGS ?= --quiet --disable-pip-version-check
LOCK   := requirements.lock
EUID   ?= $(shell id -u)
LOCK_FLAGS ?=
QUIET_PIP := 2>&1 | grep -v "is ignored: it is neither a file nor a directory" || true

.DEFAULT_GOAL := help
.PHONY: help setup reports test lab kernel lock lint validate bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) -r $(LOCK) $(QUIET_PIP)
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-build-isolation -c $(LOCK) -e '.[dev]' $(QUIET_PIP)
	@$(BIN)/python -c "import vnru, papermill, frictionless, pytest" || { echo "install failed"; exit 1; }
	@touch $(STAMP)

setup: $(STAMP) ## Create .venv and install the kit with its dev tools

reports: $(STAMP) ## Run every notebook on the bundled data into reports/
	$(BIN)/vnru run --out $(OUT)

test: $(STAMP) ## Run the test suite (library, data, notebooks, CLI)
	$(BIN)/python -m pytest

lab: kernel ## Open JupyterLab on notebooks/ (adds --allow-root when run as root, e.g. in a container)
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH)) $(BIN)/jupyter lab $(if $(filter 0,$(EUID)),--allow-root) notebooks/

# The notebooks name the kernel "python3" (as papermill and `vnru run` use it): registered inside the venv under
# that name, it is this .venv's Python in JupyterLab too (JUPYTER_PATH puts it before a python3 of the user's).
kernel: $(STAMP) ## Register this .venv as the Jupyter kernel "python3" the notebooks name (in .venv/share/jupyter)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (vnru)"

lock: ## Refresh requirements.lock from pyproject.toml (LOCK_FLAGS=--upgrade moves every pin to the newest)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) 'pip-tools>=7.4' $(QUIET_PIP)
	CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --extra dev --strip-extras --allow-unsafe \
	  --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_FLAGS) \
	  --output-file $(LOCK) pyproject.toml

lint: $(STAMP) ## Lint the library and tests with ruff
	$(BIN)/ruff check lib tests

validate: $(STAMP) ## Check the data package against datapackage.json
	$(BIN)/vnru validate

bench: $(STAMP) ## Print the benchmark ratios (see bench/)
	$(BIN)/python bench/run.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
