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

# The docs site is built from the notebooks the suite just ran (their executed copies in _docs_cache/), so the notebooks and
# the site tests form one group that runs in order on one worker; it is the longest unit, so it is handed out first.
DOCS_GROUP = ('test_notebooks.py', 'test_site.py')


def pytest_collection_modifyitems(config, items):
    docs = [it for it in items if it.path.name in DOCS_GROUP]
    for it in docs: it.add_marker(pytest.mark.xdist_group('docs'))
    items[:] = docs + [it for it in items if it.path.name not in DOCS_GROUP]


@pytest.fixture(scope='session')
def root(): return ROOT


@pytest.fixture(scope='session')
def shared_cifar10():
    "The real CIFAR-10 (JPEG ImageFolder tree) unpacked from ../shared/data, or a skip that says why."
    if not SHARED_CIFAR.exists():
        pytest.skip(f"real CIFAR-10 not available: {SHARED_CIFAR} is absent (it exists only beside this workplace's checkout)")
    from robust_contrastive.data import unpack_archive
    return unpack_archive(SHARED_CIFAR)
