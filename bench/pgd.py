"""One PGD step of this package vs one that also back-propagates into the parameters (as the
reference code does with loss.backward()), same model and batch, measured side by side.

    python bench/pgd.py [--arch resnet18] [--batch 128] [--repeats 5]
"""
import argparse, json, platform
from pathlib import Path
import torch
import torch.nn.functional as F
from robust_contrastive.models import build_contrastive_net
from robust_contrastive.losses import nt_xent
from robust_contrastive.attacks import pgd, eval_mode
from _timing import compare


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--arch', default='resnet18')
    ap.add_argument('--batch', type=int, default=128, help='images per view (the attack sees 2x this)')
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    torch.manual_seed(0)
    net = build_contrastive_net(a.arch, dual_bn=True)
    x = torch.rand(2 * a.batch, 3, 32, 32)
    b = a.batch
    def loss_fn(z):
        out = net(z, route='pgd'); return nt_xent(out[:b], out[b:])

    def ours():  # one step: forward + input-only backward (torch.autograd.grad w.r.t. the input)
        with eval_mode(net): pgd(loss_fn, x, steps=1)

    def reference_style():  # one step as the reference does it: loss.backward() also fills parameter .grad
        with eval_mode(net):
            xa = x.clone().requires_grad_(True)
            loss = loss_fn(xa)
            net.zero_grad(); loss.backward()
            with torch.no_grad(): xa = (xa + 2/255 * xa.grad.sign()).clamp(0, 1)
        net.zero_grad(set_to_none=True)

    best = compare({'input-only': ours, 'with-param-grads': reference_style}, a.repeats)
    ratio = best['with-param-grads'] / best['input-only']
    print(f"one PGD step, {a.arch} dual BN, {2 * a.batch} images, torch threads {torch.get_num_threads()}")
    for k, t in best.items(): print(f"  {k:18s} {t * 1e3:9.1f} ms")
    print(f"  ratio (reference-style / ours): {ratio:.2f}x")
    if a.out: Path(a.out).write_text(json.dumps(dict(best_seconds=best, ratio=ratio, arch=a.arch, images=2 * a.batch,
                                                       torch=str(torch.__version__), platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
