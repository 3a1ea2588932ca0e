"""Issue 14: SLF head settings on one pre-trained ACL encoder (results/cpu-cifar10/acl-seed0, before the cpu-slf change).

SLF on the encoder's 10,000 pre-training images (the subset of seed 0; '50k': all training images), SA / PGD-20 RA on
1,000 test images. Each variant is the cpu-slf preset of the time (weight decay 2e-4) with the changes in its name.

    OMP_NUM_THREADS=1 python results/cpu-ablation/slf_probe.py results/cpu-cifar10/acl-seed0/checkpoint.pt
"""
import os, sys
from robust_contrastive.finetune import finetune, get_finetune_config, load_encoder
from robust_contrastive.data import get_dataset, image_tensors
from robust_contrastive.evaluate import evaluate

root = os.path.expanduser('~/.cache/robust_contrastive/cifar10-jpeg')
enc, meta = load_encoder(sys.argv[1])
tr, te = get_dataset('cifar10', root, 'train'), get_dataset('cifar10', root, 'test')
xt, yt, _ = image_tensors(te, 1000, seed=0)
old = dict(weight_decay=2e-4)
variants = [('wd 2e-4 (old cpu-slf)', 'cpu-slf', old, 10000), ('no standardize', 'cpu-slf', dict(old, standardize=False), 10000),
            ('no standardize, lr 0.1', 'cpu-slf', dict(old, standardize=False, lr=0.1), 10000)]
variants += [(f'wd {wd:g}', 'cpu-slf', dict(weight_decay=wd), 10000) for wd in (5e-3, 1e-2, 2e-2, 5e-2)]
variants += [('slf (RobustSSL protocol)', 'slf', {}, 10000), ('50k wd 0.02', 'cpu-slf', dict(weight_decay=2e-2), None)]
for name, preset, over, n in variants:
    x, y, _ = image_tensors(tr, n, 0)
    clf, ft = finetune(enc, x, y, 10, get_finetune_config(preset, **over), verbose=False)
    ev = evaluate(clf, xt, yt, steps=20, seed=0, verbose=False)
    print(f"{name}: SA {ev['sa']:.1f} RA {ev['ra']:.1f}", flush=True)
