# Pagila API: `make run` serves it, `make test` tests it; both set up what they need first.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# The Pagila dump beside the checkout when present; otherwise the pinned release is downloaded.
PAGILA_SQL_DIR ?= $(if $(wildcard ../shared/pagila/pagila-data.sql),$(abspath ../shared/pagila),)
export PAGILA_SQL_DIR PORT
# Worker processes for `make serve`: one per core (the ASGI event loop does the concurrency).
WEB_CONCURRENCY ?= $(shell nproc 2>/dev/null || echo 2)
# The ASGI worker class (bench/serving.py compares the candidates; see README "Performance").
WORKER_CLASS ?= pagila_site.serving.workers.AsyncioUvicornWorker
# The ASGI application gunicorn serves (bench/overrides.py swaps in variants to measure).
ASGI_APP ?= pagila_site.config.asgi:application
# The config module loads the settings in gunicorn's master, so bad ones stop it before it forks.
GUNICORN_FLAGS ?= --config python:pagila_site.serving.gunicorn_conf \
	--workers $(WEB_CONCURRENCY) --worker-class $(WORKER_CLASS) \
	--bind 127.0.0.1:$(PORT) --keep-alive 5 --graceful-timeout 10

.PHONY: help install install-dev run serve test test-coverage lint format type-check quality docker-lint \
	migrate db-setup db-reset db-stop superuser docker-up docker-down docker-logs clean browser-deps

help: ## list the targets
	@grep -hE '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  %-14s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $@

install: $(VENV)/.installed ## create .venv and install the runtime packages

install-dev: $(VENV)/.installed-dev ## install the runtime, test and tool packages

browser-deps: ## Debian's Chromium for the browser tests (apt-get, as root, when it is missing)
	@if [ ! -x /usr/bin/chromium ] && ! command -v chromium >/dev/null; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; \
	  else echo "warning: no chromium; install Debian's chromium package for the browser tests" >&2; fi; \
	fi

db-setup: install ## start the database if embedded, load Pagila, migrate
	$(PY) manage.py pagila_load
	$(PY) manage.py migrate --no-input

migrate: install ## apply Django migrations
	$(PY) manage.py migrate --no-input

db-reset: install ## drop everything and reload Pagila, then migrate
	$(PY) manage.py pagila_load --force
	$(PY) manage.py migrate --no-input

db-stop: install ## stop the embedded PostgreSQL
	$(PY) -c "from pathlib import Path; from pagila_site.pagila.embedded import stop; stop(Path('.pgdata'))"

run: db-setup ## install, set up the database and serve on 127.0.0.1:$PORT (development)
	$(PY) manage.py serve --port $(PORT)

serve: db-setup ## production-style: gunicorn with uvicorn ASGI workers, whitenoise static files
	$(PY) manage.py collectstatic --no-input --verbosity 0
	DEBUG=$${DEBUG:-false} $(VENV)/bin/gunicorn $(ASGI_APP) $(GUNICORN_FLAGS)

# The peer `make bench` compares with (the seed plan's stack, read-only beside the checkout) and
# the venv of its own it runs in, also beside the checkout (bench/peer.py reads both).
PEER_DIR ?= $(abspath ../shared/peers)
PEER_VENV ?= $(abspath ../peer-venv)
export PEER_DIR PEER_VENV

.PHONY: bench bench-targets bench-films bench-rentals bench-ai bench-serving bench-overrides bench-instructions peer-venv
bench: db-setup peer-venv ## Pagila API beside the peer (FastAPI+asyncpg+SK), in turns: ratio table (needs wrk)
	$(PY) -m bench.versus $(BENCH_VERSUS_ARGS)

peer-venv: $(PEER_VENV)/.installed ## the peer's own venv beside the checkout (../peer-venv; PyPI)

$(PEER_VENV)/.installed: $(PEER_DIR)/requirements.txt
	@test -x $(PEER_VENV)/bin/python || $(PYTHON) -m venv $(PEER_VENV)
	$(PEER_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PEER_VENV)/bin/python -m pip install --quiet -r $(PEER_DIR)/requirements.txt
	@touch $@

