"""RCS under torch.distributed: 2 gloo processes launched by torchrun select the same coreset on both ranks,
and the same coreset as one process."""
import json, os, socket, subprocess, sys
from pathlib import Path
import pytest

WORKER = r'''
import json, os, sys, warnings
import torch, torch.distributed as dist
warnings.filterwarnings('ignore')
from robust_contrastive.core import seed_everything, set_verbose
from robust_contrastive.data import EmbeddedShapes, image_tensors, unlabeled_split
from robust_contrastive.models import build_contrastive_net
from robust_contrastive.rcs import select_coreset, acl_objective
set_verbose(False); torch.set_num_threads(1)
out = sys.argv[1]
if 'RANK' in os.environ: dist.init_process_group('gloo')
rank = dist.get_rank() if dist.is_initialized() else 0
seed_everything(0)
model = build_contrastive_net('tiny', width=8, proj_dim=16)
x, _, _ = image_tensors(EmbeddedShapes('train', n=800, seed=3))
pool, val = unlabeled_split(len(x), 0.05, seed=0)
res = {}
for gran, frac in (('batch', 0.25), ('sample', 0.1)):
    r = select_coreset(model, x[pool], x[val], frac, granularity=gran, batch_size=48, objective=acl_objective(steps=1), rd_steps=1,
                       picks_per_refresh=19, seed=5)
    res[gran] = dict(indices=r.indices.tolist(), order=[int(o) for o in r.order], world=r.config['world_size'])
with open(os.path.join(out, f"rank{rank}{'' if dist.is_initialized() else '-single'}.json"), 'w') as f: json.dump(res, f)
if dist.is_initialized(): dist.destroy_process_group()
'''


def test_rcs_sharded_two_processes(tmp_path):
    (tmp_path/'worker.py').write_text(WORKER)
    env = dict(os.environ, OMP_NUM_THREADS='1', RC_QUIET='1')
    run = dict(cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    p = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
                        'worker.py', str(tmp_path)], **run)
    assert p.returncode == 0, p.stderr[-3000:]
    p = subprocess.run([sys.executable, 'worker.py', str(tmp_path)], **run)
    assert p.returncode == 0, p.stderr[-3000:]
    r0, r1, single = (json.loads((tmp_path/f).read_text()) for f in ('rank0.json', 'rank1.json', 'rank0-single.json'))
    for gran in ('batch', 'sample'):
        assert r0[gran]['world'] == r1[gran]['world'] == 2 and single[gran]['world'] == 1
        assert r0[gran] == r1[gran]  # every rank returns the same coreset
        assert len(r0[gran]['indices']) == len(set(r0[gran]['indices'])) > 0
        # one process computes every candidate itself: the same batches, the same gradients, the same picks
        assert r0[gran]['indices'] == single[gran]['indices'], gran


PRETRAIN_WORKER = r'''
import json, os, sys, warnings
import torch, torch.distributed as dist
warnings.filterwarnings('ignore')
from robust_contrastive.core import set_verbose
from robust_contrastive.pretrain import get_config, pretrain
set_verbose(False); torch.set_num_threads(1)
out, tag = sys.argv[1], sys.argv[2]
if 'RANK' in os.environ: dist.init_process_group('gloo')
rank = dist.get_rank() if dist.is_initialized() else 0
cfg = get_config('test', n_train=512, epochs=3, batch_size=64, lambda1=0.5, lambda2=0.5, coreset='rcs', fraction=0.5,
                 warmup_full_epochs=1, select_every=1, val_fraction=0.05)
res = pretrain(cfg, os.path.join(out, tag))
flat = torch.cat([p.detach().flatten() for p in res.model.parameters()])
with open(os.path.join(out, f"{tag}-rank{rank}.json"), 'w') as f:
    json.dump(dict(losses=[h['loss'] for h in res.history], images=[h['images'] for h in res.history],
                   coreset=res.coreset.tolist(), params=flat[::97].tolist(), norm=flat.norm().item(),
                   files=sorted(os.listdir(os.path.join(out, tag)))), f)
if dist.is_initialized(): dist.destroy_process_group()
'''


