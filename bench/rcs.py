"""RCS cost, measured side by side in one run.

1. One selection round (batch and sample granularity; candidates in float32 and under the run's autocast, `rcs_amp`)
   as a fraction of one full-pool ACL epoch, same model and pool (goal: <= 0.3; the reference's round costs about 0.8
   of an epoch).
2. With --end-to-end: wall time of ACL-RCS (k = 0.2) vs ACL on the entire pool for the same epochs.

    python bench/rcs.py [--preset cpu] [--pool 4096] [--batch 256] [--rcs-attack-steps 1 5] [--end-to-end --epochs 20]
"""
import argparse, json, platform, time
from dataclasses import replace
from pathlib import Path
import numpy as np
import torch
from robust_contrastive.core import set_verbose, get_device
from robust_contrastive.data import EmbeddedShapes, image_tensors, unlabeled_split
from robust_contrastive.pretrain import get_config, pretrain, fast_settings
from robust_contrastive.rcs import select_coreset, acl_objective


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--preset', default='cpu', help="the model and recipe (07_pretrain PRESETS), e.g. cpu-cifar10")
    ap.add_argument('--pool', type=int, default=4096)
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--fraction', type=float, default=0.2)
    ap.add_argument('--rcs-attack-steps', type=int, nargs='+', default=[1, 5])
    ap.add_argument('--end-to-end', action='store_true')
    ap.add_argument('--epochs', type=int, default=20)
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    set_verbose(False)
    X, _, _ = image_tensors(EmbeddedShapes('train', n=a.pool + a.pool // 50))
    pool, val = unlabeled_split(len(X), 1 / 51, seed=0)
    Xp, Xv = X[pool], X[val]
    cfg = get_config(a.preset, method='acl', n_train=None, epochs=2, batch_size=a.batch, coreset=None)
    amp = fast_settings(cfg, get_device(None))['autocast']  # what the run's autocast resolves to on this machine's device
    warm = pretrain(cfg, images=Xp, stop_after_epoch=0)  # one epoch of warm-up: a model worth selecting with
    epoch_s = warm.history[0]['seconds']
    # time one more full-pool epoch on the same model, interleaved with the selection rounds
    res = {'acl_epoch': [], }
    runs = {}
    for steps in a.rcs_attack_steps:
        for gran in ('batch', 'sample'):
            runs[f'{gran}, candidate PGD-{steps}, float32'] = (gran, steps, None)
            if amp is not None: runs[f'{gran}, candidate PGD-{steps}, {str(amp).replace("torch.", "")} (rcs_amp)'] = (gran, steps, amp)
    for k in runs: res[k] = []
    for rep in range(2):
        t = time.perf_counter(); pretrain(cfg, images=Xp, stop_after_epoch=0); res['acl_epoch'].append(time.perf_counter() - t)
        for k, (gran, steps, dt) in runs.items():
            t = time.perf_counter()
            select_coreset(warm.model, Xp, Xv, a.fraction, acl_objective(steps=steps, amp=dt), granularity=gran, batch_size=a.batch, seed=rep)
            res[k].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in res.items()}
    print(f"RCS selection round vs one ACL epoch: pool {len(Xp)}, U {len(Xv)}, batch {a.batch}, k {a.fraction}, preset {a.preset} "
          f"({cfg.arch}, width {cfg.width}), epoch under {amp or 'float32'}, threads {torch.get_num_threads()}")
    print(f"  ACL epoch on the whole pool: {best['acl_epoch']:.1f} s")
    for k in runs: print(f"  selection ({k}): {best[k]:.1f} s = {best[k] / best['acl_epoch']:.2f} epoch")
    out = dict(best_seconds=best, ratios={k: best[k] / best['acl_epoch'] for k in runs})
    if a.end_to_end:
        W, I = max(1, a.epochs // 10), max(1, a.epochs // 5)
        base = get_config(a.preset, method='acl', n_train=None, epochs=a.epochs, batch_size=a.batch, coreset=None)
        t = time.perf_counter(); pretrain(base, images=X); t_entire = time.perf_counter() - t
        rcs = replace(base, coreset='rcs', fraction=a.fraction, warmup_full_epochs=W, select_every=I, val_fraction=1 / 51, rcs_attack_steps=1)
        t = time.perf_counter(); r = pretrain(rcs, images=X); t_rcs = time.perf_counter() - t
        sel = sum(h['select_seconds'] for h in r.history)
        print(f"end to end, {a.epochs} epochs (W={W}, I={I}, k={a.fraction}): entire {t_entire:.0f} s, ACL-RCS {t_rcs:.0f} s "
              f"(selection {sel:.0f} s) -> {t_entire / t_rcs:.2f}x faster")
        out.update(end_to_end=dict(epochs=a.epochs, W=W, I=I, entire_seconds=t_entire, rcs_seconds=t_rcs, select_seconds=sel, speedup=t_entire / t_rcs))
    if a.out: Path(a.out).write_text(json.dumps(dict(out, torch=str(torch.__version__), platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
