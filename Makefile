# The two commands a new user needs: `make demo` and `make test`.
.PHONY: demo test install lint bench clean

install:
	bash scripts/bootstrap.sh

demo: install
	.venv/bin/tandem demo

test:
	bash scripts/test.sh

lint: install
	.venv/bin/ruff check .
	.venv/bin/lint-imports

clean:
	rm -rf .venv instance .cache .pytest_cache
