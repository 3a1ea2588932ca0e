"""Issue 14: the embedded-data probes (CL and ACL, seed 0, SLF, 1,000 test images) with the shapes re-rendered.

Variant E1 (texture dark cells at 80% brightness, shape radius 0.34-0.46 of the side) is what data.TEXTURE_DARK and
data.SIZE_RANGE now are; this script patched the renderer before they existed. E1: 5,000 images, 10 epochs, PGD-3
at step 2/255; E1b (run as `runb`: n_train 10,000, step_size 2.5 * 8/255 / 3, out folder E1b) is the new `cpu` preset.
emb1 / emb2 are the old rendering through run_acl (papermill `-p arch resnet18 -p width 8 -p optimizer sgd -p lr 0.5
-p batch_size 128 -p weight_decay 5e-4 -p attack_steps 3 -p n_train 5000 -p epochs 10`, emb2 with `-p strength 0.5`).

    OMP_NUM_THREADS=1 RC_QUIET=1 python results/cpu-ablation/embedded/probe.py E1
"""
import sys, numpy as np
import robust_contrastive.data as D
from robust_contrastive.experiment import run_experiment
variant = sys.argv[1]
tex, lo, hi = dict(E1=(0.8, 0.34, 0.46), E2=(0.8, 0.28, 0.42), E3=(0.45, 0.36, 0.46))[variant]
old_table = D._texture_table
def table(S): t = old_table(S); return np.where(t < 1, tex, 1.0).astype(np.float32)
D._texture_table = table
def factors(n, rng, size=32):
    rad = rng.uniform(lo, hi, n) * size
    return dict(content=rng.integers(0, len(D.SHAPES), n), colour=rng.integers(0, len(D.COLOURS), n),
                texture=rng.integers(0, len(D.TEXTURES), n), background=rng.integers(0, D.N_BACKGROUNDS, n),
                x=rng.uniform(rad, size - rad), y=rng.uniform(rad, size - rad), size=rad)
D.sample_shape_factors = factors
common = dict(arch='resnet18', width=8, optimizer='sgd', lr=0.5, batch_size=128, weight_decay=5e-4, attack_steps=3, n_train=5000, epochs=10)
run_experiment([dict(name='CL', method='cl'), dict(name='ACL', method='acl')], f'/tmp/t/embx/{variant}', seeds=[0], preset='cpu',
                dataset='embedded', common=common, n_test=1000, n_rd=0, overwrite=True, verbose=False, invariance=False)
