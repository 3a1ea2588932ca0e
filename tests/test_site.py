"""The docs site: one page per notebook with navigation, contents and search, links that resolve inside the site,
every figure present, and every formula typeset (checked in headless Chromium where it is installed).

This file runs after tests/test_notebooks.py (tests/conftest.py orders it last), whose runs leave the executed
notebooks in _docs_cache/: the build reuses them and executes only what is missing."""
import json, os, re, shutil, subprocess, sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import unquote
import pytest

ROOT = Path(__file__).resolve().parents[1]
FIGURE_CELL = re.compile(r'plt\.(show|subplots|figure|imshow)\(|\.plot\(|^show\(|;\s*show\(|^explore_\w+\(', re.M)  # show(): 13_explore's figure display; an explorer shows its figure


@pytest.fixture(scope='module')
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp('site')
    res = subprocess.run([sys.executable, str(ROOT/'tools'/'build_docs.py'), '--offline', '--out', str(out)],
                         cwd=ROOT, capture_output=True, text=True, timeout=1800)
    assert res.returncode == 0, res.stdout[-3000:] + res.stderr[-3000:]
    return out


def _page(nb: Path) -> str:
    return 'home.html' if nb.stem == 'index' else re.sub(r'^\d+[a-zA-Z0-9]*_', '', nb.stem) + '.html'


def test_pages_navigation_and_search_index(site):
    nbs = sorted((ROOT/'nbs').glob('*.ipynb'))
    index = (site/'index.html').read_text()
    for nb in nbs:
        page = site/_page(nb)
        assert page.exists(), f"no page for {nb.name}"
        text = page.read_text()
        assert f'href="{page.name}"' in index, f"index does not link {page.name}"
        assert 'id="rc-sidebar"' in text and 'id="rc-search"' in text, f"{page.name}: no sidebar or search box"
        sidebar = text[text.index('id="rc-sidebar"'):text.index('</nav>')]
        missing = [_page(o) for o in nbs if f'href="{_page(o)}"' not in sidebar]
        assert not missing, f"{page.name}: the sidebar lacks {missing}"
    assert 'id="rc-toc"' in (site/'rcs.html').read_text()          # each page's contents
    entries = json.loads((site/'search_index.js').read_text().split('=', 1)[1].rstrip().rstrip(';'))
    assert any(e['u'].startswith('rcs.html#') and 'greedy' in e['t'].lower() for e in entries)
    models = (site/'models.html').read_text()
    assert 'id="build_contrastive_net"' in models and '#| export' not in models  # show_doc rendered, directives processed
    assert "''" not in re.sub(r'<(style|script)\b.*?</\1>', '', index, flags=re.S)  # YAML quotes read as YAML ("seed's")
    assert 'celltag_rc_test' in (site/'attacks.html').read_text()   # test cells marked (the page folds them)
    # the tutorial is the first page after the home page; no page opens with its notebook's test imports (hidden)
    sidebar = index[index.index('id="rc-sidebar"'):index.index('</nav>')]
    assert re.findall(r'<li[^>]*><a href="([^"]+)"', sidebar)[:3] == ['index.html', 'home.html', 'tutorial.html']
    for page in site.glob('*.html'): assert 'from fastcore.test import' not in page.read_text(), f"{page.name} shows its test imports"


def test_links_resolve_inside_the_site(site):
    bad = []
    for page in sorted(site.glob('**/*.html')):
        if 'mathjax' in page.parts: continue
        text = page.read_text()
        assert 'href="https://robust-contrastive.github.io' not in text, f"{page.name} links the placeholder web site"
        for src in re.findall(r'<img[^>]*\ssrc="([^"]+)"', text):
            if not src.startswith('data:') and not (page.parent/unquote(src)).exists(): bad.append((page.name, src))
        for href in re.findall(r'href="([^"]+)"', text):
            if re.match(r'^[a-z]+:', href) or href.startswith('#'):
                if href.startswith('https://github.com/robust-contrastive/'): bad.append((page.name, href))
                continue
            path, _, anchor = unquote(href).partition('#')
            target = (page.parent/path).resolve()
            if not target.exists(): bad.append((page.name, href)); continue
            if anchor and target.suffix == '.html' and f'id="{anchor}"' not in target.read_text(): bad.append((page.name, href))
    assert not bad, f"{len(bad)} links do not resolve, e.g. {bad[:8]}"
    # cross-references whose anchor no page has were pointed at their page: only private names may be among them
    dropped = json.loads((site/'dropped_anchors.json').read_text())
    assert all(d.split('#')[1].startswith('_') for d in dropped), dropped


def test_every_figure_is_present(site):
    for nb in sorted((ROOT/'nbs').glob('*.ipynb')):
        cells = json.loads(nb.read_text())['cells']
        figures = sum(1 for c in cells if c['cell_type'] == 'code' and FIGURE_CELL.search(''.join(c['source']))
                      and '#| export' not in ''.join(c['source']))
        if nb.name.startswith('run_'):  # a job's page shows the figures of real runs (results/) that its markdown names
            figures = sum(''.join(c['source']).count('![') for c in cells if c['cell_type'] == 'markdown')
        imgs = (site/_page(nb)).read_text().count('<img')
        assert imgs >= figures, f"{nb.name}: {figures} figure cells but {imgs} images on its page"


CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser') or shutil.which('google-chrome')


def _dom(url: str) -> str:
    res = subprocess.run([CHROMIUM, '--headless', '--no-sandbox', '--disable-gpu', '--virtual-time-budget=10000',
                          '--dump-dom', url], capture_output=True, text=True, timeout=120)
    assert res.returncode == 0, res.stderr[-2000:]
    return res.stdout


def test_stale_outputs_are_not_used(tmp_path):
    "The cache of executed notebooks is keyed by the notebook and the package: an edited notebook's old outputs are not shown."
    sys.path.insert(0, str(ROOT/'tools'))
    import build_docs
    nb = tmp_path/'nb.ipynb'; nb.write_text(json.dumps(dict(cells=[], metadata={}, nbformat=4, nbformat_minor=5)))
    cached = dict(cells=[], metadata=dict(rc_source_key=build_docs.source_key(nb)), nbformat=4, nbformat_minor=5)
    (tmp_path/'cache').mkdir(); (tmp_path/'cache'/'nb.ipynb').write_text(json.dumps(cached))
    assert build_docs.cached_outputs(nb, tmp_path/'cache') is not None
    nb.write_text(nb.read_text() + ' ')  # edited since it was executed
    assert build_docs.cached_outputs(nb, tmp_path/'cache') is None


def test_full_run_is_kept(tmp_path):
    "A full-size run in the cache (run_full, `make docs-full`) is not replaced by the suite's reduced run of the same content."
    sys.path.insert(0, str(ROOT/'tools'))
    import build_docs
    nb = tmp_path/'nb.ipynb'
    nb.write_text(json.dumps(dict(cells=[dict(cell_type='code', id='a1', metadata={}, source='x = 1', outputs=[], execution_count=None)],
                                  metadata=dict(kernelspec=dict(name='python3', display_name='python3', language='python')), nbformat=4, nbformat_minor=5)))
    cache = tmp_path/'cache'; cache.mkdir()
    full = dict(cells=[], metadata=dict(rc_source_key=build_docs.source_key(nb), rc_full=True), nbformat=4, nbformat_minor=5)
    (cache/'nb.ipynb').write_text(json.dumps(full))
    ok, _ = build_docs.run_notebook(nb, cache)
    assert ok and json.loads((cache/'nb.ipynb').read_text()) == full  # the test ran; the full copy stayed
    nb.write_text(nb.read_text().replace('x = 1', 'x = 2'))  # new content: the full copy is stale, the suite's run replaces it
    ok, _ = build_docs.run_notebook(nb, cache)
    assert ok and 'rc_full' not in json.loads((cache/'nb.ipynb').read_text())['metadata']


NEED_BROWSER = os.environ.get('RC_REQUIRE_BROWSER') == '1'  # CI sets it (.ci/run installs Chromium): there the test runs or fails, never skips


@pytest.mark.skipif(CHROMIUM is None and not NEED_BROWSER, reason="headless Chromium is not installed (Debian: apt-get install chromium): "
                                                                  "formulas are typeset by MathJax in a browser, so they cannot be checked without one")
def test_formulas_typeset_and_search_in_chromium(site):
    assert CHROMIUM is not None, "RC_REQUIRE_BROWSER=1 but no Chromium is installed: apt-get install chromium (.ci/run does where apt can)"
    typeset = 0
    pages = sorted(site.glob('*.html'))
    with ThreadPoolExecutor(2) as pool: doms = list(pool.map(lambda p: _dom(p.as_uri()), pages))  # two browsers at a time
    for page, dom in zip(pages, doms):
        assert 'Math Processing Error' not in dom and 'class="MathJax_Error"' not in dom, f"{page.name}: a formula failed"
        typeset += dom.count('class="MathJax"') + dom.count('class="MathJax_Display"')
        if page.name == 'rcs.html':
            assert dom.count('class="MathJax"') > 50  # the RD definition and the greedy's steps (x', theta') included
            assert '<details>' in dom                  # test cells folded by the page's script
    assert typeset > 200
    # the tutorial's figures, each an image embedded in the page (a show() of a figure, or an explorer's figure)
    tutorial = json.loads((ROOT/'nbs'/'tutorial.ipynb').read_text())['cells']
    want = sum(len(FIGURE_CELL.findall(''.join(c['source']))) for c in tutorial if c['cell_type'] == 'code')
    dom = doms[[p.name for p in pages].index('tutorial.html')]
    got = len(re.findall(r'<img[^>]*\ssrc="data:image/png;base64,[A-Za-z0-9+/]{2000}', dom))
    assert want >= 10 and got >= want, f"tutorial.html: {want} figures in the notebook, {got} rendered on the page"
    dom = _dom((site/'index.html').as_uri() + '?q=coreset%20greedy')
    results = re.search(r'<div id="rc-results">(.*?)</div>', dom, re.S).group(1)
    assert 'rcs.html#' in results, "the search box found nothing for 'coreset greedy'"
