# Reproducible report for two Chinese papers on service outsourcing (服务外包).
#
# The pipeline, as real file targets:
#   requirements.lock -> .venv (setup: uv, falling back to pip)
#   outline.yml + notebooks' parameters cells -> build/rules.mk (one rule per executed notebook)
#   data/*.csv + notebooks/<name>.py + the package modules it imports -> reports/notebooks/<name>.ipynb
#                                               (+ reports/figures/<name>.png, reports/tables/<name>.csv)
#   executed notebooks -> reports/report.html + reports/report.pdf
# Rebuilds are decided by content: every input is seen through a stamp of its sha256, so touching a
# file without changing its bytes reruns nothing. `make` alone prints the targets.

# Parallel by default, on every core and one job more: each notebook waits about half a second on
# its kernel's start and shutdown, when its core would otherwise idle (measured on 2 cores, three
# cold builds each: notebooks 34.2 s with -j2, 30.6 s with -j3). Each recipe's output is printed
# whole when it ends, so the log of notebooks run side by side stays readable. `make -j1` on the command line still wins. A make
# started by another make ($(MAKE) in a recipe) shares its parent's job slots instead: a -j set here
# would make it leave them ("-jN forced in makefile: resetting jobserver mode"). Counted before SHELL
# is set: `$(shell nproc)` under make's own /bin/sh is run directly, with no shell started for it
# (a no-op build is mostly the start of such processes).
NPROC := $(if $(wildcard /usr/bin/nproc /bin/nproc),$(shell nproc),$(shell getconf _NPROCESSORS_ONLN 2>/dev/null || echo 1))
JOBS := $(shell expr $(NPROC) + 1)
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DELETE_ON_ERROR:
MAKEFLAGS += --no-builtin-rules --no-print-directory $(if $(filter 0,$(MAKELEVEL)),-j$(JOBS))
# Goals that run one long command whose output a person watches as it comes (pytest's progress, the
# benchmark, JupyterLab's log) are not synced: --output-sync would hold it back until the command ends.
LIVE_OUTPUT_GOALS := test test-fast bench lab lint
ifeq ($(filter $(LIVE_OUTPUT_GOALS),$(MAKECMDGOALS)),)
MAKEFLAGS += --output-sync=target
endif
.DEFAULT_GOAL := help

PYTHON ?= python3
# Python randomises set and dict-of-str iteration per process; fixed here so that nothing a build
# prints or writes can depend on it (two builds of the same inputs must give the same bytes).
export PYTHONHASHSEED := 0
VENV := .venv
BIN := $(VENV)/bin
SETUP := $(VENV)/.setup-done
# The kernel's name is also its display name, as the notebooks' headers and the runner write it:
# JupyterLab copies the display name into a notebook it saves, so any other would rewrite them.
KERNEL := outsourcing-repro
RUN := $(BIN)/python -m outsourcing_repro.runner

NB := reports/notebooks
FIG := reports/figures
TAB := reports/tables

# Content stamps: $(STAMPS)/<path>.sha256 holds the sha256 of <path> and is rewritten only when
# those bytes change. Rules depend on the stamps, never on the files, so a touched but unchanged
# file reruns nothing (make re-reads a stamp's time after its recipe: an unchanged stamp leaves
# everything after it up to date). <path>.checked records when the bytes were last hashed, so a
# touched file is hashed once, not on every later run; the stamp's own rule runs no command.
# A file rewritten with the same bytes (touched, or a notebook's output rerun) leaves its .checked
# newer than its .sha256 for good. Under -n and -q make assumes that every target it would remake
# changes, so both rules are marked `+` (run even there): the hash is taken for real, the stamp's
# empty recipe is seen to leave it unchanged, and `make -n` shows exactly what `make` would run,
# where it would otherwise list everything after such a stamp. The only thing -n/-q then write is
# build/stamps, the hash cache a real run would write first.
STAMPS := build/stamps
ARGS := build/args
RULES := build/rules.mk
$(STAMPS)/%.sha256: $(STAMPS)/%.checked ; @+
.PRECIOUS: $(STAMPS)/%.checked $(STAMPS)/%.sha256
$(STAMPS)/%.checked: %
	+@mkdir -p $(@D); new=$$(if command -v sha256sum >/dev/null; then sha256sum; else shasum -a 256; fi < $<); \
	s=$(@:.checked=.sha256); touch $@; \
	[ -f $$s ] && [ "$$(cat $$s)" = "$$new" ] || echo "$$new" > $$s

