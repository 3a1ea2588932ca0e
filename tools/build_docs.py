"""Build the documentation site.

With Quarto on PATH this runs `nbdev-docs` (the full nbdev site in _docs/). Without it (these
machines cannot install Quarto) it builds a browsable offline site from the same processed
notebooks: nbdev's own processing (`show_doc` cells rendered, exports and hidden cells removed)
into _proc/, one HTML page per notebook with nbconvert, and a layout of our own around them: a
sidebar with every page and a search box (a prebuilt index, so it works from file://), each
page's contents, MathJax served from the site, API and source links that resolve inside the site
(source pages are generated), and test cells folded so the pages read as explanations with examples.

Outputs and figures come from executed notebooks: `tests/test_notebooks.py` (the test suite) keeps
every notebook it runs, with its outputs, in _docs_cache/ (keyed by the notebook's content);
the build uses those that are current and, with --execute, runs the others the same way first.

    python tools/build_docs.py                # _docs/index.html (offline build: executes what the cache lacks)
    python tools/build_docs.py --offline      # force the offline build even where Quarto exists
    python tools/build_docs.py --no-execute   # use only cached outputs (pages of other notebooks show code without outputs)
    python tools/build_docs.py --out DIR
"""
import argparse, hashlib, html, json, os, re, shutil, subprocess, sys, tempfile, time
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parents[1]


def _frontmatter(src: str) -> dict:
    "key: value pairs of a `---` block (nbdev turns a notebook's title cell into one), read as YAML ('seed''s' is seed's)."
    import yaml
    lines = src.strip().splitlines()
    if len(lines) < 2 or lines[0].strip() != '---' or lines[-1].strip() != '---': return {}
    try: fm = yaml.safe_load('\n'.join(lines[1:-1]))
    except yaml.YAMLError: return {}
    return {str(k): '' if v is None else str(v) for k, v in fm.items()} if isinstance(fm, dict) else {}


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



CACHE = Path(os.environ.get('RC_DOCS_CACHE') or ROOT/'_docs_cache')
SKIP_FLAGS = ('slow', 'gpu', 'notest')  # what the default test run skips (pyproject's tst_flags)


def source_key(nb_path: Path) -> str:
    "What a notebook's outputs depend on: its own bytes, the exported package (every module) and the library versions."
    import torch, nbdev
    h = hashlib.blake2b(Path(nb_path).read_bytes(), digest_size=8)
    for f in sorted((ROOT/'robust_contrastive').glob('*.py')): h.update(f.read_bytes())
    h.update(f'{torch.__version__} {nbdev.__version__} {sys.version}'.encode())
    return h.hexdigest()


def cached_outputs(nb_path: Path, cache: Path = CACHE) -> dict | None:
    "The executed copy of a notebook if the cache holds one of its current content, else None."
    f = cache/Path(nb_path).name
    if not f.exists(): return None
    nb = json.loads(f.read_text())
    return nb if nb.get('metadata', {}).get('rc_source_key') == source_key(nb_path) else None


def run_notebook(nb_path: Path, cache: Path = CACHE, skip_flags=SKIP_FLAGS) -> tuple[bool, float]:
    "Run a notebook as nbdev-test does (in process, IN_TEST=1, flagged cells skipped); on success keep its outputs in `cache`."
    import nbdev.test as nbtest
    from fastcore.nbio import write_nb
    nb_path, key = Path(nb_path), source_key(nb_path)
    def keep(nb, fn):  # nbdev's save=True writes the executed notebook back over the source: write it to the cache instead
        if (cached_outputs(nb_path, cache) or {}).get('metadata', {}).get('rc_full'): return  # a full-size run of this content (run_full) stays
        nb['metadata']['rc_source_key'] = key
        cache.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=cache, prefix=f'.{nb_path.name}.', suffix='.tmp'); os.close(fd)  # concurrent writers: own names
        write_nb(nb, tmp); os.replace(tmp, cache/nb_path.name)
    cache.mkdir(parents=True, exist_ok=True)
    running = cache/f'.running-{nb_path.name}-{os.getpid()}'  # another process building the docs waits for this run (wait_for_runs)
    running.touch()
    try:
        with mock.patch.object(nbtest, 'write_nb', keep):
            return nbtest.test_nb(nb_path, skip_flags=list(skip_flags), basepath=ROOT, showerr=True, save=True)
    finally: running.unlink(missing_ok=True)


