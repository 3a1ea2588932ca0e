"""The docs build produces a browsable site: one HTML page per notebook and an index linking them."""
import re, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_offline_docs_build(tmp_path):
    out = tmp_path/'site'
    res = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--offline', '--out', str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=900)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    nbs = [p for p in (ROOT/'nbs').glob('[0-9]*.ipynb')]
    index = (out/'index.html').read_text()
    for nb in nbs:
        page = out/(re.sub(r'^\d+[a-zA-Z0-9]*_', '', nb.stem) + '.html')
        assert page.exists(), f"no page for {nb.name}"
        assert f'href="{page.name}"' in index, f"index does not link {page.name}"
    models = (out/'models.html').read_text()
    assert 'id="build_contrastive_net"' in models          # show_doc rendered as a heading with its signature
    assert '#| export' not in models                        # nbdev directives are processed, not shown
    assert '<img' in (out/'augment.html').read_text()      # figures are in the pages
    # formulas render offline: MathJax is copied beside the pages and loaded from there
    assert (out/'mathjax'/'MathJax.js').exists() and 'src="mathjax/MathJax.js' in (out/'attacks.html').read_text()
