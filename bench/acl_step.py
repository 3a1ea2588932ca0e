"""One ACL training step vs its floor: the sum of its parts measured alone.

Parts: T attack steps (forward + input-backward of the 2B views on the pgd route, eval mode) and one
forward + backward of the four views (natural pair on `normal`, adversarial pair on `pgd`) with the
optimiser step. The full step is what `pretrain` runs (augmentation excluded: it is the same in both).
A ratio close to 1.0 means the loop adds no overhead of its own.

    python bench/acl_step.py [--arch tiny --width 16] [--batch 256] [--steps 5] [--repeats 5]
"""
import json, platform
from pathlib import Path
import torch
from robust_contrastive.losses import nt_xent, acl_loss
from robust_contrastive.attacks import pgd, eval_mode
from robust_contrastive.pretrain import LARS
from _timing import compare, step_bench_args, bench_net, model_name, step_config, train_step


def main():
    a = step_bench_args(__doc__)
    torch.manual_seed(0)
    net = bench_net(a)
    opt = LARS(net.parameters(), lr=0.1)
    B = a.batch
    x1, x2 = torch.rand(B, 3, 32, 32), torch.rand(B, 3, 32, 32)
    xa1, xa2 = x1.clone(), x2.clone()

    cfg = step_config(a.steps)
    def full_step(): train_step(net, opt, x1, x1, x2, cfg)

    xx = torch.cat([x1, x2])
    def attack_step_alone():  # one forward + input-backward of the 2B views, nothing else
        with eval_mode(net):
            xi = xx.clone().requires_grad_(True)
            out = net(xi, route='pgd'); g, = torch.autograd.grad(nt_xent(out[:B], out[B:]), xi)

    def train_part_alone():
        net.train()
        z, za = net(torch.cat([x1, x2]), route='normal'), net(torch.cat([xa1, xa2]), route='pgd')
        loss, _ = acl_loss(z[:B], z[B:], za[:B], za[B:])
        opt.zero_grad(set_to_none=True); loss.backward(); opt.step()

    best = compare({'full': full_step, 'attack-step': attack_step_alone, 'train-part': train_part_alone}, a.repeats)
    floor = a.steps * best['attack-step'] + best['train-part']
    ratio = best['full'] / floor
    print(f"ACL step, {model_name(a)} dual BN, batch {B}, T={a.steps}, torch threads {torch.get_num_threads()}")
    print(f"  full step                  {best['full'] * 1e3:9.1f} ms")
    print(f"  floor = {a.steps} x attack step + train part = {a.steps} x {best['attack-step'] * 1e3:.1f} + {best['train-part'] * 1e3:.1f} = {floor * 1e3:.1f} ms")
    print(f"  ratio full / floor: {ratio:.3f}")
    if a.out: Path(a.out).write_text(json.dumps(dict(best_seconds=best, floor=floor, ratio=ratio, arch=a.arch, batch=B, steps=a.steps,
                                                       torch=str(torch.__version__), platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