# The notebook rules, written from outline.yml (parts, notebooks, series) and each notebook's
# declared inputs/outputs and traced imports. Rewritten when any of those change; make then
# restarts with the new rules. Not read for goals that build nothing (help, setup, clean, lock).
PKG_DIR := src/outsourcing_repro
RULES_INPUTS := outline.yml $(wildcard notebooks/*.py) $(wildcard $(PKG_DIR)/*.py)
# Under -q and -n make does not run the stamps' recipes, so the rules are not rewritten there (they
# could never look up to date, and make would restart for ever); `make -n` shows the last rules.
MAKE_LETTERS := $(filter-out -%,$(firstword $(MAKEFLAGS)))
ifeq ($(findstring q,$(MAKE_LETTERS))$(findstring n,$(MAKE_LETTERS)),)
$(RULES): $(addprefix $(STAMPS)/,$(addsuffix .sha256,$(RULES_INPUTS))) $(SETUP)
	@$(BIN)/python -m outsourcing_repro.makerules $@
endif

NOTEBOOKS :=
# The args files are written with the rules; without them (build/args removed by hand) the rules
# are written again.
$(if $(wildcard $(RULES)),$(if $(wildcard $(ARGS)/series.json),,$(shell rm -f $(RULES))))
NO_RULES_GOALS := help setup $(SETUP) clean lock font lab lint
ifneq ($(filter-out $(NO_RULES_GOALS),$(or $(MAKECMDGOALS),help)),)
-include $(RULES)
endif

# The report prints a fingerprint of its inputs (report_facts.INPUT_GLOBS), so each of them, through
# its stamp, rebuilds the report; report-only code (report*.py, templates, stylesheet) rebuilds it
# without re-executing any notebook. benchmarks/notebook_times.csv feeds the appendix's run times.
REPORT_INPUTS := $(wildcard data/*/*.csv notebooks/*.py $(PKG_DIR)/*.py $(PKG_DIR)/templates/*/* \
    $(PKG_DIR)/static/* $(PKG_DIR)/fonts/*.otf requirements.lock outline.yml Makefile mk/*.mk \
    benchmarks/notebook_times.csv)

.PHONY: help setup notebooks report html pdf test test-fast clean lock font verify bench lab lint

help: ## Show this help
	@echo "Usage: make <target>   (first run: 'make report' sets everything up)"
	@grep -hE '^[a-zA-Z_-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  %-10s %s\n", $$1, $$2}'

# Set-up installs the lock's exact pins with uv (the version pinned in the lock, about 10 s on a warm
# cache), and falls back to pip where uv cannot be installed or cannot run; both give the same pins.
# Where PYTHONDONTWRITEBYTECODE is set (the CI machines), Python never writes the bytecode of what it
# imports, so every process of every build would compile each module again (15 s of each cold build
# there): uv then compiles the lock at set-up (22 s), as pip always does. Elsewhere Python writes it
# the first time a build imports a module, and compiling all at set-up would only add the 22 s.
UV_COMPILE := $(if $(PYTHONDONTWRITEBYTECODE),--compile-bytecode)
# Deferred (=): read only when the set-up runs, so a build starts no shell for it.
UV_PIN = $(shell sed -n 's/^uv==//p' requirements.lock)
$(SETUP): requirements.lock pyproject.toml
	@$(PYTHON) -c 'import sys; v=sys.version_info; sys.exit(0 if v >= (3, 10) else "error: Python >= 3.10 is needed, found %d.%d; set PYTHON=/path/to/python3.x" % v[:2])'
	@echo "[setup] creating $(VENV) with $$($(PYTHON) --version)"
	$(PYTHON) -m venv $(VENV)
	@eval "$$($(BIN)/python tools/uv_env.py)"; \
	if $(BIN)/python -m pip install --quiet "uv==$(UV_PIN)" && \
	    $(BIN)/uv pip install --quiet $(UV_COMPILE) --python $(BIN)/python -r requirements.lock && \
	    $(BIN)/uv pip install --quiet --python $(BIN)/python --no-deps -e .; then \
	  echo "[setup] installed requirements.lock with uv $(UV_PIN)"; \
	else \
	  echo "[setup] uv could not install the lock; installing it with pip"; \
	  $(BIN)/python -m pip install --quiet -r requirements.lock; \
	  $(BIN)/python -m pip install --quiet --no-deps -e .; \
	fi
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name $(KERNEL) >/dev/null
	@touch $@
	@echo "[setup] done: kernel '$(KERNEL)' registered inside $(VENV)"

setup: $(SETUP) ## Create .venv from requirements.lock, install the package (editable) and its kernel

notebooks: $(NOTEBOOKS) ## Execute every notebook that is out of date (papermill)

# The executed notebooks too are seen through their stamps: a notebook rerun into the same bytes
# (the runner normalises what it writes) leaves the report up to date.
reports/report.html reports/report.pdf &: $(addprefix $(STAMPS)/,$(addsuffix .sha256,$(NOTEBOOKS))) $(addprefix $(STAMPS)/,$(addsuffix .sha256,$(REPORT_INPUTS))) $(SETUP)
	@$(BIN)/python -m outsourcing_repro.report $(NOTEBOOKS) --html reports/report.html --pdf reports/report.pdf

report: reports/report.html reports/report.pdf ## Build reports/report.html and reports/report.pdf (sets up first)
html: reports/report.html ## Build only what the HTML report needs
pdf: reports/report.pdf ## Build only what the PDF report needs

test: $(SETUP) ## Run the unit tests and one end-to-end build
	$(BIN)/python -m pytest

test-fast: $(SETUP) ## Run the unit tests only (no end-to-end build, no browser)
	$(BIN)/python -m pytest -m "not e2e and not browser"

# Settings in jupyter/ (JUPYTER_CONFIG_DIR): 127.0.0.1 only, kernels in the project root, notebooks/*.py
# open as notebooks, the shipped CJK font. LAB_ARGS="--port 8890 --no-browser" to change the rest.
lab: $(SETUP) ## Start JupyterLab on 127.0.0.1 (notebooks open as notebooks; kernels run in the project root)
	JUPYTER_CONFIG_DIR=$(CURDIR)/jupyter $(BIN)/jupyter lab $(LAB_ARGS)

lint: $(SETUP) ## Check style with ruff (lint and format; settings in pyproject.toml)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

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
