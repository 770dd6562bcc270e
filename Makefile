# Confirm@ — the two commands first: `make run` and `make test`.
# Everything goes through ./confirma (see `./confirma --help`).
CONFIRMA := ./confirma
ONLY ?=

.PHONY: run test lint bench check-install setup i18n screenshots help

## run: demo municipality on http://localhost:8069 (creates/updates database confirma_demo)
run:
	$(CONFIRMA) run

## test: every test (pytest-odoo) on a fresh database; any failure or skip fails
test:
	$(CONFIRMA) test

## lint: pre-commit checks (ruff, ruff-format, pylint-odoo, prettier-xml) on every file
lint:
	$(CONFIRMA) lint

## bench: every benchmark (or ONLY=<group>; RESIDENTS=N for a smaller city), results in bench/results.json and the README
bench:
	$(CONFIRMA) bench $(if $(ONLY),--only $(ONLY)) $(if $(RESIDENTS),--residents $(RESIDENTS))

## check-install: each addon alone, then all six, with and without demo data
check-install:
	$(CONFIRMA) db check-install

## screenshots: the README's screenshots (docs/screenshots), from a copy of the demo database
screenshots:
	$(CONFIRMA) screenshots

## setup: find Odoo 18 and PostgreSQL, build .venv
setup:
	$(CONFIRMA) setup

help:
	@grep -E '^## ' Makefile | sed 's/^## /  make /'
