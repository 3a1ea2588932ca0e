"""`make gpu-check`: every CUDA path of the package, once, on a machine with one NVIDIA GPU, in about 8 minutes.

Nobody on this project has a GPU; a researcher with one runs this first. Each step runs on its own, so one failure does
not hide the others; the script prints what each step measured, writes gpu_check.json, and exits non-zero if any failed.

1. environment: torch, the GPU, whether it computes bf16;
2. the paper ACL step (acl-cifar10: ResNet-18, LARS, PGD-5, dual BN) at batch 512 under bf16 autocast, channels_last and
   torch.compile, on random images: its throughput, and the projected hours of the paper schedules;
3. one RCS round (the exact rule, PGD-1 candidates) on a pool of random images with the trained network;
4. AutoAttack (standard) on 500 images of a linear probe on that encoder;
5. a one-GPU torchrun job (DDP with NCCL) of the experiment driver;
6. run_cifar10 (papermill) for 2 epochs on the CIFAR-10 in ../shared/data, 2,560 images.

`--dry-run` runs the same steps on the CPU at tiny sizes (without torch.compile): the test suite runs it
(tests/test_gpu_check.py), so the script is known to work before it meets a GPU.

    python tools/gpu_check.py [--dry-run] [--out runs/gpu-check] [--data-root ../shared/data/cifar10-jpeg.tar.gz]
"""
import argparse, json, math, os, sys, tempfile, time, traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEED_ACL_HOURS = 43  # the seed's cost of ACL's 1,000 CIFAR-10 epochs (the talk)
PAPER_EPOCHS = dict(acl=1000, dynacl=1000)  # REFERENCE.md: ACL and DynACL pre-train 1,000 epochs on CIFAR-10


def sizes(dry: bool) -> dict:
    "The steps' sizes: the paper's batch on a GPU, tiny ones on the CPU."
    if dry: return dict(device='cpu', batch=32, steps=2, pool=256, val=16, aa=16, cifar=dict(preset='cpu', n_train=512, epochs=1, n_test=32),
                        arch=dict(arch='tiny', width=8), compile=False)
    return dict(device='cuda', batch=512, steps=8, pool=10240, val=100, aa=500, cifar=dict(preset='paper', n_train=2560, epochs=2, n_test=500),
                arch={}, compile=True)


def environment(ctx):
    import torch
    from robust_contrastive.core import amp_dtype, precision_name
    info = dict(torch=torch.__version__, cuda=torch.version.cuda, device=ctx['device'])
    if ctx['device'] == 'cuda':
        if not torch.cuda.is_available(): raise RuntimeError("no CUDA device: this check is for a machine with an NVIDIA GPU (--dry-run runs it on the CPU).")
        p = torch.cuda.get_device_properties(0)
        info.update(gpu=p.name, memory_gb=round(p.total_memory / 2**30, 1), capability=f"{p.major}.{p.minor}", gpus=torch.cuda.device_count())
    info['precision'] = precision_name(amp_dtype(torch.device(ctx['device']), 'auto'))
    return info


def paper_acl_step(ctx):
    import torch
    from robust_contrastive.pretrain import get_config, pretrain
    s = ctx['sizes']
    n = s['batch'] * s['steps']
    cfg = get_config('acl-cifar10', **s['arch'], batch_size=s['batch'], epochs=2, warmup_epochs=1, precision='auto', channels_last=True,
                     compile=s['compile'])
    images = torch.randint(0, 256, (n, 3, 32, 32), dtype=torch.uint8, generator=torch.Generator().manual_seed(0))
    res = pretrain(cfg, images=images, device=ctx['device'], verbose=False)
    ctx['model'] = res.model
    second = res.history[1]  # the first epoch holds the compilation
    ips = second['images'] / second['seconds']
    hours = {m: e * 50_000 / ips / 3600 for m, e in PAPER_EPOCHS.items()}
    return dict(images_per_second=round(ips, 1), first_epoch_seconds=round(res.history[0]['seconds'], 1), attack_share=round(second['attack_seconds'] / second['seconds'], 3),
                projected_hours={m: round(h, 1) for m, h in hours.items()}, seed_acl_hours=SEED_ACL_HOURS,
                note=f"ACL, 1,000 epochs of 50,000 images at this step's speed: {hours['acl']:.1f} h (the seed: {SEED_ACL_HOURS} h)"
                     + (" (a dry run: tiny network on the CPU, not a projection)" if ctx['dry'] else ''))


def rcs_round(ctx):
    import torch
    from robust_contrastive.rcs import select_coreset
    s, model = ctx['sizes'], ctx.get('model')
    if model is None: raise RuntimeError("needs the network of the paper ACL step, which failed")
    g = torch.Generator().manual_seed(1)
    pool = torch.randint(0, 256, (s['pool'], 3, 32, 32), dtype=torch.uint8, generator=g)
    val = torch.randint(0, 256, (s['val'], 3, 32, 32), dtype=torch.uint8, generator=g)
    t0 = time.perf_counter()
    res = select_coreset(model, pool, val, 0.2, batch_size=s['batch'], device=ctx['device'], verbose=False)
    secs = time.perf_counter() - t0
    return dict(pool=s['pool'], picked=int(len(res.indices)), seconds=round(secs, 1), projected_round_seconds_50k=round(secs * 50_000 / s['pool'], 1))


