# JWT Classroom: the only entry points you need.
#   make run    serve the app on http://127.0.0.1:$(PORT) (SQLite, one process)
#   make test   every suite: backend (pytest), frontend (vitest), end to end (Playwright)
#   make dev    Flask debug server + Vite dev server (hot reload), /api through Vite's proxy
#   make lint   ruff, mypy, eslint, prettier (the same as the pre-commit hooks)
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

.PHONY: help run room teacher-password dev test test-backend test-frontend test-e2e lint format clean install grade grade-class test-grader reset screenshots bench test-scale check-deploy fuzz

help:
	@echo "make run     serve the app on http://127.0.0.1:$(PORT)"
	@echo "make room    the same for a whole classroom (HOST=0.0.0.0), with the address to share"
	@echo "make teacher-password  the room's teacher password again (kept until make reset)"
	@echo "make test    run every test suite"
	@echo "make grade API=.. APP=.. USERNAME=.. PASSWORD=..  grade a student's own implementation"
	@echo "make grade-class CLASS=students.csv  grade a whole class into grades/index.html"
	@echo "make dev     Flask + Vite dev servers with hot reload"
	@echo "make lint    ruff, mypy, eslint, prettier"
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
# For HOST=0.0.0.0, serve.py ends its start-up lines with ROOM_NOTE: the address to share.
run: $(VENV)/.runtime frontend/dist/index.html
	@$(BIN)/python tools/ports.py $(HOST) $(PORT) >/dev/null
	cd backend && $(FLASK) db upgrade
	cd backend && DEMO_MODE=$${DEMO_MODE:-1} $(FLASK) seed-demo
	cd backend && ROOM_NOTE="$$($(BIN)/python ../tools/ports.py $(HOST) $(PORT))" \
		DEMO_MODE=$${DEMO_MODE:-1} exec $(BIN)/python serve.py --bind $(HOST):$(PORT)

# One server for a classroom: every interface, and the address to share is printed. The demo
# teacher gets a password of its own, not on the login page (students on the network could
# otherwise end each other's sessions). It is made once and kept in backend/instance/
# teacher-password (mode 0600) until `make reset`: `make teacher-password` prints it again,
# `make room NEW_TEACHER_PASSWORD=1` makes a new one (which ends the old one's sessions), and
# DEMO_TEACHER_PASSWORD=... chooses it. The start-up lines end by saying where it is.
room: $(VENV)/.runtime
	@password="$$(cd backend && $(FLASK) teacher-password $(if $(NEW_TEACHER_PASSWORD),--new))" \
		&& DEMO_TEACHER_PASSWORD="$$password" \
		ROOM_TEACHER_NOTE="Teacher: log in as teacher with the password kept in backend/instance/teacher-password (make teacher-password prints it)" \
		$(MAKE) --no-print-directory run HOST=0.0.0.0

# The room's teacher password again (made by the first `make room`, kept until `make reset`).
teacher-password: $(VENV)/.runtime
	@cd backend && $(FLASK) teacher-password

# Every suite, then why any tests were skipped (a missing PostgreSQL, Redis...), one line each:
# a skip passes, so it would otherwise scroll away. tools/skip_report.py writes the lines.
# Not under test-results/: pytest-playwright empties that folder when a browser suite starts.
SKIPPED := $(CURDIR)/.test-skips.txt
test:
	@rm -f $(SKIPPED)
	@SKIP_REPORT=$(SKIPPED) $(MAKE) --no-print-directory test-backend test-frontend test-e2e test-grader; \
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

# The grader against the lesson's code, JWT Classroom and a student's app with flaws.
test-grader: $(VENV)/.dev frontend/dist/index.html
	@$(BIN)/python -m tools.browser
	$(PYTEST) grader/tests

# --- grading a student's implementation (grader/) ----------------------------------------------

# make grade API=http://localhost:3001/api APP=http://localhost:3000 USERNAME=student PASSWORD=...
# Optional: TOKEN_PATH, PROTECTED_PATH (relative to API), LOGIN_PATH, PRIVATE_PATH (to APP),
# USERNAME_FIELD, PASSWORD_FIELD (the login body's names, e.g. email), LOGOUT_NAME (a regex),
# DEADLINE (seconds for the whole grade), GRADE_ARGS (more options, split at spaces: e.g.
# --json report.json --junit report.xml, or --no-browser).
# Every value reaches the grader as it was typed ($, quotes, spaces, a leading -): make hands each
# over in the environment as GRADE_<NAME>, its raw text (`value`: nothing in it is expanded), and
# the recipe passes "--option=$GRADE_<NAME>", never pasting a value into the shell line.
GRADE_VALUES := API APP USERNAME PASSWORD TOKEN_PATH PROTECTED_PATH LOGIN_PATH PRIVATE_PATH \
	USERNAME_FIELD PASSWORD_FIELD LOGOUT_NAME DEADLINE GRADE_ARGS CLASS OUT JOBS
# Exported as they are too (the `export` above), make would expand them: keep only GRADE_<NAME>.
unexport $(GRADE_VALUES)
$(foreach name,$(GRADE_VALUES),$(eval grade grade-class: export GRADE_$(name) = $$(value $(name))))

