VENV   := .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed
# pip's own output goes to a log, shown only when a step fails: one line a step on screen
LOGGED  = >$(VENV)/install.log 2>&1 || { cat $(VENV)/install.log; exit 1; }

.PHONY: demo test test-lowest test-compat train lint format bench clean report-screenshot

# Debian packages: root installs them itself, anyone else through sudo
SUDO        := $(if $(filter 0,$(shell id -u)),,sudo)
APT_INSTALL  = $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends
CHROMIUM    := /usr/bin/chromium
CJK_FONT    := /usr/share/fonts/truetype/wqy/wqy-microhei.ttc
PNGQUANT    := /usr/bin/pngquant

$(STAMP): pyproject.toml
	@echo "cleaner: creating $(VENV)"
	@python3 -m venv $(VENV)
	@echo "cleaner: installing cleaner and its test tools into $(VENV)"
	@$(PY) -m pip install --disable-pip-version-check -e '.[dev,scrapy,datatrove,spark]' $(LOGGED)
	@touch $(STAMP)

# the report's browser test renders in Debian's chromium: installed here, never at test time
$(CHROMIUM): | $(STAMP)
	@echo "cleaner: installing Debian's chromium (for the report's browser test)"
	@{ $(SUDO) apt-get update -q && $(APT_INSTALL) chromium; } $(LOGGED)

# the report screenshot shows Chinese pages, and is kept small by pngquant
$(CJK_FONT) $(PNGQUANT): | $(STAMP)
	@echo "cleaner: installing a Chinese font and pngquant (for the report screenshot)"
	@{ $(SUDO) apt-get update -q && $(APT_INSTALL) fonts-wqy-microhei pngquant; } $(LOGGED)

demo: $(STAMP)
	@mkdir -p out
	$(VENV)/bin/cleaner clean samples -o out/samples.jsonl --force
	@echo "output: out/samples.jsonl"

test: $(STAMP) $(CHROMIUM)
	$(VENV)/bin/ruff check cleaner tests benchmarks train
	$(VENV)/bin/ruff format --check cleaner tests benchmarks train
	$(VENV)/bin/lint-imports
	$(PY) -m pytest

# the suite again with the lowest version of every declared dependency (uv's lowest-direct)
test-lowest: $(STAMP) $(CHROMIUM)
	@echo "cleaner: installing the lowest declared versions into $(VENV)-lowest"
	@$(PY) -m pip install --disable-pip-version-check uv $(LOGGED)
	@$(VENV)/bin/uv venv -q --allow-existing -p $(PY) $(VENV)-lowest $(LOGGED)
	@$(VENV)/bin/uv pip install -q --python $(VENV)-lowest/bin/python \
		--resolution lowest-direct -e '.[dev,scrapy,datatrove,spark]' $(LOGGED)
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

# fit the content-region model's weights on the annotated pages and write them with their
# leave-one-site-out figures to rules/region/model.toml (needs ../shared/corpus)
train: $(STAMP)
	@$(PY) -m pip install --disable-pip-version-check -e '.[train]' $(LOGGED)
	$(PY) train/region.py --write

# the README's picture of a report: the samples cleaned, their report, its top
report-screenshot: $(STAMP) $(CHROMIUM) $(CJK_FONT) $(PNGQUANT)
	@mkdir -p out docs
	$(VENV)/bin/cleaner clean samples -o out/samples.jsonl --force -q --report out/report.html
	$(PY) tests/browser.py screenshot out/report.html out/report.png 1280 2400
	$(PNGQUANT) --quality 60-85 --speed 1 --force --output docs/report.png out/report.png

format: $(STAMP)
	$(VENV)/bin/ruff check --fix cleaner tests benchmarks train
	$(VENV)/bin/ruff format cleaner tests benchmarks train

clean:
	rm -rf $(VENV) $(VENV)-lowest $(VENV)-compat out build *.egg-info
