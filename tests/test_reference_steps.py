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
WORST = {}  # test -> largest relative error, printed at the end of each test (pytest -s shows them)

def golden(name):
    path = STEPS/f'{name}.pt'
    if not path.exists(): pytest.skip(f"no golden {path.name} in {STEPS} (the reference steps live beside this workplace's checkout; set RC_STEP_GOLDENS)")
    return torch.load(path, weights_only=False)

# ---- the reference network, filled by the weight rule, as the package's module (through the zoo's strict loader) ----
LAYOUT = Layout('acl-resnet', arch='resnet18', routes=('normal', 'pgd'), mean=NORMALIZATIONS['imagenet'][0], std=NORMALIZATIONS['imagenet'][1],
                head='projector', proj_layers=3, proj_dims=(512, 512))

def _shapes(prefix=''):
    "Reference key (with prefix) -> (shape, dtype) of the reference ResNet-18 + proj_head, read off the package's module through the zoo's key map."
    net = build_from_layout(LAYOUT)
    tensors = {**dict(net.named_parameters()), **dict(net.named_buffers())}
    return net, tensors

def reference_state(keys, offset):
    "The reference state dict of these keys filled by the weight rule (goldens/reference_models/README.md)."
    _, tensors = _shapes()
    spec_keys, kept = [], {}
    keys = [*keys, *(k[:-len('running_var')] + 'num_batches_tracked' for k in keys if k.endswith('running_var'))]  # 0, as built
    for k in keys:
        bare = re.sub(r'^encoder_[qk]\.', '', k)
        t = tensors[package_key(bare, LAYOUT)]
        spec_keys.append([k, list(t.shape), str(t.dtype).replace('torch.', '')])
        if bare.startswith('normalize.'): kept[k] = t.tolist()
    return golden_state_dict(dict(keys=spec_keys, kept_buffers=kept), offset)

def fingerprint(t, key):
    t = t.detach().double()
    r = torch.rand(t.shape, generator=torch.Generator().manual_seed(zlib.crc32(key.encode()) + 7919), dtype=torch.float64) * 2 - 1
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
    WORST[test] = max(errs.values())
    print(f"\n{test}: largest relative error {WORST[test]:.2e} (" + ', '.join(f"{k} {v:.2e}" for k, v in errs.items()) + ")")

# ---- RCS: one selection of the RCS code ----
def _rcs_inputs(d):
    s = d['setting']; n, bs = s['n_pool'], s['candidate_batch']
    net = load_pretrained(reference_state(list(d['record']['state_before']), d['weight_rule_offset']), verbose=False).double()
    pv = d['pool_views'].view(n, 2, *d['pool_views'].shape[1:])  # the loader's interleaving: rows 2k, 2k+1 are image k's views
    vv = d['val_views'].view(-1, 2 * bs // 2 * 2, *d['val_views'].shape[1:])  # validation batches of bs images (2 bs rows) ...
    val = torch.cat([b[:bs] for b in vv])  # ... of which the code keeps the first half of the flattened rows
    def interleaved_to_cat(t): return torch.cat([t[0::2], t[1::2]])  # a training start in the package's layout [view 1; view 2]
    n_val_batches = -(-len(val) // bs)
    starts = [t if i < n_val_batches or i >= n_val_batches + n // bs else interleaved_to_cat(t) for i, t in enumerate(d['starts'])]
    augment = lambda x, pos, g: (pv[torch.as_tensor(pos), 0], pv[torch.as_tensor(pos), 1])
    return net, pv, val, starts, augment

_CANDIDATES = {}  # the candidate gradients of the last reference-rule selection (kept for the negative control)

def _select(d, net, pv, val, starts, augment, **kw):
    s = d['setting']
    return select_coreset(net, pv[:, 0], val, s['fraction'], rcs_code_objective(s['pgd_iter'], augment=augment), batch_size=s['candidate_batch'],
                          eta=s['coreset_lr'], rd_steps=s['coreset_pgd_iter'], rule='reference', candidate_order=np.asarray(d['candidate_order']),
                          starts=starts, verbose=False, **kw)

def test_rcs_selection():
    d = golden('rcs_selection')
    net, pv, val, starts, augment = _rcs_inputs(d)
    import robust_contrastive.rcs as rcs
    computed = rcs.candidate_gradients
    def keep(*a, **k): _CANDIDATES['last'] = computed(*a, **k); return _CANDIDATES['last']
    rcs.candidate_gradients = keep
    try: res = _select(d, net, pv, val, starts, augment)
    finally: rcs.candidate_gradients = computed
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
    computed, n_val = rcs.candidate_gradients, -(-len(val) // d['setting']['candidate_batch'])
    n_cand = len(d['candidate_order']) // d['setting']['candidate_batch']
    rcs.candidate_gradients = lambda *a, **k: _CANDIDATES['last']
    try:
        exact = select_coreset(net, pv[:, 0], val, d['setting']['fraction'], rcs_code_objective(d['setting']['pgd_iter'], augment=augment),
                               batch_size=d['setting']['candidate_batch'], eta=d['setting']['coreset_lr'], rd_steps=d['setting']['coreset_pgd_iter'],
                               distance='rcs_code', val_attack='refresh', candidate_order=np.asarray(d['candidate_order']),
                               starts=starts[:n_val] + starts[n_val + n_cand:], verbose=False)
    finally: rcs.candidate_gradients = computed
    assert max(rel(g, w) for g, w in zip(exact.gain_vectors, want)) > 1e-2
