VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pip's own output goes to a log, shown only when a step fails: one line a step on screen
LOGGED  = >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

.PHONY: demo test test-lowest test-compat lint format bench clean

$(STAMP): pyproject.toml
	@echo "cleaner: creating $(VENV)"
	@python3 -m venv $(VENV)
	@echo "cleaner: installing cleaner and its test tools into $(VENV)"
	@$(PY) -m pip install --disable-pip-version-check -e '.[dev,spark]' $(LOGGED)
	@touch $(STAMP)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/cleaner clean samples -o out/samples.jsonl --force
	@echo "output: out/samples.jsonl"

test: $(STAMP)
	$(VENV)/bin/ruff check cleaner tests benchmarks
	$(VENV)/bin/ruff format --check cleaner tests benchmarks
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# the suite again with the lowest version of every declared dependency (uv's lowest-direct)
test-lowest: $(STAMP)
	@echo "cleaner: installing the lowest declared versions into $(VENV)-lowest"
	@$(PY) -m pip install --disable-pip-version-check uv $(LOGGED)
	@$(VENV)/bin/uv venv -q --allow-existing -p $(PY) $(VENV)-lowest $(LOGGED)
	@$(VENV)/bin/uv pip install -q --python $(VENV)-lowest/bin/python \
		--resolution lowest-direct -e '.[dev,spark]' $(LOGGED)
	$(VENV)-lowest/bin/lint-imports
	$(VENV)-lowest/bin/python -m pytest -p no:cacheprovider

# a user's crawler environment: cleaner installed from a wheel beside readability-lxml and
# trafilatura (readability pins cssselect below 1.4), cleaning every sample to its golden files
test-compat: $(STAMP)
	@echo "cleaner: installing cleaner, readability-lxml and trafilatura into $(VENV)-compat"
	@$(PY) -m pip install --disable-pip-version-check uv $(LOGGED)
	@$(VENV)/bin/uv venv -q --allow-existing -p $(PY) $(VENV)-compat $(LOGGED)
	@$(VENV)/bin/uv pip install -q --reinstall-package cleaner --python $(VENV)-compat/bin/python \
		. readability-lxml trafilatura $(LOGGED)
	$(VENV)-compat/bin/python -c "import readability, trafilatura, cleaner"
	$(VENV)-compat/bin/cleaner rules test --samples samples

format: $(STAMP)
	$(VENV)/bin/ruff check --fix cleaner tests benchmarks
	$(VENV)/bin/ruff format cleaner tests benchmarks

clean:
	rm -rf $(VENV) $(VENV)-lowest $(VENV)-compat out build *.egg-info
