"Why seed 2 of the noise pool is low: kNN / ridge-probe SA and RA (PGD-10 against the probe, 500 test images; bank: 5,000 clean training images) of the noise warm-ups and of Random-0.2-noise and Entire-clean, seeds 0-2. Output: seed2_check.txt."
import torch, glob, json
from robust_contrastive.core import set_verbose
from robust_contrastive.finetune import load_encoder
from robust_contrastive.evaluate import knn_accuracy
from robust_contrastive.data import get_dataset, image_tensors
set_verbose(False); torch.set_num_threads(1)
root = '../shared/data/cifar10-jpeg.tar.gz'
xb, yb, _ = image_tensors(get_dataset('cifar10', root, split='train'), 5000, 0)
xt, yt, _ = image_tensors(get_dataset('cifar10', root, split='test'))
xt, yt = xt[:500], yt[:500]
def score(path, what):
    enc, _ = load_encoder(path)
    r = knn_accuracy(enc, xb, yb, xt, yt, steps=10, seed=0)
    print(f"{what}: " + ', '.join(f"{k} {v:.1f}" for k, v in r.items() if isinstance(v, float)), flush=True)
for f in sorted(glob.glob('results/claims-rcs-junk/.warmup/*.pt')):
    c = torch.load(f, map_location='cpu', weights_only=False)['config']
    if c['junk'] == 'noise': score(f, f"warm-up (2 epochs), noise, seed {c['seed']}")
for s in (0, 1, 2):
    score(f'results/claims-rcs-junk/random-0.2-noise-seed{s}/checkpoint.pt', f'Random-0.2-noise seed {s} (10 epochs)')
    score(f'results/claims-rcs-junk/entire-clean-seed{s}/checkpoint.pt', f'Entire-clean seed {s}')
