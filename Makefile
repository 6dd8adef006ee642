# Readiness: `make run` and `make test` do all their own set-up on a fresh clone.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := READINESS_ENV=development $(BIN)/flask --app app
STAMP := $(VENV)/.installed
PLOTLY_JS := static/vendor/plotly/plotly.min.js

.PHONY: run test install fonts migrate seed lint format bench screenshots clean messages

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# The translations: only the .po files are committed; install compiles each into the .mo the app reads.
MO_FILES := $(patsubst %.po,%.mo,$(wildcard translations/*/LC_MESSAGES/messages.po))

install: $(STAMP) $(PLOTLY_JS) $(MO_FILES) fonts

# The PDF reports (WeasyPrint) need Debian's Pango and fonts that render Vietnamese, Thai and Chinese text:
# Noto Sans and Noto Sans Thai (fonts-noto-core), TLWG's Thai fonts as a fallback (fonts-thai-tlwg), Noto Sans
# CJK for Simplified Chinese (fonts-noto-cjk). Installed when missing, where apt-get is (as root); elsewhere the
# reports fall back to whatever fonts there are.
REPORT_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 fontconfig fonts-noto-core fonts-thai-tlwg fonts-noto-cjk
fonts:
	@if command -v fc-list >/dev/null && fc-list | grep -q "Noto Sans Thai" && fc-list | grep -q "NotoSans-Regular" \
		&& fc-list | grep -qi "tlwg" && fc-list | grep -q "Noto Sans CJK SC"; then :; \
	elif command -v apt-get >/dev/null; then \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(REPORT_PACKAGES) >/dev/null 2>&1 || \
		(apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(REPORT_PACKAGES) >/dev/null) || \
		echo "The report fonts could not be installed: PDFs may show boxes for Thai, Vietnamese or Chinese text."; \
	else echo "No apt-get: install Pango and the Noto Sans, Noto Sans Thai, Noto Sans CJK and TLWG fonts for the PDF reports."; fi

translations/%.mo: translations/%.po $(STAMP)
	$(BIN)/pybabel compile -i $< -o $@

# After marking new words: extract them and add them to every language's .po, to translate there.
messages: install
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_gettext -k _lp:1c,2 --sort-by-file --project Readiness \
		--width 110 -o translations/messages.pot .
	$(BIN)/pybabel update -i translations/messages.pot -d translations --no-fuzzy-matching --width 110

# plotly.js is served from static/, copied from the installed plotly package (never from a CDN).
$(PLOTLY_JS): $(STAMP)
	mkdir -p $(dir $@)
	$(BIN)/python -c "import plotly, pathlib, shutil; d = pathlib.Path(plotly.__file__).parent / 'package_data'; shutil.copy(d / 'plotly.min.js', '$@')"
	$(BIN)/python -c "import importlib.metadata as m; print('plotly.js from plotly', m.version('plotly'), '(MIT licence: https://github.com/plotly/plotly.js/blob/master/LICENSE)')" > $(dir $@)README

migrate: install
	$(FLASK) db upgrade
	$(FLASK) load-standards

# Loads the demo once: seed-demo does nothing when the demo workspace exists.
seed: migrate
	$(FLASK) seed-demo

# `make run PORT=5001` serves on another port (PORT may also come from the environment). `make run HOST=...` picks
# the interface, from the command line only: some shells export HOST as the machine's name. The development server
# and the demo's published password are for this machine, so widen it only on a network you trust.
HOST = 127.0.0.1
PORT ?= 5000

run: seed
	$(FLASK) run --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

test: lint
	$(BIN)/python -m pytest -n auto

screenshots: install
	READINESS_ENV=testing PYTHONPATH=. $(BIN)/python docs/make_screenshots.py

# wrk (a Debian package) loads the served pages; without it the benchmarks use Python threads and say so.
bench: install
	command -v wrk >/dev/null || ! command -v apt-get >/dev/null || apt-get install -y wrk || \
		echo "wrk could not be installed: the benchmarks fall back to Python threads."
	$(BIN)/python -m bench
	$(BIN)/python -m bench.report
	$(BIN)/python -m bench.exports

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .mypy_cache
