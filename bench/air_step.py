"""AIR's extra cost: one ACL-AIR training step vs one ACL step, same model, batch and attack (goal: ratio < 1.15).

ACL-AIR adds the un-augmented images to the natural forward (3B instead of 2B images on the `normal` route) and the
SIR and AIR terms. Both steps run `pretrain`'s own `batch_objective` (augmentation excluded: the same in both).

    python bench/air_step.py [--arch tiny --width 16] [--batch 256] [--steps 5] [--repeats 10]
"""
import json, platform
from pathlib import Path
import torch
from robust_contrastive.pretrain import LARS
from _timing import compare, step_bench_args, bench_net, model_name, step_config, train_step


def main():
    a = step_bench_args(__doc__)
    torch.manual_seed(0)
    net = bench_net(a)
    opt = LARS(net.parameters(), lr=0.1)
    B = a.batch
    x, x1, x2 = torch.rand(B, 3, 32, 32), torch.rand(B, 3, 32, 32), torch.rand(B, 3, 32, 32)

    def step(air):
        cfg = step_config(a.steps, air)
        return lambda: train_step(net, opt, x, x1, x2, cfg)

    best = compare({'acl': step(False), 'acl-air': step(True)}, a.repeats)
    ratio = best['acl-air'] / best['acl']
    print(f"ACL vs ACL-AIR step, {model_name(a)} dual BN, batch {B}, T={a.steps}, "
          f"torch threads {torch.get_num_threads()}")
    print(f"  ACL step      {best['acl'] * 1e3:9.1f} ms")
    print(f"  ACL-AIR step  {best['acl-air'] * 1e3:9.1f} ms")
    print(f"  ratio ACL-AIR / ACL: {ratio:.3f}  (goal < 1.15)")
    if a.out: Path(a.out).write_text(json.dumps(dict(best_seconds=best, ratio=ratio, arch=a.arch, batch=B, steps=a.steps,
                                                       torch=str(torch.__version__), platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
