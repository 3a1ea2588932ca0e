"""Batched on-device augmentation vs the torchvision PIL pipeline (and kornia), on one CIFAR batch.

Prints images/s for each and the ratios, measured side by side in one run (interleaved repeats,
best of each), so they compare even on a noisy machine.

    python bench/augment.py [--batch 512] [--repeats 5] [--strength 1.0] [--threads N]
"""
import argparse, json, time, platform
from pathlib import Path
import numpy as np
import torch
from torchvision.transforms import functional as TF

from robust_contrastive.augment import acl_transform, BatchedAugment
from robust_contrastive.data import get_dataset, unpack_archive

SHARED = Path(__file__).resolve().parents[2]/'shared'/'data'/'cifar10-jpeg.tar.gz'


def cifar_batch(n):
    if SHARED.exists():
        ds = get_dataset('imagefolder', unpack_archive(SHARED), 'test')
        return [ds[i][0] for i in range(n)], 'cifar10 (real, ../shared/data)'
    ds = get_dataset('embedded', split='test', n=n)
    return [ds[i][0] for i in range(n)], 'embedded shapes (CIFAR-sized; ../shared/data absent)'


def kornia_pipeline(s):
    try: import kornia.augmentation as K
    except ImportError: return None
    return torch.nn.Sequential(
        K.RandomResizedCrop((32, 32), scale=(1 - 0.9 * s, 1.0), resample='BICUBIC'),
        K.RandomHorizontalFlip(),
        K.ColorJitter(0.4 * s, 0.4 * s, 0.4 * s, 0.1 * s, p=0.8 * s),
        K.RandomGrayscale(p=0.2 * s))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument('--batch', type=int, default=512)
    ap.add_argument('--repeats', type=int, default=5)
    ap.add_argument('--strength', type=float, default=1.0)
    ap.add_argument('--threads', type=int, default=None, help='torch threads (default: torch decides)')
    ap.add_argument('--out', default=None, help='also write the results as JSON here')
    a = ap.parse_args()
    if a.threads: torch.set_num_threads(a.threads)
    imgs, source = cifar_batch(a.batch)
    pil = acl_transform(a.strength)
    bat = BatchedAugment(a.strength)
    kor = kornia_pipeline(a.strength)
    x = torch.stack([TF.to_tensor(im) for im in imgs])  # the batch as a loader would hand it to the device
    runs = {'pil': lambda: torch.stack([pil(im) for im in imgs]), 'batched': lambda: bat(x)}
    if kor is not None: runs['kornia'] = lambda: kor(x)
    for f in runs.values(): f()  # warm-up
    times = {k: [] for k in runs}
    for _ in range(a.repeats):
        for k, f in runs.items():
            t = time.perf_counter(); f(); times[k].append(time.perf_counter() - t)
    best = {k: min(v) for k, v in times.items()}
    print(f"augmentation of {a.batch} images, strength {a.strength}, {source}, torch threads {torch.get_num_threads()}")
    for k, t in best.items(): print(f"  {k:8s} {t * 1e3:8.1f} ms/batch  {a.batch / t:9.0f} images/s")
    print(f"  ratio batched / PIL speed: {best['pil'] / best['batched']:.1f}x faster")
    if 'kornia' in best: print(f"  ratio batched / kornia speed: {best['kornia'] / best['batched']:.1f}x faster")
    res = dict(batch=a.batch, strength=a.strength, source=source, threads=torch.get_num_threads(),
               best_seconds=best, speedup_vs_pil=best['pil'] / best['batched'],
               speedup_vs_kornia=(best['kornia'] / best['batched']) if 'kornia' in best else None,
               torch=str(torch.__version__), platform=platform.platform())
    if a.out: Path(a.out).write_text(json.dumps(res, indent=2))


if __name__ == '__main__':
    main()
