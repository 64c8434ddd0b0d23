# The README's first two commands: `make run` and `make test` do all the set-up.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
# The database-sensitive tests run a second time against this PostgreSQL.
PG_TEST_URL ?= postgres://postgres@127.0.0.1:5432/test
# `make run` starts before the 2023 week so that the whole flow can be walked.
DEMO_CLOCK ?= 2023-11-01T10:00+03:00
# Everything here is development: the settings' own default is DEBUG off, and
# with it they refuse to start without a real SECRET_KEY and ALLOWED_HOSTS.
export DEBUG ?= 1

.PHONY: help run test install system-deps messages site-messages lint check-migrations \
	check-deploy check-content bench lock clean
# `make` alone lists the targets; `make run` and `make test` stay the two to know.
.DEFAULT_GOAL := help

help: ## list the targets with what each does
	@awk 'BEGIN {FS = ":[^#]*## "} /^[a-z-]+:.*## / {printf "  %-16s %s\n", $$1, $$2}' \
		$(MAKEFILE_LIST)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# The exact versions, each checked against its hashes, come from the lock files
# (`make lock` writes them from pyproject.toml); the project itself adds no
# dependency of its own (--no-deps).
$(VENV)/.installed: pyproject.toml requirements-dev.lock | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.lock
	$(BIN)/pip install --quiet --no-deps .
	touch $@

install: $(VENV)/.installed ## the virtualenv with the site's and the tests' locked dependencies

# What serving the site needs, and nothing the tests need: no dev tools, no
# Debian packages, no root.
$(VENV)/.installed-site: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps .
	touch $@

# The Russian catalogue compiled in Python (polib), so that `make run` needs no
# gettext from Debian; `make test` compiles with gettext's msgfmt as production does.
site-messages: $(VENV)/.installed-site
	$(BIN)/python -c "import polib; polib.pofile('locale/ru/LC_MESSAGES/django.po').save_as_mofile('locale/ru/LC_MESSAGES/django.mo')"

# gettext compiles the message catalogues; Chromium runs the browser tests; wrk
# drives the benchmark; nginx (deploy/nginx.conf) and redis-server stand in the
# cluster test, pgbouncer in the compose and sizing tests; systemd-analyze checks
# the units in deploy/systemd/. All from Debian's packages; policy-rc.d keeps
# their services from starting. nginx and pgbouncer live in /usr/sbin, off a
# user's PATH.
system-deps: ## Debian's packages the tests drive (root): gettext, chromium, nginx, pgbouncer, zbar…
	@if ! command -v msgfmt >/dev/null || ! command -v chromium >/dev/null \
		|| ! command -v wrk >/dev/null \
		|| ! PATH="$$PATH:/usr/sbin" command -v nginx >/dev/null \
		|| ! PATH="$$PATH:/usr/sbin" command -v pgbouncer >/dev/null \
		|| ! command -v redis-server >/dev/null \
		|| ! command -v systemd-analyze >/dev/null \
		|| ! command -v zbarimg >/dev/null; then \
		printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d; \
		chmod +x /usr/sbin/policy-rc.d; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
		apt-get install -y -qq --no-install-recommends gettext chromium wrk \
		nginx redis-server pgbouncer systemd zbar-tools >/dev/null; \
		rm -f /usr/sbin/policy-rc.d; \
	fi

messages: install system-deps
	cd $(CURDIR) && $(BIN)/python manage.py compilemessages --ignore=.venv -v0

# `make run` serves the site as a visitor meets it: DEBUG off, so a mistyped
# address gets the site's own 404 page in Russian, not Django's yellow technical
# one. Plain HTTP on loopback, a secret key of this checkout's own (made once in
# .secret_key, so sessions last a restart), letters printed to the console.
# `make run RUN_DEBUG=1` gives the technical pages back to a developer.
RUN_DEBUG ?= 0
# `make run RUN_PORT=8001` where something else holds 8000.
RUN_PORT ?= 8000
SECRET_KEY_FILE := .secret_key
RUN_ENV = DEBUG=$(RUN_DEBUG) QUALITYWEEK_SECURE=0 QUALITYWEEK_ADMIN_2FA=0 \
	ALLOWED_HOSTS=127.0.0.1,localhost SECRET_KEY=$$(cat $(SECRET_KEY_FILE)) \
	QUALITYWEEK_CLOCK=$(DEMO_CLOCK) QUALITYWEEK_SITE_URL=http://127.0.0.1:$(RUN_PORT)

