# Reproducible report for two Chinese papers on service outsourcing (服务外包).
#
# The pipeline, as real file targets:
#   requirements.lock -> .venv (setup)
#   data/*.csv + notebooks/<name>.py + package -> reports/notebooks/<name>.ipynb
#                                               (+ reports/figures/<name>.png, reports/tables/<name>.csv)
#   executed notebooks -> reports/report.html + reports/report.pdf
# Each part's notebook rules live in mk/*.mk, included below in report order.
# `make` alone prints the targets.

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory
.DEFAULT_GOAL := help

PYTHON ?= python3
# Python randomises set and dict-of-str iteration per process; fixed here so that nothing a build
# prints or writes can depend on it (two builds of the same inputs must give the same bytes).
export PYTHONHASHSEED := 0
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.setup-done
KERNEL := outsourcing-repro
RUN := $(BIN)/python -m outsourcing_repro.runner

NB := reports/notebooks
FIG := reports/figures
TAB := reports/tables

# Notebooks re-execute when the analysis code changes. Report-only code (report.py, template,
# stylesheet) re-assembles the report without re-executing any notebook.
PKG_DIR := src/outsourcing_repro
# benchmarks/notebook_times.csv feeds the run times printed in the appendix.
REPORT_CODE := $(PKG_DIR)/report.py $(wildcard $(PKG_DIR)/templates/report/*) $(PKG_DIR)/static/report.css $(wildcard benchmarks/notebook_times.csv)
NB_CODE := $(filter-out $(PKG_DIR)/report.py,$(wildcard $(PKG_DIR)/*.py)) $(PKG_DIR)/fonts/NotoSansSC-Subset.otf

# Data files, named once.
PAPER_A := data/raw/paper_a_values.csv
PAPER_B := data/raw/paper_b_values.csv
MOFCOM := data/external/mofcom_release_values.csv

NOTEBOOKS :=
include mk/paper_a.mk
include mk/paper_b.mk
include mk/regressions.mk
include mk/audit.mk

.PHONY: help setup notebooks report html pdf test test-fast clean lock font verify bench

help: ## Show this help
	@echo "Usage: make <target>   (first run: 'make report' sets everything up)"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

$(SETUP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v=sys.version_info; sys.exit(0 if v >= (3, 10) else "error: Python >= 3.10 is needed, found %d.%d; set PYTHON=/path/to/python3.x" % v[:2])'
	@echo "[setup] creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python ($(KERNEL))" >/dev/null
	@touch $@
	@echo "[setup] done: kernel '$(KERNEL)' registered inside $(VENV)"

setup: $(SETUP) ## Create .venv from requirements.lock, install the package (editable) and its kernel

notebooks: $(NOTEBOOKS) ## Execute every notebook that is out of date (papermill)

# The report prints a fingerprint of its inputs, the Makefiles among them (report.INPUT_GLOBS).
reports/report.html reports/report.pdf &: $(NOTEBOOKS) $(REPORT_CODE) Makefile $(wildcard mk/*.mk) $(SETUP)
	@$(BIN)/python -m outsourcing_repro.report $(NOTEBOOKS) --html reports/report.html --pdf reports/report.pdf

report: reports/report.html reports/report.pdf ## Build reports/report.html and reports/report.pdf (sets up first)
html: reports/report.html ## Build only what the HTML report needs
pdf: reports/report.pdf ## Build only what the PDF report needs

test: $(SETUP) ## Run the unit tests and one end-to-end build
	$(BIN)/python -m pytest

test-fast: $(SETUP) ## Run the unit tests only (no end-to-end build, no browser)
	$(BIN)/python -m pytest -m "not e2e and not browser"

# Runs in temporary clones, so it never rewrites this checkout's reports/ while you work.
bench: $(SETUP) ## Time cold/no-op/one-file builds vs plain nbconvert (BENCH_ARGS="--runs 1" quick)
	$(BIN)/python benchmarks/bench.py $(BENCH_ARGS)

verify: reports/report.html reports/report.pdf ## Rebuild in a clean copy of the tree; fail unless every file in reports/ is byte-identical
	$(BIN)/python tools/verify_build.py

lock: $(SETUP) ## Re-pin requirements.lock from requirements.in and sync environment.yml
	$(BIN)/uv pip compile requirements.in -o requirements.lock --python-version 3.10 -q --custom-compile-command "make lock"
	$(BIN)/python tools/sync_environment.py

font: $(SETUP) ## Regenerate the CJK font subset (needs Debian's fonts-noto-cjk)
	$(BIN)/python tools/make_font_subset.py

clean: ## Remove generated files (keeps .venv; rm -rf .venv for a full reset)
	rm -rf build $(NB)/*.ipynb $(NB)/*.html $(FIG)/*.png $(FIG)/*.svg $(TAB)/*.csv $(TAB)/*.html reports/claims_audit.csv reports/SHA256SUMS

# --- One build at a time in this checkout (issue 16) ------------------------------------------------
# Two makes in one checkout (a second terminal, or `make test` beside `make report`) would write the
# same files under reports/ at once, and a report could be assembled from a mix of both. So every make
# that builds something here first takes the build lock (tools/build_lock.py: flock on .build.lock,
# held until this make exits); a second one prints what it waits for and waits. Goals that build
# nothing in this checkout take no lock (`make test`'s own end-to-end build runs `make report`, which
# does), and neither do `make -n` and `make -q`. Once locked, it says whether quotes are checked
# against the papers' texts or against their own values only.
BUILD_LOCK_FREE := help test test-fast bench lock font lab lint
BUILD_SHORT_FLAGS := $(filter-out --%,$(firstword $(MAKEFLAGS)))
ifneq ($(filter-out $(BUILD_LOCK_FREE),$(MAKECMDGOALS)),)
ifeq ($(findstring n,$(BUILD_SHORT_FLAGS))$(findstring q,$(BUILD_SHORT_FLAGS)),)
# The virtualenv's Python starts in a fraction of the time of a pyenv or conda shim.
BUILD_LOCK_PYTHON := $(if $(wildcard $(BIN)/python),$(BIN)/python,$(PYTHON))
BUILD_LOCK_STATUS := $(shell $(BUILD_LOCK_PYTHON) -I -S tools/build_lock.py --make-pid $$PPID --goals "$(MAKECMDGOALS)" >&2; echo $$?)
$(if $(filter 0,$(BUILD_LOCK_STATUS)),,$(error could not take the build lock (tools/build_lock.py exited $(BUILD_LOCK_STATUS))))
endif
endif
