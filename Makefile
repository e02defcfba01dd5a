# exotel.trunking developer commands: short aliases for nox sessions (noxfile.py, antsibull-nox.toml).
# `make test` is the one path to a release: CI runs it through .ci/run. It sets up .venvs/nox
# (nox + antsibull-nox, pinned in requirements-dev.txt) with the real Python 3.11, then runs every
# session through scripts/nox_all.py. One session: .venvs/nox/bin/nox -s sanity-2.21
# `make demo` needs only python3 and sets up .venvs/demo from scripts/demo-requirements.txt.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NOX_VENV := .venvs/nox
PYDIR := build/nox/pythons
NOX := PATH="$(CURDIR)/$(PYDIR):$$PATH" $(CURDIR)/$(NOX_VENV)/bin/nox --no-color
RUN := PATH="$(CURDIR)/$(PYDIR):$$PATH" $(CURDIR)/$(NOX_VENV)/bin/python scripts/nox_all.py

.PHONY: help test sanity units lint docs build matrix integration venvs nox demo bench clean live

help: ## Show this help
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "One session: $(NOX_VENV)/bin/nox -s NAME   (list: $(NOX_VENV)/bin/nox -l; logs of make test: build/nox/logs/)"

nox: # .venvs/nox from requirements-nox.txt with the real Python 3.11 (rebuilt when the pins change)
	@python3 scripts/ansible_test_env.py pythons > /dev/null
	@test -x $(PYDIR)/python3.11 || { echo "Python 3.11 is needed for .venvs/nox: pyenv install 3.11 or apt install python3.11"; exit 1; }
	@want=$$(cat requirements-dev.txt requirements-nox.txt | sha256sum | cut -c1-16); \
	if [ "$$(cat $(NOX_VENV)/.nox-stamp 2>/dev/null)" != "$$want" ]; then \
		echo "setting up $(NOX_VENV)"; rm -rf $(NOX_VENV) && $(PYDIR)/python3.11 -m venv $(NOX_VENV) \
		&& $(NOX_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements-nox.txt \
		&& echo "$$want" > $(NOX_VENV)/.nox-stamp; fi

test: nox ## Run every session (what CI runs); one line per session, ends with "N passed, N failed"
	@$(RUN)

sanity: nox ## ansible-test sanity on ansible-core 2.16 and 2.21
	@$(RUN) sanity-2.16 sanity-2.21

units: nox ## ansible-test units on ansible-core 2.16 and 2.21
	@$(RUN) units-2.16 units-2.21

matrix: nox ## compile/import sanity of the modules on every Python 3.9+ installed
	@$(RUN) matrix-2.16 matrix-2.21

integration: nox ## integration targets against the emulator on both cores, emulator, e2e and EDA pytest
	@$(RUN) integration-2.16 integration-2.21 emulator e2e eda

lint: nox ## ansible-lint, yamllint, codeqa (ruff), extra checks, action group, docs lint, changelog
	@$(RUN) ansible-lint yamllint codeqa extra-checks action-group docs-check changelog

build: nox ## build, install and galaxy-importer the collection tarball
	@$(RUN) build

venvs: nox ## Set up the virtualenvs under .venvs/ only
	@$(NOX) -s venvs

docs: nox ## Build the HTML documentation site into build/docs/html (offline)
	@$(NOX) -s docs-html

bench: nox ## Benchmark exotel_number_mode and the sip_trunk role against the emulator (prints tables; not a test)
	@$(NOX) -s bench

live: nox ## Opt-in: integration targets against a real Exotel account (see CONTRIBUTING.md)
	@$(NOX) -s live

demo: ## Run the example playbook against the local emulator; needs only python3 (3.9+), sets up .venvs/demo
	@scripts/demo_venv.sh
	@PYTHON=$(CURDIR)/.venvs/demo/bin/python scripts/demo.sh

clean: ## Remove build/nox/, build/demo/, .nox/ and tests/output/ (keeps .venvs/)
	rm -rf build/nox build/demo .nox tests/output
