"""The experiment notebooks run headless under papermill with CPU parameters, write the seed's tables, and resume."""
import json
from pathlib import Path
import numpy as np
import pytest

ROOT = Path(__file__).resolve().parents[1]
papermill = pytest.importorskip('papermill')


def _run(nb, out, **params):
    return papermill.execute_notebook(str(ROOT/'nbs'/nb), str(out/f'{nb}.executed.ipynb'), kernel_name='python3',
                                      parameters=dict(verbose=False, **params), progress_bar=False)


def _check_table(res_dir, names, modes=('slf',)):
    res = {r['name']: r for r in json.loads((res_dir/'results.json').read_text())['rows']}
    assert list(res) == list(names)
    for n in names:
        assert res[n]['total_seconds'] > 0
        for m in modes: assert 0 <= res[n]['modes'][m]['ra'] <= res[n]['modes'][m]['sa'] + 100 / 64
    md = (res_dir/'results.md').read_text()
    assert 'pre-training incl. selection (min)' in md and 'speed-up' in md and (res_dir/'results.png').stat().st_size > 1000
    return res


def test_run_cifar10_two_rows(shared_cifar10, tmp_path):
    "run_cifar10 -p preset cpu on the real CIFAR-10 (tiny numbers), two of its rows: Entire and DynACL with an RCS coreset."
    rows = [dict(name='Entire', pretrain={}),
            dict(name='DynACL-RCS-0.2', pretrain=dict(method='dynacl', dyn_period=1, coreset='rcs', fraction=0.2, warmup_full_epochs=1, select_every=2))]
    params = dict(preset='cpu', data_root=str(shared_cifar10), rows=rows, epochs=2, n_train=1536, batch_size=64, n_test=64, modes=['slf'],
                  finetune_overrides=dict(slf=dict(epochs=2)), out_dir=str(tmp_path/'c10'))
    _run('run_cifar10.ipynb', tmp_path, **params)
    res = _check_table(tmp_path/'c10', ['Entire', 'DynACL-RCS-0.2'])
    assert res['DynACL-RCS-0.2']['images_seen'] < res['Entire']['images_seen'] and res['DynACL-RCS-0.2']['select_seconds'] > 0
    assert res['DynACL-RCS-0.2']['pretrain_config']['method'] == 'dynacl' and res['Entire']['pretrain_config']['dataset'] == 'cifar10'


@pytest.mark.slow  # 3 minutes on 2 CPU cores: the two-row case above runs in the default suite
def test_run_cifar10_cpu(shared_cifar10, tmp_path):
    "run_cifar10 -p preset cpu on the real CIFAR-10 (tiny numbers): its seven default pre-training rows, SLF, the table and figure."
    # batch 64 (a PretrainConfig field passed straight to the notebook): 24 steps before the first selection; at the preset's
    # 128 the 12 steps leave the eval-mode BN statistics so far off that RD cannot be attacked (refused, see 06_rcs)
    params = dict(preset='cpu', data_root=str(shared_cifar10), epochs=2, n_train=1536, batch_size=64, n_test=64, modes=['slf'],
                  finetune_overrides=dict(slf=dict(epochs=2)), out_dir=str(tmp_path/'c10'))
    _run('run_cifar10.ipynb', tmp_path, **params)
    res = _check_table(tmp_path/'c10', ['Entire', 'Random-0.2', 'RCS-0.2', 'DynACL', 'DynACL-RCS-0.2', 'ACL-AIR', 'DynACL-AIR'])
    assert res['RCS-0.2']['images_seen'] < res['Entire']['images_seen']
    assert res['DynACL-AIR']['pretrain_config']['lambda2'] == 0.5 and res['DynACL-AIR']['pretrain_config']['method'] == 'dynacl'
    assert all(r['pretrain_config']['batch_size'] == 64 for r in res.values())


