# Beckon: `make run` serves the app, `make test` runs every test. Both set up what they need.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
TOOLS := $(CURDIR)/.tools/node_modules/.bin
export PATH := $(TOOLS):$(CURDIR)/$(VENV)/bin:$(PATH)
# Reflex's own bun installer downloads from the internet; use the one from the npm registry.
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_TELEMETRY_ENABLED := false
BUN_VERSION := 1.4.5
# Lighthouse 12 still runs on Node 20 (13 needs Node 22); axe-core for the a11y test.
LIGHTHOUSE_VERSION := 12.8.2
AXE_VERSION := 4.11.0
PYTHON ?= python3
# Ports of `make run` (the frontend serves pages, the backend the event socket and the API).
FRONTEND_PORT ?= 3000
BACKEND_PORT ?= 8000
export BASE_URL ?= http://localhost:$(FRONTEND_PORT)
# Without a registry given, Reflex times the npm registry against a mirror in China on
# every fresh setup (three failed requests where only the package registries answer):
# use the registry npm itself is configured with.
ifndef NPM_CONFIG_REGISTRY
export NPM_CONFIG_REGISTRY := $(or $(shell npm config get registry 2>/dev/null),https://registry.npmjs.org/)
endif

.PHONY: setup run test test-fast worker lint e2e-redis bench-send bench-scale bench-participants bench-import bench-meetings bench-reviews bench-load chromium spamassassin clean lighthouse

$(VENV)/.installed: pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -e '.[dev]'
	@touch $@

$(TOOLS)/bun:
	@if command -v bun >/dev/null 2>&1 && [ "$$(command -v bun)" != "$(TOOLS)/bun" ]; then \
		mkdir -p $(TOOLS) && ln -sf "$$(command -v bun)" $(TOOLS)/bun; \
	else \
		npm install --silent --no-audit --no-fund --prefix .tools bun@$(BUN_VERSION); \
	fi

$(TOOLS)/lighthouse:
	npm install --silent --no-audit --no-fund --prefix .tools lighthouse@$(LIGHTHOUSE_VERSION)

.tools/node_modules/axe-core/axe.min.js:
	npm install --silent --no-audit --no-fund --prefix .tools axe-core@$(AXE_VERSION)

setup: $(VENV)/.installed $(TOOLS)/bun

chromium:
	@bash scripts/ensure_chromium.sh

spamassassin:
	@bash scripts/ensure_spamassassin.sh

# Migrate, seed the demo on an empty database, print the logins, serve in development mode.
run: setup
	$(PY) -m rxapp.seed
	reflex run --frontend-port $(FRONTEND_PORT) --backend-port $(BACKEND_PORT)

worker: setup
	$(PY) -m rxapp.scheduler

test: setup chromium spamassassin .tools/node_modules/axe-core/axe.min.js
	$(PY) -m pytest tests/unit tests/integration -q -p no:cacheprovider --timeout 240
	$(PY) -m pytest tests/e2e -q -p no:cacheprovider
	$(MAKE) e2e-redis

# The e2e flows once as Beckon runs at scale: Redis, PostgreSQL, three workers (14.8).
e2e-redis: setup chromium
	E2E_SCALE=redis $(PY) -m pytest tests/e2e/test_scale_redis.py tests/e2e/test_participants.py -q -p no:cacheprovider

test-fast: setup
	$(PY) -m pytest tests/unit tests/integration -q

lint: setup
	$(VENV)/bin/ruff check rxapp tests scripts benchmarks
	$(VENV)/bin/lint-imports

# Mobile Lighthouse on the invitee pages of a production build (median of 3 runs each).
lighthouse: setup chromium $(TOOLS)/lighthouse
	$(PY) scripts/lighthouse.py

bench-send: setup
	$(PY) -m benchmarks.bench_send

bench-scale: setup
	$(PY) -m benchmarks.bench_scale

bench-participants: setup
	$(PY) -m benchmarks.bench_participants

bench-import: setup
	$(PY) -m benchmarks.bench_import

bench-reviews: setup
	$(PY) -m benchmarks.bench_reviews

bench-meetings: setup
	$(PY) -m benchmarks.bench_meetings

# Invitees answering at once over the event socket: 500 on one worker, 1,500 on three + Redis.
bench-load: setup
	$(PY) -m benchmarks.bench_load

clean:
	rm -rf .web .states .beckon
