VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed

.PHONY: demo test lint format bench clean

$(STAMP): pyproject.toml
	python3 -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/cleaner clean samples -o out/samples.jsonl --force
	@echo "output: out/samples.jsonl"

test: $(STAMP)
	$(VENV)/bin/ruff check cleaner tests benchmarks
	$(VENV)/bin/ruff format --check cleaner tests benchmarks
	$(PY) -m pytest

format: $(STAMP)
	$(VENV)/bin/ruff check --fix cleaner tests benchmarks
	$(VENV)/bin/ruff format cleaner tests benchmarks

clean:
	rm -rf $(VENV) out build *.egg-info
