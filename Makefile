# Development entry points. `make build` and `make test` work on a fresh machine with Python 3.11+:
# they create .venv and install quizgen into it (editable, with the test extras) when needed.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SEEDS ?= ../shared/seeds

.PHONY: build test check bench schemas golden lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

build: $(STAMP)  ## every output of the bundled deck, into build/
	$(BIN)/quizgen build --out build

test: $(STAMP)  ## the whole test suite
	$(BIN)/python -m pytest

check: $(STAMP)  ## validate the bundled deck and verify its quotes against the source documents
	$(BIN)/quizgen check --sources-dir $(SEEDS)

bench: $(STAMP)  ## benchmarks at N=1,000 facts (docs/performance.md; N=100,1000,10000: BENCH_SIZES=...)
	$(BIN)/python benchmarks/run.py --sizes $(or $(BENCH_SIZES),1000)

schemas: $(STAMP)  ## regenerate schemas/*.schema.json
	for kind in deck sources facts; do $(BIN)/quizgen schema $$kind > schemas/$$kind.schema.json; done

golden: $(STAMP)  ## regenerate the PDF golden files (tests/golden/pdf); review the diff
	QUIZGEN_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_pdf.py -k golden

lint: $(STAMP)
	$(BIN)/ruff check quizgen tests

clean:
	rm -rf build/*.json build/*.apkg build/*.pdf build/*.html dist
