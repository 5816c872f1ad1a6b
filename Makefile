# The two commands of the README. Both set everything up in .venv/ first.
.PHONY: app test lint bench

app:
	@scripts/setup.sh
	.venv/bin/streamlit run streamlit_app.py --server.address $${COACH_ADDRESS:-127.0.0.1}

test:
	@scripts/setup.sh --test
	.venv/bin/python -m pytest

lint:
	.venv/bin/ruff check coach tests benchmarks streamlit_app.py app_pages

bench:
	@for script in benchmarks/bench_*.py; do .venv/bin/python -m benchmarks.$$(basename $$script .py) || exit 1; done