$(SECRET_KEY_FILE): | $(BIN)/python
	$(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The task worker (e-mail) and the scheduler (periodic jobs) run beside the
# server on the same SQLite database and stop with it. A worker that dies is
# started again a second later, as systemd and compose do in production.
run: site-messages $(SECRET_KEY_FILE) ## serve http://127.0.0.1:8000 (RUN_PORT) with the 2023 data, a worker and the scheduler
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_shipped_data
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput -v0
	$(RUN_ENV) $(BIN)/python manage.py restart_clock
	( trap 'kill $$task_worker 2>/dev/null; exit' INT TERM; \
	  while :; do \
	    $(RUN_ENV) $(BIN)/python manage.py run_worker --no-reload & \
	    task_worker=$$!; wait $$task_worker; \
	    echo "The task worker stopped; starting it again." >&2; sleep 1; \
	  done ) & \
	worker=$$!; \
	$(RUN_ENV) $(BIN)/python manage.py run_scheduler & \
	scheduler=$$!; trap 'kill $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/python manage.py runserver 127.0.0.1:$(RUN_PORT)

lint: install ## ruff, ruff format, djlint and the layers' import contract
	$(BIN)/lint-imports --no-cache
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djlint templates --lint --profile=django

check-migrations: install ## fail on a model change without its migration
	$(BIN)/python manage.py makemigrations --check --dry-run

# `check --deploy` as production runs it: DEBUG off, a fresh random key, a mail
# server, a shared cache, PostgreSQL; any warning fails. Nothing is connected to.
check-deploy: install ## check --deploy with production values, no warning allowed
	DEBUG=0 QUALITYWEEK_SECURE=1 ALLOWED_HOSTS=qualityweek.example.ru \
	SECRET_KEY=$$($(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))") \
	EMAIL_URL=smtp+tls://qualityweek:password@smtp.example.ru:587 \
	CACHE_URL=rediscache://127.0.0.1:6379/1 \
	DATABASE_URL=postgres://qualityweek@127.0.0.1/qualityweek \
	QUALITYWEEK_SITE_URL=https://qualityweek.example.ru \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# Before the site goes live, against its own database (DATABASE_URL): no published
# demo event of the current edition and no shipped placeholder may remain.
check-content: install ## no demo event or shipped placeholder left in DATABASE_URL's database
	$(BIN)/python manage.py check --deploy --database default --tag database

test: messages lint check-migrations check-deploy ## everything: lint, checks, SQLite and PostgreSQL suites, browser tests
	$(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/pytest --cov --cov-report=term
	DATABASE_URL=$(PG_TEST_URL) QUALITYWEEK_DB_POOL=60 $(BIN)/pytest -m "postgres or postgres_only"

bench: messages ## the cache benchmark under gunicorn and wrk (bench/README.md)
	$(BIN)/python bench/run.py --scenario cache-matrix --duration 5
	$(BIN)/python bench/run.py --scenario nginx-cache --duration 5 --output bench/results/nginx.md

# Writes requirements.lock (the site) and requirements-dev.lock (the site and the
# tests) from pyproject.toml: every package, transitive ones too, at one version
# with the hashes of all its files on PyPI. Run after changing a pin; uv runs
# from a throwaway virtualenv, not the project's.
UV_VERSION := 0.13.10
lock: ## rewrite the lock files from pyproject.toml's pins
	$(PYTHON) -m venv build/lock-tools
	build/lock-tools/bin/pip install --quiet uv==$(UV_VERSION)
	build/lock-tools/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
		--universal --python-version 3.11 --custom-compile-command "make lock" \
		-o requirements.lock
	build/lock-tools/bin/uv pip compile pyproject.toml --quiet --generate-hashes \
		--universal --python-version 3.11 --custom-compile-command "make lock" \
		--extra dev -o requirements-dev.lock

clean: ## remove the virtualenv, collected static files and build leftovers
	rm -rf $(VENV) staticfiles build *.egg-info
