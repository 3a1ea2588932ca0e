"""Evaluation speed on the CPU: images per second of PGD-20 and of AutoAttack on the same classifier, in one run.

AutoAttack attacks only the images every earlier attack failed on, so its cost depends on how robust the model is:
measure it on a real pre-trained encoder (an SLF head on a pre-training checkpoint), not on an untrained one.
Also reports the peak resident memory of the process (the issue asks for batch sizes that stay under 8 GB).

    python bench/eval_speed.py --checkpoint runs/.../checkpoint.pt --data-root DIR [--n-test 1000] [--mode slf] [--out F]
"""
import argparse, json, platform, resource, time
from pathlib import Path
import torch
from robust_contrastive.data import get_dataset, image_tensors
from robust_contrastive.finetune import load_encoder, finetune, get_finetune_config
from robust_contrastive.evaluate import evaluate


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--checkpoint', required=True)
    ap.add_argument('--dataset', default='cifar10')
    ap.add_argument('--data-root', default=None)
    ap.add_argument('--n-train', type=int, default=10000)
    ap.add_argument('--n-test', type=int, default=1000)
    ap.add_argument('--preset', default='cpu-slf', help='fine-tuning preset of the classifier that is evaluated')
    ap.add_argument('--batch', type=int, default=256, help='PGD batch size')
    ap.add_argument('--aa-batch', type=int, default=500, help='AutoAttack batch size')
    ap.add_argument('--out', default=None)
    a = ap.parse_args()
    enc, meta = load_encoder(a.checkpoint)
    tr, te = get_dataset(a.dataset, a.data_root, 'train'), get_dataset(a.dataset, a.data_root, 'test')
    x, y, _ = image_tensors(tr, a.n_train, 0); xt, yt, _ = image_tensors(te, a.n_test, 0)
    clf, ft = finetune(enc, x, y, len(tr.classes), get_finetune_config(a.preset), verbose=False)
    ev = evaluate(clf, xt, yt, metrics=('sa', 'ra', 'aa'), batch_size=a.batch, aa_batch_size=a.aa_batch, verbose=False)
    ips = ev['images_per_second']
    peak_gb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 2**20  # Linux: kilobytes
    print(f"{a.dataset}, {a.n_test} test images, encoder {meta['config'].get('arch')}-{meta['config'].get('width')} "
          f"({meta['config'].get('method')}), head {a.preset}, torch threads {torch.get_num_threads()}")
    print(f"  SA {ev['sa']:.2f}  RA (PGD-20) {ev['ra']:.2f}  AA {ev['aa']:.2f} ({ev['autoattack']['version']}: {ev['autoattack']['per_attack']})")
    print(f"  PGD-20      {ips['ra']:8.1f} images/s  (batch {a.batch})")
    print(f"  AutoAttack  {ips['aa']:8.1f} images/s  (batch {a.aa_batch})")
    print(f"  ratio PGD-20 / AutoAttack images per second: {ips['ra'] / ips['aa']:.2f}")
    print(f"  peak resident memory of the process: {peak_gb:.2f} GB")
    if a.out:
        Path(a.out).parent.mkdir(parents=True, exist_ok=True)
        Path(a.out).write_text(json.dumps(dict(images_per_second=ips, ratio_pgd_over_aa=ips['ra'] / ips['aa'], sa=ev['sa'], ra=ev['ra'],
                                               aa=ev['aa'], autoattack=ev['autoattack'], seconds=ev['seconds'], peak_rss_gb=peak_gb,
                                               checkpoint=a.checkpoint, n_test=a.n_test, batch=a.batch, aa_batch=a.aa_batch,
                                               preset=a.preset, torch=str(torch.__version__), threads=torch.get_num_threads(),
                                               platform=platform.platform()), indent=2))


if __name__ == '__main__':
    main()
