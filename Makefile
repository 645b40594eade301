# The project's front door: `make` alone lists the targets (`make help`, generated from the `## ` note on
# each target's line below, so the list cannot drift). Every target but help and clean creates .venv from
# requirements.txt first if it is missing.

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# pytest-xdist: one worker per core; a notebook's cells stay together on one worker (loadfile). make test
# names notebooks/ first so the longest files start first and the short test files fill in around them.
XDIST  := -n $(or $(JOBS),auto) --dist loadfile
# tests/startup.py, loaded before the plugins, spares each pytest process a slow import nbformat pulls in.
PYTEST := $(BIN)/python -m pytest -p tests.startup

.PHONY: help figures test check lab bench report citations clean distclean venv freeze datapackage e2e variant ingest-dmdc export
.DEFAULT_GOAL := help

help: ## list the targets, one line each (also what plain `make` prints)
	@echo "japan-taiwan-evidence: make <target>"
	@awk -F ':.*## ' '/^[a-z][a-z0-9-]*:.*## / { printf "  make %-12s %s\n", $$1, $$2 }' $(firstword $(MAKEFILE_LIST))

venv: $(READY) ## create .venv from requirements.txt (every target that runs Python does this first)

$(READY): requirements.txt pyproject.toml
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "error: $(PYTHON) not found; install Python 3.11 or run 'make PYTHON=/path/to/python3.11'"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -e .
	@# Build matplotlib's font cache now, so its one-time notice never lands in a notebook output.
	$(BIN)/python -c "import matplotlib.pyplot, japan_taiwan_evidence"
	@touch $(READY)

figures: $(READY) ## run the notebooks whose inputs changed, in parallel (JOBS=1: one at a time), and write figures/
	$(BIN)/python tools/run_notebooks.py $(if $(JOBS),--jobs $(JOBS))

test: $(READY) ## unit, data, claim and provenance tests and strict nbval on every notebook, in parallel
	$(PYTEST) $(XDIST) -m "not e2e" $(NBVAL) notebooks tests

variant: $(READY) ## run one notebook with other parameters: make variant NB=03 SET="inside_share=0.04" -> build/variants/
	@test -n "$(NB)" || { echo 'usage: make variant NB=03 SET="inside_share=0.04"'; exit 2; }
	$(BIN)/python tools/variant.py $(NB) $(SET)

lab: $(READY) ## JupyterLab on 127.0.0.1 with the project kernel (prints the URL with its token)
	$(BIN)/python tools/lab.py

bench: $(READY) ## timings and memory -> build/bench.json
	$(BIN)/python tools/bench.py

# The end-to-end tier, which .ci/run runs after `make test`: the tests marked e2e (they execute notebooks
# again, export every figure in every language, print the report with Chromium, start JupyterLab or
# the build script in a subprocess), then every notebook run through JupyterLab in Debian's Chromium.
e2e: $(READY) ## end-to-end tests, then every notebook run through JupyterLab in headless Chromium -> build/e2e/
	$(PYTEST) $(XDIST) -m e2e tests
	$(BIN)/python tools/e2e.py

check: test e2e ## everything CI runs before the rebuild: make test, then make e2e

report: $(READY) ## the report as one HTML file and its PDF -> build/report/
	$(BIN)/python -m japan_taiwan_evidence.report

citations: $(READY) ## the sources as BibTeX and CSL-JSON for reference managers -> build/citations/
	$(BIN)/python -m japan_taiwan_evidence.citations

# make export ARGS="--figures 03_missile_map --lang ja --width 160 --format png svg"
# (python -m japan_taiwan_evidence.export --help lists the options). Writes build/export/<lang>/ only.
export: $(READY) ## figures for your report, by width, language and footer: ARGS="--lang ja --width 160" -> build/export/
	$(BIN)/python -m japan_taiwan_evidence.export $(ARGS)

datapackage: $(READY) ## record every data file's schema and sha256 in data/datapackage.json
	$(BIN)/python tools/update_datapackage.py

# A new DMDC quarterly report in one command: Japan rows, source entry, raw copy, datapackage.json.
ingest-dmdc: $(READY) ## add a DMDC quarterly report: FILE=path.xlsx (or PERIOD=YYYY-MM to download; ACCESSED=, REPLACE=1)
	@test -n "$(FILE)$(PERIOD)" || { echo "usage: make ingest-dmdc FILE=path/to/DMDC_Website_Location_Report_YYMM.xlsx  (or PERIOD=YYYY-MM to download; ACCESSED=YYYY-MM-DD, REPLACE=1 optional)"; exit 2; }
	$(BIN)/python -m japan_taiwan_evidence.ingest.dmdc $(if $(FILE),"$(FILE)") $(if $(PERIOD),--period "$(PERIOD)") $(if $(ACCESSED),--accessed "$(ACCESSED)") $(if $(REPLACE),--replace)

freeze: $(READY) ## re-pin requirements.txt from .venv after changing a top-level package
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pip==' > requirements.tmp
	{ sed -n '1,2p' requirements.txt; cat requirements.tmp; } > requirements.new && rm requirements.tmp && mv requirements.new requirements.txt

clean: ## remove build outputs (keeps .venv)
	rm -rf build .pytest_cache

distclean: clean ## remove build outputs and .venv
	rm -rf $(VENV)
