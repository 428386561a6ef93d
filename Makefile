# Two commands do all the set-up: `make demo` renders the example review, `make test` runs the suite.
PYTHON ?= python3
VENV   ?= .venv
PY     := $(VENV)/bin/python
STAMP  := $(VENV)/.installed-stamp
PARAMS ?= params/example.yaml

.PHONY: demo test validate lab bench browser bytecode clean help

help:
	@echo "make demo      render the example review into outputs/<review_id>/report.html"
	@echo "make test      run the whole test suite (installs Chromium for the browser tests if missing)"
	@echo "make validate  check the example params and inputs without rendering"
	@echo "make lab       open the notebooks in JupyterLab"
	@echo "make bench     run the benchmark scripts"

$(STAMP): pyproject.toml
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --disable-pip-version-check -q -e ".[test]"
	@touch $(STAMP)

# An editable install leaves the package without compiled bytecode; where Python may not write it
# (PYTHONDONTWRITEBYTECODE, a read-only checkout) every run and every kernel would compile it again.
bytecode: $(STAMP)
	@$(PY) -m compileall -q scrutiny_kit

demo: $(STAMP) bytecode
	$(VENV)/bin/scrutiny-kit run $(PARAMS)

validate: $(STAMP)
	$(VENV)/bin/scrutiny-kit validate $(PARAMS)

browser:
	@sh scripts/ensure-chromium.sh

test: $(STAMP) bytecode browser
	$(PY) -m pytest

lab: $(STAMP)
	$(VENV)/bin/jupyter lab notebooks/review.ipynb

bench: $(STAMP) bytecode
	@status=0; for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || status=1; done; exit $$status

clean:
	rm -rf $(VENV) outputs/*/ outputs/*.failed outputs/index.html outputs/themes_by_review.csv
