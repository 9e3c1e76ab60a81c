# Two entry points: `make run` serves the dashboard on the shipped data, `make test` runs every test.
# Both create .venv on first use with the locked versions (requirements/); a changed lock or
# pyproject.toml reinstalls.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PORT   ?= 8501
CHROMIUM ?= /usr/bin/chromium

.PHONY: run fleet nginx test lint db chromium clean readme-images lock

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python >= 3.11 is needed, found " + sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Exactly the locked versions, each checked against its hash; then the project itself, whose
# ranges in pyproject.toml are for people installing it into their own environment.
$(VENV)/.installed: requirements/run.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/run.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-test: requirements/test.txt pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r requirements/test.txt
	$(BIN)/python -m pip install --quiet --no-deps -e .
	touch $(VENV)/.installed $@

# `make lock`: the newest versions pyproject.toml allows, locked with their hashes by pip-tools
# (in a virtual environment of its own, so the project's holds only what the lock lists). Then
# `make test` installs and tests them.
LOCK_VENV := .venv-lock
PIP_TOOLS := pip-tools==7.7.0
COMPILE    = $(LOCK_VENV)/bin/pip-compile --quiet --upgrade --generate-hashes --strip-extras \
	--allow-unsafe --no-emit-index-url --no-emit-find-links
lock:
	$(PYTHON) -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet $(PIP_TOOLS)
	$(COMPILE) -o requirements/run.txt pyproject.toml
	$(COMPILE) --extra test -o requirements/test.txt pyproject.toml

db: $(VENV)/.installed
	$(BIN)/probation-ratings build-db --if-needed

run: db
	@echo "Serving the dashboard at http://localhost:$(PORT)  (Ctrl+C stops it)"
	$(BIN)/probation-ratings serve --port $(PORT)

# N dashboard processes on the same database behind Debian's nginx, in the foreground: Ctrl+C (or
# SIGTERM to its process group) stops every process it started.
PROCESSES ?= 2
fleet: db nginx
	$(BIN)/probation-ratings fleet --processes $(PROCESSES) --port $(PORT)

# $(call debian,TEST,PACKAGE,FOR): when the shell TEST fails, install Debian's PACKAGE if we may
# (root with apt), else say the command and stop.
define debian
	@if ! { $(1); }; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's $(2) for $(3)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
		else \
			echo "Debian's $(2) is needed for $(3): run 'sudo apt-get install -y $(2)'"; exit 1; \
		fi; \
	fi
endef

nginx:
	$(call debian,command -v nginx >/dev/null || [ -x /usr/sbin/nginx ],nginx,the fleet)

# Browser tests drive Debian's chromium.
chromium:
	$(call debian,[ -x "$(CHROMIUM)" ],chromium,the browser tests)

# axe-core (the accessibility engine) from the npm registry, pinned by tests/e2e/package-lock.json.
AXE := tests/e2e/node_modules/axe-core/axe.min.js
$(AXE): tests/e2e/package.json tests/e2e/package-lock.json
	$(call debian,command -v npm >/dev/null,npm,axe-core (the accessibility tests))
	npm ci --prefix tests/e2e --no-audit --no-fund --silent
	touch $@

lint: $(VENV)/.installed-test
	$(BIN)/ruff check .
	$(BIN)/mypy

test: $(VENV)/.installed-test chromium nginx $(AXE) lint
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) $(LOCK_VENV) data/ratings.duckdb .pytest_cache .ruff_cache tests/e2e/node_modules

# README's pictures (the dashboard in Chromium, one downloaded chart), made again.
readme-images: $(VENV)/.installed-test db chromium
	$(BIN)/python -m tests.e2e.readme_images
