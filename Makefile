# The project's front door. Every target creates .venv from requirements.txt first if it is missing.
#   make figures   execute the notebooks (only those whose inputs changed) and write figures/
#   make test      unit, data and provenance tests, then strict nbval on every notebook
#   make lab       JupyterLab on 127.0.0.1 with the project kernel (URL with token printed)
#   make e2e       every notebook run through JupyterLab in headless Chromium -> build/e2e/
#   make bench     timings and memory -> build/bench.json
#   make report    offline HTML report -> build/report/
#   make export    figures for a report -> build/export/<lang>/ (ARGS="--figures 03_missile_map --lang ja --width 160")
#   make clean     remove build outputs (keeps .venv; `make distclean` removes it too)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg

.PHONY: figures test lab bench report clean distclean venv freeze datapackage e2e export

venv: $(READY)

$(READY): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# Build matplotlib's font cache now, so its one-time notice never lands in a notebook output.
	$(BIN)/python -c "import matplotlib.pyplot, japan_taiwan_evidence"
	@touch $(READY)

figures: $(READY)
	$(BIN)/python tools/run_notebooks.py

test: $(READY)
	$(BIN)/python -m pytest $(NBVAL) tests notebooks

lab: $(READY)
	$(BIN)/python tools/lab.py

bench: $(READY)
	$(BIN)/python tools/bench.py

# Browser test: every notebook run through JupyterLab in Debian's Chromium (apt-get install chromium).
# Not part of `make test`; .ci/run runs it after the test suite.
e2e: $(READY)
	$(BIN)/python tools/e2e.py

report: $(READY)
	$(BIN)/python tools/report.py

# Figures laid out for a width, in English, Japanese or Traditional Chinese, with a chosen footer:
#   make export ARGS="--figures 03_missile_map --lang ja --width 160 --format png svg"
# (python -m japan_taiwan_evidence.export --help lists the options). Writes build/export/<lang>/ only.
export: $(READY)
	$(BIN)/python -m japan_taiwan_evidence.export $(ARGS)

datapackage: $(READY)
	$(BIN)/python tools/update_datapackage.py

freeze: $(READY)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pip==' > requirements.tmp
	{ sed -n '1,2p' requirements.txt; cat requirements.tmp; } > requirements.new && rm requirements.tmp && mv requirements.new requirements.txt

clean:
	rm -rf build .pytest_cache

distclean: clean
	rm -rf $(VENV)
