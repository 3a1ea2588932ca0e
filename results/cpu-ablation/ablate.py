"""Issue 14: which choices make ACL learn robust features at CPU scale (real CIFAR-10, 5,000 images, 15 epochs, PGD-3).

Every row is ACL on the same 5,000 training images (seed 3), 15 epochs, PGD-3 pre-training attack, then the package's
CPU SLF (25 epochs, cached features) and SA / PGD-20 RA on 1,000 test images. Rows are PretrainConfig overrides of the
old `cpu-cifar10` preset (tiny CNN width 16, LARS lr 2.0, batch 256); finished rows are reused on restart.

    OMP_NUM_THREADS=1 python results/cpu-ablation/ablate.py STAGE PART   # e.g. `1 a` and `1 b` side by side
"""
import sys
from pathlib import Path
from robust_contrastive.experiment import run_experiment

DATA = str(Path.home()/'.cache/robust_contrastive/cifar10-jpeg')
OLD = dict(arch='tiny', width=16, proj_dim=128, optimizer='lars', lars_rule='exclude_1d', lr=2.0, batch_size=256, weight_decay=1e-6, warmup_epochs=1)
FAST = dict(precision='bf16', channels_last=True)  # the fast step (bench/fast_step.py); the same for every row
SGD = dict(optimizer='sgd', lr=0.5, batch_size=128, weight_decay=5e-4)
R8 = dict(arch='resnet18', width=8, **SGD)
STAGES = {
    '1': {  # optimiser, batch, architecture
        'a': [dict(name='old preset'), dict(name='SGD b128', **SGD), dict(name='SGD b128 lr 0.1', **{**SGD, 'lr': 0.1}),
              dict(name='tiny-32 SGD', width=32, **SGD)],
        'b': [dict(name='LARS b128', batch_size=128), dict(name='ResNet-18 w16 SGD', arch='resnet18', width=16, **SGD),
              dict(name='ResNet-18 w8 SGD', arch='resnet18', width=8, **SGD)],
    },
    '2': {  # on ResNet-18 w8 SGD (as robust as w16 at a third of the cost): the attack's step, augmentation strength, lr, data
        'a': [dict(name='R18w8 step 2.5eps/T', step_size=2.5 * 8 / 255 / 3, **R8), dict(name='R18w8 strength 0.5', strength=0.5, **R8),
              dict(name='R18w8 lr 1.0', **{**R8, 'lr': 1.0})],
        'b': [dict(name='R18w8 10k images x 8 epochs', n_train=10000, epochs=8, **R8), dict(name='R18w8 PGD-5', attack_steps=5, **R8)],
    },
}

if __name__ == '__main__':
    stage, part = sys.argv[1], sys.argv[2]
    common = dict(OLD, n_train=5000, epochs=15, attack_steps=3, **FAST)
    out = Path(__file__).parent/f'stage{stage}{part}'
    run_experiment(STAGES[stage][part], out, seeds=[3], preset='cpu-cifar10', dataset='cifar10',
                    data_root=DATA, common=common, n_test=1000, n_rd=0, slf_epochs=25, pgd_steps=20, resume=out.exists(), verbose=False,
                    note='5,000 images, 15 epochs, PGD-3 (issue 14 ablation)')
