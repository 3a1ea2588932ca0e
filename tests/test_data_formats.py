"""Dataset readers on the real CIFAR-10 and on small files written in each real on-disk format."""
import pickle
from pathlib import Path
import numpy as np
import pytest
from PIL import Image
import tarfile
from robust_contrastive.data import get_dataset, ContrastiveViews, unlabeled_split, unpack_archive
from robust_contrastive.augment import acl_transform


def test_real_cifar10_imagefolder(shared_cifar10):
    tr = get_dataset('imagefolder', shared_cifar10, 'train')
    te = get_dataset('imagefolder', shared_cifar10, 'test')
    assert (len(tr), len(te)) == (50_000, 10_000)
    assert tr.classes == ['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck']
    assert np.bincount(tr.targets).tolist() == [5_000] * 10 and np.bincount(te.targets).tolist() == [1_000] * 10
    img, y = tr[12_345]
    assert img.size == (32, 32) and img.mode == 'RGB' and 0 <= y < 10


def test_real_cifar10_in_memory(shared_cifar10):
    te = get_dataset('cifar10', shared_cifar10, 'test')  # ImageFolder tree decoded into memory
    assert te.data.shape == (10_000, 32, 32, 3) and len(te.classes) == 10
    lazy = get_dataset('imagefolder', shared_cifar10, 'test')
    assert np.array_equal(np.asarray(lazy[777][0]), te.data[777]) and lazy.targets[777] == te.targets[777]
    views = ContrastiveViews(te, acl_transform(1.0))
    v1, v2, i = views[5]
    assert v1.shape == (3, 32, 32) and i == 5


def test_real_cifar10_from_archive(shared_cifar10, tmp_path, monkeypatch):
    from tests.conftest import SHARED_CIFAR
    monkeypatch.setenv('RC_CACHE', str(tmp_path))
    te = get_dataset('cifar10', SHARED_CIFAR, 'test')  # a .tar.gz path is unpacked once into the cache
    unpacked = list(tmp_path.glob('cifar10-jpeg-*'))  # keyed by the archive's content, not only its name
    assert len(te) == 10_000 and len(unpacked) == 1 and (unpacked[0]/'test').is_dir()
    assert not [p for p in tmp_path.iterdir() if p.name.startswith('.')]  # no half-unpacked leftovers


def _write_cifar100(d: Path, rng):
    f = d/'cifar-100-python'; f.mkdir()
    imgs = rng.integers(0, 256, (7, 32, 32, 3), dtype=np.uint8)
    for split, n in (('train', 7), ('test', 3)):
        with open(f/split, 'wb') as fh:
            pickle.dump({'data': imgs[:n].transpose(0, 3, 1, 2).reshape(n, -1), 'fine_labels': list(range(n)),
                         'coarse_labels': [0] * n}, fh)
    with open(f/'meta', 'wb') as fh: pickle.dump({'fine_label_names': [f'f{k}' for k in range(100)]}, fh)
    return imgs


def test_cifar100_pickles(tmp_path):
    imgs = _write_cifar100(tmp_path, np.random.default_rng(0))
    tr, te = get_dataset('cifar100', tmp_path, 'train'), get_dataset('cifar100', tmp_path, 'test')
    assert (len(tr), len(te), len(tr.classes)) == (7, 3, 100)
    assert np.array_equal(np.asarray(tr[4][0]), imgs[4]) and tr[4][1] == 4


def test_stl10_binary(tmp_path):
    rng = np.random.default_rng(1)
    f = tmp_path/'stl10_binary'; f.mkdir()
    imgs = rng.integers(0, 256, (5, 96, 96, 3), dtype=np.uint8)
    # on disk each image is 3 x 96 x 96 in column-major order (the layout of the official binaries)
    imgs.transpose(0, 3, 2, 1).tofile(f/'train_X.bin'); np.array([1, 2, 3, 10, 4], dtype=np.uint8).tofile(f/'train_y.bin')
    imgs[:2].transpose(0, 3, 2, 1).tofile(f/'test_X.bin'); np.array([5, 6], dtype=np.uint8).tofile(f/'test_y.bin')
    imgs[:3].transpose(0, 3, 2, 1).tofile(f/'unlabeled_X.bin')
    (f/'class_names.txt').write_text('\n'.join(['airplane', 'bird', 'car', 'cat', 'deer', 'dog', 'horse', 'monkey', 'ship', 'truck']))
    tr = get_dataset('stl10', tmp_path, 'train')
    assert tr.targets == [0, 1, 2, 9, 3] and np.array_equal(np.asarray(tr[3][0]), imgs[3])
    assert get_dataset('stl10', tmp_path, 'test').targets == [4, 5]
    both = get_dataset('stl10', tmp_path, 'train+unlabeled')
    assert len(both) == 8 and both.targets[-3:] == [-1, -1, -1]


def test_imagenet32_npz(tmp_path):
    rng = np.random.default_rng(2)
    batches = []
    for b in (1, 2, 10):  # numeric order matters: batch 10 comes last, not after batch 1
        x = rng.integers(0, 256, (4, 32, 32, 3), dtype=np.uint8)
        np.savez(tmp_path/f'train_data_batch_{b}.npz', data=x.transpose(0, 3, 1, 2).reshape(4, 3072),
                 labels=[b, b, 1000, 1], mean=np.zeros(3072))
        batches.append(x)
    np.savez(tmp_path/'val_data.npz', data=batches[0].transpose(0, 3, 1, 2).reshape(4, 3072), labels=[1, 2, 3, 4])
    tr = get_dataset('imagenet32', tmp_path, 'train')
    assert len(tr) == 12 and len(tr.classes) == 1000
    assert tr.targets[:4] == [0, 0, 999, 0] and tr.targets[-4:] == [9, 9, 999, 0]  # 1-indexed on disk
    assert np.array_equal(np.asarray(tr[9][0]), batches[2][1])
    assert get_dataset('imagenet32', tmp_path, 'val').targets == [0, 1, 2, 3]
    (tmp_path/'empty').mkdir()
    with pytest.raises(FileNotFoundError, match='train_data_batch_1.npz'):
        get_dataset('imagenet32', tmp_path/'empty', 'train')


