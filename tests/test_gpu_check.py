"""tools/gpu_check.py, the one command for a machine with a GPU, run here as its --dry-run: the same steps on the CPU at tiny sizes."""
import json, os, subprocess, sys
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED_CIFAR = ROOT.parent/'shared'/'data'/'cifar10-jpeg.tar.gz'
STEPS = ['environment', 'paper_acl_step', 'rcs_round', 'autoattack_500', 'torchrun_one_gpu', 'run_cifar10']


def _dry_run(out, steps):
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'gpu_check.py'), '--dry-run', '--out', str(out), '--data-root', str(SHARED_CIFAR),
                        '--only', ','.join(steps)], env=dict(os.environ, RC_QUIET='1'), capture_output=True, text=True, timeout=1800)
    assert p.returncode == 0, p.stdout[-3000:] + p.stderr[-3000:]
    assert 'gpu-check (dry run) passed' in p.stdout
    got = json.loads((out/'gpu_check.json').read_text())
    assert [s['step'] for s in got['steps']] == steps and all(s['ok'] for s in got['steps']) and got['failed'] == []
    return {r['step']: r for r in got['steps']}


def test_gpu_check_dry_run(tmp_path):
    "Every step but run_cifar10 (slow, below) passes on the CPU and reports what it measured."
    s = _dry_run(tmp_path, STEPS[:-1])
    assert s['environment']['device'] == 'cpu' and s['paper_acl_step']['images_per_second'] > 0
    assert s['paper_acl_step']['projected_hours']['acl'] > 0 and 'not a projection' in s['paper_acl_step']['note']
    assert s['rcs_round']['picked'] == 32  # k = 0.2 of 256 images is 51: the minibatch greedy's one whole batch of 32
    assert 0 <= s['autoattack_500']['aa'] <= s['autoattack_500']['sa'] <= 100 and s['torchrun_one_gpu']['sa'] >= 0


@pytest.mark.slow
def test_gpu_check_dry_run_cifar10(tmp_path):
    "The run_cifar10 step: the notebook's seven rows for one epoch on 512 real CIFAR-10 images (a 20% coreset of them fills a batch of 64)."
    if not SHARED_CIFAR.exists(): pytest.skip(f"the real CIFAR-10 is absent: {SHARED_CIFAR} exists only beside this workplace's checkout")
    s = _dry_run(tmp_path, ['run_cifar10'])
    assert len(s['run_cifar10']['rows']) == 7 and all(0 <= v <= 100 for v in s['run_cifar10']['ra'].values())


def test_gpu_check_fails_loudly_without_a_gpu(tmp_path):
    "Without --dry-run on a machine with no GPU the environment step fails, the others still run, and the exit code says so."
    import torch
    if torch.cuda.is_available(): pytest.skip("this machine has a GPU: there the environment step passes (make gpu-check is the test)")
    p = subprocess.run([sys.executable, str(ROOT/'tools'/'gpu_check.py'), '--out', str(tmp_path), '--only', 'environment'],
                       capture_output=True, text=True, timeout=300)
    assert p.returncode == 1 and 'FAILED: environment' in p.stdout and 'no CUDA device' in p.stdout
