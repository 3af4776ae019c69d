# The two commands of the README. Each sets everything up first (idempotent, quick when done).
.PHONY: setup demo test lint bench check-wheel

VENV ?= .venv

setup:
	@bash scripts/setup.sh

## Re-authorize the demo client against the built-in simulators (no accounts needed).
demo: setup
	$(VENV)/bin/bot run reauthorize --client demo

## The whole test suite, lint and type checks included.
test: setup
	$(VENV)/bin/ruff check bot fixtures tests benchmarks docs
	$(VENV)/bin/ruff format --check bot fixtures tests benchmarks docs
	$(VENV)/bin/mypy bot
	$(VENV)/bin/python -m pytest -q --durations=20 --ignore=tests/variants
	# the variants: 85 whole runs against slow and odd pages, mostly waiting, so three workers
	# (pytest-xdist), each with its own browser and simulators (docs/reliability.md)
	$(VENV)/bin/python -m pytest -q --durations=10 -n 3 tests/variants

lint:
	$(VENV)/bin/ruff check bot fixtures tests benchmarks docs && $(VENV)/bin/mypy bot

## The wheel as a user installs it: fresh virtualenvs, an empty folder, the demo (CI runs it too).
check-wheel:
	bash scripts/check-wheel.sh

bench: setup
	$(VENV)/bin/python benchmarks/run.py