def run_full(nb_path: Path, cache: Path = CACHE, timeout: int = 3600) -> Path:
    """Run a notebook at its full size (a real kernel, without IN_TEST: the tutorial's own sizes) and keep it in `cache` as
    the executed copy of its current content, marked `rc_full`: the test suite's reduced runs of the same content do not
    replace it, so the site shows the full-size figures (`make docs-full`)."""
    import papermill
    nb_path, key = Path(nb_path), source_key(nb_path)
    env = {k: v for k, v in os.environ.items() if k != 'IN_TEST'}
    cache.mkdir(parents=True, exist_ok=True)
    tmp = cache/f'.{nb_path.stem}.full-{os.getpid()}.tmp.ipynb'
    with mock.patch.dict(os.environ, env, clear=True):
        papermill.execute_notebook(str(nb_path), str(tmp), kernel_name='python3', cwd=str(nb_path.parent), progress_bar=False, execution_timeout=timeout)
    nb = json.loads(tmp.read_text()); nb['metadata'].update(rc_source_key=key, rc_full=True)
    tmp.write_text(json.dumps(nb)); os.replace(tmp, cache/nb_path.name)
    return cache/nb_path.name


def _alive(pid: int) -> bool:
    try: os.kill(pid, 0)
    except ProcessLookupError: return False
    except PermissionError: return True
    return True


def wait_for_runs(cache: Path = CACHE, timeout: float = 1800.0, poll: float = 2.0) -> list[str]:
    """Wait while other processes run notebooks into the cache (the test suite on several workers: the docs build after them
    uses their outputs rather than running the notebooks a second time). Markers of processes that died are ignored."""
    start, waited = time.time(), set()
    while time.time() - start < timeout:
        live = [f for f in cache.glob('.running-*') if _alive(int(f.name.rsplit('-', 1)[1])) and int(f.name.rsplit('-', 1)[1]) != os.getpid()]
        if not live: return sorted(waited)
        waited |= {f.name for f in live}
        time.sleep(poll)
    raise SystemExit(f"notebooks still running into {cache} after {timeout:.0f} s: {sorted(waited)}")


def _merge_outputs(nb, executed: dict):
    "Copy the outputs of the executed copy into the processed notebook, cell by cell (matched by cell id)."
    outs = {c.get('id'): c.get('outputs', []) for c in executed['cells'] if c.get('cell_type') == 'code'}
    for cell in nb.cells:
        if cell.cell_type == 'code' and not cell.get('outputs') and outs.get(cell.get('id')):
            import nbformat
            cell.outputs = [nbformat.from_dict(o) for o in outs[cell['id']]]


_TEST_CALL = re.compile(r'^\s*(test_eq|test_ne|test_fail|test_close|test_is|assert)\b', re.M)

def _mark_tests(nb):
    "Tag code cells that check rather than explain (test_* calls, asserts): the pages fold them."
    for cell in nb.cells:
        if cell.cell_type == 'code' and _TEST_CALL.search(cell.source) and 'show_doc' not in cell.source:
            cell.metadata['tags'] = sorted(set(cell.metadata.get('tags', [])) | {'rc_test'})


MATHJAX_FONTS = ('<script type="text/x-mathjax-config">MathJax.Hub.Config({"HTML-CSS": {availableFonts: ["STIX-Web"], '
                 'preferredFont: "STIX-Web", webFont: "STIX-Web", imageFont: null}});</script>\n')
