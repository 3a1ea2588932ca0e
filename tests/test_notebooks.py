"""Every notebook is a test: its cells run in order and its test cells must pass (nbdev's runner).

Each run keeps the executed notebook (outputs, figures) in _docs_cache/, which the docs build uses (tests/test_site.py)."""
import sys
from pathlib import Path
import pytest
from nbdev.config import get_config

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.', 'run_')))
sys.path.insert(0, str(ROOT/'tools'))
from build_docs import run_notebook  # noqa: E402  (nbdev's test_nb, with the outputs kept for the docs)


@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    flags = get_config(ROOT).tst_flags
    ok, secs = run_notebook(nb, skip_flags=flags.split() if isinstance(flags, str) else flags)
    assert ok, f"{nb.name} failed (traceback above)"


def test_found_notebooks():
    assert {'00_core', '01_data', '02_augment', '03_models', 'index'} <= {p.stem for p in NBS}
