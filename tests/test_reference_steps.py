"""The package's training steps against the reference code's own (../shared/goldens/reference_steps): ACL, ACL-AIR, DynACL-AIR
and DynACL steps, and one RCS selection, started from the same rule-filled weights with the same views and PGD starts, in
float64. Every number a file records is compared at 1e-6 relative (the largest error is printed), and each test has a
negative control that must fail. RC_STEP_GOLDENS names another folder of such files; seeds, offsets, iterations and epochs
are read from each file, never assumed here."""
import math, os, re, zlib
from dataclasses import replace
from pathlib import Path
import numpy as np
import pytest
import torch
from robust_contrastive.zoo import Layout, build_from_layout, package_key, golden_state_dict, load_pretrained
from robust_contrastive.models import NORMALIZATIONS
from robust_contrastive.rcs import select_coreset, rcs_code_objective
from robust_contrastive.attacks import SuppliedStarts

ROOT = Path(__file__).resolve().parents[1]
STEPS = Path(os.environ.get('RC_STEP_GOLDENS') or ROOT.parent/'shared'/'goldens'/'reference_steps')
TOL = 1e-6

def golden(name):
    path = STEPS/f'{name}.pt'
    if not path.exists(): pytest.skip(f"no golden {path.name} in {STEPS} (the reference steps live beside this workplace's checkout; set RC_STEP_GOLDENS)")
    d = torch.load(path, weights_only=False)
    FINGERPRINT_OFFSET[0] = fingerprint_offset(d)
    return d

# ---- the reference network, filled by the weight rule, as the package's module (through the zoo's strict loader) ----
LAYOUT = Layout('acl-resnet', arch='resnet18', routes=('normal', 'pgd'), mean=NORMALIZATIONS['imagenet'][0], std=NORMALIZATIONS['imagenet'][1],
                head='projector', proj_layers=3, proj_dims=(512, 512))

def _package_tensors() -> dict:
    "The package's tensors (parameters and buffers) of the reference ResNet-18 + proj_head: their shapes, under the zoo's key map."
    net = build_from_layout(LAYOUT)
    return {**dict(net.named_parameters()), **dict(net.named_buffers())}

def reference_state(keys, offset):
    "The reference state dict of these keys filled by the weight rule (goldens/reference_models/README.md)."
    tensors = _package_tensors()
    spec_keys, kept = [], {}
    keys = [*keys, *(k[:-len('running_var')] + 'num_batches_tracked' for k in keys if k.endswith('running_var'))]  # 0, as built
    for k in keys:
        bare = re.sub(r'^encoder_[qk]\.', '', k)
        t = tensors[package_key(bare, LAYOUT)]
        spec_keys.append([k, list(t.shape), str(t.dtype).replace('torch.', '')])
        if bare.startswith('normalize.'): kept[k] = t.tolist()
    return golden_state_dict(dict(keys=spec_keys, kept_buffers=kept), offset)

FINGERPRINT_OFFSET = [None]  # the direction's seed offset, read from the file being compared (its 'fingerprint' text)

def fingerprint_offset(d) -> int:
    return int(re.search(r'crc32\(k\.encode\(\)\)\s*\+\s*(\d+)', d['fingerprint']).group(1))

def fingerprint(t, key):
    t = t.detach().double()
    seed = zlib.crc32(key.encode()) + FINGERPRINT_OFFSET[0]
    r = torch.rand(t.shape, generator=torch.Generator().manual_seed(seed), dtype=torch.float64) * 2 - 1
    return [t.sum().item(), (t * t).sum().item(), (t * r).sum().item()]

def fingerprint_error(nets, want:dict) -> tuple[float, str]:
    "Largest relative error over every key's [sum, sum of squares, dot]: sums and dots relative to max(|want|, the tensor's norm)."
    worst, where = 0.0, ''
    for key, w in want.items():
        m = re.match(r'^(encoder_[qk])\.(.*)$', key)
        net, bare = (nets[m.group(1)], m.group(2)) if m else (nets[''], key)
        tensors = {**dict(net.named_parameters()), **dict(net.named_buffers())}
        got = fingerprint(tensors[package_key(bare, LAYOUT)], key)
        norm = math.sqrt(max(w[1], 0.0))
        errs = [abs(got[0] - w[0]) / max(abs(w[0]), norm, 1e-300), abs(got[1] - w[1]) / max(abs(w[1]), 1e-300),
                abs(got[2] - w[2]) / max(abs(w[2]), norm, 1e-300)]
        if max(errs) > worst: worst, where = max(errs), key
    return worst, where

