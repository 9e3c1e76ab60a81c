# Two entry points: `make run` serves the dashboard on the shipped data, `make test` runs every test.
# Both create .venv on first use; a changed pyproject.toml reinstalls.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: run fleet nginx test lint db chromium clean

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(VENV)/.installed $@

db: $(VENV)/.installed
	$(BIN)/probation-ratings build-db --if-needed

run: db
	@echo "Serving the dashboard at http://localhost:$(PORT)  (Ctrl+C stops it)"
	$(BIN)/streamlit run dashboard.py --server.headless true --server.port $(PORT) \
		--browser.gatherUsageStats false

# N dashboard processes on the same database behind Debian's nginx, in the foreground: Ctrl+C (or
# SIGTERM to its process group) stops every process it started.
PROCESSES ?= 2
fleet: db nginx
	$(BIN)/probation-ratings fleet --processes $(PROCESSES) --port $(PORT)

nginx:
	@if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's nginx for the fleet"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx >/dev/null; \
		else \
			echo "The fleet needs nginx: run 'sudo apt-get install -y nginx'"; exit 1; \
		fi; \
	fi

# Browser tests drive Debian's chromium; install it when missing and we may (root), else say how.
chromium:
	@if [ ! -x "$(CHROMIUM)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's chromium for the browser tests"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "The browser tests need $(CHROMIUM): run 'sudo apt-get install -y chromium'"; exit 1; \
		fi; \
	fi

# axe-core (the accessibility engine) from the npm registry, pinned by tests/e2e/package-lock.json;
# Debian's npm is installed when missing and we may (root).
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	@if ! command -v npm >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's npm for axe-core"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; \
		else \
			echo "The accessibility tests need npm: run 'sudo apt-get install -y npm'"; exit 1; \
		fi; \
	fi
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(VENV)/.installed-test chromium nginx $(AXE) lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) data/ratings.duckdb .pytest_cache .ruff_cache tests/e2e/node_modules
