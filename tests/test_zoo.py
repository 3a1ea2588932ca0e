"""Every released-checkpoint family of ../shared/goldens/reference_models, written in its own file layout, loaded with
`load_pretrained(path)` and compared with the reference code's outputs on every route (1e-6 relative, float64), plus the
negative controls of the goldens' README. The seeds of the weight and input rules are read from each golden
(RC_GOLDEN_OFFSET / RC_GOLDEN_INPUT_SEED override them for goldens regenerated with other values)."""
import json, os
from pathlib import Path
import pytest
import torch
from torch import nn
from robust_contrastive.zoo import load_pretrained, golden_checkpoint, golden_errors, golden_offset, SOURCES

ROOT = Path(__file__).resolve().parents[1]
REF = Path(os.environ.get('RC_GOLDENS') or ROOT.parent/'shared'/'goldens')/'reference_models'
FAMILIES = sorted(p.stem for p in REF.glob('*.json')) if REF.exists() else []
EXPECTED = {  # family -> (layout, module type): what the package makes of each release
    'acl_r18_cifar': ('acl-resnet', 'ContrastiveNet'), 'air_r18_cifar': ('acl-resnet', 'ContrastiveNet'),
    'air_r18_stl10': ('acl-resnet', 'ContrastiveNet'), 'dynacl_r18_cifar_full': ('dynacl-momentum', 'ContrastiveNet'),
    'dynacl_r18_cifar_encoder_k': ('acl-resnet', 'ContrastiveNet'), 'dynacl_r18_stl10_full': ('dynacl-momentum', 'ContrastiveNet'),
    'dynacl_r18_stl10_encoder_k': ('acl-resnet', 'ContrastiveNet'), 'rcs_r18_cifar': ('acl-resnet', 'ContrastiveNet'),
    'rcs_r18_stl10_as_scripted': ('acl-resnet', 'ContrastiveNet'), 'rcs_acl_wrn28_10_imagenet32': ('rcs-wrn', 'ContrastiveNet'),
    'sat_rcs_wrn28_10_imagenet32': ('sat-wrn', 'RobustClassifier'), 'sat_rcs_r50_imagenet224': ('single-resnet', 'RobustClassifier'),
    'dynacl_pp_dual_r18_cifar': ('acl-resnet', 'RobustClassifier'), 'dynacl_pp_single_r18_cifar': ('single-resnet', 'RobustClassifier'),
}

def _seeds(spec):
    off = int(os.environ['RC_GOLDEN_OFFSET']) if os.environ.get('RC_GOLDEN_OFFSET') else golden_offset(spec)
    seed = int(os.environ['RC_GOLDEN_INPUT_SEED']) if os.environ.get('RC_GOLDEN_INPUT_SEED') else spec['input']['seed']
    return off, seed

@pytest.fixture(scope='module', params=FAMILIES or [None])
def family(request, tmp_path_factory):
    if request.param is None: pytest.skip(f"no reference-model goldens at {REF} (they exist beside this workplace's checkout; set RC_GOLDENS)")
    spec = json.loads((REF/f'{request.param}.json').read_text())
    off, seed = _seeds(spec)
    path = tmp_path_factory.mktemp(request.param)/'released.pt'
    torch.save(golden_checkpoint(spec, off), path)  # the file as the reference saves it (top-level keys, prefixes)
    return request.param, spec, path, seed, load_pretrained(path, verbose=False)

def test_every_family_is_known():
    if not FAMILIES: pytest.skip(f"no reference-model goldens at {REF}")
    assert set(FAMILIES) == set(EXPECTED), f"goldens without an expectation here: {set(FAMILIES) ^ set(EXPECTED)}"

def test_reproduces_reference_outputs(family):
    name, spec, path, seed, model = family
    assert (model.zoo['layout'], type(model).__name__) == EXPECTED[name]
    errs = golden_errors(model, spec, input_seed=seed)
    assert set(errs) == set(spec['outputs'])
    worst = max(v for e in errs.values() for v in e.values())
    assert worst <= 1e-6, f"{name}: {errs}"
    if 'outputs_encoder_q' in spec:  # the other network of DynACL's model.pt, on request
        q = load_pretrained(path, network='encoder_q', verbose=False)
        assert max(v for e in golden_errors(q, spec, 'outputs_encoder_q', input_seed=seed).values() for v in e.values()) <= 1e-6
        assert min(v for e in golden_errors(q, spec, input_seed=seed).values() for v in e.values()) > 0.1  # not encoder_k's outputs

def test_negative_controls_fail(family):
    name, spec, path, seed, model = family
    if len(spec['outputs']) == 2:  # dual BN: the routes swapped give the other route's statistics
        swapped = load_pretrained(path, routes=tuple(reversed(model.zoo['routes'])), verbose=False)
        assert min(e['features'] for e in golden_errors(swapped, spec, input_seed=seed).values()) > 0.1
    if model.zoo['mean'] is not None:  # the input normalisation dropped
        unnormalised = load_pretrained(path, verbose=False); unnormalised.encoder.input = nn.Identity()
        assert min(e['features'] for e in golden_errors(unnormalised, spec, input_seed=seed).values()) > 0.1

def test_named_source_is_checked(family):
    name, spec, path, seed, model = family
    assert load_pretrained(path, source=model.zoo['source'] if model.zoo['source'] != 'auto' else next(s for s, l in SOURCES.items() if model.zoo['layout'] in l), verbose=False) is not None
    wrong = next(s for s, layouts in SOURCES.items() if model.zoo['layout'] not in layouts)
    with pytest.raises(ValueError, match="does not release"): load_pretrained(path, source=wrong, verbose=False)
