"""The main job notebook runs headless under papermill and writes its results as files."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
papermill = pytest.importorskip('papermill')


def _run(out, **params):
    return papermill.execute_notebook(str(ROOT/'nbs'/'run_acl.ipynb'), str(out/'executed.ipynb'), kernel_name='python3',
                                      parameters=dict(preset='test', epochs=1, n_test=64, slf_epochs=2, pgd_steps=2,
                                                      out_dir=str(out/'res'), verbose=False, **params), progress_bar=False)


def test_main_job_writes_results(tmp_path):
    _run(tmp_path, seeds=[0])
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    assert {r['method'] for r in res['rows']} == {'cl', 'acl'}
    for r in res['rows']:
        assert 0 <= r['ra'] <= r['sa'] <= 100 and r['pretrain_seconds'] > 0
        assert r['pretrain_config']['method'] == r['method'] and r['slf']['mode'] == 'slf'
    assert res['provenance']['torch'] and res['parameters']['preset'] == 'test'
    assert (tmp_path/'res'/'results.png').stat().st_size > 1000 and 'RA PGD-2' in (tmp_path/'res'/'results.md').read_text()
    with pytest.raises(papermill.PapermillExecutionError, match='exists'):
        _run(tmp_path, seeds=[0])  # another run's results are never overwritten silently
