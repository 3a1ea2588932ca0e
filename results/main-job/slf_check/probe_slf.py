"SLF of one encoder under three SLF seeds: does the fine-tuning, not the encoder, decide CL's SA? (session 18; output in output.txt)"
import torch, sys
from robust_contrastive.finetune import load_encoder, finetune, get_finetune_config, accuracy
from robust_contrastive.data import get_dataset, image_tensors
torch.set_num_threads(2)
tr = get_dataset('embedded', None, 'train'); te = get_dataset('embedded', None, 'test')
x, y, _ = image_tensors(tr, 10000, 0); xt, yt, _ = image_tensors(te, 1000, 0)
for path in sys.argv[1:]:
    enc, _ = load_encoder(path)
    for s in (0, 1, 2):
        clf, info = finetune(enc, x, y, 10, get_finetune_config('cpu-slf', seed=s), verbose=False)
        print(path.split('/')[-3:-1], 'slf seed', s, 'SA', accuracy(clf, xt, yt), 'final loss', round(info['losses'][-1], 3), flush=True)
