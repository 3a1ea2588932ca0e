"""Which selector options matter? RCS variants and a random coreset, side by side from one warm model.

From an ACL model warmed up for W epochs on the pool, every selector picks a coreset of fraction k; the model then
trains E epochs on that coreset (same seed, same data order and augmentation for all), and we measure the
representational divergence (RD, lower is better) on held-out test images, and the selection time. This isolates the
selector from the rest of a run (one round of the RCS loop). Results: JSON with the config and versions.

    python bench/rcs_sensitivity.py --data-root DIR [--pool 15000] [--k 0.2] [--warmup 1] [--epochs 2] [--seed 0] --out F
"""
import argparse, copy, json, time
import torch
from robust_contrastive.core import set_verbose, seed_everything, provenance, write_json
from robust_contrastive.data import get_dataset, image_tensors, unlabeled_split
from robust_contrastive.augment import BatchedAugment
from robust_contrastive.losses import acl_loss, contrastive_pgd
from robust_contrastive.pretrain import get_config, pretrain, LARS
from robust_contrastive.rcs import select_coreset, random_coreset, representational_divergence, acl_objective

VARIANTS = {  # name -> select_coreset options (None: random)
    'random': None,
    'rcs (batch, projector, kl, PGD-1)': dict(),
    'rcs sample': dict(granularity='sample'),
    'rcs last layer': dict(params='last'),
    'rcs reference_compat RD': dict(distance='reference_compat'),
    'rcs candidate PGD-5': dict(attack_steps=5),
    'rcs x~_U found again before each refresh': dict(val_attack='refresh'),
}


def train_on(model, images, idx, cfg, epochs, seed):
    "ACL epochs on images[idx] (the loop of 07_pretrain without its bookkeeping), constant lr = the config's."
    m = copy.deepcopy(model)  # the LARS variant results/rcs-sensitivity was measured with (07_pretrain: lars_rule='exclude_1d')
    opt = LARS(m.parameters(), cfg.lr * 0.5, cfg.momentum, cfg.weight_decay, cfg.trust_coef, exclude_1d=True)
    aug, g = BatchedAugment(cfg.strength), torch.Generator().manual_seed(seed)
    idx = torch.as_tensor(idx)
    for _ in range(epochs):
        perm = idx[torch.randperm(len(idx), generator=g)]
        m.train()
        for s in range(len(perm) // cfg.batch_size):
            x = images[perm[s * cfg.batch_size:(s + 1) * cfg.batch_size]].float().div_(255)
            x1, x2 = aug(x, g), aug(x, g)
            a1, a2 = contrastive_pgd(m, x1, x2, cfg.eps, cfg.step_size, cfg.attack_steps, cfg.temperature, generator=g)
            b = len(x); z, za = m(torch.cat([x1, x2]), route='normal'), m(torch.cat([a1, a2]), route='pgd')
            loss, _ = acl_loss(z[:b], z[b:], za[:b], za[b:], cfg.temperature)
            opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
    return m


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--data-root', required=True)
    ap.add_argument('--pool', type=int, default=15000)
    ap.add_argument('--k', type=float, default=0.2)
    ap.add_argument('--warmup', type=int, default=1)
    ap.add_argument('--epochs', type=int, default=2)
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--n-rd', type=int, default=500)
    ap.add_argument('--out', required=True)
    a = ap.parse_args()
    set_verbose(False)
    cfg = get_config('cpu-cifar10', data_root=a.data_root, n_train=a.pool, epochs=a.warmup, seed=a.seed)
    x, _, _ = image_tensors(get_dataset('cifar10', a.data_root), a.pool, a.seed)
    xt, _, _ = image_tensors(get_dataset('cifar10', a.data_root, 'test'), a.n_rd, 0)
    pool, val = unlabeled_split(len(x), 0.01, a.seed)
    xp, xv = x[torch.from_numpy(pool)], x[torch.from_numpy(val)]
    warm = pretrain(cfg, images=xp).model
    out = dict(config=dict(vars(a), pretrain=cfg.__dict__), rd_warm=representational_divergence(warm, xt), variants={},
               provenance=provenance('cifar10', 'rcs-sensitivity', seed=a.seed))
    for name, opts in VARIANTS.items():
        t = time.perf_counter()
        sel = (random_coreset(len(xp), a.k, seed=a.seed) if opts is None else
               select_coreset(warm, xp, xv, a.k, acl_objective(steps=opts.get('attack_steps', 1)), batch_size=cfg.batch_size, seed=a.seed,
                              **{k: v for k, v in opts.items() if k != 'attack_steps'}))
        secs = time.perf_counter() - t
        m = train_on(warm, xp, sel.indices, cfg, a.epochs, a.seed)
        rd = representational_divergence(m, xt)
        out['variants'][name] = dict(rd=rd, select_seconds=secs, n=len(sel.indices), options=opts)
        print(f"{name:28s} RD {rd:.4f}  selection {secs:6.1f} s  ({len(sel.indices)} images)", flush=True)
        write_json(a.out, out)


if __name__ == '__main__':
    main()