$(PEER_DIR)/requirements.txt:
	@echo "error: no peer in $(PEER_DIR) (seed_stack.py, requirements.txt); set PEER_DIR" >&2; exit 1

bench-targets: bench-films bench-rentals bench-ai ## the issue-7 target benchmarks (needs wrk); reports in bench/out/

bench-films: db-setup ## wrk on GET /api/v1/films via `make serve`, beside pgbench on its SQL
	$(PY) -m bench.films $(BENCH_ARGS)

bench-rentals: db-setup ## rental create+return cycles against `make serve`
	$(PY) -m bench.rentals $(BENCH_RENTALS_ARGS)

bench-ai: db-setup ## 1,000 SSE streams and summaries against `make serve` and the fake model
	$(PY) -m bench.ai_streams $(BENCH_AI_ARGS)
	$(PY) -m bench.ai_summary $(BENCH_SUMMARY_ARGS)

bench-overrides: db-setup ## each override of Django in the serving stack, with and without it
	$(PY) -m bench.overrides $(BENCH_OVERRIDES_ARGS)

bench-serving: db-setup ## gunicorn worker classes and counts compared on the cached film list
	$(PY) -m bench.serving $(BENCH_SERVING_ARGS)

bench-instructions: db-setup ## instructions per request (callgrind): steady on a busy machine (needs valgrind)
	$(PY) -m bench.instructions $(BENCH_INSTRUCTIONS_ARGS)

# pytest-xdist workers for `make test` (one per core; each has its own test database and live
# server); a test file runs whole on one worker, so its module fixtures start once. 0: none.
TEST_WORKERS ?= $(shell nproc 2>/dev/null || echo 2)
PYTEST_XDIST := -n $(TEST_WORKERS) --dist loadfile

test: install-dev browser-deps ## run the whole test suite on real PostgreSQL with real Pagila data
	$(PY) -m pytest $(PYTEST_XDIST) $(PYTEST_ARGS)

test-coverage: install-dev browser-deps ## the suite with line coverage; fails below 90%
	$(PY) -m pytest $(PYTEST_XDIST) --cov --cov-report=term-missing:skip-covered --cov-fail-under=90 \
	  $(PYTEST_ARGS)

.PHONY: fuzz soak
fuzz: install-dev ## Schemathesis at length: FUZZ_MAX_EXAMPLES (500) per operation, a new seed
	FUZZ_MAX_EXAMPLES=$${FUZZ_MAX_EXAMPLES:-500} FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} \
	  $(PY) -m pytest tests/reliability/test_fuzz.py -q -s $(PYTEST_ARGS)

soak: db-setup install-dev ## 60 s mixed load on `make serve` and the fake model (bench/soak.py)
	$(PY) -m bench.soak $(SOAK_ARGS)

lint: install-dev ## ruff lint and format check
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install-dev ## apply ruff's fixes and formatting
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

type-check: install-dev ## mypy with django-stubs
	$(VENV)/bin/mypy .

docker-lint: install-dev ## hadolint on the Dockerfile; docker-compose.yml against the Compose spec
	$(VENV)/bin/hadolint Dockerfile
	$(VENV)/bin/check-jsonschema --builtin-schema vendor.compose-spec docker-compose.yml

quality: lint type-check docker-lint ## every static check CI runs

superuser: db-setup ## create a staff superuser (DJANGO_SUPERUSER_* variables for scripts)
	$(PY) manage.py createsuperuser $(if $(DJANGO_SUPERUSER_PASSWORD),--no-input)

docker-up: ## build and start the compose stack (Docker Compose v2)
	docker compose up --build -d

docker-down: ## stop the compose stack
	docker compose down

docker-logs: ## follow the compose stack's logs
	docker compose logs -f

clean: ## remove caches and collected static files (keeps .venv and the database)
	rm -rf staticfiles .cache .pytest_cache .mypy_cache .ruff_cache htmlcov .coverage
	find . -name __pycache__ -type d -prune -not -path './.venv/*' -exec rm -rf {} +
