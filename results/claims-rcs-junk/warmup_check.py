"""Why a noise seed's rows end low: kNN / ridge-probe SA and RA (PGD-10 against the probe, 500 test images; bank: 5,000
clean training images) of the noise warm-ups, Random-0.2-noise and Entire-clean of the seeds given. A noise seed whose
rows end low should have a warm-up with a low kNN RA. Run from the project root:
`OMP_NUM_THREADS=1 .venv/bin/python results/claims-rcs-junk/warmup_check.py 3 4` (output: printed, and appended to
warmup_check.txt). `seed2_check.txt` is the same measurement for seeds 0-2, written by this script's first form
(`seed2_check.py`, commit 26be19f), which printed the three warm-ups before the rows."""
import sys, glob, torch
from pathlib import Path
from robust_contrastive.core import set_verbose
from robust_contrastive.finetune import load_encoder
from robust_contrastive.evaluate import knn_accuracy
from robust_contrastive.data import get_dataset, image_tensors
set_verbose(False); torch.set_num_threads(1)
seeds = [int(s) for s in sys.argv[1:]] or [3, 4]
here, root = Path('results/claims-rcs-junk'), '../shared/data/cifar10-jpeg.tar.gz'
xb, yb, _ = image_tensors(get_dataset('cifar10', root, split='train'), 5000, 0)
xt, yt, _ = image_tensors(get_dataset('cifar10', root, split='test'))
xt, yt = xt[:500], yt[:500]
def score(path, what):
    enc, _ = load_encoder(path)
    r = knn_accuracy(enc, xb, yb, xt, yt, steps=10, seed=0)
    line = f"{what}: " + ', '.join(f"{k} {v:.1f}" for k, v in r.items() if isinstance(v, float))
    print(line, flush=True)
    with open(here/'warmup_check.txt', 'a') as f: f.write(line + '\n')
warmups = {}
for f in sorted(glob.glob(str(here/'.warmup'/'*.pt'))):
    c = torch.load(f, map_location='cpu', weights_only=False)['config']
    if c['junk'] == 'noise': warmups[c['seed']] = f
for s in seeds:
    score(warmups[s], f"warm-up (2 epochs), noise, seed {s}")
    score(here/f'random-0.2-noise-seed{s}'/'checkpoint.pt', f'Random-0.2-noise seed {s} (10 epochs)')
    score(here/f'entire-clean-seed{s}'/'checkpoint.pt', f'Entire-clean seed {s}')
