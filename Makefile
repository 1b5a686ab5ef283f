# Two commands do all the set-up on a fresh Debian machine with Python 3.10+:
#   make demo   -- the main job: a tour of the engine, then a CNN trained on the bundled digits
#   make test   -- the whole test suite (notebooks included), without PyTorch, less the tests
#                  marked slow (the same proofs on larger sizes: `make test-long` runs those)
#   make lint   -- ruff: pyflakes, bugbear and line length, notebooks included
# Both create .venv and install what is needed; `make bench` prints the speed benchmark.
# `make fuzz` runs the property-based fuzz suite long (thousands of fresh random op chains;
# `make test` runs a fixed sample of 60 per property).
# `make test-oracle` runs the tests again in .venv-oracle, with PyTorch (the `oracle` extra)
# installed, so that the PyTorch-parity tests run; there a parity test that skips fails.
# Tests run BLAS on one thread: on 2 cores, threads make the suite's small matmuls 3-6x slower.
# `make test` and `make test-oracle` spread the tests over the cores: pytest-xdist, one process
# per core nproc counts (xdist's `-n auto` counts physical cores: 1 on some 2-vCPU machines);
# `make test TEST_WORKERS=0` runs them in one process. Idle workers steal queued tests
# (--dist worksteal): the notebooks, 3-13 s each, otherwise left one worker busy at the end
# (torch-free make test, 2 cores: 113 s with the default scheduling, 82 s with worksteal).

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(PY) -m pip install -q --disable-pip-version-check
ORACLE := .venv-oracle
# PyPI's Linux torch wheel pulls ~3.7 GB of CUDA libraries (about a minute to install on a fast
# link). Where download.pytorch.org is reachable, the 190 MB CPU build is enough:
#   make test-oracle ORACLE_PIP_ARGS="--extra-index-url https://download.pytorch.org/whl/cpu"
ORACLE_PIP_ARGS ?=
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo auto)

.PHONY: demo test test-long lint test-oracle bench fuzz graphviz clean

# $(call venv,FOLDER): create a virtual environment, installing Debian's python3-venv if needed.
define venv
	@test -x $(1)/bin/python || $(PYTHON) -m venv $(1) 2>/dev/null || { \
	  rm -rf $(1); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "python3 -m venv needs Debian's python3-venv: installing it"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(1); \
	  else \
	    echo "python3 -m venv failed: install Python's venv module (Debian/Ubuntu: sudo apt-get install python3-venv)"; \
	    exit 1; \
	  fi; }
endef

# One stamp per extra: the demo needs the runtime, plots and progress bars only; the tests add
# their tools; the linter is its own extra.
$(VENV)/.demo: pyproject.toml
	$(call venv,$(VENV))
	$(PIP) -e '.[demo]'
	@touch $@

$(VENV)/.test: pyproject.toml
	$(call venv,$(VENV))
	$(PIP) -e '.[test]'
	@touch $@

$(VENV)/.lint: pyproject.toml
	$(call venv,$(VENV))
	$(PIP) -e '.[lint]'
	@touch $@

$(ORACLE)/.installed: pyproject.toml
	$(call venv,$(ORACLE))
	$(ORACLE)/bin/python -m pip install -q --disable-pip-version-check $(ORACLE_PIP_ARGS) -e '.[test,cluster,oracle]'
	@touch $@

# Rendering graphs needs Graphviz's `dot` program: installed here when we can, explained when not.
graphviz:
	@command -v dot >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "installing Graphviz (Debian package graphviz) for graph pictures"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq graphviz >/dev/null; \
	  else \
	    echo "Graphviz's 'dot' is missing, so graph pictures cannot be rendered. Install it:"; \
	    echo "  Debian/Ubuntu: sudo apt-get install graphviz   macOS: brew install graphviz"; \
	  fi; }

demo: $(VENV)/.demo graphviz
	$(PY) -m examples.demo

test: $(VENV)/.test graphviz
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -m "not slow" -n $(TEST_WORKERS) --dist worksteal

# What `make test` leaves out: the tests marked slow, then the fuzz suite long (CI runs this).
test-long: $(VENV)/.test
	MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(PY) -m pytest -m slow tests autograd nn optim
	AUTOGRAD_FUZZ=long MPLBACKEND=Agg OPENBLAS_NUM_THREADS=1 $(PY) -m pytest --hypothesis-seed=0 \
	  tests/autograd/test_fuzz.py  # the long fuzz, with a fixed seed: CI repeats it exactly

# pyflakes, bugbear and line length (configured in pyproject.toml); CI runs it before `make test`.
lint: $(VENV)/.lint
	$(PY) -m ruff check .

# The tests only (the notebooks use no PyTorch); AUTOGRAD_REQUIRE_TORCH=1 fails a parity test that skips.
test-oracle: $(ORACLE)/.installed graphviz
	AUTOGRAD_REQUIRE_TORCH=1 $(ORACLE)/bin/python -m pytest -m "not slow" -n $(TEST_WORKERS) --dist worksteal tests

fuzz: $(VENV)/.test
	AUTOGRAD_FUZZ=long $(PY) -m pytest --hypothesis-show-statistics tests/autograd/test_fuzz.py

# One table: this library beside numpy by hand and PyTorch (when installed; not a dependency).
bench: $(VENV)/.test
	PYTHONPATH=. $(PY) tests/benchmarks/bench.py
	PYTHONPATH=. OPENBLAS_NUM_THREADS=1 $(PY) tests/benchmarks/bench_func.py

clean:
	rm -rf $(VENV) $(ORACLE) demo-output .pytest_cache .hypothesis