# jupyter-server-mathjax ships the STIX-Web fonts only: MathJax's default (TeX fonts) fails on glyphs such as the prime

SITE_CSS = """
body { margin: 0 16rem 0 17rem !important; }
#rc-sidebar { position: fixed; top: 0; left: 0; bottom: 0; width: 15.5rem; overflow-y: auto; padding: 1rem .8rem;
  background: #f6f7f9; border-right: 1px solid #ddd; font: 14px/1.45 system-ui, sans-serif; box-sizing: border-box; z-index: 10; }
#rc-sidebar a { color: #234; text-decoration: none; } #rc-sidebar a:hover { text-decoration: underline; }
#rc-sidebar .rc-home { font-weight: 700; font-size: 16px; display: block; margin-bottom: .6rem; }
#rc-sidebar h4 { margin: .9rem 0 .3rem; font-size: 12px; text-transform: uppercase; color: #667; letter-spacing: .04em; }
#rc-sidebar ul { list-style: none; padding: 0; margin: 0; } #rc-sidebar li { margin: .15rem 0; }
#rc-sidebar li.rc-current > a { font-weight: 700; color: #000; }
#rc-search { width: 100%; box-sizing: border-box; padding: .35rem .5rem; border: 1px solid #bbb; border-radius: 4px; }
#rc-results { margin: .3rem 0 .5rem; } #rc-results a { display: block; padding: .2rem 0; border-bottom: 1px dotted #ccc; }
#rc-results small { color: #667; display: block; }
#rc-toc { position: fixed; top: 0; right: 0; bottom: 0; width: 15rem; overflow-y: auto; padding: 1rem .8rem; box-sizing: border-box;
  font: 13px/1.4 system-ui, sans-serif; border-left: 1px solid #eee; background: #fff; z-index: 10; }
#rc-toc a { color: #345; text-decoration: none; } #rc-toc ul { list-style: none; padding-left: 0; margin: .3rem 0; }
#rc-toc li.rc-h3 { padding-left: .9rem; } #rc-toc b { font-size: 12px; text-transform: uppercase; color: #667; }
.celltag_rc_test { border-left: 3px solid #c9d3e0; }
.celltag_rc_test > details > summary { cursor: pointer; color: #556; font: 12px system-ui, sans-serif; margin: .2rem 0 .2rem .6rem; }
@media (max-width: 70rem) { #rc-toc { display: none; } body { margin-right: 0 !important; } }
"""

SITE_JS = r"""
(function () {
  // fold the cells that test rather than explain: their code (and output) behind a summary line
  document.querySelectorAll('.celltag_rc_test').forEach(function (cell) {
    var d = document.createElement('details'), s = document.createElement('summary');
    s.textContent = 'Test / example (click to show)';
    d.appendChild(s);
    while (cell.firstChild) d.appendChild(cell.firstChild);
    cell.appendChild(d);
  });
  // search: every section of every page, from search_index.js (no server needed)
  var box = document.getElementById('rc-search'), out = document.getElementById('rc-results');
  function run(q) {
    out.innerHTML = '';
    var terms = q.toLowerCase().split(/\s+/).filter(Boolean);
    if (!terms.length) return;
    var hits = [];
    (window.RC_SEARCH || []).forEach(function (e) {
      var title = e.t.toLowerCase(), score = 0;
      for (var i = 0; i < terms.length; i++) {
        var inT = title.indexOf(terms[i]) >= 0, inX = e.x.indexOf(terms[i]) >= 0;
        if (!inT && !inX) return;
        score += inT ? 5 : 1;
      }
      hits.push([score, e]);
    });
    hits.sort(function (a, b) { return b[0] - a[0]; });
    hits.slice(0, 25).forEach(function (h) {
      var a = document.createElement('a'), sm = document.createElement('small');
      a.href = h[1].u; a.textContent = h[1].t; sm.textContent = h[1].p; a.appendChild(sm); out.appendChild(a);
    });
    if (!hits.length) out.textContent = 'No match.';
  }
  if (box) {
    box.addEventListener('input', function () { run(box.value); });
    var q = new URLSearchParams(location.search).get('q');
    if (q) { box.value = q; run(q); }
  }
})();
"""

