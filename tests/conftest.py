import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CIFAR = ROOT.parent/'shared'/'data'/'cifar10-jpeg.tar.gz'

os.environ.setdefault('RC_QUIET', '1')  # no progress bars in test logs

# `make test` runs the suite on every core with pytest-xdist (one worker per core). The suite's networks are tiny: one thread
# each does as much per second as two (measured: the 07_pretrain notebook took 252 s on one thread beside another worker,
# 288 s alone on two), so each worker, and every process it starts (papermill kernels, torchrun), gets its share of the cores.
if os.environ.get('PYTEST_XDIST_WORKER_COUNT'):
    _share = str(max(1, (os.cpu_count() or 1) // int(os.environ['PYTEST_XDIST_WORKER_COUNT'])))
    os.environ.setdefault('OMP_NUM_THREADS', _share)
    import torch
    torch.set_num_threads(int(os.environ['OMP_NUM_THREADS']))

# Order for the workers: the notebooks first, the heaviest leading (xdist hands tests out in this order, so the long ones
# start early and the end of the run is short tests), the other tests next, and the docs site last: it is built from the
# executed notebooks that the notebook tests leave in _docs_cache/, and waits for any still running on the other worker
# (tools/build_docs.py, wait_for_runs) instead of running them again.
HEAVY_FIRST = ('11_experiment', '07_pretrain', '08_sat', '06_rcs')


def pytest_collection_modifyitems(config, items):
    def rank(it):
        if it.path.name == 'test_site.py': return (2, 0)
        if it.path.name == 'test_notebooks.py':
            stem = it.callspec.params['nb'].stem if hasattr(it, 'callspec') else ''
            return (0, HEAVY_FIRST.index(stem) if stem in HEAVY_FIRST else len(HEAVY_FIRST))
        return (1, 0)
    items.sort(key=rank)  # stable: each file keeps its own order


@pytest.fixture(scope='session')
def root(): return ROOT


@pytest.fixture(scope='session')
def shared_cifar10():
    "The real CIFAR-10 (JPEG ImageFolder tree) unpacked from ../shared/data, or a skip that says why."
    if not SHARED_CIFAR.exists():
        pytest.skip(f"real CIFAR-10 not available: {SHARED_CIFAR} is absent (it exists only beside this workplace's checkout)")
    from robust_contrastive.data import unpack_archive
    return unpack_archive(SHARED_CIFAR)
