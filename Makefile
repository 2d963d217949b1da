# JWT Classroom: the only entry points you need.
#   make run    serve the app on http://127.0.0.1:$(PORT) (SQLite, one process)
#   make test   every suite: backend (pytest), frontend (vitest), end to end (Playwright)
#   make dev    Flask debug server + Vite dev server, cross-origin (CORS for real)
#   make lint   ruff, eslint, prettier
# Each target installs what is missing first (backend/.venv, frontend/node_modules).

SHELL := /bin/bash
.DEFAULT_GOAL := help

# `.env` at the repo root is read by the app; the Makefile reads it too, for PORT and friends.
-include .env
export

PORT ?= 5000
# 127.0.0.1: this machine only. `make run HOST=0.0.0.0` (or `make room`) serves the whole
# network. A HOST from the environment is ignored: zsh and some containers set it to a hostname.
ifneq ($(origin HOST),command line)
ifneq ($(origin HOST),file)
HOST := 127.0.0.1
endif
endif
API_PORT ?= 5000
# The Python for backend/.venv: PYTHON=... if set, else the newest 3.11+ on PATH (tools/find-python).
VENV := backend/.venv
BIN := $(CURDIR)/$(VENV)/bin
FLASK := $(BIN)/flask --app app

FRONTEND_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.js)

.PHONY: help run room dev test test-backend test-frontend test-e2e lint format clean install reset screenshots bench test-scale check-deploy fuzz

help:
	@echo "make run     serve the app on http://127.0.0.1:$(PORT)"
	@echo "make room    the same for a whole classroom (HOST=0.0.0.0), with the address to share"
	@echo "make test    run every test suite"
	@echo "make dev     Flask + Vite dev servers with hot reload"
	@echo "make lint    ruff, eslint, prettier"
	@echo "make format  apply ruff format and prettier"
	@echo "make clean   remove installs, builds and the local database"
	@echo "make bench   auth overhead, login cost, page weight (bench/results.md)"
	@echo "make fuzz    schemathesis against the running API (OpenAPI document, 200 cases per operation)"
	@echo "make test-scale  two API processes behind nginx, PostgreSQL + Redis (see deploy/)"
	@echo "make reset   fresh database with only the demo accounts (asks nothing)"
	@echo "make screenshots  retake docs/screenshots/*.png from the running app"

# --- installs (stamp files, so a second run costs nothing) -----------------------------------

$(VENV)/.runtime: backend/requirements.txt
	@test -x $(BIN)/python || { python=$$(tools/find-python) && $$python -m venv $(VENV); }
	$(BIN)/python -m pip install -q --disable-pip-version-check -r backend/requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime backend/requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r backend/requirements-dev.txt
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	@command -v npm >/dev/null || { echo "Node.js is not installed: install Node 22 (nvm install, or https://nodejs.org)" >&2; exit 1; }
	@node tools/check-node.cjs
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SRC)
	cd frontend && npm run build

install: $(VENV)/.dev frontend/node_modules/.installed

# --- the two commands -------------------------------------------------------------------------

# The port is checked first: a busy one (macOS's AirPlay Receiver holds 5000) gets one line.
run: $(VENV)/.runtime frontend/dist/index.html
	@$(BIN)/python tools/ports.py $(HOST) $(PORT)
	cd backend && $(FLASK) db upgrade
	cd backend && DEMO_MODE=$${DEMO_MODE:-1} $(FLASK) seed-demo
	cd backend && DEMO_MODE=$${DEMO_MODE:-1} exec $(BIN)/gunicorn -c gunicorn.conf.py \
		--bind $(HOST):$(PORT) "app:create_app()"

# One server for a classroom: every interface, and the address to share is printed.
room:
	@$(MAKE) --no-print-directory run HOST=0.0.0.0

# Every suite, then why any tests were skipped (a missing PostgreSQL, Redis...), one line each:
# a skip passes, so it would otherwise scroll away. tools/skip_report.py writes the lines.
SKIPPED := $(CURDIR)/test-results/skipped.txt
test:
	@rm -f $(SKIPPED)
	@SKIP_REPORT=$(SKIPPED) $(MAKE) --no-print-directory test-backend test-frontend test-e2e; \
	status=$$?; \
	if [ -s $(SKIPPED) ]; then echo "Skipped (these suites did not run in full):"; cat $(SKIPPED); \
	else echo "No test was skipped."; fi; \
	exit $$status

# PYTHONPATH: the repo root, for the pytest plugin tools/skip_report.py.
PYTEST := PYTHONPATH=$(CURDIR) $(BIN)/python -m pytest -p tools.skip_report

test-backend: $(VENV)/.dev
	cd backend && $(PYTEST)

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

test-e2e: $(VENV)/.dev frontend/dist/index.html
	@$(BIN)/python -m tools.browser
	cd e2e && $(PYTEST)

# --- development ------------------------------------------------------------------------------

# Both servers on 127.0.0.1: different origins (ports), so CORS is real, but the same site, so
# the SameSite=Strict refresh cookie still flows.
dev: $(VENV)/.runtime frontend/node_modules/.installed
	cd backend && $(FLASK) db upgrade
	cd backend && DEMO_MODE=1 $(FLASK) seed-demo
	@echo "API on http://127.0.0.1:$(API_PORT), SPA on http://127.0.0.1:5173 (Ctrl-C stops both)"
	trap 'kill 0' EXIT; \
	(cd backend && DEMO_MODE=1 $(FLASK) run --debug --port $(API_PORT)) & \
	(cd frontend && VITE_API_URL=http://127.0.0.1:$(API_PORT) npm run dev -- --host 127.0.0.1) & \
	wait

lint: $(VENV)/.dev frontend/node_modules/.installed
	$(BIN)/ruff check backend e2e deploy bench tools
	$(BIN)/ruff format --check backend e2e deploy bench tools
	cd frontend && npm run lint

format: $(VENV)/.dev frontend/node_modules/.installed
	$(BIN)/ruff check --fix backend e2e deploy bench tools
	$(BIN)/ruff format backend e2e deploy bench tools
	cd frontend && npm run format

# schemathesis against the running app: every operation, 200 generated cases each (~2 min).
fuzz: $(VENV)/.dev
	bash backend/fuzz.sh

# --- production stack and performance (see deploy/README.md) ----------------------------------

# Two gunicorn processes behind Debian's nginx, sharing the local PostgreSQL and Redis.
test-scale: $(VENV)/.dev frontend/dist/index.html
	cd deploy && $(BIN)/python -m pytest

# docker-compose.yml checked by a real compose implementation; Dockerfiles by hadolint.
check-deploy: $(VENV)/.dev
	deploy/check.sh

# Speed goals live here, never as timing asserts in tests. BENCH_ARGS=--suites also times make test.
bench: $(VENV)/.dev frontend/dist/index.html
	$(BIN)/python bench/bench.py $(BENCH_ARGS)

# Back to a fresh database with only the demo accounts; prints what it did.
reset: $(VENV)/.runtime
	cd backend && $(FLASK) reset-demo

# README screenshots, taken by the e2e suite from the real app, so they never go stale.
screenshots: $(VENV)/.dev frontend/dist/index.html
	cd e2e && $(BIN)/python -m pytest -m screenshots

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist backend/instance e2e/artifacts