def _write_tree(root: Path, classes, n, size=(20, 16), ext='.png'):
    rng = np.random.default_rng(3)
    for c in classes:
        (root/c).mkdir(parents=True)
        for k in range(n): Image.fromarray(rng.integers(0, 256, size[::-1] + (3,), dtype=np.uint8)).save(root/c/f'{k}{ext}')


def test_imagefolder_and_imagenet(tmp_path):
    _write_tree(tmp_path/'train', ['n01', 'n02', 'n03'], 3)
    _write_tree(tmp_path/'val', ['n01', 'n02', 'n03'], 1)
    ds = get_dataset('imagenet', tmp_path, 'train')
    assert len(ds) == 9 and ds.classes == ['n01', 'n02', 'n03'] and ds[0][0].size == (20, 16)
    assert len(get_dataset('imagenet', tmp_path, 'val')) == 3
    flat = get_dataset('imagefolder', tmp_path/'train', split=None)
    assert len(flat) == 9
    mem = get_dataset('imagefolder', tmp_path, 'train', in_memory=True)
    assert mem.data.shape == (9, 16, 20, 3) and np.array_equal(np.asarray(flat[4][0]), mem.data[4])
    (tmp_path/'empty'/'a').mkdir(parents=True)
    with pytest.raises(FileNotFoundError, match='No images found'):
        get_dataset('imagefolder', tmp_path/'empty', split=None)
    with pytest.raises(ValueError, match="splits 'train' and 'val'"):
        get_dataset('imagenet', tmp_path, 'test')


@pytest.mark.parametrize('call, err, msg', [
    (lambda: get_dataset('svhn'), ValueError, "Unknown dataset 'svhn'"),
    (lambda: get_dataset('stl10'), ValueError, 'needs root='),
    (lambda: get_dataset('cifar100', '/nonexistent/data'), FileNotFoundError, 'download=True'),
    (lambda: get_dataset('stl10', '/nonexistent/data', 'train'), FileNotFoundError, 'does not exist'),
    (lambda: unlabeled_split(100, 0.0), ValueError, 'must lie in (0, 1)'),
    (lambda: unlabeled_split(100, 1.0), ValueError, 'must lie in (0, 1)'),
    (lambda: acl_transform(-0.5), ValueError, 'must lie in [0, 1]'),
])
def test_bad_input(call, err, msg):
    with pytest.raises(err, match=pytest.importorskip('re').escape(msg)): call()


def test_missing_cifar_folder_names_layout(tmp_path):
    with pytest.raises(FileNotFoundError, match='cifar-10-batches-py'):
        get_dataset('cifar10', tmp_path, 'train')


def _image_tree(root: Path, rng, n=3):
    for k in range(n):
        (root/f'c{k % 2}').mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 256, (8, 8, 3), dtype=np.uint8)).save(root/f'c{k % 2}'/f'{k}.jpg', quality=95)
    return root


def _tar(src: Path, archive: Path):
    archive.parent.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive, 'w:gz') as tf: tf.add(src, arcname='train')
    return archive


def test_archive_cache_is_keyed_by_content(tmp_path, monkeypatch):
    monkeypatch.setenv('RC_CACHE', str(tmp_path/'cache'))
    rng = np.random.default_rng(0)
    a = _tar(_image_tree(tmp_path/'tree_a', rng), tmp_path/'a'/'data.tar.gz')
    b = _tar(_image_tree(tmp_path/'tree_b', rng), tmp_path/'b'/'data.tar.gz')  # same file name, other images
    da, db = unpack_archive(a), unpack_archive(b)
    assert da != db and unpack_archive(a) == da  # the same archive again: the folder unpacked before
    ja, jb = (np.asarray(Image.open(d/'train'/'c0'/'0.jpg')) for d in (da, db))
    assert not np.array_equal(ja, jb)
    # a truncated archive of that name is not silently replaced by the old folder: it fails, naming the file
    bad = tmp_path/'c'/'data.tar.gz'; bad.parent.mkdir(); bad.write_bytes(a.read_bytes()[:len(a.read_bytes()) // 2])
    with pytest.raises(ValueError, match=r"c/data.tar.gz cannot be unpacked .* truncated or corrupt"):
        unpack_archive(bad)
    assert not [p for p in (tmp_path/'cache').iterdir() if p.name.startswith('.')]  # no half-unpacked leftovers


def test_truncated_jpeg_is_named(tmp_path):
    root = _image_tree(tmp_path/'imgs', np.random.default_rng(1))
    f = root/'c1'/'1.jpg'; f.write_bytes(f.read_bytes()[:40])
    with pytest.raises(ValueError, match=r"c1/1.jpg cannot be decoded .*truncated or corrupt"):
        get_dataset('imagefolder', root, split=None, in_memory=True)
    lazy = get_dataset('imagefolder', root, split=None)  # read from disk batch by batch: the same error when the file is read
    assert np.asarray(lazy[0][0]).shape == (8, 8, 3)
    with pytest.raises(ValueError, match=r"c1/1.jpg cannot be decoded"):
        lazy[[p for p, _ in lazy.samples].index(str(f))]
