# Two commands do all the set-up on a fresh Debian machine with Python 3.10+:
#   make demo   -- the main job: a short tour of the engine, writing a graph picture
#   make test   -- the whole test suite (notebooks included)
# Both create .venv and install what is needed; `make bench` prints the speed benchmark.

PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test bench graphviz clean

$(STAMP): pyproject.toml
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "python3 -m venv needs Debian's python3-venv: installing it"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv >/dev/null; \
	    $(PYTHON) -m venv $(VENV); \
	  else \
	    echo "python3 -m venv failed: install Python's venv module (Debian/Ubuntu: sudo apt-get install python3-venv)"; \
	    exit 1; \
	  fi; }
	$(PY) -m pip install -q --disable-pip-version-check -e '.[test]'
	@touch $(STAMP)

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

demo: $(STAMP) graphviz
	$(PY) -m autograd.demo

test: $(STAMP) graphviz
	$(PY) -m pytest

# One table: this library beside numpy by hand and PyTorch (when installed; not a dependency).
bench: $(STAMP)
	PYTHONPATH=. $(PY) tests/benchmarks/bench.py

clean:
	rm -rf $(VENV) demo-output .pytest_cache .hypothesis
