# exotel.trunking developer commands: short aliases for nox sessions (noxfile.py, antsibull-nox.toml).
# `make test` is the one path to a release: CI runs it through .ci/run. It sets up .venvs/nox
# (nox, antsibull-nox and uv, locked in requirements/nox.txt) with Python 3.12, then runs every
# session tagged `test` in noxfile.py through scripts/nox_all.py; the groups below are nox tags
# (scripts/nox_all.py -t TAG). One session: .venvs/nox/bin/nox -s sanity-2.21
# `make demo` needs only python3 and sets up .venvs/demo from scripts/demo-requirements.txt.
SHELL := /bin/bash
.DEFAULT_GOAL := help
NOX_VENV := .venvs/nox
PYDIR := build/nox/pythons
NOX := PATH="$(CURDIR)/$(PYDIR):$$PATH" $(CURDIR)/$(NOX_VENV)/bin/nox --no-color
RUN := PATH="$(CURDIR)/$(PYDIR):$$PATH" $(CURDIR)/$(NOX_VENV)/bin/python scripts/nox_all.py

.PHONY: help test sanity units lint docs build matrix integration venvs nox lock demo bench clean live

help: ## Show this help
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "One session: $(NOX_VENV)/bin/nox -s NAME   (list: $(NOX_VENV)/bin/nox -l; logs of make test: build/nox/logs/)"

nox: # .venvs/nox from requirements/nox.txt with the real Python 3.12 (rebuilt when the lock changes)
	@python3 scripts/ansible_test_env.py pythons > /dev/null
	@test -x $(PYDIR)/python3.12 || { echo "Python 3.12 is needed: apt install python3.12 (Ubuntu 24.04 has it) or pyenv install 3.12"; exit 1; }
	@want=$$(cat requirements/nox.txt | sha256sum | cut -c1-16); \
	if [ "$$(cat $(NOX_VENV)/.nox-stamp 2>/dev/null)" != "$$want" ]; then \
		echo "setting up $(NOX_VENV)"; rm -rf $(NOX_VENV) && $(PYDIR)/python3.12 -m venv $(NOX_VENV) \
		&& $(NOX_VENV)/bin/python -m pip install --quiet --disable-pip-version-check -r requirements/nox.txt \
		&& echo "$$want" > $(NOX_VENV)/.nox-stamp; fi

test: nox ## Run every session tagged `test` (what CI runs); one line per session, ends with "N passed, N failed"
	@$(RUN)

sanity: nox ## ansible-test sanity on every ansible-core 2.16-2.21 (and the newest pre-release, allowed to fail)
	@$(RUN) -t sanity

units: nox ## ansible-test units on every ansible-core 2.16-2.21
	@$(RUN) -t units

matrix: nox ## compile/import sanity of the modules on every Python 3.9+ installed but 3.12, which sanity checks (ansible-core 2.16 and 2.21)
	@$(RUN) -t matrix

integration: nox ## integration targets against the emulator on 2.16 and 2.21, emulator, e2e and EDA pytest
	@$(RUN) -t integration

lint: nox ## ansible-lint, yamllint, codeqa (ruff), extra checks (action group), docs lint, changelog, live guard
	@$(RUN) -t lint

build: nox ## build, install and galaxy-importer the collection tarball; make demo from a clean copy
	@$(RUN) -t build

lock: nox ## Re-lock requirements/*.in into requirements/*.txt with uv (ARGS=--upgrade to move to the newest)
	@scripts/lock.sh $(ARGS)

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
