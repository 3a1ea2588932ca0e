"""Collect every finished ablation row (stage*/<row>/result.json) into one markdown table, printed (see README.md)."""
import json
from pathlib import Path

HERE = Path(__file__).parent
rows = [json.loads(f.read_text()) for f in sorted(HERE.glob('stage*/*/result.json'), key=lambda f: f.stat().st_mtime)]
print("| row | arch | optimiser, lr, batch | attack (T, step) | images x epochs | SA | RA PGD-20 | pre-training (min, 1 thread) |")
print("|---|---|---|---|---|---|---|---|")
for r in rows:
    c = r['pretrain_config']
    arch = f"{c['arch']}-{c['width']}"
    print(f"| {r['name']} | {arch} | {c['optimizer']} {c['lr']:g}, {c['batch_size']} | "
          f"{c['attack_steps']}, {c['step_size'] * 255:.2f}/255 | {c['n_train']} x {c['epochs']} | {r['sa']:.1f} | {r['ra']:.1f} | "
          f"{r['pretrain_seconds'] / 60:.1f} |")
