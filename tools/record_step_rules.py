"""Write into every stored pre-training config under results/ the step rules it was trained with, where it predates them.

Before tests/test_reference_steps.py, every run trained with the SimCLR-style LARS (1-D tensors exempt), the clamped attack
start, the package's cosine schedule, the un-augmented images forwarded with the views (AIR) and RCS's exact rule. Those
configs lack the fields that now name these choices (pretrain.LEGACY_DEFAULTS gives their values when a config lacks them,
so resume and reuse already read them right); this writes them in, so the files say it themselves. Idempotent; files are
rewritten atomically, keys in their order with the new ones appended. Usage: python tools/record_step_rules.py [results]"""
import json, os, sys, tempfile
from pathlib import Path

def rules_of(cfg:dict) -> dict:
    "The rules a config written before the step goldens trained with."
    return dict(lars_rule='exclude_1d' if cfg.get('optimizer', 'lars') == 'lars' else None, lr_schedule='cosine',
                attack_start='clamped', air_forward='joint', rcs_rule='exact')

def is_pretrain_config(d) -> bool:
    return isinstance(d, dict) and d.get('method') in ('cl', 'acl', 'dynacl') and 'optimizer' in d and 'attack_steps' in d

def record(obj) -> int:
    "Add the missing rules to every pre-training config inside obj (in place); how many configs changed."
    n = 0
    if is_pretrain_config(obj):
        missing = {k: v for k, v in rules_of(obj).items() if k not in obj}
        obj.update(missing); n += bool(missing)
    if isinstance(obj, dict): n += sum(record(v) for v in obj.values())
    elif isinstance(obj, list): n += sum(record(v) for v in obj)
    return n

def main(root='results'):
    files = changed = 0
    for path in sorted(Path(root).rglob('*.json')):
        text = path.read_text()
        obj = json.loads(text)
        n = record(obj)
        if not n: continue
        lines = text.splitlines()
        indent = len(lines[1]) - len(lines[1].lstrip(' ')) if len(lines) > 1 else None  # the file's own layout (core.write_json: 2)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix='.tmp')
        with os.fdopen(fd, 'w') as f: json.dump(obj, f, indent=indent or None); f.write('\n')
        os.chmod(tmp, path.stat().st_mode & 0o777)  # mkstemp makes 0600: keep the file's own mode
        os.replace(tmp, path)
        files += 1; changed += n
    print(f"{changed} configs in {files} files under {root} now name their step rules")

if __name__ == '__main__': main(*sys.argv[1:])
