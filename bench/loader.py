"""Is data loading the bottleneck? Samples per second of the input pipeline alone vs the ACL training step alone.

The pre-training loop keeps the training set in memory as uint8 (decoded once) and builds each batch by indexing,
converting to float and drawing the two augmented views on the device (`BatchedAugment`). This measures that pipeline
and one ACL step (5-step attack on both views, forwards on both BN routes, backward, LARS) on the same batch size,
interleaved, and prints the ratio: the pipeline must be many times faster than the step.

    python bench/loader.py [--data-root DIR] [--arch tiny --width 16] [--batch 256] [--repeats 5] [--out F]
"""
import json, platform
from pathlib import Path
import torch
from robust_contrastive.augment import BatchedAugment
from robust_contrastive.data import get_dataset, image_tensors
from robust_contrastive.pretrain import LARS
from _timing import compare, step_bench_args, bench_net, model_name, step_config, train_step


def main():
    import argparse, sys
    ap = argparse.ArgumentParser(add_help=False); ap.add_argument('--data-root', default=None)
    extra, rest = ap.parse_known_args(); sys.argv = [sys.argv[0]] + rest
    a = step_bench_args(__doc__)
    torch.manual_seed(0)
    if extra.data_root:
        images, _, _ = image_tensors(get_dataset('cifar10', extra.data_root, 'train', verbose=False)); source = 'CIFAR-10 (50,000 images)'
    else:
        images = torch.randint(0, 256, (50000, 3, 32, 32), dtype=torch.uint8); source = 'random uint8 (50,000 images)'
    B, g = a.batch, torch.Generator().manual_seed(0)
    aug = BatchedAugment(1.0)
    net = bench_net(a); opt = LARS(net.parameters(), lr=0.1)
    x_fixed = images[:B].float().div(255)
    x1f, x2f = aug(x_fixed, g), aug(x_fixed, g)

    def load():
        idx = torch.randint(0, len(images), (B,), generator=g)
        x = images[idx].float().div_(255)
        return aug(x, g), aug(x, g)

    cfg = step_config(a.steps)
    def step(): train_step(net, opt, x_fixed, x1f, x2f, cfg)

    best = compare({'loader': load, 'acl_step': step}, a.repeats)
    sps = {k: B / v for k, v in best.items()}
    print(f"input pipeline vs ACL step, {source}, {model_name(a)} dual BN, batch {B}, T={a.steps}, torch threads {torch.get_num_threads()}")
    print(f"  loader (index + float + two augmented views)  {sps['loader']:10.0f} samples/s")
    print(f"  ACL training step                             {sps['acl_step']:10.0f} samples/s")
    print(f"  ratio loader / step: {sps['loader'] / sps['acl_step']:.1f}x  (above 1: loading is not the bottleneck)")
    if a.out: Path(a.out).write_text(json.dumps(dict(samples_per_second=sps, ratio=sps['loader'] / sps['acl_step'], source=source,
                                                       arch=a.arch, batch=B, steps=a.steps, torch=str(torch.__version__),
                                                       threads=torch.get_num_threads(), platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