def _write_imagenet32(folder, n_per_batch=500, batches=3, n_classes=10):
    "Downsampled ImageNet in its real format: train_data_batch_k.npz / val_data.npz, rows of 3072 bytes, labels 1-indexed."
    rng = np.random.default_rng(0)
    folder.mkdir(parents=True)
    for b in range(1, batches + 1):
        np.savez(folder/f'train_data_batch_{b}.npz', data=rng.integers(0, 256, (n_per_batch, 3072), dtype=np.uint8),
                 labels=rng.integers(1, n_classes + 1, n_per_batch))
    np.savez(folder/'val_data.npz', data=rng.integers(0, 256, (100, 3072), dtype=np.uint8), labels=rng.integers(1, n_classes + 1, 100))


def test_run_imagenet_two_rows(tmp_path):
    "run_imagenet -p preset cpu on npz files in the real format, two of its rows (ACL with RCS, SAT with RCS), transfer to the embedded data."
    _write_imagenet32(tmp_path/'in32')
    rows = [dict(name='RCS-0.2', pretrain=dict(coreset='rcs', fraction=0.2, warmup_full_epochs=1, select_every=1, rcs_attack_steps=1, val_fraction=0.02)),
            dict(name='SAT-RCS-0.2', sat=dict(arch='tiny', width=16, eps=4/255, warmup_full_epochs=1, select_every=1, coreset='rcs', fraction=0.2))]
    params = dict(preset='cpu', data_root=str(tmp_path/'in32'), downstream='embedded', rows=rows, epochs=2, n_finetune=512,
                  n_test=64, modes=['slf'], finetune_overrides=dict(slf=dict(epochs=2)), out_dir=str(tmp_path/'in'))
    _run('run_imagenet.ipynb', tmp_path, **params)
    res = _check_table(tmp_path/'in', ['RCS-0.2', 'SAT-RCS-0.2'])
    assert res['SAT-RCS-0.2']['kind'] == 'sat' and res['SAT-RCS-0.2']['sat_config']['coreset'] == 'rcs'
    assert res['RCS-0.2']['pretrain_config']['dataset'] == 'imagenet32' and res['RCS-0.2']['select_seconds'] > 0


@pytest.mark.slow  # 1 minute: the two-row case above runs in the default suite
def test_run_imagenet_cpu_and_resume(tmp_path):
    "run_imagenet -p preset cpu on npz files in the real format: ACL Entire / Random / RCS and SAT / SAT-RCS rows, transfer to the embedded data; a rerun without resume is refused, with resume it reuses everything."
    _write_imagenet32(tmp_path/'in32')
    params = dict(preset='cpu', data_root=str(tmp_path/'in32'), downstream='embedded', epochs=2, n_finetune=512,
                  n_test=64, modes=['slf'], finetune_overrides=dict(slf=dict(epochs=2)), out_dir=str(tmp_path/'in'))
    _run('run_imagenet.ipynb', tmp_path, **params)
    res = _check_table(tmp_path/'in', ['Entire', 'Random-0.2', 'RCS-0.2', 'SAT', 'SAT-RCS-0.2'])
    assert res['SAT-RCS-0.2']['kind'] == 'sat' and res['SAT-RCS-0.2']['sat_config']['coreset'] == 'rcs'
    assert res['SAT']['sat_config']['coreset'] is None and res['RCS-0.2']['pretrain_config']['dataset'] == 'imagenet32'
    with pytest.raises(papermill.PapermillExecutionError, match='pass resume=True'):
        _run('run_imagenet.ipynb', tmp_path, **params)
    before = (tmp_path/'in'/'results.json').read_text()
    _run('run_imagenet.ipynb', tmp_path, **dict(params, resume=True))
    key = lambda s: {r['name']: (r['modes']['slf']['sa'], r['modes']['slf']['ra']) for r in json.loads(s)['rows']}
    assert key(before) == key((tmp_path/'in'/'results.json').read_text())
