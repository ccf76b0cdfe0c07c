# Development entry points. `make build` and `make test` work on a fresh machine with Python 3.11+:
# they install a pinned uv into .tools/ and, with it, the exact versions of uv.lock into .venv
# (quizgen itself editable, with the test extras). Nothing else on the machine is used or changed,
# but for Debian's chromium, poppler-utils, fonts-noto-core and npm, which `make test` installs when
# run as root, and axe-core from npm, which it installs into tests/js (tools/system-deps).
PYTHON ?= python3
VENV ?= .venv
TOOLS ?= .tools
LATEST ?= .venv-latest
BIN := $(VENV)/bin
UV := $(TOOLS)/bin/uv
SEEDS ?= ../shared/seeds
# The test runner's arguments: `make test-fast PYTEST_ARGS=tests/test_cli.py` runs one file.
PYTEST_ARGS ?=

# uv uses $(PYTHON), never an interpreter it downloads, makes its environment in $(VENV), and
# trusts the certificates the system trusts (as pip, git and curl do; a proxy's own CA included).
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)
export UV_SYSTEM_CERTS := 1

.PHONY: build test test-fast test-latest system-deps env check bench schemas golden lint lock \
	lock-uv clean

$(UV): tools/uv.txt
	$(PYTHON) -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes \
		-r tools/uv.txt
	touch $(UV)

# Bytecode compiled at install, as pip does for a wheel: without it a machine that sets
# PYTHONDONTWRITEBYTECODE compiles quizgen and its libraries again in every run (about 0.7 s of
# CPU a command).
env: $(UV)  ## .venv exactly as uv.lock says (fails if uv.lock does not match pyproject.toml)
	$(UV) sync --quiet --locked --extra test --python $(PYTHON) --compile-bytecode
	$(BIN)/python -m compileall -q quizgen benchmarks >/dev/null

build: env  ## every output of the bundled deck, into build/
	$(BIN)/quizgen build --out build --content content

test: env system-deps  ## the whole test suite
	$(BIN)/python -m pytest $(PYTEST_ARGS)

test-fast: env  ## the tests not marked slow (no browser, PDF or Anki needed), on every core
	$(BIN)/python -m pytest -m "not slow" -n auto $(PYTEST_ARGS)

# The newest versions pyproject.toml's ranges allow, as `pip install quizgen` would get today, in
# an environment of their own; prints what differs from uv.lock, then runs the fast subset.
test-latest: $(UV)
	rm -rf $(LATEST)
	$(UV) venv --quiet --python $(PYTHON) $(LATEST)
	$(UV) pip install --quiet --refresh --python $(LATEST)/bin/python -e '.[test]'
	$(LATEST)/bin/python tools/drift.py uv.lock
	$(LATEST)/bin/python -m pytest -m "not slow" -n auto -p no:cacheprovider $(PYTEST_ARGS)

system-deps:  ## Debian's chromium, poppler-utils, fonts-noto-core, npm (when root); axe-core (npm ci)
	bash tools/system-deps

check: env  ## validate the bundled deck and verify its quotes against the source documents
	$(BIN)/quizgen check --content content --sources-dir $(SEEDS)

bench: env  ## benchmarks at N=1,000 facts (docs/performance.md; N=100,1000,10000: BENCH_SIZES=...)
	$(BIN)/python benchmarks/run.py --sizes $(or $(BENCH_SIZES),1000)

schemas: env  ## regenerate schemas/*.schema.json
	for kind in deck sources facts questions; do \
		$(BIN)/quizgen schema $$kind > schemas/$$kind.schema.json; done

golden: env  ## regenerate the golden files (tests/golden: PDF pages, Anki fields); review the diff
	QUIZGEN_REGENERATE_GOLDEN=1 $(BIN)/python -m pytest -q tests/test_pdf.py tests/test_anki_fields.py -k golden

lint: env  ## ruff on everything, mypy on the package (configured in pyproject.toml)
	$(BIN)/ruff check quizgen tests benchmarks tools
	$(BIN)/mypy

lock: $(UV)  ## renew uv.lock: the newest versions pyproject.toml's ranges allow
	$(UV) lock --upgrade --python $(PYTHON)

lock-uv: $(UV)  ## renew tools/uv.txt, the pinned uv itself (then run make lock)
	$(UV) pip compile --quiet --universal --generate-hashes --upgrade \
		--custom-compile-command "make lock-uv" tools/uv.in -o tools/uv.txt

clean:
	rm -rf build/*.json build/*.apkg build/*.pdf build/*.html build/.quizgen-state dist $(LATEST)
