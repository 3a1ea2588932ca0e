"""Side-by-side timing: interleave the candidates, repeat, keep the best of each (robust to noise)."""
import time
import torch


def compare(runs: dict, repeats: int = 5, warmup: int = 1) -> dict:
    "Best wall time in seconds of each callable in `runs`, measured interleaved."
    for f in runs.values():
        for _ in range(warmup): f()
    best = {k: float('inf') for k in runs}
    for _ in range(repeats):
        for k, f in runs.items():
            t = time.perf_counter(); f(); best[k] = min(best[k], time.perf_counter() - t)
    return best


def step_bench_args(description: str):
    "The options shared by the training-step benchmarks (model, batch, attack steps, repeats, output file), parsed."
    import argparse
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('--arch', default='tiny')
    ap.add_argument('--width', type=int, default=None, help="tiny: default 16; ResNets: base width (default 64; the CPU presets use 8)")
    ap.add_argument('--batch', type=int, default=256)
    ap.add_argument('--steps', type=int, default=5)
    ap.add_argument('--repeats', type=int, default=10)
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    a.width_given = a.width is not None
    if a.width is None and a.arch == 'tiny': a.width = 16
    return a


def bench_net(a):
    "The dual-BN ContrastiveNet a step benchmark measures, from its parsed options."
    from robust_contrastive.models import build_contrastive_net, width_kwargs
    width = a.width if (a.arch == 'tiny' or a.width_given) else None  # --width applies to the ResNets only when given
    return build_contrastive_net(a.arch, dual_bn=True, proj_dim=128 if (a.arch == 'tiny' or width) else 512, **width_kwargs(a.arch, width))


def model_name(a) -> str:
    return f"{a.arch}{'-' + str(a.width) if a.width is not None else ''}"


def step_config(steps: int, air: bool = False):
    "The PretrainConfig of a benchmarked step: ACL with T = `steps` attack steps, or ACL-AIR (lambda1 = lambda2 = 0.5)."
    from robust_contrastive.pretrain import get_config
    return get_config('cpu', attack_steps=steps, **(dict(lambda1=0.5, lambda2=0.5) if air else {}))


def train_step(net, opt, x, x1, x2, cfg):
    "One training step exactly as `pretrain` runs it: `batch_objective` (attack, forwards on both BN routes, the loss), backward, optimiser."
    from robust_contrastive.pretrain import batch_objective, _Routes
    net.train()
    loss, _, _ = batch_objective(_Routes(net), net, x, x1, x2, cfg, 0.0)
    opt.zero_grad(set_to_none=True); loss.backward(); opt.step()
