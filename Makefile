# The project's front door. Every target creates .venv from requirements.txt first if it is missing.
#   make figures   execute the notebooks (only those whose inputs changed), in parallel, and write figures/
#                  (JOBS=1 for one at a time)
#   make test      unit, data and provenance tests, then strict nbval on every notebook, in parallel
#   make variant NB=03 SET="inside_share=0.04"   run a notebook with other parameters -> build/variants/
#   make lab       JupyterLab on 127.0.0.1 with the project kernel (URL with token printed)
#   make e2e       every notebook run through JupyterLab in headless Chromium -> build/e2e/
#   make bench     timings and memory -> build/bench.json
#   make report    offline HTML report -> build/report/
#   make ingest-dmdc FILE=path/to/DMDC_Website_Location_Report_YYMM.xlsx   add a DMDC quarterly report
#                  (or PERIOD=YYYY-MM to download it from DMDC; ACCESSED=YYYY-MM-DD, REPLACE=1 optional)
#   make clean     remove build outputs (keeps .venv; `make distclean` removes it too)

PYTHON ?= python3.11
VENV   := .venv
BIN    := $(VENV)/bin
READY  := $(VENV)/.ready
NBVAL  := --nbval --nbval-current-env --nbval-sanitize-with tests/nbval_sanitize.cfg
# pytest-xdist: one worker per core; a notebook's cells stay together on one worker (loadfile).
XDIST  := -n $(or $(JOBS),auto) --dist loadfile

.PHONY: figures test lab bench report clean distclean venv freeze datapackage e2e variant ingest-dmdc

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
	$(BIN)/python tools/run_notebooks.py $(if $(JOBS),--jobs $(JOBS))

test: $(READY)
	$(BIN)/python -m pytest $(XDIST) $(NBVAL) tests notebooks

variant: $(READY)
	@test -n "$(NB)" || { echo 'usage: make variant NB=03 SET="inside_share=0.04"'; exit 2; }
	$(BIN)/python tools/variant.py $(NB) $(SET)

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

datapackage: $(READY)
	$(BIN)/python tools/update_datapackage.py

# A new DMDC quarterly report in one command: Japan rows, source entry, raw copy, datapackage.json.
ingest-dmdc: $(READY)
	@test -n "$(FILE)$(PERIOD)" || { echo "usage: make ingest-dmdc FILE=path/to/DMDC_Website_Location_Report_YYMM.xlsx  (or PERIOD=YYYY-MM to download; ACCESSED=YYYY-MM-DD, REPLACE=1 optional)"; exit 2; }
	$(BIN)/python -m japan_taiwan_evidence.ingest.dmdc $(if $(FILE),"$(FILE)") $(if $(PERIOD),--period "$(PERIOD)") $(if $(ACCESSED),--accessed "$(ACCESSED)") $(if $(REPLACE),--replace)

freeze: $(READY)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^pip==' > requirements.tmp
	{ sed -n '1,2p' requirements.txt; cat requirements.tmp; } > requirements.new && rm requirements.tmp && mv requirements.new requirements.txt

clean:
	rm -rf build .pytest_cache

distclean: clean
	rm -rf $(VENV)
