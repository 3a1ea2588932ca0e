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


def test_price_rows_shares_history_and_adds_teachers():
    whole = dict(coreset='random', fraction=1.0, warmup_full_epochs=0, select_every=1000)
    spec = {'Entire': dict(whole, epochs=4), 'E2': dict(whole, epochs=2), 'Stage2': dict(whole, epochs=3, teacher='row:E2')}
    cfgs = {n: SimpleNamespace(coreset='random', warmup_full_epochs=0, select_every=1000, epochs=spec[n]['epochs']) for n in spec}
    history = {'Entire': [dict(seconds=10.0, select_seconds=1.0), dict(seconds=20.0, select_seconds=0.0)], 'Stage2': [dict(seconds=4.0, select_seconds=0.0)] * 2}
    cost = claims_speed.price_rows(cfgs, spec, list(spec), history, {'E2': 'Entire'})
    assert cost['Entire']['total_seconds'] == pytest.approx(10 + 1 + 20 + 2 * 15)  # two measured, two at their mean
    assert cost['E2']['total_seconds'] == pytest.approx(31.0) and cost['E2']['priced_from'] == 'Entire'  # its own two epochs: Entire's first two
    assert cost['Stage2']['stage1_seconds'] == pytest.approx(31.0) and cost['Stage2']['total_seconds'] == pytest.approx(12.0 + 31.0)


def test_extend_prices_adds_rows_from_recorded_means(tmp_path):
    coreset = dict(coreset='rcs', fraction=0.2, warmup_full_epochs=1, select_every=2)
    spec = {'Entire': dict(coreset, fraction=1.0, epochs=10), 'RCS': dict(coreset, epochs=10), 'RCS-E6': dict(coreset, epochs=6),
            'Half': dict(coreset, fraction=0.5, epochs=6), 'Stage2': dict(coreset, epochs=10, teacher='row:RCS'),
            'Stage2-E6': dict(coreset, epochs=6, teacher='row:RCS')}
    args = dict(preset='cpu-cifar10', dataset='cifar10', config='{}', seed=0, study='study.json')
    f = tmp_path/'speed.json'
    rcs = dict(total_seconds=500.0, mean_epoch_seconds={'full': 200.0, 'coreset': 30.0}, mean_round_seconds=5.0, overrides=spec['RCS'])
    stage2 = dict(total_seconds=800.0, mean_epoch_seconds={'full': 100.0, 'coreset': 10.0}, mean_round_seconds=2.0, overrides=spec['Stage2'])
    f.write_text(json.dumps(dict(baseline='Entire', args=args, rows={'Entire': dict(total_seconds=2000.0, overrides=spec['Entire']), 'RCS': rcs,
                                                                      'Stage2': stage2})))
    cfg = lambda n: SimpleNamespace(coreset='rcs', warmup_full_epochs=1, select_every=2, epochs=spec[n]['epochs'])
    claims_speed.extend_prices(str(f), spec, ['RCS-E6'], {'RCS-E6': cfg('RCS-E6')}, args)
    row = json.loads(f.read_text())['rows']['RCS-E6']  # 1 whole-pool epoch, 5 coreset epochs, rounds before epochs 1, 3, 5
    assert row['total_seconds'] == pytest.approx(200 + 5 * 30 + 3 * 5) and row['rounds'] == 3 and row['priced_from'] == 'RCS'
    assert row['ratio_to_baseline'] == pytest.approx(2000 / 365)
    with pytest.raises(SystemExit, match='only in its epoch count'):  # another fraction: must be trained
        claims_speed.extend_prices(str(f), spec, ['Half'], {'Half': cfg('Half')}, args)
    with pytest.raises(SystemExit, match='priced in .* already'):
        claims_speed.extend_prices(str(f), spec, ['RCS-E6'], {'RCS-E6': cfg('RCS-E6')}, args)
    with pytest.raises(SystemExit, match='--seed'):
        claims_speed.extend_prices(str(f), spec, ['Stage2-E6'], {'Stage2-E6': cfg('Stage2-E6')}, dict(args, seed=1))
    claims_speed.extend_prices(str(f), spec, ['Stage2-E6'], {'Stage2-E6': cfg('Stage2-E6')}, args)  # a two-stage row pays for its teacher
    row = json.loads(f.read_text())['rows']['Stage2-E6']
    assert row['total_seconds'] == pytest.approx(100 + 5 * 10 + 3 * 2 + 500) and row['stage1_seconds'] == 500.0
