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
API_PORT ?= 5000
PYTHON ?= python3
VENV := backend/.venv
BIN := $(CURDIR)/$(VENV)/bin
FLASK := $(BIN)/flask --app app

FRONTEND_SRC := $(shell find frontend/src frontend/public -type f 2>/dev/null) \
	$(wildcard frontend/index.html frontend/vite.config.js)

.PHONY: help run dev test test-backend test-frontend test-e2e lint format clean install reset screenshots bench test-scale check-deploy fuzz

help:
	@echo "make run     serve the app on http://127.0.0.1:$(PORT)"
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
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --disable-pip-version-check -r backend/requirements.txt
	@touch $@

$(VENV)/.dev: $(VENV)/.runtime backend/requirements-dev.txt
	$(BIN)/python -m pip install -q --disable-pip-version-check -r backend/requirements-dev.txt
	@touch $@

frontend/node_modules/.installed: frontend/package.json frontend/package-lock.json
	cd frontend && npm ci --no-audit --no-fund
	@touch $@

frontend/dist/index.html: frontend/node_modules/.installed $(FRONTEND_SRC)
	cd frontend && npm run build

install: $(VENV)/.dev frontend/node_modules/.installed

# --- the two commands -------------------------------------------------------------------------

run: $(VENV)/.runtime frontend/dist/index.html
	cd backend && $(FLASK) db upgrade
	cd backend && DEMO_MODE=$${DEMO_MODE:-1} $(FLASK) seed-demo
	cd backend && DEMO_MODE=$${DEMO_MODE:-1} exec $(BIN)/gunicorn -c gunicorn.conf.py \
		--bind 127.0.0.1:$(PORT) "app:create_app()"

test: test-backend test-frontend test-e2e

test-backend: $(VENV)/.dev
	cd backend && $(BIN)/python -m pytest

test-frontend: frontend/node_modules/.installed
	cd frontend && npm test

test-e2e: $(VENV)/.dev frontend/dist/index.html
	cd e2e && $(BIN)/python -m pytest

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
