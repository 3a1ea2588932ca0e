"""Outside encoders (03_models, "Bring your own encoder") through the whole pipeline: ACL pre-training with an RCS coreset,
the checkpoint read back by name, SLF fine-tuning and evaluation; and DeACL / FARE with one of them as the student."""
import math
import pytest
import torch
from torch import nn
from robust_contrastive.models import register_encoder, has_dual_bn
from robust_contrastive.pretrain import get_config, pretrain
from robust_contrastive.zoo import load_pretrained
from robust_contrastive.finetune import finetune, get_finetune_config
from robust_contrastive.evaluate import evaluate
from robust_contrastive.data import get_dataset, image_tensors


class UserCNN(nn.Module):
    "A user's encoder: no feat_dim, no normalisation of its own; BatchNorm, so ACL gives it two routes."
    def __init__(self, width=16):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, width, 3, 1, 1), nn.BatchNorm2d(width), nn.ReLU(), nn.Conv2d(width, 2 * width, 3, 2, 1),
                                  nn.BatchNorm2d(2 * width), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten())
    def forward(self, x): return self.body(x)


register_encoder('user_cnn', UserCNN, width=True, replace=True)

# small enough for the default suite: 128 images, batches of 32, two epochs (one on the whole pool, one on an RCS coreset)
SMALL = dict(n_train=160, batch_size=32, epochs=2, warmup_epochs=1, attack_steps=1, coreset='rcs', fraction=0.5, warmup_full_epochs=1,
             select_every=1, val_fraction=0.2, proj_dim=32, monitor_every=2, monitor_n=20)  # the run monitor too, on its route


@pytest.fixture(scope='module')
def task():
    ds = get_dataset('embedded', split='test')
    x, y, _ = image_tensors(ds, 96, seed=0)
    return x[:64], y[:64], x[64:], y[64:]


@pytest.mark.parametrize('arch, width, two_routes', [('tv_resnet18', None, True), ('vit_tiny', None, False), ('user_cnn', 8, True)])
def test_outside_encoder_pipeline(tmp_path, task, arch, width, two_routes):
    res = pretrain(get_config('test', method='acl', arch=arch, width=width, **SMALL), tmp_path/arch, verbose=False)
    assert [h['epoch'] for h in res.history] == [0, 1] and all(math.isfinite(h['loss']) for h in res.history)
    assert res.history[1]['select_seconds'] > 0 and res.coreset is not None and len(res.coreset) == 64  # the RCS epoch ran
    assert has_dual_bn(res.model.encoder) == two_routes  # a ViT keeps one route; its projector carries the two
    assert 'monitor_error' not in res.history[-1] and 0 <= res.history[-1]['monitor_ra'] <= 100
    assert has_dual_bn(res.model.projector)
    net = load_pretrained(tmp_path/arch/'checkpoint.pt')  # rebuilt by name from the config, weights strict
    assert net.encoder.rc_input_size == 32
    for a, b in zip(net.state_dict().values(), res.model.state_dict().values()): assert torch.equal(a, b)
    xtr, ytr, xte, yte = task
    clf, log = finetune(net.encoder, xtr, ytr, 10, get_finetune_config('cpu-slf', epochs=1, batch_size=32, val_fraction=0.0), verbose=False)
    assert clf.route == ('pgd' if two_routes else 'normal')
    ev = evaluate(clf, xte, yte, metrics=['sa', 'ra'], steps=2, verbose=False)
    assert 0 <= ev['ra'] <= ev['sa'] + 100 / 32 and ev['sa'] <= 100  # within one image: PGD-2 from a random start may right a wrong one


def test_outside_student_of_a_teacher(tmp_path):
    "DeACL with a ViT student distilling a CL teacher of the package's tiny CNN: feature sizes differ, so teacher_dim maps them."
    pretrain(get_config('test', method='cl', epochs=1), tmp_path/'cl', verbose=False)
    with pytest.raises(ValueError, match='set teacher_dim='):
        pretrain(get_config('test', method='deacl', teacher=str(tmp_path/'cl'), arch='vit_tiny', width=None, epochs=1), verbose=False)
    d_t = load_pretrained(tmp_path/'cl'/'checkpoint.pt').encoder.feat_dim
    res = pretrain(get_config('test', method='deacl', teacher=str(tmp_path/'cl'), arch='vit_tiny', width=None, teacher_dim=d_t, epochs=1,
                              n_train=128), verbose=False)
    assert math.isfinite(res.history[0]['loss']) and res.model(torch.rand(2, 3, 32, 32)).shape == (2, d_t)
