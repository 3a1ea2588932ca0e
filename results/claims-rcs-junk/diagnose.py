"""Does RCS's gain tell junk from clean images? (issue 33, study 2: the mechanism behind the junk pool's rows)

One warmed-up encoder per kind of junk (the study's cpu-cifar10 setting, seed 0: 10,000 CIFAR-10 images, U = 1%, half the
pool junk, W = 2 warm-up epochs on the whole junk pool), then one selection round of each rule at k = 0.2 on it:

- `batch`: the package's default, candidates are minibatches of a seeded shuffle of the pool (so each holds about half
  junk), the exact greedy;
- `batch-pure`: the same rule on candidate batches that are all clean or all junk (the pool ordered clean first): whether
  the gain itself separates junk from clean, once the batches let it;
- `sample`: per-image candidates;
- `reference`: the RCS code's rule (sketched gains) on the default batches;
- `reference-unsketched`: the exact greedy with the RCS code's candidate objective, RD distance and U attack (val_attack
  'refresh'), on the same batches: compared with `reference`, it isolates the sketch; with `batch`, the code's objective.

For each: the share of junk in the picks (Random: the pool's 50%), and from the first pick's gain vector (the gain of
every candidate against U's gradient before anything is picked) how the gain relates to the junk: its rank correlation
with a batch's junk share, or its mean on junk and on clean candidates. The sketch is compared with the exact gains on the
same batches (rank correlations of the first gain vectors). Writes diagnosis.json and diagnosis.png beside this file; a
rule finished earlier is reused (its first gain vector is stored), so a rule added later runs alone.

    OMP_NUM_THREADS=1 .venv/bin/python results/claims-rcs-junk/diagnose.py --data-root ../shared/data/cifar10-jpeg.tar.gz
"""
import argparse, json, time
from pathlib import Path
import numpy as np, torch
from robust_contrastive.core import amp_dtype, get_device, load_checkpoint, write_json, save_figure, precision_name, provenance
from robust_contrastive.data import unlabeled_split, junk_pool
from robust_contrastive.pretrain import get_config, pretrain, training_images, build_model
from robust_contrastive.rcs import select_coreset, acl_objective, rcs_code_objective

HERE = Path(__file__).parent


def spearman(a, b) -> float:
    ra, rb = np.argsort(np.argsort(a)), np.argsort(np.argsort(b))
    return float(np.corrcoef(ra, rb)[0, 1])


def warm_model(cfg, out: Path, dev):
    "The encoder after the W warm-up epochs on the whole junk pool (trained once, then read from its checkpoint)."
    ckpt = out/'checkpoint.pt'
    if not ckpt.exists(): pretrain(cfg, out, device=dev, stop_after_epoch=cfg.warmup_full_epochs - 1)
    model = build_model(cfg).to(dev)
    ck = load_checkpoint(ckpt, model)
    assert ck['epoch'] == cfg.warmup_full_epochs - 1, ck['epoch']
    return model


