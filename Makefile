# The two set-up commands: `make run` (the service on the embedded default) and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
CODE := domain projections services tests bench deploy/police deploy/verify

.PHONY: install run test lint bench clean

$(STAMP): pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "liandong needs Python 3.11 or newer")'
	bash deploy/local/packages.sh ensure
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/liandong serve

lint: $(STAMP)
	$(BIN)/ruff check $(CODE)
	$(BIN)/ruff format --check $(CODE)
	$(BIN)/mypy

# The local Kafka broker runs for the tests that need it and is stopped after, pass or fail.
# The tests run on TEST_WORKERS parallel workers: most of a test's time is spent waiting on
# PostgreSQL, Kafka or a child process, so three keep two cores busy (more only contend).
# Each worker has its own database; the tests on the broker share one worker (tests/conftest.py).
TEST_WORKERS ?= 3

test: $(STAMP)
	bash deploy/local/postgres.sh ensure
	$(MAKE) --no-print-directory lint
	$(BIN)/python -m services.contracts check
	bash deploy/local/kafka.sh start
	$(BIN)/pytest -n $(TEST_WORKERS) --dist loadgroup; status=$$?; \
		bash deploy/local/kafka.sh stop; exit $$status

# The event-backbone benchmarks need the local Kafka broker; it is stopped after, pass or fail.
bench: $(STAMP)
	bash deploy/local/postgres.sh ensure
	$(BIN)/python -m bench.commands
	$(BIN)/python -m bench.http
	$(BIN)/python -m bench.inbox
	$(BIN)/python -m bench.meetings
	$(BIN)/python -m bench.crime_transfers
	$(BIN)/python -m bench.case_list
	$(BIN)/python -m bench.audit
	$(BIN)/python -m bench.watch
	$(BIN)/python -m bench.assessment
	$(BIN)/python -m bench.console
	bash deploy/local/kafka.sh start
	$(BIN)/python -m bench.relay && $(BIN)/python -m bench.projector \
		&& $(BIN)/python -m bench.crime_transfer_gateway \
		&& $(BIN)/python -m bench.end_to_end && $(BIN)/python -m bench.rebuild; \
		status=$$?; bash deploy/local/kafka.sh stop; exit $$status

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache
