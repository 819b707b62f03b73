# Every target bootstraps its own environment (.venv) from requirements.txt on first use.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
READY := $(VENV)/.ready
# Stytch's JavaScript SDK for the frontend samples, installed by npm from frontend/package-lock.json.
FRONTEND_SDK := frontend/node_modules/.package-lock.json
NPM_HINT := Node.js and npm are missing: install them (Debian: apt-get install nodejs npm)

.PHONY: setup run test emulator lab present frontend notebooks bench soak fuzz parity clean

$(READY): requirements.txt pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/pip install --quiet --disable-pip-version-check --no-deps -e .
	touch $(READY)

setup: $(READY)

## make run: execute every notebook headless on the emulator (outputs in build/)
run: $(READY)
	$(BIN)/python -m helpers.run_notebooks

## make test: every test (emulator contract and flows, helpers, notebooks with nbval and papermill,
## browser); installs the frontend samples' npm packages first where npm is available
test: $(READY)
	@if command -v npm >/dev/null; then $(MAKE) --no-print-directory $(FRONTEND_SDK); \
	else echo "note: $(NPM_HINT); the frontend samples' browser tests will be skipped."; fi
	$(BIN)/python -m pytest

$(FRONTEND_SDK): frontend/package.json frontend/package-lock.json
	npm ci --prefix frontend --no-audit --no-fund --loglevel=error

## make emulator: serve the emulator in the foreground on 127.0.0.1:8765
emulator: $(READY)
	$(BIN)/python -m emulator

## make lab: start the emulator (unless credentials are set), then JupyterLab on notebooks/
lab: $(READY)
	$(BIN)/python -c "from helpers.client import get_client; get_client()"
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root,)

## make present: copies of the lessons for a live demo (AUTO_SUBMIT = False) in JupyterLab, with
## the emulator and its simulated phone page; PORT=8888 and TOKEN=... choose JupyterLab's
present: $(READY)
	$(if $(TOKEN),@JUPYTER_TOKEN='$(TOKEN)' ,)$(BIN)/python -m helpers.present $(if $(PORT),--port $(PORT),)

## make frontend: serve the guide's headless frontend samples (Stytch's JS SDK) on http://localhost:3000
frontend: $(READY)
	@command -v npm >/dev/null || { echo "make frontend: $(NPM_HINT)."; exit 1; }
	@$(MAKE) --no-print-directory $(FRONTEND_SDK)
	$(BIN)/python -m frontend

## make notebooks: re-execute notebooks/ in place, so the committed outputs are fresh
notebooks: $(READY)
	$(BIN)/python -m helpers.run_notebooks --in-place

## make bench: emulator latency against a trivial loopback server (prints ratios)
bench: $(READY)
	$(BIN)/python bench/bench_emulator.py

## make soak: the reliability suite, longer (200 concurrent flows, 10 kill -9 rounds)
soak: $(READY)
	EMULATOR_SOAK=1 $(BIN)/python -m pytest tests/reliability

## make fuzz: schemathesis over the emulator's OpenAPI document; prints cases and 5xx (FUZZ_SECONDS=120)
FUZZ_READY := $(VENV)/.fuzz-ready
$(FUZZ_READY): $(READY) requirements-fuzz.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -r requirements-fuzz.txt
	touch $(FUZZ_READY)

fuzz: $(FUZZ_READY)
	$(BIN)/python tests/fuzz/run_fuzz.py --seconds $(or $(FUZZ_SECONDS),120)

## make parity: a fixed scenario on the emulator and, with STYTCH_PROJECT_ID/STYTCH_SECRET set, on a
## Stytch test project; the differences go to build/parity/report.md (and report.json)
parity: $(READY)
	$(BIN)/python -m parity

clean:
	rm -rf $(VENV) build .stytch-emulator frontend/node_modules

## make flow-picture: draw helpers/mfa_flow.svg again from helpers.flow (after changing its STATES
## or EDGES): Mermaid from npm (tools/flow_picture/package-lock.json) in Chromium
.PHONY: flow-picture
flow-picture: $(READY)
	@command -v npm >/dev/null || { echo "make flow-picture: $(NPM_HINT)."; exit 1; }
	npm ci --prefix tools/flow_picture --no-audit --no-fund --loglevel=error
	$(BIN)/python tools/flow_picture/render.py