LIBRARY, JOBS, TUTORIAL = 'Library (one notebook per module)', 'Experiment notebooks (papermill jobs)', 'Start here'


def _rewrite_links(page: str, cfg) -> str:
    "API cross-references and source links of nbdev point at web addresses: make them point inside the site."
    site = f"{cfg.doc_host.rstrip('/')}/{cfg.doc_baseurl.strip('/')}/"
    page = re.sub(r'href="' + re.escape(site) + r'([\w.-]+?)(?:\.html)?(?:\.md)?(#[^"]*)?"',
                  lambda m: f'href="{m.group(1)}.html{m.group(2) or ""}"', page)
    src = f"{cfg.git_url.rstrip('/')}/blob/{cfg.branch}/{Path(cfg.lib_path).name}/"
    page = page.replace('src="../results/', 'src="results/')  # a notebook's image of a real run, from nbs/ to the site's root
    return re.sub(r'href="' + re.escape(src) + r'([\w./-]+?\.py)(?:#L(\d+))?"',
                  lambda m: f'href="src/{m.group(1)}.html' + (f'#L-{m.group(2)}"' if m.group(2) else '"'), page)


def _source_pages(out: Path, cfg):
    "One highlighted page per module with line anchors, the targets of the pages' [source] links."
    from pygments import highlight
    from pygments.lexers import PythonLexer
    from pygments.formatters import HtmlFormatter
    (out/'src').mkdir(exist_ok=True)
    fmt = HtmlFormatter(linenos='inline', lineanchors='L', anchorlinenos=True)
    for f in sorted(Path(cfg.lib_path).glob('*.py')):
        body = highlight(f.read_text(), PythonLexer(), fmt)
        (out/'src'/f'{f.name}.html').write_text(
            f'<!DOCTYPE html><html><head><meta charset="utf-8"><title>{f.name}</title><style>{fmt.get_style_defs(".highlight")}'
            'body{font:13px monospace;margin:1rem 2rem} .linenos{color:#999}</style></head><body>'
            f'<p><a href="../index.html">robust_contrastive</a> / {f.name} (generated from the notebooks; do not edit)</p>{body}</body></html>')


_HEADING = re.compile(r'<h([1-3])\s+id="([^"]+)"[^>]*>(.*?)</h\1>', re.S)

def _headings(page: str, levels=(2, 3)) -> list[tuple[int, str, str, int]]:
    "(level, id, text, position) of a converted page's headings of those levels."
    out = []
    for m in _HEADING.finditer(page):
        text = html.unescape(re.sub(r'<[^>]+>', '', m.group(3))).replace('\u00b6', '').strip()
        if text and int(m.group(1)) in levels: out.append((int(m.group(1)), m.group(2), text, m.start()))
    return out


def _plain(fragment: str) -> str:
    fragment = re.sub(r'<(script|style)\b.*?</\1>', ' ', fragment, flags=re.S | re.I)
    return re.sub(r'\s+', ' ', html.unescape(re.sub(r'<[^>]+>', ' ', fragment))).strip()


def _sections(name: str, title: str, page: str) -> list[dict]:
    "Search entries of a page: one per h1/h2/h3 section, with its plain text."
    body = page[page.find('<body'):]
    marks = [(0, '', title)] + [(pos, anchor, head) for _, anchor, head, pos in _headings(body, levels=(1, 2, 3))]
    entries = []
    for k, (pos, anchor, head) in enumerate(marks):
        end = marks[k + 1][0] if k + 1 < len(marks) else len(body)
        text = _plain(body[pos:end])[:4000].lower()
        if text or head:
            entries.append(dict(u=name + (f'#{anchor}' if anchor else ''), t=head, p=title, x=text))
    return entries


