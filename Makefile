# Every target bootstraps its own environment (.venv) on first use: `make run` and the
# targets that serve the lessons install requirements.txt (what the lessons and the emulator
# need); `make test` adds requirements-test.txt (test-only packages).
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
RUN_READY := $(VENV)/.run-ready
TEST_READY := $(VENV)/.test-ready
UV_VERSION := 0.13.9
# uv installs the same exact pins several times faster than pip (bench/bench_install.py).
INSTALL := $(BIN)/uv pip install --quiet --python $(BIN)/python
# uv installs no bytecode: let Python cache it in .venv on first import, even where the
# environment says not to (kernels would otherwise recompile stytch at every start).
unexport PYTHONDONTWRITEBYTECODE
# Stytch's JavaScript SDK for the frontend samples, installed by npm from frontend/package-lock.json.
FRONTEND_SDK := frontend/node_modules/.package-lock.json
NPM_HINT := Node.js and npm are missing: install them (Debian: apt-get install nodejs npm)

.PHONY: setup run test emulator lab present frontend notebooks bench bench-emulator bench-run bench-tests bench-install soak fuzz parity clean

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)

$(RUN_READY): requirements.txt | $(BIN)/uv
	$(INSTALL) -r requirements.txt
	@# `emulator` and `helpers` importable from anywhere (kernels run in notebooks/), as an
	@# editable install would make them, without building the project.
	$(BIN)/python -c "import site, sys; open(site.getsitepackages()[0] + '/workbook.pth', 'w').write(sys.argv[1] + '\n')" "$(CURDIR)"
	touch $@

$(TEST_READY): requirements-test.txt $(RUN_READY)
	$(INSTALL) -r requirements-test.txt
	touch $@

setup: $(RUN_READY)

## make run: execute every notebook headless on the emulator (outputs in build/)
run: $(RUN_READY)
	$(BIN)/python -m helpers.run_notebooks

# make test's pytest-xdist workers: the browser tests, which mostly wait, beside the rest, which
# mostly computes (tests/parallel.py). PYTEST_WORKERS= (empty) runs the suite in one process.
PYTEST_WORKERS ?= -n 2 --dist loadfile --no-loadscope-reorder

## make test: every test (emulator, helpers, notebooks with nbval and papermill, browser);
## installs the frontend samples' npm packages first where npm is available
test: $(TEST_READY)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(FRONTEND_SDK); \
	else echo "note: $(NPM_HINT); the frontend samples' browser tests will be skipped."; fi
	$(BIN)/python -m pytest $(PYTEST_WORKERS)

$(FRONTEND_SDK): frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error

## make emulator: serve the emulator in the foreground on 127.0.0.1:8765
emulator: $(RUN_READY)
	$(BIN)/python -m emulator

## make lab: start the emulator (unless credentials are set), then JupyterLab on notebooks/
lab: $(RUN_READY)
	$(BIN)/python -c "from helpers.client import get_client; get_client()"
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

## make present: copies of the lessons for a live demo (AUTO_SUBMIT = False) in JupyterLab, with
## the emulator and its simulated phone page; PORT=8888 and TOKEN=... choose JupyterLab's
present: $(RUN_READY)
	$(if $(TOKEN),@JUPYTER_TOKEN='$(TOKEN)' ,)$(BIN)/python -m helpers.present $(if $(PORT),--port $(PORT),)

## make frontend: serve the guide's headless frontend samples (Stytch's JS SDK) on http://localhost:3000
frontend: $(RUN_READY)
	@command -v npm >/dev/null || { echo "make frontend: $(NPM_HINT)."; exit 1; }
	@$(MAKE) --no-print-directory $(FRONTEND_SDK)
	$(BIN)/python -m frontend

## make notebooks: re-execute notebooks/ in place, so the committed outputs are fresh
notebooks: $(RUN_READY)
	$(BIN)/python -m helpers.run_notebooks --in-place

## make bench: every benchmark below; each prints its ratios and never fails on a goal
bench: bench-emulator bench-run bench-tests bench-install

## make bench-emulator: emulator latency against a trivial loopback server
bench-emulator: $(RUN_READY)
	$(BIN)/python bench/bench_emulator.py

## make bench-run: make run against starting its kernels bare (P1)
bench-run: $(RUN_READY)
	$(BIN)/python bench/bench_run.py

## make bench-tests: the whole suite as make test runs it: wall and CPU time, each file's phase
bench-tests: $(TEST_READY)
	$(BIN)/python bench/bench_tests.py $(PYTEST_WORKERS)

## make bench-install: this install against the lessons' own packages alone
bench-install:
	$(PYTHON) bench/bench_install.py

## make soak: the reliability suite, longer (200 concurrent flows, 10 kill -9 rounds)
soak: $(TEST_READY)
	EMULATOR_SOAK=1 $(BIN)/python -m pytest tests/reliability

## make fuzz: schemathesis over the emulator's OpenAPI document; prints cases and 5xx (FUZZ_SECONDS=120)
FUZZ_READY := $(VENV)/.fuzz-ready
$(FUZZ_READY): requirements-fuzz.txt $(TEST_READY)
	$(INSTALL) -r requirements-fuzz.txt
	touch $@

fuzz: $(FUZZ_READY)
	$(BIN)/python tests/fuzz/run_fuzz.py --seconds $(or $(FUZZ_SECONDS),120)

## make parity: a fixed scenario on the emulator and, with STYTCH_PROJECT_ID/STYTCH_SECRET set, on a
## Stytch test project; the differences go to build/parity/report.md (and report.json)
parity: $(RUN_READY)
	$(BIN)/python -m parity

clean:
	rm -rf $(VENV) build .stytch-emulator frontend/node_modules

## make flow-picture: draw helpers/mfa_flow.svg again from helpers.flow (after changing its STATES
## or EDGES): Mermaid from npm (tools/flow_picture/package-lock.json) in Chromium
.PHONY: flow-picture
flow-picture: $(RUN_READY)
	@command -v npm >/dev/null || { echo "make flow-picture: $(NPM_HINT)."; exit 1; }
	npm ci --prefix tools/flow_picture --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/flow_picture/render.py