def rel(got, want) -> float:
    got, want = torch.as_tensor(got, dtype=torch.float64), torch.as_tensor(want, dtype=torch.float64)
    return float((got - want).abs().max() / want.abs().max().clamp_min(1e-300))

def note(test, **errs):
    "Print the test's largest relative error and its parts (pytest -s shows them)."
    print(f"\n{test}: largest relative error {max(errs.values()):.2e} (" + ', '.join(f"{k} {v:.2e}" for k, v in errs.items()) + ")")

# ---- RCS: one selection of the RCS code ----
def _rcs_inputs(d):
    s = d['setting']; n, bs = s['n_pool'], s['candidate_batch']
    net = load_pretrained(reference_state(list(d['record']['state_before']), d['weight_rule_offset']), verbose=False).double()
    pv = d['pool_views'].view(n, 2, *d['pool_views'].shape[1:])  # the loader's interleaving: rows 2k, 2k+1 are image k's views
    rows = d['val_views']  # validation batches of bs images (2 bs flattened rows; the last may be short) ...
    val = torch.cat([rows[i:i + 2 * bs][:len(rows[i:i + 2 * bs]) // 2] for i in range(0, len(rows), 2 * bs)])  # ... the code keeps the first half
    def interleaved_to_cat(t): return torch.cat([t[0::2], t[1::2]])  # a training start in the package's layout [view 1; view 2]
    n_val_batches = -(-len(val) // bs)
    starts = [t if i < n_val_batches or i >= n_val_batches + n // bs else interleaved_to_cat(t) for i, t in enumerate(d['starts'])]
    augment = lambda x, pos, g: (pv[torch.as_tensor(pos), 0], pv[torch.as_tensor(pos), 1])
    return net, pv, val, starts, augment

def _select(d, net, pv, val, starts, augment, **kw):
    s = d['setting']
    return select_coreset(net, pv[:, 0], val, s['fraction'], rcs_code_objective(s['pgd_iter'], augment=augment), batch_size=s['candidate_batch'],
                          eta=s['coreset_lr'], rd_steps=s['coreset_pgd_iter'], rule='reference', candidate_order=np.asarray(d['candidate_order']),
                          starts=starts, verbose=False, **kw)

def test_rcs_selection(monkeypatch):
    d = golden('rcs_selection')
    net, pv, val, starts, augment = _rcs_inputs(d)
    import robust_contrastive.rcs as rcs
    kept, computed = [], rcs.candidates
    monkeypatch.setattr(rcs, 'candidates', lambda *a, **k: kept.append(computed(*a, **k)) or kept[-1])  # kept for the control
    res = _select(d, net, pv, val, starts, augment)
    picked = np.concatenate([np.asarray(d['candidate_order'])[b * d['setting']['candidate_batch']:(b + 1) * d['setting']['candidate_batch']] for b in res.order])
    assert picked.tolist() == list(d['record']['selected']), (picked.tolist(), d['record']['selected'])
    want = d['record']['gains']
    assert [len(v) for v in res.gain_vectors] == [len(w) for w in want]
    gain_err = max(rel(g, w) for g, w in zip(res.gain_vectors, want))
    state_err, where = fingerprint_error({'': net}, d['record']['state_after'])  # the model leaves the selection unchanged
    note('rcs_selection', gains=gain_err, state_after=state_err)
    assert gain_err <= TOL and state_err <= TOL, (gain_err, state_err, where)
    # negative control: the exact rule (gains of full gradients, single steps) on the same candidates is not the code's selection.
    # Its candidates' gradients equal the reference rule's (same objective, same starts), so they are reused, not recomputed.
    n_val = -(-len(val) // d['setting']['candidate_batch'])
    n_cand = len(d['candidate_order']) // d['setting']['candidate_batch']
    monkeypatch.setattr(rcs, 'candidates', lambda *a, **k: kept[-1])
    exact = select_coreset(net, pv[:, 0], val, d['setting']['fraction'], rcs_code_objective(d['setting']['pgd_iter'], augment=augment),
                           batch_size=d['setting']['candidate_batch'], eta=d['setting']['coreset_lr'], rd_steps=d['setting']['coreset_pgd_iter'],
                           distance='rcs_code', val_attack='refresh', candidate_order=np.asarray(d['candidate_order']),
                           starts=starts[:n_val] + starts[n_val + n_cand:], verbose=False)
    assert max(rel(g, w) for g, w in zip(exact.gain_vectors, want)) > 1e-2

# ---- training steps: ACL, ACL-AIR, DynACL-AIR (the AIR code), DynACL (the DynACL code) ----
import robust_contrastive.pretrain as P
from robust_contrastive.core import grad_scaler

def _schedule_position(d, cfg) -> tuple[int, int, int]:
    "(first epoch from 0, first step in it, iterations per whole-pool epoch) of the recorded steps, read from the file's own words."
    s = d['setting']
    if cfg.lr_schedule == 'reference-epoch': return s['epoch'] - 1, 0, 1  # DynACL: the epoch, 1-based in the code
    text = s['schedule']
    total = int(re.search(r'total[ =](\d+)', text).group(1)); warm = int(re.search(r'warm-?up[ =](\d+)', text).group(1))
    first = int(re.search(r'steps (\d+)\.\.\d+', text).group(1))  # scheduler steps; iteration i trains after step i + 1
    full = total // cfg.epochs
    assert total == cfg.epochs * full and warm == cfg.warmup_epochs * full, \
        f"the preset's schedule ({cfg.epochs} epochs, {cfg.warmup_epochs} warm-up) is not the file's ({total} iterations, {warm} warm-up)"
    return (first - 1) // full, (first - 1) % full, full

def _lr_table_error(d, cfg) -> float:
    "The package's schedule at every point of the file's lr_table (the lr of scheduler step / epoch t)."
    if cfg.lr_schedule == 'reference-epoch':
        return max(abs(P.learning_rate(cfg, t - 1, 0, 1, 1) - v) / max(abs(v), 1e-12) for t, v in d['lr_table'].items() if t >= 1)
    full = _schedule_position(d, cfg)[2]
    return max(abs(P.reference_lr(t, cfg.epochs * full, cfg.warmup_epochs * full, cfg.lr) - v) / max(abs(v), 1e-12) for t, v in d['lr_table'].items())

def _interleave(a, b): return torch.stack([a, b], 1).flatten(0, 1)  # the reference's rows 2k, 2k+1

def run_steps(d, cfg, n_steps:int|None=None) -> dict:
    "The file's steps (the first n_steps) taken by the package's own train_step, from the file's weights, views and starts: what it records."
    keys = list(d['record']['after'][0])
    sd = reference_state(keys, d['weight_rule_offset'])
    momentum = any(k.startswith('encoder_k.') for k in keys)
    model = load_pretrained(sd, network='encoder_q' if momentum else 'encoder_k', verbose=False).double()
    ema = load_pretrained(sd, network='encoder_k', verbose=False).double().requires_grad_(False) if momentum else None
    if momentum != (cfg.ema_momentum is not None): raise AssertionError(f"the file has a momentum encoder: {momentum}, the preset: {cfg.ema_momentum}")
    opt, scaler, net = P.build_optimizer(cfg, model), grad_scaler(torch.device('cpu'), None), P._Routes(model)
    x1, x2 = d['views'][0::2], d['views'][1::2]
    x = d.get('original', x1)
    epoch, step, full = _schedule_position(d, cfg)
    strength, w = P.dynacl_schedule(cfg, epoch)
    views, spy = [], P.contrastive_pgd
    def capture(*a, **k): out = spy(*a, **k); views.append(out); return out
    P.contrastive_pgd = capture
    got = dict(lr=[], loss=[], parts=[], x_adv=[], after=[], strength=strength, w=w)
    try:
        model.train()
        if ema is not None: ema.train()
        for i in range(n_steps or len(d['record']['loss'])):
            it = step + i  # iterations into the epoch; the DynACL code's steps share one epoch's lr
            lr = P.learning_rate(cfg, epoch, 0, 1, 1) if cfg.lr_schedule == 'reference-epoch' else \
                 P.learning_rate(cfg, epoch + it // full, it % full, full, full)
            start = d['starts'][i]
            g = SuppliedStarts([torch.cat([start[0::2], start[1::2]])])  # the start in the package's layout [view 1; view 2]
            loss, parts, _ = P.train_step(net, model, opt, scaler, x, x1, x2, cfg, w, lr, None, g, ema)
            got['lr'].append(lr); got['loss'].append(loss.item()); got['parts'].append({k: float(v) for k, v in parts.items()})
            got['x_adv'].append(_interleave(*views[-1]))
            got['after'].append(fingerprint_error({'': model, 'encoder_q': model, 'encoder_k': ema}, d['record']['after'][i]))
    finally: P.contrastive_pgd = spy
    return got

def step_errors(d, got) -> dict:
    r = d['record']
    # zip: over as many steps as were taken
    errs = dict(lr=max(rel(g, w) for g, w in zip(got['lr'], r['lr'])), loss=max(rel(g, w) for g, w in zip(got['loss'], r['loss'])),
                x_adv=max(rel(g, w) for g, w in zip(got['x_adv'], r['x_adv'])), after=max(e for e, _ in got['after']))
    if 'parts' in r:
        names = dict(nat='loss_nat', adv='loss_adv', sir='sir', air='air')
        errs['parts'] = max(rel(g[names[k]], v) for g, w in zip(got['parts'], r['parts']) for k, v in w.items())
    if 'weight_adv' in r: errs['weight_adv'] = max(rel(1 + got['w'], v) for v in r['weight_adv'])  # the code's (2 - wa, wa) is (1 - w, 1 + w)
    return errs

SETTING_FIELDS = dict(pgd_iter='attack_steps', eps='eps', alpha='step_size', temperature='temperature', lambda1='lambda1', lambda2='lambda2',
                      lr='lr', momentum_m='ema_momentum', swap_param='dyn_lambda', reload_frequency='dyn_period')

def file_settings(d) -> dict:
    "The hyper-parameters a file states (its `setting`), as PretrainConfig fields: a file made with other values is run with them."
    return {field: d['setting'][key] for key, field in SETTING_FIELDS.items() if d['setting'].get(key) is not None}

def check_steps(name, preset, control:dict, control_steps:int=1, **overrides):
    "The preset reproduces the file with its defaults (plus `overrides`, e.g. air_compat); with `control` changed its first control_steps must not."
    d = golden(name)
    base = P.get_config(preset, precision='fp32', channels_last=False, **overrides)
    differ = {k: v for k, v in file_settings(d).items() if getattr(base, k) != v}  # none for the files in ../shared (the presets' defaults)
    print(f"\n{name}: the file's settings that differ from {preset}'s defaults: {differ or 'none'}")
    cfg = replace(base, **differ)
    assert _lr_table_error(d, cfg) <= TOL
    if 'swap_param' in d['setting']:  # the DynACL code's weight min(1 + (epoch // K) (K / E) lambda, 2) at every epoch (1-based), not only the file's
        K, lam = d['setting']['reload_frequency'], d['setting']['swap_param']
        code = [min(1 + (e // K) * (K / cfg.epochs) * lam, 2) - 1 for e in range(1, cfg.epochs + 1)]
        assert max(abs(P.dynacl_schedule(cfg, e - 1)[1] - code[e - 1]) for e in range(1, cfg.epochs + 1)) <= 1e-12
    s, w = P.dynacl_schedule(cfg, _schedule_position(d, cfg)[0])  # the AIR files give the strength and weight of their epoch
    for got, key in ((s, 'strength'), (w, 'weight')):
        if key in d['setting']: assert abs(got - d['setting'][key]) <= TOL * max(1.0, abs(d['setting'][key])), (key, got, d['setting'][key])
    errs = step_errors(d, run_steps(d, cfg))
    errs['lr_table'] = _lr_table_error(d, cfg)
    note(name, **errs)
    assert max(errs.values()) <= TOL, errs
    bad = step_errors(d, run_steps(d, replace(cfg, **control), control_steps))
    assert max(bad.values()) > 1e-3, f"negative control {control} reproduced {name}: {bad}"

def test_acl_step():  # the package's earlier LARS (1-D tensors at the full lr, ratio on ||g + wd w||) must fail
    check_steps('acl_step', 'acl-cifar10', dict(lars_rule='exclude_1d'), control_steps=2)  # the optimiser shows from the second step

def test_acl_air_step():  # the AIR goldens are the AIR code's kl_div misuse: reproduced with air_compat; the true KL must fail
    check_steps('acl_air_step', 'acl-air-cifar10', dict(air_compat=False), air_compat=True)

def test_dynacl_air_step():  # the originals forwarded with the views (one BN batch) must fail
    check_steps('dynacl_air_step', 'dynacl-air-cifar10', dict(air_forward='joint'), air_compat=True)

def test_dynacl_step():  # the clamped attack start must fail
    check_steps('dynacl_step', 'dynacl-cifar10', dict(attack_start='clamped'))
