"""The ACL training step under each speed setting, as ratios to fp32 eager, measured side by side in one run.

Settings: fp32 eager (contiguous), channels_last, bf16 autocast, bf16 + channels_last, and with --compile the
latter plus torch.compile of the encoder and projector (its warm-up timed separately, and its graph count checked
after the first steps: switching BN routes and train/eval mode must not recompile). `default` is what
PretrainConfig's 'auto' settings resolve to on this machine. Every setting starts from the same weights; the loss
of one identical batch (same attack start) under each setting is compared to fp32's.

    python bench/fast_step.py [--arch tiny --width 16] [--batch 256] [--steps 5] [--repeats 10] [--compile] [--out F]
"""
import copy, json, platform, sys, time
from pathlib import Path
import torch
from robust_contrastive.core import autocast
from robust_contrastive.pretrain import LARS, batch_objective, fast_settings, _Routes
from _timing import compare, step_bench_args, bench_net, model_name, step_config, train_step


def setting_step(net0, cfg, x, x1, x2, dtype, channels_last, compiled):
    "A fresh copy of the network in this setting and a callable running one training step on it."
    net = copy.deepcopy(net0)
    fmt = torch.channels_last if channels_last else torch.contiguous_format
    net = net.to(memory_format=fmt)
    if compiled:
        for m in (net.encoder, net.projector): m.compile()
    xs = [t.contiguous(memory_format=fmt) for t in (x, x1, x2)]
    opt = LARS(net.parameters(), lr=0.1)
    def step():
        with autocast('cpu', dtype): train_step(net, opt, *xs, cfg)
    def loss():  # one batch's objective from the shared starting weights (same attack start), no update
        torch.manual_seed(1)
        net.train()
        with autocast('cpu', dtype): return float(batch_objective(_Routes(net), net, *xs, cfg, 0.0)[0])
    return step, loss


def graph_count() -> int:
    import torch._dynamo.utils as du
    return int(du.counters['stats'].get('unique_graphs', 0))


def main():
    sys.argv, want_compile = [a for a in sys.argv if a != '--compile'], '--compile' in sys.argv
    a = step_bench_args(__doc__)
    torch.manual_seed(0)
    net0, cfg = bench_net(a), step_config(a.steps)
    B = a.batch
    x, x1, x2 = torch.rand(B, 3, 32, 32), torch.rand(B, 3, 32, 32), torch.rand(B, 3, 32, 32)
    auto = fast_settings(cfg, 'cpu')
    bf16 = torch.bfloat16
    settings = {'fp32 eager': (None, False, False), 'channels_last': (None, True, False), 'bf16': (bf16, False, False),
                'bf16 + channels_last': (bf16, True, False)}
    if want_compile: settings['bf16 + channels_last + compile'] = (bf16, True, True)
    default = next(k for k, v in settings.items() if v == (auto['autocast'], auto['channels_last'], auto['compile']))
    steps, losses = {}, {}
    for name, (dt, cl, comp) in settings.items():
        step, loss = setting_step(net0, cfg, x, x1, x2, dt, cl, comp)
        t = time.perf_counter()
        losses[name] = loss()  # from the shared weights, before any update (for compile: the first forwards compile)
        if comp: first_loss = time.perf_counter() - t
        steps[name] = step
    warm = {}
    if want_compile:
        name = 'bf16 + channels_last + compile'
        t = time.perf_counter(); steps[name](); warm['first_step_seconds'] = first_loss + time.perf_counter() - t  # warm-up: both first calls
        g0 = graph_count(); [steps[name]() for _ in range(3)]; warm['graphs_after_warmup'], warm['graphs_after_3_more'] = g0, graph_count()
    best = compare(steps, a.repeats)
    base = best['fp32 eager']
    print(f"ACL step, {model_name(a)} dual BN, batch {B}, T={a.steps}, torch threads {torch.get_num_threads()}, {platform.processor() or platform.machine()}")
    print(f"  default on this machine ('auto'): {default}")
    for k, v in best.items():
        rel = abs(losses[k] - losses['fp32 eager']) / abs(losses['fp32 eager'])
        print(f"  {k:32s} {v * 1e3:8.1f} ms   {base / v:5.2f}x   loss {losses[k]:.4f} (rel. diff to fp32 {rel:.1e})"
              + ('   <- default' if k == default else ''))
    if warm: print(f"  compile: first step {warm['first_step_seconds']:.1f} s; graphs {warm['graphs_after_warmup']} after warm-up, "
                   f"{warm['graphs_after_3_more']} after 3 more steps (equal: no recompilation)")
    if a.out: Path(a.out).write_text(json.dumps(dict(best_seconds=best, speedup={k: base / v for k, v in best.items()}, losses=losses,
                                                     default=default, compile=warm, arch=a.arch, width=a.width, batch=B, steps=a.steps,
                                                     threads=torch.get_num_threads(), torch=str(torch.__version__),
                                                     platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
