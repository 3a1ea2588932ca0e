"""The longest functions of the generated package (lines including the signature, and parameter counts), for keeping
each function on one screen: `python tools/function_lengths.py [N]`."""
import ast, sys
from pathlib import Path

rows = []
for p in sorted((Path(__file__).resolve().parents[1]/'robust_contrastive').glob('*.py')):
    if p.name == '_modidx.py': continue
    for node in ast.walk(ast.parse(p.read_text())):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            rows.append((node.end_lineno - node.lineno + 1, f"{p.stem}.{node.name}", len(node.args.args) + len(node.args.kwonlyargs)))
for n, name, params in sorted(rows, reverse=True)[:int(sys.argv[1]) if len(sys.argv) > 1 else 15]:
    print(f"{n:4d} lines  {params:3d} params  {name}")
