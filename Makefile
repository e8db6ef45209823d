# wan-video-kit — the usual targets. Everything runs from the project's virtualenv.
PY ?= .venv/bin/python
SPEC := openapi/wan-video.yaml
CLIENT_DIR := src/wan_video_client
CLIENT_CONFIG := codegen/config.yaml

.PHONY: install serve test test-all lint typecheck client check-client layer-data check-layer-data control-data check-control-data readme-options check-readme-options vendor-swagger-ui check-swagger-ui lint-spec clean

install: .venv/bin/python
	$(PY) -m pip install -q -e ".[dev]"

.venv/bin/python:
	python3 -m venv .venv

serve:
	.venv/bin/wan-mock serve

# The developer's loop: the default Hypothesis profile, tests marked slow left out, one worker
# per core, no coverage (its 90 % floor is for the whole suite).
test:
	HYPOTHESIS_PROFILE=default $(PY) -m pytest -n auto -m "not slow" --no-cov

# Everything, slow tests included, one worker per core, with coverage: what `.ci/run` and the
# README's test command run.
test-all:
	$(PY) -m pytest -n auto

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

typecheck:
	$(PY) -m mypy

# Regenerate the client from the spec into a freshly emptied folder.
client:
	$(PY) tools/regen_client.py

# Regenerate into a temporary folder and fail, listing the files that differ, on drift.
check-client:
	$(PY) tools/regen_client.py --check

# The spec data the wan_video layer reads at run time (src/wan_video/_spec.json).
layer-data:
	$(PY) tools/wan_video_data.py

check-layer-data:
	$(PY) tools/wan_video_data.py --check

# The README's option tables (wan-mock serve; WanMock, WanMockServer and the marker), written from
# the one declaration of the mock's options (src/wan_mock/_service/_options.py).
readme-options:
	$(PY) tools/readme_options.py

check-readme-options:
	$(PY) tools/readme_options.py --check

# Where each control operation is (method, path), for wan_mock's harness
# (src/wan_mock/_testing/_control_operations.json), from openapi/mock-control.yaml.
control-data:
	$(PY) tools/control_data.py

check-control-data:
	$(PY) tools/control_data.py --check

# Swagger UI for /docs and /__mock/docs: the pinned swagger-ui-dist, packed with npm, into
# src/wan_mock/_http/_static (with _static/VENDORED.json); check-* compares without writing.
vendor-swagger-ui:
	$(PY) tools/vendor_swagger_ui.py

check-swagger-ui:
	$(PY) tools/vendor_swagger_ui.py --check

lint-spec: tools/redocly/node_modules
	tools/redocly/node_modules/.bin/redocly lint $(SPEC)

tools/redocly/node_modules:
	npm ci --prefix tools/redocly --no-audit --no-fund

clean:
	rm -rf .venv .pytest_cache .mypy_cache .ruff_cache .hypothesis .cache
