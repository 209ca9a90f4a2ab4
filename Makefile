# The two commands: `make run` and `make test`. Everything they need is
# installed here, into .venv, from the project's own files.

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
SERVICES := gateway telephony-svc messaging-svc chat-svc action-svc sapphone-svc notifier-svc
PACKAGES := shared $(SERVICES)
STAMP := $(VENV)/.installed

FUZZ_STAMP := $(VENV)/.fuzz-installed
# `make fuzz` runs every harness for FUZZ_SECONDS in all (split among them).
FUZZ_SECONDS ?= 600

.PHONY: run test check lint typecheck bench fuzz clean spec-fixtures compose-test

$(STAMP): $(foreach p,$(PACKAGES),$(p)/pyproject.toml) requirements-dev.txt
	@command -v $(PYTHON) >/dev/null || { echo "make: $(PYTHON) not found (set PYTHON=...)"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --upgrade pip
	$(BIN)/python -m pip install --quiet --disable-pip-version-check \
		-e 'shared[embedded,postgres]' $(foreach s,$(SERVICES),-e $(s)) -r requirements-dev.txt
	touch $@

run: $(STAMP)
	exec $(BIN)/python -m oii_shared.embedded

test: $(STAMP)
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy shared/oii_shared fuzz $(dir $(wildcard $(foreach s,$(SERVICES),$(s)/oii_*/__init__.py)))

check: lint typecheck test

# docker-compose.yml on a real Docker engine, not part of `make test`: as root it
# installs Docker from Debian and starts dockerd if need be (tools/compose-test).
compose-test: $(STAMP)
	tools/compose-test $(PYTEST_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench $(BENCH_ARGS)

$(FUZZ_STAMP): $(STAMP) requirements-fuzz.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-fuzz.txt
	touch $@

fuzz: $(FUZZ_STAMP)
	$(BIN)/python -m fuzz --seconds $(FUZZ_SECONDS) $(FUZZ_ARGS)

spec-fixtures:
	$(PYTHON) tools/extract_spec_requests.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache
