import os
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CIFAR = ROOT.parent/'shared'/'data'/'cifar10-jpeg.tar.gz'

os.environ.setdefault('RC_QUIET', '1')  # no progress bars in test logs


@pytest.fixture(scope='session')
def root(): return ROOT


@pytest.fixture(scope='session')
def shared_cifar10():
    "The real CIFAR-10 (JPEG ImageFolder tree) unpacked from ../shared/data, or a skip that says why."
    if not SHARED_CIFAR.exists():
        pytest.skip(f"real CIFAR-10 not available: {SHARED_CIFAR} is absent (it exists only beside this workplace's checkout)")
    from robust_contrastive.data import unpack_archive
    return unpack_archive(SHARED_CIFAR)
