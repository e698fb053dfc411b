# vnru: two commands do everything on a fresh machine: `make reports` and `make test`.
# Every target creates .venv when it is missing. `make reports` installs only what running reports needs: the
# exact versions of requirements.lock, then the kit itself (editable). `make test`, `make setup` and the other
# developer targets add the developer tools and every extra (requirements-dev.lock, the same pins for the
# runtime packages); `make lab` adds JupyterLab. `make lock` refreshes both lock files.

SHELL  := /bin/bash
.SHELLFLAGS := -o pipefail -c
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev
LAB_STAMP := $(VENV)/.installed-lab
OUT    ?= reports
PIP_FLAGS ?= --quiet --disable-pip-version-check
LOCK   := requirements.lock
DEV_LOCK := requirements-dev.lock
EUID   ?= $(shell id -u)
LOCK_FLAGS ?=
# pip's noise about a missing directory dropped; pip's exit status kept (pipefail; only grep's own "no line" is ignored)
QUIET_PIP := 2>&1 | { grep -v "is ignored: it is neither a file nor a directory" || true; }
COMPILE := CUSTOM_COMPILE_COMMAND="make lock" $(BIN)/pip-compile --quiet --strip-extras --allow-unsafe \
  --build-deps-for editable --no-emit-index-url --no-emit-find-links --no-emit-trusted-host $(LOCK_FLAGS)
# "installing N packages (...)": N counted in the lock file, so that a long install is never silent
define announce
@echo "installing $$(grep -c '^[A-Za-z0-9_.-]*==' $(1)) packages from $(1) ($(2)) ..."
endef

.DEFAULT_GOAL := help
.PHONY: help setup reports test lab kernel lock lint validate bench clean

help: ## List the targets
	@grep -E '^[a-z]+:.*## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*## "} {printf "  make %-9s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml $(LOCK)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(call announce,$(LOCK),about a minute with a warm pip cache; a first download takes longer)
	$(BIN)/python -m pip install $(PIP_FLAGS) -r $(LOCK) $(QUIET_PIP)
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-build-isolation --no-deps -e . $(QUIET_PIP)
	@$(BIN)/python -c "import vnru, papermill" || { echo "install failed"; exit 1; }
	@echo "installed: the kit and what running reports needs"
	@touch $(STAMP)

$(DEV_STAMP): $(STAMP) $(DEV_LOCK)
	$(call announce,$(DEV_LOCK),the developer tools and every extra; a few minutes on a first download)
	$(BIN)/python -m pip install $(PIP_FLAGS) -r $(DEV_LOCK) $(QUIET_PIP)
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-build-isolation -c $(DEV_LOCK) -e '.[dev]' $(QUIET_PIP)
	@$(BIN)/python -c "import vnru, papermill, frictionless, pytest" || { echo "install failed"; exit 1; }
	@touch $(DEV_STAMP)

$(LAB_STAMP): $(STAMP) $(DEV_LOCK)
	@echo "installing JupyterLab (the [lab] extra, versions of $(DEV_LOCK)) ..."
	$(BIN)/python -m pip install $(PIP_FLAGS) --no-build-isolation -c $(DEV_LOCK) -e '.[lab]' $(QUIET_PIP)
	@touch $(LAB_STAMP)

setup: $(DEV_STAMP) ## Create .venv and install the kit with its dev tools

reports: $(STAMP) ## Run every notebook on the bundled data into reports/ (installs only what that needs)
	$(BIN)/vnru run --out $(OUT)

test: $(DEV_STAMP) ## Run the test suite (library, data, notebooks, CLI)
	$(BIN)/python -m pytest

lab: kernel ## Open JupyterLab on notebooks/ (adds --allow-root when run as root, e.g. in a container)
	JUPYTER_PATH=$(abspath $(VENV))/share/jupyter$(if $(JUPYTER_PATH),:$(JUPYTER_PATH)) $(BIN)/jupyter lab $(if $(filter 0,$(EUID)),--allow-root) notebooks/

# The notebooks name the kernel "python3" (as papermill and `vnru run` use it): registered inside the venv under
# that name, it is this .venv's Python in JupyterLab too (JUPYTER_PATH puts it before a python3 of the user's).
kernel: $(LAB_STAMP) ## Register this .venv as the Jupyter kernel "python3" the notebooks name (in .venv/share/jupyter)
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (vnru)"

lock: ## Refresh requirements.lock and requirements-dev.lock from pyproject.toml (LOCK_FLAGS=--upgrade: newest pins)
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install $(PIP_FLAGS) 'pip-tools>=7.4' $(QUIET_PIP)
	$(COMPILE) --output-file $(LOCK) pyproject.toml
	$(COMPILE) --extra dev --constraint $(LOCK) --output-file $(DEV_LOCK) pyproject.toml

lint: $(DEV_STAMP) ## Lint the library and tests with ruff, and check the layers with import-linter
	$(BIN)/ruff check lib tests
	$(BIN)/lint-imports

validate: $(STAMP) ## Check the data package against datapackage.json
	$(BIN)/vnru validate

bench: $(DEV_STAMP) ## Print the benchmark ratios (see bench/)
	$(BIN)/python bench/run.py

clean: ## Remove generated reports and caches (keeps .venv)
	rm -rf $(OUT) .pytest_cache .ruff_cache
	find . -name __pycache__ -type d -prune -exec rm -rf {} +