def autoattack_500(ctx):
    import torch
    from robust_contrastive.evaluate import evaluate, require_autoattack
    from robust_contrastive.finetune import finetune, get_finetune_config
    require_autoattack()
    s, model = ctx['sizes'], ctx.get('model')
    if model is None: raise RuntimeError("needs the network of the paper ACL step, which failed")
    g = torch.Generator().manual_seed(2)
    x = torch.randint(0, 256, (2 * s['aa'], 3, 32, 32), dtype=torch.uint8, generator=g)
    y = torch.randint(0, 10, (2 * s['aa'],), generator=g)
    clf, _ = finetune(model.encoder, x[:s['aa']], y[:s['aa']], 10, get_finetune_config('cpu-slf', epochs=1), device=ctx['device'], verbose=False)
    t0 = time.perf_counter()
    ev = evaluate(clf, x[s['aa']:], y[s['aa']:], metrics=('sa', 'aa'), device=ctx['device'], verbose=False, sanity=False)
    return dict(images=s['aa'], sa=ev['sa'], aa=ev['aa'], seconds=round(time.perf_counter() - t0, 1))


def torchrun_one_gpu(ctx):
    from robust_contrastive.experiment import launch
    out = Path(ctx['out'])/'torchrun'
    spec = dict(rows=[dict(name='ACL', pretrain=dict(epochs=1))], out_dir=str(out), preset='test', modes=['slf'],
                finetune_overrides=dict(slf=dict(epochs=1)), n_test=64, overwrite=out.exists(), verbose=False)
    t0 = time.perf_counter()
    res = launch(spec, processes=1)
    return dict(seconds=round(time.perf_counter() - t0, 1), sa=res['rows'][0]['modes']['slf']['sa'])


def run_cifar10(ctx):
    import papermill
    s = ctx['sizes']['cifar']
    if not Path(ctx['data_root']).exists(): raise FileNotFoundError(f"no CIFAR-10 at {ctx['data_root']}: pass --data-root (its folder or .tar.gz).")
    out = Path(ctx['out'])/'cifar10'
    # the dry run's 8 steps at the preset's lr 0.5 leave the projector's BatchNorm statistics far from its outputs (|z| ~1e7 in eval
    # mode), and RD then refuses to attack (06_rcs): a smaller lr keeps the tiny run measurable; the GPU run keeps the preset's
    params = dict(preset=s['preset'], data_root=str(ctx['data_root']), epochs=s['epochs'], n_train=s['n_train'], n_test=s['n_test'], modes=['slf'],
                  finetune_overrides=dict(slf=dict(epochs=1 if ctx['dry'] else 2)), config=dict(warmup_epochs=1, **({'batch_size': 64, 'lr': 0.05} if ctx['dry'] else {})),
                  out_dir=str(out), overwrite=out.exists(), verbose=False)
    t0 = time.perf_counter()
    papermill.execute_notebook(str(ROOT/'nbs'/'run_cifar10.ipynb'), str(Path(ctx['out'])/'run_cifar10.ipynb'), kernel_name='python3',
                               parameters=params, progress_bar=False)
    res = json.loads((out/'results.json').read_text())['rows']
    return dict(seconds=round(time.perf_counter() - t0, 1), rows=[r['name'] for r in res], ra={r['name']: r['modes']['slf']['ra'] for r in res})


STEPS = (environment, paper_acl_step, rcs_round, autoattack_500, torchrun_one_gpu, run_cifar10)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    p.add_argument('--dry-run', action='store_true', help='the same steps on the CPU at tiny sizes')
    p.add_argument('--out', default=str(ROOT/'runs'/'gpu-check'))
    p.add_argument('--data-root', default=str(ROOT.parent/'shared'/'data'/'cifar10-jpeg.tar.gz'))
    p.add_argument('--only', default=None, help='comma-separated step names to run (default: all)')
    a = p.parse_args(argv)
    s = sizes(a.dry_run)
    ctx = dict(dry=a.dry_run, sizes=s, device=s['device'], out=a.out, data_root=a.data_root)
    Path(a.out).mkdir(parents=True, exist_ok=True)
    chosen = [f for f in STEPS if a.only is None or f.__name__ in a.only.split(',')]
    report, t_all = [], time.perf_counter()
    for f in chosen:
        t0 = time.perf_counter()
        print(f"[{f.__name__}] ...", flush=True)
        try: info, ok = f(ctx), True
        except Exception as e:
            traceback.print_exc(); info, ok = dict(error=f"{type(e).__name__}: {e}"), False
        report.append(dict(step=f.__name__, ok=ok, wall_seconds=round(time.perf_counter() - t0, 1), **info))
        print(f"[{f.__name__}] {'ok' if ok else 'FAILED'} in {report[-1]['wall_seconds']} s: {json.dumps(info)}", flush=True)
    failed = [r['step'] for r in report if not r['ok']]
    summary = dict(dry_run=a.dry_run, seconds=round(time.perf_counter() - t_all, 1), failed=failed, steps=report)
    from robust_contrastive.core import write_json
    write_json(Path(a.out)/'gpu_check.json', summary)
    acl = next((r for r in report if r['step'] == 'paper_acl_step' and r['ok']), None)
    if acl: print(acl['note'])
    print(f"gpu-check {'(dry run) ' if a.dry_run else ''}{'passed' if not failed else 'FAILED: ' + ', '.join(failed)} in {summary['seconds']:.0f} s; "
          f"{Path(a.out)/'gpu_check.json'}")
    return 1 if failed else 0


if __name__ == '__main__': sys.exit(main())
