"""The longest functions of the generated package (lines including the signature, and parameter counts), for keeping
each function on one screen, and the experiment drivers: `python tools/function_lengths.py [N]`.

It exits non-zero when a function is longer than 70 lines or when more than one function writes a job's results
(`write_results`): two such functions are two experiment drivers, which drift apart (issue 34)."""
import ast, sys
from pathlib import Path

LIMIT = 70
rows, drivers = [], []
for p in sorted((Path(__file__).resolve().parents[1]/'robust_contrastive').glob('*.py')):
    if p.name == '_modidx.py': continue
    for node in ast.walk(ast.parse(p.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rows.append((node.end_lineno - node.lineno + 1, f"{p.stem}.{node.name}", len(node.args.args) + len(node.args.kwonlyargs)))
            calls = {c.func.id if isinstance(c.func, ast.Name) else getattr(c.func, 'attr', None) for c in ast.walk(node) if isinstance(c, ast.Call)}
            if 'write_results' in calls: drivers.append(f"{p.stem}.{node.name}")
for n, name, params in sorted(rows, reverse=True)[:int(sys.argv[1]) if len(sys.argv) > 1 else 15]:
    print(f"{n:4d} lines  {params:3d} params  {name}")
long = [name for n, name, _ in rows if n > LIMIT]
print(f"\nfunctions over {LIMIT} lines: {', '.join(long) or 'none'}")
print(f"experiment drivers (functions that write a job's results): {', '.join(drivers) or 'none'}"
      + ("  <- a driver pair" if len(drivers) > 1 else ""))
sys.exit(1 if long or len(drivers) > 1 else 0)
