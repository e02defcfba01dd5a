# exotel.trunking developer commands. `make test` is the one path to a release: CI runs it
# through .ci/run. Everything is set up from the versions pinned in requirements-dev.txt, into
# .venvs/ and build/ (both git-ignored); `make demo` needs only python3 and sets up .venvs/demo
# from scripts/demo-requirements.txt.
SHELL := /bin/bash
.DEFAULT_GOAL := help
GATES := scripts/gates.sh

.PHONY: help test sanity units lint docs build matrix integration venvs demo bench clean gates

help: ## Show this help
	@echo "Targets:"
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | awk -F'\t' '{ printf "  make %-12s %s\n", $$1, $$2 }'
	@echo "Gates: $$($(GATES) --list | tr '\n' ' ')"
	@echo "One gate or a few: make gates GATES_RUN='ruff yamllint'   (logs: build/gates/logs/)"

test: ## Run every release gate (what CI runs); ends with "N passed, N failed"
	@$(GATES)

sanity: ## ansible-test sanity on ansible-core 2.16 and 2.21
	@$(GATES) sanity-2.16 sanity-2.21

units: ## ansible-test units on ansible-core 2.16 and 2.21
	@$(GATES) units-2.16 units-2.21

matrix: ## compile/import sanity of the modules on every Python 3.9+ installed
	@$(GATES) matrix-2.16 matrix-2.21

integration: ## end-to-end tests against the emulator (integration targets on both cores, emulator and e2e pytest)
	@$(GATES) integration-2.16 integration-2.21 emulator e2e

lint: ## ansible-lint, yamllint, ruff, the action group check, docs and changelog lint
	@$(GATES) ansible-lint yamllint ruff action-group docs changelog

build: ## build, install and galaxy-importer the collection tarball
	@$(GATES) build

gates: ## Run the gates named in GATES_RUN
	@$(GATES) $(GATES_RUN)

venvs: ## Set up the virtualenvs under .venvs/ only
	@$(GATES) --setup

docs: venvs ## Build the HTML documentation site into build/docs/html (offline)
	@docs/build.sh $(CURDIR)/.venvs/tools/bin/python

bench: venvs ## Benchmark exotel_number_mode and the sip_trunk role against the emulator (prints tables; not a test)
	@$(CURDIR)/.venvs/core221/bin/python benchmarks/bench_number_mode.py
	@$(CURDIR)/.venvs/core221/bin/python benchmarks/bench_sip_trunk.py

demo: ## Run the example playbook against the local emulator; needs only python3 (3.9+), sets up .venvs/demo
	@scripts/demo_venv.sh
	@PYTHON=$(CURDIR)/.venvs/demo/bin/python scripts/demo.sh

clean: ## Remove build/gates/, build/demo/ and tests/output/ (keeps .venvs/)
	rm -rf build/gates build/demo tests/output