def _sidebar(pages: list[tuple[str, str, str, str]], current: str) -> str:
    "Every page, grouped, the current one marked; the search box and its results on top."
    groups = {}
    for name, title, _, group in pages: groups.setdefault(group, []).append((name, title))
    parts = ['<nav id="rc-sidebar"><a class="rc-home" href="index.html">robust_contrastive</a>',
             '<input id="rc-search" type="search" placeholder="Search the docs" aria-label="Search the docs"><div id="rc-results"></div>']
    for group, items in groups.items():
        parts.append(f'<h4>{html.escape(group)}</h4><ul>')
        for name, title in items:
            cls = ' class="rc-current"' if name == current else ''
            parts.append(f'<li{cls}><a href="{html.escape(name)}">{html.escape(title)}</a></li>')
        parts.append('</ul>')
    return '\n'.join(parts + ['</nav>'])


def _toc(page: str) -> str:
    heads = _headings(page)
    if not heads: return ''
    items = ''.join(f'<li class="rc-h{lvl}"><a href="#{html.escape(i)}">{html.escape(t)}</a></li>' for lvl, i, t, _ in heads)
    return f'<aside id="rc-toc"><b>On this page</b><ul>{items}</ul></aside>'


def _layout(page: str, sidebar: str, toc: str) -> str:
    page = page.replace('<script src="mathjax/MathJax.js', MATHJAX_FONTS + '<script src="mathjax/MathJax.js', 1)
    page = page.replace('</head>', '<link rel="stylesheet" href="site.css">\n</head>', 1)
    page = re.sub(r'(<body[^>]*>)', lambda m: m.group(1) + sidebar + toc, page, count=1)
    return page.replace('</body>', '<script src="search_index.js"></script><script src="site.js"></script>\n</body>', 1)


def _fix_anchors(converted: list, dropped: list) -> list:
    "nbdev's cross-references use lower-case anchors (Quarto's ids); nbconvert keeps the heading's case: point them at the real ids."
    ids = {name: {i.lower(): i for i in re.findall(r'id="([^"]+)"', body)} for name, *_, body in converted}
    def fix(m):
        page, anchor = m.group(1), m.group(2)
        real = ids.get(page, {}).get(anchor.lower())
        if real: return f'href="{page}#{real}"'
        dropped.append(f'{page}#{anchor}')  # a name without a heading of its own (a private helper): its page; listed for the test
        return f'href="{page}"'
    return [(n, t, s, g, re.sub(r'href="([\w.-]+\.html)#([^"]+)"', fix, body)) for n, t, s, g, body in converted]


