"Which factors the main job's CL encoders encode: ridge probes (evaluate.ridge_probe) of content and each style factor on their
features (4,000 training images, scored on 2,000 test images). Usage: python factor_probe.py RUN/cl-seedK/checkpoint.pt ..."
import sys, json, torch
from robust_contrastive.finetune import load_encoder
from robust_contrastive.data import EmbeddedShapes
from robust_contrastive.evaluate import ridge_probe
from robust_contrastive.core import to_unit
torch.set_num_threads(1)
tr, te = EmbeddedShapes('train'), EmbeddedShapes('test')
def feats(enc, ds, n):
    x = torch.from_numpy(ds.data[:n]).permute(0, 3, 1, 2).contiguous()
    with torch.no_grad(): return torch.cat([enc(to_unit(x[i:i + 500])).float() for i in range(0, n, 500)])
ranges = dict(content=10, colour=8, texture=4, background=6)
for path in sys.argv[1:]:
    enc, _ = load_encoder(path); enc.eval()
    ftr, fte = feats(enc, tr, 4000), feats(enc, te, 2000)
    out = {}
    for k, c in ranges.items():
        w, b = ridge_probe(ftr, torch.from_numpy(tr.factors[k][:4000]), c)
        out[k] = round(100 * ((fte @ w.T + b).argmax(1) == torch.from_numpy(te.factors[k][:2000])).float().mean().item(), 1)
    sa = json.load(open(path.replace('checkpoint.pt', 'result.json')))['modes']['slf']['sa']
    print(path.split('/')[-3], path.split('/')[-2], 'SLF SA', sa, 'probe acc', out, flush=True)
