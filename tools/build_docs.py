"""Build the documentation site.

With Quarto on PATH this runs `nbdev-docs` (the full nbdev site in _docs/). Without it (these
machines cannot install Quarto) it builds a browsable offline site from the same processed
notebooks: nbdev's own processing (`show_doc` cells rendered, exports and hidden cells removed)
into _proc/, then one HTML page per notebook with nbconvert and an index page linking them all.

    python tools/build_docs.py                # _docs/index.html
    python tools/build_docs.py --offline      # force the offline build even where Quarto exists
    python tools/build_docs.py --out DIR
"""
import argparse, html, json, os, re, shutil, subprocess, sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _frontmatter(src: str) -> dict:
    "key: value pairs of a `---` block (nbdev turns a notebook's title cell into one)."
    lines = src.strip().splitlines()
    if len(lines) < 2 or lines[0].strip() != '---' or lines[-1].strip() != '---': return {}
    out, key = {}, None
    for ln in lines[1:-1]:
        if key and ln[:1].isspace(): out[key] += ' ' + ln.strip(); continue  # a wrapped value
        k, _, v = ln.partition(':')
        if k.strip(): key = k.strip(); out[key] = v.strip()
    return {k: (v[1:-1] if len(v) > 1 and v[0] == v[-1] and v[0] in '\'"' else v) for k, v in out.items()}


def _title(nb: dict, fallback: str) -> tuple[str, str]:
    "The notebook's title and one-line summary (from nbdev's frontmatter, or a `# ...` / `> ...` cell)."
    for cell in nb['cells']:
        src = ''.join(cell['source'])
        fm = _frontmatter(src) if cell['cell_type'] == 'raw' else {}
        if fm.get('title'): return fm['title'], fm.get('description', '')
        if cell['cell_type'] != 'markdown': continue
        m = re.search(r'^#\s+(.+)$', src, re.M)
        if m:
            s = re.search(r'^>\s*(.+)$', src, re.M)
            return m.group(1).strip(), (s.group(1).strip() if s else '')
    return fallback, ''


def _page_name(nb_path: Path) -> str:
    from nbdev.config import nbpath2html
    return nbpath2html(nb_path.name).name


_QUARTO_ATTR = re.compile(r'\{(?:target|style|\.)[^}]*\}')


def _prepare(path: Path):
    "Read a processed notebook and turn nbdev's Quarto directives into what nbconvert understands."
    import nbformat
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        cell.metadata.pop('execution', None)
        if cell.cell_type == 'raw':
            fm = _frontmatter(cell.source)
            if fm:  # the title block becomes a heading and its summary
                cell.cell_type, cell.source = 'markdown', f"# {fm.get('title', '')}\n\n> {fm.get('description', '')}"
                cell.pop('outputs', None); cell.pop('execution_count', None)
            continue
        if cell.cell_type != 'code': continue
        for o in cell.get('outputs', []):  # Quarto link attributes mean nothing to nbconvert
            md = o.get('data', {}).get('text/markdown')
            if md is not None: o['data']['text/markdown'] = _QUARTO_ATTR.sub('', md if isinstance(md, str) else ''.join(md))
        lines = cell.source.splitlines()
        dirs = {}
        while lines and lines[0].startswith('#|'):
            k, _, v = lines.pop(0)[2:].partition(':')
            dirs[k.strip()] = v.strip()
        cell.source = '\n'.join(lines)
        tags = set(cell.metadata.get('tags', []))
        if dirs.get('echo') == 'false' or not cell.source.strip(): tags.add('remove_input')
        if dirs.get('output') == 'false': tags.add('remove_output')
        cell.metadata['tags'] = sorted(tags)
    return nb


def _local_mathjax(out: Path):
    "Copy MathJax (from the jupyter-server-mathjax package) beside the pages, so formulas render offline."
    try: import jupyter_server_mathjax
    except ImportError:
        print('jupyter-server-mathjax is not installed: pages load MathJax from its CDN (formulas need internet).')
        return None
    src = Path(jupyter_server_mathjax.__file__).parent/'static'
    dst = out/'mathjax'
    if not dst.exists(): shutil.copytree(src, dst)
    return 'mathjax/MathJax.js?config=TeX-AMS-MML_HTMLorMML-full,Safe'


def build_offline(out: Path) -> list[Path]:
    from nbdev.serve import proc_nbs
    from nbdev.config import get_config
    from nbconvert import HTMLExporter
    cfg = get_config(ROOT)
    os.chdir(ROOT)
    cache = proc_nbs(str(cfg.nbs_path), n_workers=0)
    out.mkdir(parents=True, exist_ok=True)
    from traitlets.config import Config
    c = Config()
    c.TagRemovePreprocessor.enabled = True
    c.TagRemovePreprocessor.remove_input_tags = ('remove_input',)
    c.TagRemovePreprocessor.remove_all_outputs_tags = ('remove_output',)
    mathjax = _local_mathjax(out)
    if mathjax: c.HTMLExporter.mathjax_url = mathjax
    c.HTMLExporter.exclude_input_prompt = True
    c.HTMLExporter.exclude_output_prompt = True
    exporter = HTMLExporter(template_name='lab', config=c)
    nbs = sorted(p for p in cache.glob('*.ipynb') if not p.name.startswith(('_', '.')))
    pages, links = [], []
    for p in nbs:
        nb = json.loads(p.read_text())
        title, summary = _title(nb, p.stem)
        body, _ = exporter.from_notebook_node(_prepare(p))
        name = _page_name(p)
        nav = '<p style="margin:1em 2em"><a href="index.html">&larr; robust_contrastive docs</a></p>'
        body = re.sub(r'(<body[^>]*>)', r'\1' + nav, body, count=1)
        (out/name).write_text(body)
        pages.append(out/name)
        if p.stem != 'index': links.append((name, title, summary))
    index_body = ''
    index_nb = cache/'index.ipynb'
    if index_nb.exists():
        index_body = (out/'index.html').read_text()
        (out/'home.html').write_text(index_body)
    items = '\n'.join(f'<li><a href="{html.escape(n)}">{html.escape(t)}</a> &mdash; {html.escape(s)}</li>' for n, t, s in links)
    index = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>robust_contrastive documentation</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;margin:2em auto;line-height:1.5}} li{{margin:.4em 0}}</style>
</head><body>
<h1>robust_contrastive</h1>
<p>{html.escape(cfg.description or '')}</p>
<p><a href="home.html">Overview (index notebook)</a></p>
<h2>Notebooks</h2>
<ol>
{items}
</ol>
<p><small>Built offline from the notebooks (nbdev processing + nbconvert); with Quarto installed, <code>nbdev-docs</code> builds the full site.</small></p>
</body></html>
"""
    (out/'index.html').write_text(index)
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--offline', action='store_true', help='build the offline site even where Quarto is installed')
    ap.add_argument('--out', default=str(ROOT/'_docs'), help='output folder (offline build)')
    a = ap.parse_args(argv)
    if shutil.which('quarto') and not a.offline:
        subprocess.run([str(Path(sys.executable).parent/'nbdev-docs')], cwd=ROOT, check=True)
        print(f'Docs built by nbdev-docs in {ROOT/"_docs"}')
        return
    out = Path(a.out)
    pages = build_offline(out)
    print(f'Offline docs: {len(pages)} pages + index in {out}; open {out/"index.html"} in a browser.')


if __name__ == '__main__':
    main()