def test_pretrain_two_processes(tmp_path):
    "ACL-AIR with RCS under torchrun (2 gloo processes): identical weights and coreset on both ranks, files from rank 0 only, the same training as one process in distribution (the loss per epoch within 10%), and as 2 nodes x 1 process through a c10d rendezvous the same weights as on one node."
    (tmp_path/'pre.py').write_text(PRETRAIN_WORKER)
    env = dict(os.environ, OMP_NUM_THREADS='1', RC_QUIET='1')
    run = dict(cwd=tmp_path, env=env, capture_output=True, text=True, timeout=900)
    p = subprocess.run([sys.executable, '-m', 'torch.distributed.run', '--standalone', '--nproc_per_node', '2',
                        'pre.py', str(tmp_path), 'two'], **run)
    assert p.returncode == 0, p.stderr[-3000:]
    p = subprocess.run([sys.executable, 'pre.py', str(tmp_path), 'one'], **run)
    assert p.returncode == 0, p.stderr[-3000:]
    r0, r1, one = (json.loads((tmp_path/f).read_text()) for f in ('two-rank0.json', 'two-rank1.json', 'one-rank0.json'))
    assert r0['params'] == r1['params'] and r0['losses'] == r1['losses']  # DDP keeps the processes in step
    assert r0['coreset'] == r1['coreset'] and len(r0['coreset']) == len(one['coreset'])
    assert r0['images'] == one['images']  # the global batch is the batch of one process
    assert 'checkpoint.pt' in r0['files'] and 'history.json' in r0['files']
    for a, b in zip(r0['losses'], one['losses']): assert abs(a - b) < 0.1 * abs(b), (r0['losses'], one['losses'])
    # the same job as 2 "nodes" x 1 process, found through torchrun's c10d rendezvous on localhost (the multi-node launch
    # of the README, with gloo): the same processes, so the same weights as the single-node 2-process run, bit for bit
    with socket.socket() as s: s.bind(('127.0.0.1', 0)); port = s.getsockname()[1]
    node = [sys.executable, '-m', 'torch.distributed.run', '--nnodes', '2', '--nproc_per_node', '1', '--rdzv_backend', 'c10d',
            '--rdzv_endpoint', f'127.0.0.1:{port}', '--rdzv_id', 'rc-test', '--max_restarts', '0', 'pre.py', str(tmp_path), 'nodes']
    nodes = [subprocess.Popen(node, cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    try: outs = [n.communicate(timeout=900) for n in nodes]
    finally:
        for n in nodes:
            if n.poll() is None: n.kill()  # a hung rendezvous must not outlive the test
    assert all(n.returncode == 0 for n in nodes), [o[1][-2000:] for o in outs]
    m0, m1 = (json.loads((tmp_path/f'nodes-rank{r}.json').read_text()) for r in (0, 1))
    assert m0['params'] == m1['params'] == r0['params'] and m0['losses'] == r0['losses'] and m0['coreset'] == r0['coreset']


def test_experiment_launch_two_processes(tmp_path):
    "experiment.launch: run_experiment under torchrun with 2 gloo processes writes the same kind of table as one process."
    from robust_contrastive.experiment import launch
    spec = dict(rows=[dict(name='Entire', pretrain=dict(epochs=1)), dict(name='SAT', sat=dict(epochs=1))], out_dir=str(tmp_path/'job'),
                preset='test', sat_preset='test', modes=['slf'], finetune_overrides=dict(slf=dict(epochs=2)), n_test=64,
                pgd_steps=2, verbose=False)
    res = launch(spec, processes=2)
    assert [r['name'] for r in res['rows']] == ['Entire', 'SAT'] and res['rows'][0]['modes']['slf']['sa'] >= 0
    cfg = json.loads((tmp_path/'job'/'entire-seed0'/'config.json').read_text())
    assert cfg['resolved']['processes'] == 2  # the pre-training ran under DDP
    assert (tmp_path/'job'/'results.md').exists() and (tmp_path/'job'/'sat-seed0'/'checkpoint.pt').exists()
