"The arithmetic of bench/claims_speed.py's prices (no training): which rows share measured epochs, and how the rest is extrapolated."
import importlib.util, json
from pathlib import Path
from types import SimpleNamespace
import pytest

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location('claims_speed', ROOT/'bench'/'claims_speed.py')
claims_speed = importlib.util.module_from_spec(spec); spec.loader.exec_module(claims_speed)


def test_rows_differing_only_in_epochs_share_measurements():
    whole = dict(coreset='random', fraction=1.0, warmup_full_epochs=0, select_every=1000)
    spec = {'Entire': dict(whole, epochs=10), 'Random-0.2': dict(whole, fraction=0.2, epochs=10), 'E3': dict(whole, epochs=3),
            'E4': dict(whole, epochs=4), 'Random-0.2-E5': dict(whole, fraction=0.2, epochs=5)}
    assert claims_speed.same_but_epochs(spec, list(spec)) == {'E3': 'Entire', 'E4': 'Entire', 'Random-0.2-E5': 'Random-0.2'}
    assert claims_speed.same_but_epochs(spec, ['E3', 'Entire']) == {'Entire': 'E3'}  # the first of them is the one trained


def test_row_cost_extrapolates_by_kind():
    cfg = SimpleNamespace(coreset='rcs', warmup_full_epochs=1, select_every=2, epochs=5)
    # epoch 0 whole pool; selection before epochs 1 and 3; two epochs measured
    history = [dict(seconds=100.0, select_seconds=0.0), dict(seconds=20.0, select_seconds=30.0)]
    cost = claims_speed.row_cost(cfg, history)
    assert cost['total_seconds'] == pytest.approx(100 + 20 + 30 + 3 * 20 + 30) and cost['rounds'] == 2 and cost['extrapolated']
    whole = SimpleNamespace(coreset='random', warmup_full_epochs=0, select_every=1000, epochs=3)
    assert claims_speed.row_cost(whole, [dict(seconds=50.0, select_seconds=0.0), dict(seconds=70.0)])['total_seconds'] == pytest.approx(180.0)
    with pytest.raises(ValueError, match='raise --epochs above W'):
        claims_speed.row_cost(cfg, history[:1])


def test_extend_prices_adds_rows_from_recorded_means(tmp_path):
    whole = dict(coreset='random', fraction=1.0, warmup_full_epochs=0, select_every=1000)
    spec = {'Entire': dict(whole, epochs=10), 'E6': dict(whole, epochs=6), 'Half': dict(whole, fraction=0.5, epochs=6)}
    f = tmp_path/'speed.json'
    f.write_text(json.dumps(dict(baseline='Entire', rows={'Entire': dict(total_seconds=2000.0, mean_epoch_seconds={'coreset': 200.0},
                                                                         mean_round_seconds=0.0, overrides=spec['Entire'])})))
    cfg = SimpleNamespace(coreset='random', warmup_full_epochs=0, select_every=1000, epochs=6)
    claims_speed.extend_prices(str(f), spec, ['E6'], {'E6': cfg})
    row = json.loads(f.read_text())['rows']['E6']
    assert row['total_seconds'] == pytest.approx(1200.0) and row['ratio_to_baseline'] == pytest.approx(2000 / 1200) and row['priced_from'] == 'Entire'
    with pytest.raises(SystemExit, match='only in its epoch count'):  # another fraction: must be trained
        claims_speed.extend_prices(str(f), spec, ['Half'], {'Half': cfg})