grade: $(VENV)/.dev
	@[ -n "$$GRADE_API" ] && [ -n "$$GRADE_USERNAME" ] && [ -n "$$GRADE_PASSWORD" ] || { echo "usage: make grade API=<url> APP=<url> USERNAME=<u> PASSWORD=<p> (see README, Grade your own implementation)"; exit 2; }
	@[ -z "$$GRADE_APP" ] || $(BIN)/python -m tools.browser
	@set -f; exec $(BIN)/python -m grader --api="$$GRADE_API" \
		--username="$$GRADE_USERNAME" --password="$$GRADE_PASSWORD" \
		$${GRADE_APP:+"--app=$$GRADE_APP"} \
		$${GRADE_TOKEN_PATH:+"--token-path=$$GRADE_TOKEN_PATH"} \
		$${GRADE_PROTECTED_PATH:+"--protected-path=$$GRADE_PROTECTED_PATH"} \
		$${GRADE_LOGIN_PATH:+"--login-path=$$GRADE_LOGIN_PATH"} \
		$${GRADE_PRIVATE_PATH:+"--private-path=$$GRADE_PRIVATE_PATH"} \
		$${GRADE_USERNAME_FIELD:+"--username-field=$$GRADE_USERNAME_FIELD"} \
		$${GRADE_PASSWORD_FIELD:+"--password-field=$$GRADE_PASSWORD_FIELD"} \
		$${GRADE_LOGOUT_NAME:+"--logout-name=$$GRADE_LOGOUT_NAME"} \
		$${GRADE_DEADLINE:+"--deadline=$$GRADE_DEADLINE"} \
		$$GRADE_GRADE_ARGS

# make grade-class CLASS=students.csv [OUT=grades] [JOBS=2] [DEADLINE=120]: grades/index.html and
# summary.md. The CSV's columns are the options above in lower case (README, class mode).
grade-class: $(VENV)/.dev
	@[ -n "$$GRADE_CLASS" ] || { echo "usage: make grade-class CLASS=students.csv (name,api,app,username,password a row)"; exit 2; }
	@exec $(BIN)/python -m grader.classroom --out="$${GRADE_OUT:-grades}" \
		--jobs="$${GRADE_JOBS:-2}" $${GRADE_DEADLINE:+"--deadline=$$GRADE_DEADLINE"} \
		-- "$$GRADE_CLASS"

# --- development ------------------------------------------------------------------------------

# Open the SPA on Vite's port: Vite passes /api on to Flask (API_PROXY, frontend/vite.config.js),
# so the browser sees one origin and needs no CORS, also in Codespaces, where each forwarded
# port is a site of its own and the SameSite=Strict refresh cookie would not cross between them.
dev: $(VENV)/.runtime frontend/node_modules/.installed
	@$(BIN)/python tools/ports.py 127.0.0.1 $(API_PORT) "make dev API_PORT=$$(($(API_PORT) + 1))"
	cd backend && $(FLASK) db upgrade
	cd backend && DEMO_MODE=1 $(FLASK) seed-demo
	@echo "Open the SPA on http://127.0.0.1:5173 (it passes /api to Flask on :$(API_PORT)); Ctrl-C stops both"
	trap 'kill 0' EXIT; \
	(cd backend && DEMO_MODE=1 $(FLASK) run --debug --port $(API_PORT)) & \
	(cd frontend && VITE_API_URL= API_PROXY=http://127.0.0.1:$(API_PORT) npm run dev -- --host 127.0.0.1) & \
	wait

# mypy reads mypy.ini (backend/app, grader and tools); .pre-commit-config.yaml runs the same tools.
lint: $(VENV)/.dev frontend/node_modules/.installed
	$(BIN)/ruff check backend e2e deploy bench tools grader
	$(BIN)/ruff format --check backend e2e deploy bench tools grader
	$(BIN)/mypy
	cd frontend && npm run lint

format: $(VENV)/.dev frontend/node_modules/.installed
	$(BIN)/ruff check --fix backend e2e deploy bench tools grader
	$(BIN)/ruff format backend e2e deploy bench tools grader
	cd frontend && npm run format

# schemathesis against the running app: every operation, 200 generated cases each (~2 min).
fuzz: $(VENV)/.dev
	bash backend/fuzz.sh

# --- production stack and performance (see deploy/README.md) ----------------------------------

# Two API servers (serve.py) behind Debian's nginx, sharing the local PostgreSQL and Redis.
test-scale: $(VENV)/.dev frontend/dist/index.html
	cd deploy && $(BIN)/python -m pytest

# docker-compose.yml checked by a real compose implementation; Dockerfiles by hadolint.
check-deploy: $(VENV)/.dev
	deploy/check.sh

# Speed goals live here, never as timing asserts in tests. BENCH_ARGS=--suites also times make test.
bench: $(VENV)/.dev frontend/dist/index.html
	$(BIN)/python -m bench $(BENCH_ARGS)

# Back to a fresh database with only the demo accounts; prints what it did.
reset: $(VENV)/.runtime
	cd backend && $(FLASK) reset-demo

# README screenshots, taken by the e2e suite from the real app, so they never go stale.
screenshots: $(VENV)/.dev frontend/dist/index.html
	cd e2e && $(BIN)/python -m pytest -m screenshots
	$(BIN)/python -m pytest grader/tests -m screenshots

clean:
	rm -rf $(VENV) frontend/node_modules frontend/dist backend/instance e2e/artifacts