def build_offline(out: Path, execute: bool = True) -> list[Path]:
    from nbdev.serve import proc_nbs
    from nbdev.config import get_config
    from nbconvert import HTMLExporter
    cfg = get_config(ROOT)
    os.chdir(ROOT)
    if CACHE.exists():
        waited = wait_for_runs(CACHE)
        if waited: print(f'waited for notebooks that other processes were running: {", ".join(waited)}', flush=True)
    if execute:  # notebooks whose current content the cache lacks (a fresh clone, or edited since `make test`): run them now
        for src in sorted((ROOT/'nbs').glob('*.ipynb')):
            if src.name.startswith(('_', '.', 'run_')) or cached_outputs(src) is not None: continue
            print(f'executing {src.name} for its outputs ...', flush=True)
            ok, secs = run_notebook(src)
            if not ok: raise SystemExit(f'{src.name} failed while executing it for the docs (traceback above).')
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
    first = ('index', 'tutorial')  # the home page, then the tutorial: the first page after it
    nbs = sorted((p for p in cache.glob('*.ipynb') if not p.name.startswith(('_', '.'))), key=lambda p: (first.index(p.stem) if p.stem in first else 2, p.name))
    converted, pages, missing = [], [], []
    for p in nbs:
        nb = _prepare(p)
        src = ROOT/'nbs'/p.name
        executed = cached_outputs(src) if src.exists() else None
        if executed is not None: _merge_outputs(nb, executed)
        elif not p.name.startswith(('run_', 'index')): missing.append(p.name)
        _mark_tests(nb)
        title, summary = _title(json.loads(p.read_text()), p.stem)
        name = 'home.html' if p.stem == 'index' else _page_name(p)
        group = 'Overview' if p.stem == 'index' else TUTORIAL if p.stem == 'tutorial' else JOBS if p.stem.startswith('run_') else LIBRARY
        body, _ = exporter.from_notebook_node(nb)
        converted.append((name, title, summary, group, _rewrite_links(body, cfg)))
    for *_, body in converted:  # figures of real runs (results/) that the experiment pages show: copied beside the pages
        for rel in re.findall(r'src="(results/[^"]+)"', body):
            dst = out/rel; dst.parent.mkdir(parents=True, exist_ok=True); shutil.copy2(ROOT/rel, dst)
    dropped = []
    converted = _fix_anchors(converted, dropped)
    (out/'dropped_anchors.json').write_text(json.dumps(sorted(set(dropped)), indent=1))
    listing = [('index.html', 'Contents', '', 'Overview')] + [(n, t, s, g) for n, t, s, g, _ in converted]
    index_entries = []
    for name, title, summary, group, body in converted:
        (out/name).write_text(_layout(body, _sidebar(listing, name), _toc(body)))
        pages.append(out/name)
        index_entries += _sections(name, title, body)
    items = {}
    for name, title, summary, group, _ in converted: items.setdefault(group, []).append(
        f'<li><a href="{html.escape(name)}">{html.escape(title)}</a> &mdash; {html.escape(summary)}</li>')
    lists = ''.join(f'<h2 id="{re.sub(r"[^a-z]+", "-", g.lower())}">{html.escape(g)}</h2><ol>{"".join(v)}</ol>' for g, v in items.items())
    index = f"""<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>robust_contrastive documentation</title>
<style>body{{font-family:system-ui,sans-serif;max-width:60em;line-height:1.5;padding:1rem 2rem}} li{{margin:.4em 0}}</style>
</head><body>
<h1 id="robust_contrastive">robust_contrastive</h1>
<p>{html.escape(cfg.description or '')}</p>
{lists}
<p><small>Built offline from the executed notebooks (nbdev processing + nbconvert, with this site's layout: tools/build_docs.py);
with Quarto installed, <code>nbdev-docs</code> builds nbdev's own site.</small></p>
</body></html>
"""
    (out/'index.html').write_text(_layout(index, _sidebar(listing, 'index.html'), _toc(index)))
    (out/'site.css').write_text(SITE_CSS)
    (out/'site.js').write_text(SITE_JS)
    (out/'search_index.js').write_text('window.RC_SEARCH = ' + json.dumps(index_entries) + ';\n')
    _source_pages(out, cfg)
    if missing: print(f'no executed copy of {", ".join(missing)}: their pages show code without outputs (run make test, or build with --execute).')
    return pages


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--offline', action='store_true', help='build the offline site even where Quarto is installed')
    ap.add_argument('--no-execute', action='store_true', help='use cached outputs only; do not run notebooks the cache lacks')
    ap.add_argument('--out', default=str(ROOT/'_docs'), help='output folder (offline build)')
    a = ap.parse_args(argv)
    if shutil.which('quarto') and not a.offline:
        subprocess.run([str(Path(sys.executable).parent/'nbdev-docs')], cwd=ROOT, check=True)
        print(f'Docs built by nbdev-docs in {ROOT/"_docs"}')
        return
    out = Path(a.out)
    pages = build_offline(out, execute=not a.no_execute)
    print(f'Offline docs: {len(pages)} pages + index in {out}; open {out/"index.html"} in a browser.')


if __name__ == '__main__':
    main()
