"SLF before and after recomputing the encoder's BN statistics on the training images (session 18; output in output.txt)"
import torch, sys, copy
from robust_contrastive.finetune import load_encoder, finetune, get_finetune_config, accuracy
from robust_contrastive.data import get_dataset, image_tensors
from robust_contrastive.core import to_unit
torch.set_num_threads(2)
tr = get_dataset('embedded', None, 'train'); te = get_dataset('embedded', None, 'test')
x, y, _ = image_tensors(tr, 10000, 0); xt, yt, _ = image_tensors(te, 1000, 0)
def recal(enc):
    enc = copy.deepcopy(enc)
    for m in enc.modules():
        if isinstance(m, torch.nn.modules.batchnorm._BatchNorm): m.reset_running_stats(); m.momentum = None
    enc.train()
    with torch.no_grad():
        for i in range(0, 10000, 500): enc(to_unit(x[i:i+500]))
    return enc.eval()
for path in sys.argv[1:]:
    enc, _ = load_encoder(path)
    bns = [m for m in enc.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    print(path, 'first BN running_var mean', bns[0].running_var.mean().item(), 'last', bns[-1].running_var.mean().item(), bns[-1].running_mean.abs().mean().item())
    e2 = recal(enc)
    bns2 = [m for m in e2.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
    print('   recalibrated: first', bns2[0].running_var.mean().item(), 'last', bns2[-1].running_var.mean().item(), bns2[-1].running_mean.abs().mean().item())
    for name, e in (('stored', enc), ('recal', e2)):
        clf, info = finetune(e, x, y, 10, get_finetune_config('cpu-slf'), verbose=False)
        print('  ', name, 'SA', accuracy(clf, xt, yt), flush=True)
