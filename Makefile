# robust_contrastive: set-up, tests, docs, benchmarks.
#   make test    create .venv, install everything, run the whole test suite (notebooks + tests/)
#   make run     the main job: pre-train CL and ACL, fine-tune (SLF), report SA / RA / time (results in $(OUT)); prints its progress
#   make docs    build the documentation site into _docs/
#   make bench   run the benchmarks in bench/ (ratios measured side by side)
#   make check   fail if notebooks are not clean or the library is out of sync with them (CI runs it)
#   make gpu-check  on a machine with one NVIDIA GPU: every CUDA path once, throughput, projected paper hours (~8 min;
#                ARGS=--dry-run runs it on the CPU at tiny sizes)

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
# torch/torchvision as this kind of machine provides them (pip takes them from local disk);
# override on other machines, e.g. `make test TORCH="torch torchvision"`.
TORCH  ?= torch==2.14.1 torchvision==0.29.1
# the install stamp is named by pyproject.toml's content: nbdev-export rewrites that file (same content, new mtime),
# which must not trigger a reinstall
STAMP  := $(VENV)/.installed-$(shell sha256sum pyproject.toml | cut -c1-16)

.PHONY: install test test-all run docs docs-full bench check export clean-nbs gpu-check

# the main job's parameters: any papermill `-p NAME VALUE` pairs go in ARGS, e.g.
#   make run ARGS="-p dataset cifar10 -p data_root ~/data -p preset cpu-cifar10" OUT=runs/acl-c10
OUT  ?= runs/acl_vs_cl
ARGS ?=

$(STAMP):
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q $(TORCH)
	$(BIN)/python -m pip install -q -e ".[dev]"
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 --display-name "Python 3 (robust_contrastive)" >/dev/null
	@touch $(STAMP)

install: $(STAMP)

# the suite runs on every core (pytest-xdist; tests/conftest.py shares the cores out); TEST_WORKERS=0 runs it in this process alone
TEST_WORKERS ?= auto
XDIST = -n $(TEST_WORKERS)

test: install
	$(BIN)/python -m pytest tests $(XDIST)

test-all: install   # also the cells and tests marked slow
	$(BIN)/nbdev-test --flags "slow"
	$(BIN)/python -m pytest tests -m "slow or not slow" $(XDIST)

run: install
	@mkdir -p $(OUT)
	@# papermill writes its output notebook cell by cell: it goes to a temporary name, renamed when the run ends; a failed run's
	@# notebook becomes run_acl.failed.ipynb, so the executed notebook of an earlier successful run is never replaced by it
	$(BIN)/papermill nbs/run_acl.ipynb $(OUT)/.run_acl.ipynb.tmp -k python3 --log-output --no-progress-bar -p out_dir $(OUT) $(ARGS); \
	  rc=$$?; if [ $$rc -eq 0 ]; then mv -f $(OUT)/.run_acl.ipynb.tmp $(OUT)/run_acl.ipynb; \
	  elif [ -f $(OUT)/.run_acl.ipynb.tmp ]; then mv -f $(OUT)/.run_acl.ipynb.tmp $(OUT)/run_acl.failed.ipynb; \
	  echo "The run failed: its notebook is $(OUT)/run_acl.failed.ipynb"; fi; exit $$rc
	@echo "Results: $(OUT)/results.json, $(OUT)/results.md, $(OUT)/results.png (executed notebook: $(OUT)/run_acl.ipynb)"

gpu-check: install
	$(BIN)/python tools/gpu_check.py $(ARGS)

docs: install
	$(BIN)/python tools/build_docs.py

docs-full: install   # the site with the tutorial's full-size run (about 10 min more) in place of the test suite's reduced one
	$(BIN)/python -c "import sys; sys.path.insert(0, 'tools'); import build_docs; build_docs.run_full(build_docs.ROOT/'nbs'/'tutorial.ipynb')"
	$(BIN)/python tools/build_docs.py

bench: install
	$(BIN)/python bench/fast_step.py
	$(BIN)/python bench/augment.py
	$(BIN)/python bench/pgd.py
	$(BIN)/python bench/acl_step.py
	$(BIN)/python bench/rcs.py
	$(BIN)/python bench/air_step.py
	$(BIN)/python bench/loader.py

export: install
	$(BIN)/nbdev-export

clean-nbs: install
	$(BIN)/nbdev-clean

check: install
	$(BIN)/nbdev-export
	@if [ -n "$$(git status --porcelain -- robust_contrastive)" ]; then \
	  git status --porcelain -- robust_contrastive; git --no-pager diff --stat -- robust_contrastive; \
	  echo "robust_contrastive/ is out of sync with nbs/: run nbdev-export and commit the result."; exit 1; fi
	$(BIN)/nbdev-clean
	@if [ -n "$$(git status --porcelain -- nbs)" ]; then \
	  git status --porcelain -- nbs; \
	  echo "Notebooks are not clean: run nbdev-clean and commit the result."; exit 1; fi
	@echo "Notebooks clean, library in sync."