def diagnose(kind: str, args, dev, done: dict) -> dict:
    cfg = get_config('cpu-cifar10', data_root=args.data_root, coreset='rcs', fraction=args.k, warmup_full_epochs=2, select_every=3,
                     epochs=15, junk=kind, seed=0)
    model = warm_model(cfg, HERE/'diagnosis'/f'warm-{kind}', dev)
    images, _ = training_images(cfg)
    pool_idx, val_idx = unlabeled_split(len(images), cfg.val_fraction, cfg.seed)
    pool, val = images[torch.from_numpy(pool_idx)], images[torch.from_numpy(val_idx)]
    pool, junk = junk_pool(pool, cfg.junk_fraction, kind, cfg.seed)
    amp = amp_dtype(dev, cfg.precision)
    objective = acl_objective(cfg.eps, None, cfg.rcs_attack_steps, cfg.temperature, 1.0, amp, start=cfg.attack_start)
    bs, n = cfg.batch_size, len(pool)
    mixed = np.random.default_rng(5).permutation(n)
    clean_first = np.concatenate([np.random.default_rng(6).permutation(np.flatnonzero(~junk)), np.random.default_rng(7).permutation(np.flatnonzero(junk))])
    out = dict(kind=kind, k=args.k, n_pool=n, junk_in_pool=float(junk.mean()), precision=precision_name(amp), rules=dict(done.get('rules', {})))
    code = rcs_code_objective(cfg.attack_steps, cfg.eps, cfg.temperature, 1.0, amp)  # the RCS code's candidates (what rule='reference' uses)
    runs = dict(batch=dict(candidate_order=mixed), **{'batch-pure': dict(candidate_order=clean_first)}, sample={}, reference=dict(candidate_order=mixed, rule='reference'),
                **{'reference-unsketched': dict(candidate_order=mixed, objective=code, distance='rcs_code', val_attack='refresh')})
    for name, kw in runs.items():
        have = out['rules'].get(name)
        if have is not None and (name in ('sample', 'batch-pure') or 'first_gains_all' in have): continue  # finished earlier
        kw = dict(kw); obj = kw.pop('objective', objective if kw.get('rule') != 'reference' else None)
        t0 = time.perf_counter()
        res = select_coreset(model, pool, val, args.k, objective=obj,
                             granularity='sample' if name == 'sample' else 'batch', batch_size=bs, eps=cfg.eps, rd_steps=cfg.rcs_rd_steps,
                             eta=cfg.rcs_eta, seed=cfg.seed, device=dev, verbose=False, **kw)
        rec = dict(junk_share=float(junk[res.indices].mean()), n_picked=int(len(res.indices)), seconds=time.perf_counter() - t0)
        if name == 'sample':  # gains of the picks, in pick order: junk picks against clean picks
            order = np.asarray(res.order)
            g = np.asarray(res.gains, dtype=float)
            j = junk[order[:len(g)]] if len(g) == len(order) else None
            rec.update(picks_first_tenth_junk=float(junk[order[:len(order) // 10]].mean()),
                       gain_junk_picks=float(g[j].mean()) if j is not None and j.any() else None,
                       gain_clean_picks=float(g[~j].mean()) if j is not None and (~j).any() else None)
        elif res.gain_vectors:
            first = np.asarray(res.gain_vectors[0], dtype=float)  # every candidate batch, before any pick, in candidate order
            order = kw['candidate_order']
            share = np.array([junk[order[b * bs:(b + 1) * bs]].mean() for b in range(len(first))])
            rec.update(first_gain_vs_junk_share_spearman=spearman(first, share) if share.std() > 0 else None,
                       first_gain_junk_batches=float(first[share == 1].mean()) if (share == 1).any() else None,
                       first_gain_clean_batches=float(first[share == 0].mean()) if (share == 0).any() else None,
                       first_gain_mixed_mean=float(first.mean()), first_gain_mixed_sd=float(first.std()),
                       batch_junk_share_sd=float(share.std()))
            if name == 'batch-pure': rec['first_gains'] = dict(junk=first[share == 1].tolist(), clean=first[share == 0].tolist())
            rec['first_gains_all'] = first.tolist()
        out['rules'][name] = rec
        print(kind, name, {k: v for k, v in rec.items() if not k.startswith('first_gains')}, flush=True)
        on_done(kind, out)
    vec = {r: np.asarray(v['first_gains_all']) for r, v in out['rules'].items() if 'first_gains_all' in v and r != 'batch-pure'}
    for a, b, what in (('reference', 'reference-unsketched', 'sketch'), ('batch', 'reference-unsketched', 'objective'), ('batch', 'reference', 'rule')):
        if a in vec and b in vec and len(vec[a]) == len(vec[b]): out[f'first_gains_spearman_{what}'] = spearman(vec[a], vec[b])
    out.pop('sketch_vs_exact_first_gains_spearman', None)  # an earlier name of the 'rule' comparison
    return out


def figure(found: dict, path: Path):
    from matplotlib.figure import Figure
    fig = Figure(figsize=(4.5 * len(found), 3.4)); axes = np.atleast_1d(fig.subplots(1, len(found)))
    for ax, (kind, d) in zip(axes, found.items()):
        g = d['rules']['batch-pure'].get('first_gains')
        if g:
            bins = np.histogram_bin_edges(g['junk'] + g['clean'], 30)
            ax.hist(g['clean'], bins, alpha=0.6, label='clean batches'); ax.hist(g['junk'], bins, alpha=0.6, label='junk batches')
        shares = ', '.join(f"{r} {100 * v['junk_share']:.0f}%" for r, v in d['rules'].items())
        ax.set_title(f"{kind}: first-pick gain of pure batches\njunk picked at k = {d['k']}: {shares}", fontsize=7)
        ax.set_xlabel('gain <q_U, q_b> before any pick', fontsize=7); ax.legend(fontsize=7); ax.tick_params(labelsize=6)
    fig.tight_layout(); save_figure(fig, path, dpi=130)


if __name__ == '__main__':
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--data-root', required=True); p.add_argument('--kinds', default='noise,copies'); p.add_argument('--k', type=float, default=0.2)
    args = p.parse_args()
    dev = get_device(None)
    path = HERE/'diagnosis.json'
    found = json.loads(path.read_text())['kinds'] if path.exists() else {}
    def on_done(kind, out):  # every finished rule is kept at once: a killed run loses one selection at most
        found[kind] = out
        write_json(path, dict(kinds=found, provenance=provenance('cifar10', 'acl', seed=0, device=str(dev)),
                              command=' '.join(['diagnose.py', *[f'--{k.replace("_", "-")} {v}' for k, v in vars(args).items()]])))
    for kind in args.kinds.split(','):
        done = found.get(kind, {}) if found.get(kind, {}).get('k') == args.k else {}
        on_done(kind, diagnose(kind, args, dev, done))
    figure(found, HERE/'diagnosis.png')
