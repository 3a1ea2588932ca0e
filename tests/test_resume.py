"""A pre-training run killed at an arbitrary moment resumes from its last checkpoint and ends with
exactly the weights of a run that was never interrupted (same seed)."""
import json, subprocess, sys, time
import pytest
import torch
from robust_contrastive.pretrain import get_config, pretrain

CFG = dict(preset='test', epochs=6, n_train=512)


def _script(out, resume):
    return (f"from robust_contrastive.pretrain import get_config, pretrain\n"
            f"pretrain(get_config('test', epochs={CFG['epochs']}, n_train={CFG['n_train']}), {str(out)!r}, resume={resume}, verbose=False)\n")


def test_killed_run_resumes_exactly(tmp_path):
    out = tmp_path/'run'
    proc = subprocess.Popen([sys.executable, '-c', _script(out, False)])
    t0 = time.time()
    while not (out/'history.json').exists():  # wait for the first finished epoch
        assert proc.poll() is None, "the run ended before writing a checkpoint"
        assert time.time() - t0 < 300, "no checkpoint after 300 s"
        time.sleep(0.02)
    time.sleep(0.25)  # then kill it somewhere inside a later epoch
    proc.kill(); proc.wait()
    done = json.loads((out/'history.json').read_text())
    assert len(done) < CFG['epochs'], "the run finished before it could be killed; the test proves nothing"
    ck = torch.load(out/'checkpoint.pt', weights_only=True)  # the checkpoint on disk is complete and readable
    assert ck['epoch'] == len(done) - 1
    cfg = get_config('test', epochs=CFG['epochs'], n_train=CFG['n_train'])
    resumed = pretrain(cfg, out, resume=True, verbose=False)
    straight = pretrain(cfg, tmp_path/'straight', verbose=False)
    a, b = resumed.model.state_dict(), straight.model.state_dict()
    assert a.keys() == b.keys()
    diff = [k for k in a if not torch.equal(a[k], b[k])]
    assert not diff, f"resumed weights differ from the uninterrupted run in {diff[:5]}"
    assert [h['epoch'] for h in resumed.history] == list(range(CFG['epochs']))


def test_resume_refuses_other_config(tmp_path):
    pretrain(get_config('test', epochs=1), tmp_path, verbose=False)
    with pytest.raises(ValueError, match='different config'):
        pretrain(get_config('test', epochs=1, temperature=0.2), tmp_path, resume=True, verbose=False)
    with pytest.raises(FileExistsError, match='resume=True'):
        pretrain(get_config('test', epochs=1), tmp_path, verbose=False)
    with pytest.raises(FileNotFoundError, match='no checkpoint'):
        pretrain(get_config('test', epochs=1), tmp_path/'new', resume=True, verbose=False)
