"""The explorers (13_explore) in a real kernel: built, displayed and driven by setting their controls' values, as a
frontend does; the widget state the kernel sent must hold the redrawn figure."""
import hashlib, json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
nbformat = pytest.importorskip('nbformat')
nbclient = pytest.importorskip('nbclient')
pytest.importorskip('ipywidgets')

CELLS = ['''
import hashlib, tempfile, torch
from IPython.display import display
from robust_contrastive.explore import explore_attack, explore_run
from robust_contrastive.data import EmbeddedShapes, image_tensors
from robust_contrastive.models import build_contrastive_net
from robust_contrastive.pretrain import pretrain, get_config
xt, yt, _ = image_tensors(EmbeddedShapes('test', n=64))
torch.manual_seed(0); enc = build_contrastive_net('tiny', width=8, proj_dim=32).encoder
def png(ex): return ex.out.outputs[0]['data']['image/png']
''', '''
ex = explore_attack(enc, xt, n_show=2, steps=2)
display(ex)
print('first', hashlib.sha1(png(ex).encode()).hexdigest())
''', '''
ex.controls['eps'].value = 20      # a slider moved
ex.controls['route'].value = 'normal'  # and the route menu
assert ex.draws == 3, ex.draws
print('last', hashlib.sha1(png(ex).encode()).hexdigest())
''', '''
d = tempfile.mkdtemp()
pretrain(get_config('test', epochs=1), d, images=xt, verbose=False)
rx = explore_run(d); display(rx)
rx.controls['field'].value = 'seconds'
assert rx.draws == 2 and rx.figure.axes[0].get_ylabel() == 'seconds'
print('run', hashlib.sha1(png(rx).encode()).hexdigest())
''']


def _outputs_of(nb):
    "{label: hash} printed by the cells."
    text = ''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', []) if o.get('name') == 'stdout')
    return dict(line.split() for line in text.strip().splitlines())


def test_explorers_in_a_kernel(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(s) for s in CELLS])
    nb.metadata['kernelspec'] = dict(name='python3', display_name='python3', language='python')
    nbclient.NotebookClient(nb, kernel_name='python3', timeout=600, store_widget_state=True,
                            resources=dict(metadata=dict(path=str(tmp_path)))).execute()
    printed = _outputs_of(nb)
    assert printed['first'] != printed['last']  # the figure was redrawn
    # what the kernel sent to the frontend: each explorer's Output widget holds the PNG of its last figure
    state = nb.metadata['widgets']['application/vnd.jupyter.widget-state+json']['state']
    shown = {hashlib.sha1(o['data']['image/png'].encode()).hexdigest()
             for m in state.values() if m['model_name'] == 'OutputModel' for o in m['state'].get('outputs', []) if 'image/png' in o.get('data', {})}
    assert printed['last'] in shown and printed['run'] in shown and printed['first'] not in shown, (printed, shown)
    # the explorers were displayed as widgets (a VBox view), not as text
    views = [o for c in nb.cells for o in c.get('outputs', []) if 'application/vnd.jupyter.widget-view+json' in o.get('data', {})]
    assert len(views) == 2, views
