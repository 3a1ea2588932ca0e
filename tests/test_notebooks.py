"""Every notebook is a test: its cells run in order and its test cells must pass (nbdev's runner)."""
from pathlib import Path
import pytest
from nbdev.config import get_config
import nbdev.test as nbtest

ROOT = Path(__file__).resolve().parents[1]
NBS = sorted(p for p in (ROOT/'nbs').glob('*.ipynb') if not p.name.startswith(('_', '.', 'run_')))


@pytest.mark.parametrize('nb', NBS, ids=[p.stem for p in NBS])
def test_notebook(nb):
    flags = get_config(ROOT).tst_flags
    ok, secs = nbtest.test_nb(nb, skip_flags=flags.split() if isinstance(flags, str) else flags, basepath=ROOT, showerr=True)
    assert ok, f"{nb.name} failed (traceback above)"


def test_found_notebooks():
    assert {'00_core', '01_data', '02_augment', '03_models', 'index'} <= {p.stem for p in NBS}
