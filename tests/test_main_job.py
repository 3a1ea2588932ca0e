"""The main job notebook runs headless under papermill and writes its results as files."""
import json
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parents[1]
papermill = pytest.importorskip('papermill')


def _run(out, **params):
    return papermill.execute_notebook(str(ROOT/'nbs'/'run_acl.ipynb'), str(out/'executed.ipynb'), kernel_name='python3',
                                      parameters=dict(preset='test', epochs=1, n_test=64, slf_epochs=2, pgd_steps=2,
                                                      out_dir=str(out/'res'), verbose=False, **params), progress_bar=False)


def test_main_job_writes_results(tmp_path):
    _run(tmp_path, seeds=[0], attack_steps=1, config={'temperature': 0.4})  # any PretrainConfig field, by name or in `config`
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    assert {r['method'] for r in res['rows']} == {'cl', 'acl'}
    assert all(r['pretrain_config']['attack_steps'] == 1 and r['pretrain_config']['temperature'] == 0.4 for r in res['rows'])
    for r in res['rows']:
        assert 0 <= r['ra'] <= r['sa'] <= 100 and r['pretrain_seconds'] > 0
        assert r['pretrain_config']['method'] == r['method'] and r['modes']['slf']['finetune_config']['mode'] == 'slf'
    assert res['provenance']['torch'] and res['parameters']['preset'] == 'test'
    assert (tmp_path/'res'/'results.png').stat().st_size > 1000 and 'RA PGD-2' in (tmp_path/'res'/'results.md').read_text()
    # the CL against ACL feature map: drawn in the notebook and stacked under the table's figure in results.png
    cells = json.loads((tmp_path/'executed.ipynb').read_text())['cells']
    assert any('image/png' in o.get('data', {}) for c in cells if 'feature_map_panel()' in ''.join(c['source']) for o in c.get('outputs', []))
    with pytest.raises(papermill.PapermillExecutionError, match='pass resume=True'):
        _run(tmp_path, seeds=[0])  # another run's results are never overwritten silently


def test_compare_job_rcs_table(tmp_path):
    "run_compare, default rows: Entire / Random-k / RCS-k rows, each with RD, SA, RA and time; coreset rows see fewer images."
    papermill.execute_notebook(str(ROOT/'nbs'/'run_compare.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3',
                               parameters=dict(preset='test', epochs=2, fractions=[0.5], n_test=64, n_rd=32, slf_epochs=2, pgd_steps=2,
                                               out_dir=str(tmp_path/'res'), verbose=False), progress_bar=False)
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    rows = {r['name']: r for r in res['rows']}
    assert set(rows) == {'Entire', 'Random-0.5', 'RCS-0.5'}
    for r in rows.values(): assert r['rd'] >= 0 and 0 <= r['ra'] <= r['sa'] <= 100 and r['pretrain_seconds'] > 0
    assert rows['RCS-0.5']['select_seconds'] > 0 and rows['Random-0.5']['select_seconds'] < rows['RCS-0.5']['select_seconds']
    assert rows['RCS-0.5']['images_seen'] < rows['Entire']['images_seen']
    total = res['summary']['RCS-0.5']['total_seconds']['mean']  # a row's cost counts its selection time too
    assert total == pytest.approx(rows['RCS-0.5']['pretrain_seconds'] + rows['RCS-0.5']['select_seconds'])
    assert rows['RCS-0.5']['pretrain_config']['coreset'] == 'rcs' and rows['RCS-0.5']['pretrain_config']['fraction'] == 0.5
    for r in rows.values(): assert r['inv_nat'] >= 0 and r['inv_adv'] >= 0  # embedded data: style-invariance scores
    md = (tmp_path/'res'/'results.md').read_text()
    # a restarted job reuses the finished rows instead of evaluating them again, also from a moved data folder
    moved = tmp_path/'res'/'entire-seed0'/'result.json'
    row = json.loads(moved.read_text()); row['pretrain_config']['data_root'] = '/moved/elsewhere'; moved.write_text(json.dumps(row))
    before = (tmp_path/'res'/'results.json').read_text()
    nb = papermill.execute_notebook(str(ROOT/'nbs'/'run_compare.ipynb'), str(tmp_path/'again.ipynb'), kernel_name='python3',
                                    parameters=dict(preset='test', epochs=2, fractions=[0.5], n_test=64, n_rd=32, slf_epochs=2, pgd_steps=2,
                                                    out_dir=str(tmp_path/'res'), resume=True, verbose=False), progress_bar=False)
    printed = ''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', []))
    assert printed.count('finished earlier, reused') == 3
    key = lambda rows: [(r['name'], r['seed'], r['sa'], r['ra'], r['rd']) for r in rows]
    assert key(json.loads(before)['rows']) == key(json.loads((tmp_path/'res'/'results.json').read_text())['rows'])
    assert 'style inv. adversarial' in md and 'RD (lower is better)' in md and 'speed-up' in md and 'incl. selection' in md and (tmp_path/'res'/'results.png').stat().st_size > 1000


@pytest.mark.slow  # 35 s; method rows through the driver run in the default suite in 11_experiment and run_cifar10's case
def test_compare_job_air_rows(tmp_path):
    "run_compare with method rows only (ACL, DynACL-AIR, and CL with its single BN): the rows' configs carry the switches."
    rows = [dict(name='ACL'), dict(name='DynACL-AIR', method='dynacl', dyn_period=1, lambda1=0.5, lambda2=0.5),
            dict(name='CL', method='cl')]  # a single-BN row: RD and the style scores on its one route
    papermill.execute_notebook(str(ROOT/'nbs'/'run_compare.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3',
                               parameters=dict(preset='test', entire=False, fractions=[], extra_rows=rows, epochs=1, n_test=64, n_rd=32,
                                               slf_epochs=2, pgd_steps=2, out_dir=str(tmp_path/'res'), verbose=False), progress_bar=False)
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    got = {r['name']: r for r in res['rows']}
    assert set(got) == {'ACL', 'DynACL-AIR', 'CL'} and got['CL']['rd'] >= 0 and got['CL']['inv_adv'] is None
    c = got['DynACL-AIR']['pretrain_config']
    assert c['method'] == 'dynacl' and c['lambda1'] == c['lambda2'] == 0.5 and got['ACL']['pretrain_config']['lambda2'] == 0.0
    assert 'ACL / DYNACL / CL, SLF' in (tmp_path/'res'/'results.md').read_text()  # the header names the rows' methods


def test_finetune_job_one_encoder(tmp_path):
    "run_finetune, the short case of the test below: one DynACL++ encoder x SLF / AFF with SA, RA and AutoAttack; a rerun reuses it."
    params = dict(pretrain_preset='test', encoders=[dict(name='ACL++', pretrain=dict(epochs=1), post='dynacl++')], modes=['slf', 'aff'],
                  classes=[0, 1, 2, 3, 4], n_test=32, n_aa=16, pgd_steps=2, out_dir=str(tmp_path/'res'), verbose=False,
                  finetune_overrides=dict(slf=dict(epochs=2), aff=dict(epochs=1, attack_steps=2)))
    papermill.execute_notebook(str(ROOT/'nbs'/'run_finetune.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3',
                               parameters=params, progress_bar=False)
    row = json.loads((tmp_path/'res'/'results.json').read_text())['rows'][0]
    assert set(row['modes']) == {'slf', 'aff'} and row['post'] == 'dynacl++' and len(row['dynacl_pp']['kmeans']['sizes']) == 5
    for mode, r in row['modes'].items():
        assert r['finetune_config']['mode'] == mode and r['evaluate']['n_classes'] == 5
        assert r['aa'] <= r['ra'] + 3 * 100 / 16 and r['ra'] <= r['sa'] + 100 / 32 and r['evaluate']['sanity']['ordering']
        assert r['evaluate']['n_aa'] == 16  # AutoAttack on the first 16 of the 32 test images
    nb = papermill.execute_notebook(str(ROOT/'nbs'/'run_finetune.ipynb'), str(tmp_path/'again.ipynb'), kernel_name='python3',
                                    parameters=dict(params, resume=True), progress_bar=False)
    assert ''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', [])).count('finished earlier, reused') == 1


@pytest.mark.slow  # 2 minutes; the one-encoder case above runs in the default suite
def test_finetune_job_seed_table(tmp_path):
    "run_finetune: encoders x SLF / ALF / AFF with SA, RA and AutoAttack, a DynACL++ row, transfer to 5 classes; reruns reuse."
    params = dict(pretrain_preset='test', encoders=[dict(name='ACL', pretrain=dict(epochs=1)),
                                                    dict(name='ACL++', pretrain=dict(epochs=1), post='dynacl++')],
                  classes=[0, 1, 2, 3, 4], n_test=32, pgd_steps=2, out_dir=str(tmp_path/'res'), verbose=False,
                  finetune_overrides=dict(slf=dict(epochs=2), alf=dict(epochs=1, attack_steps=2), aff=dict(epochs=1, attack_steps=2)))
    papermill.execute_notebook(str(ROOT/'nbs'/'run_finetune.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3',
                               parameters=params, progress_bar=False)
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    rows = {r['name']: r for r in res['rows']}
    assert set(rows) == {'ACL', 'ACL++'}
    for row in rows.values():
        assert set(row['modes']) == {'slf', 'alf', 'aff'}
        for mode, r in row['modes'].items():
            assert r['finetune_config']['mode'] == mode and r['evaluate']['n_classes'] == 5
            assert r['aa'] <= r['ra'] + 100 / 32 and r['ra'] <= r['sa'] + 100 / 32  # the sanity checks ran and passed
            assert r['evaluate']['sanity']['ordering'] and r['evaluate']['autoattack']['version'] == 'custom'
    assert len(rows['ACL++']['dynacl_pp']['kmeans']['sizes']) == 5 and rows['ACL++']['post'] == 'dynacl++'
    md = (tmp_path/'res'/'results.md').read_text()
    assert '| method | RD (lower is better) | SLF SA (%) | SLF RA PGD-2 (%) | SLF AA (%) | ALF SA (%)' in md and (tmp_path/'res'/'results.png').stat().st_size > 1000
    nb = papermill.execute_notebook(str(ROOT/'nbs'/'run_finetune.ipynb'), str(tmp_path/'again.ipynb'), kernel_name='python3',
                                    parameters=dict(params, resume=True), progress_bar=False)
    printed = ''.join(o.get('text', '') for c in nb.cells for o in c.get('outputs', []))
    assert printed.count('finished earlier, reused') == 2  # both rows, every mode of each


def test_finetune_job_released_checkpoint(tmp_path):
    "run_finetune on a released checkpoint (ACL's layout, loaded by the zoo) with RobustSSL's settings: the table, CA, the leaderboard fields."
    spec_path = ROOT.parent/'shared'/'goldens'/'reference_models'/'acl_r18_cifar.json'
    if not spec_path.exists(): pytest.skip(f"no reference-model goldens at {spec_path} (they exist beside this workplace's checkout)")
    import numpy as np, torch
    from robust_contrastive.zoo import golden_checkpoint
    from robust_contrastive.evaluate import CORRUPTIONS
    torch.save(golden_checkpoint(json.loads(spec_path.read_text())), tmp_path/'ACL_DS.pt')  # the released file's layout
    cc = tmp_path/'cifar10c'; cc.mkdir()  # a CIFAR-10-C folder in the real layout: 5 severities x 8 images per corruption
    rng = np.random.default_rng(0)
    for c in CORRUPTIONS: np.save(cc/f'{c}.npy', rng.integers(0, 256, (40, 32, 32, 3), dtype=np.uint8))
    np.save(cc/'labels.npy', np.tile(np.arange(8) % 10, 5))
    params = dict(encoders=[dict(name='ACL', checkpoint=str(tmp_path/'ACL_DS.pt'), source='acl')], protocol='robustssl',
                  robustssl_dataset='cifar10', pretrained_on='cifar10', modes=['slf'], n_train=256, n_test=16, pgd_steps=2,
                  corruptions=str(cc), metrics=['sa', 'ra', 'ca'], finetune_overrides=dict(slf=dict(epochs=1)),  # AA: the test above
                  out_dir=str(tmp_path/'res'), verbose=False)
    papermill.execute_notebook(str(ROOT/'nbs'/'run_finetune.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3',
                               parameters=params, progress_bar=False)
    res = json.loads((tmp_path/'res'/'results.json').read_text())
    row = res['rows'][0]; r = row['modes']['slf']
    assert r['finetune_config']['protocol'] == 'robustssl:ACL:cifar10' and r['finetune_config']['batch_size'] == 512
    assert r['finetune_config']['lr'] == 0.01 and r['finetune_config']['milestones'] == [10, 20]
    assert row['encoder_meta']['layout'] == 'acl-resnet' and row['encoder_meta']['arch'] == 'resnet18'
    assert all(k in r for k in ('sa', 'ra', 'ca')) and 'aa' not in r
    board = json.loads((tmp_path/'res'/'leaderboard.json').read_text())
    row = board['cifar10-embedded-SLF'][0]  # the leaderboard's RA is AutoAttack: not measured here, so null, never PGD's number
    assert row['paper'] == 'ACL' and (row['ra1'], row['ca1'], row['sa1']) == (None, r['ca'], r['sa'])


@pytest.mark.slow  # 80 s; the default suite runs run_claims on a study (below) and a cross-task job in 11_experiment
def test_claims_job(tmp_path):
    "run_claims on two rows and two seeds: claims.json with paired differences, intervals and verdicts; missing rows: no seeds."
    args = dict(dataset='embedded', preset='test', seeds=[0, 1], rows=[dict(name='CL', method='cl'), dict(name='Entire')],
                config=dict(epochs=1), n_test=32, n_rd=0, slf_epochs=1, pgd_steps=1, xtask_n_train=128, out_dir=str(tmp_path/'claims'), verbose=False)
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3', parameters=args, progress_bar=False)
    claims = {c['claim']: c for c in json.loads((tmp_path/'claims'/'claims.json').read_text())['claims']}
    c = claims['ACL above CL in SLF RA']
    assert c['n_seeds'] == 2 and len(c['diffs']) == 2 and c['verdict'] in ('holds', 'fails', 'unresolved') and len(c['ci95']) == 2
    rows = {(r['name'], r['seed']): r for r in json.loads((tmp_path/'claims'/'results.json').read_text())['rows']}
    assert c['diffs'] == [rows[('Entire', s)]['ra'] - rows[('CL', s)]['ra'] for s in (0, 1)]  # paired by seed
    assert claims['DynACL above ACL in RA']['n_seeds'] == 0 and claims['DynACL above ACL in RA']['verdict'] == 'unresolved'
    assert (tmp_path/'claims'/'claims.png').stat().st_size > 1000 and '| ACL above CL in SLF RA | ra | 2 |' in (tmp_path/'claims'/'claims.md').read_text()
    x = claims['cross-task (5 classes -> the other 5): ACL-AIR above ACL under SLF in RA']  # the second job, in claims/cross-task
    xrows = {(r['name'], r['seed']): r for r in json.loads((tmp_path/'claims'/'cross-task'/'results.json').read_text())['rows']}
    assert x['n_seeds'] == 2 and x['diffs'] == [xrows[('ACL-AIR-xtask', s)]['ra'] - xrows[('ACL-xtask', s)]['ra'] for s in (0, 1)]
    r = xrows[('ACL-xtask', 0)]
    assert r['pretrain_config']['classes'] == [0, 1, 2, 3, 4] and r['evaluation']['downstream_classes'] == [5, 6, 7, 8, 9]
    for s in (0, 1):  # a report while the cross-task rows are unfinished: the main claims as before, the cross-task claim without seeds
        for n in ('acl-xtask', 'acl-air-xtask'): (tmp_path/'claims'/'cross-task'/f'{n}-seed{s}'/'result.json').unlink()
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'report.ipynb'), kernel_name='python3',
                               parameters=dict(args, finished_only=True), progress_bar=False)
    report = {c['claim']: c for c in json.loads((tmp_path/'claims'/'claims.json').read_text())['claims']}
    assert report['ACL above CL in SLF RA']['diffs'] == c['diffs'] and report[x['claim']]['n_seeds'] == 0
    assert not (tmp_path/'claims'/'cross-task'/'acl-xtask-seed0'/'result.json').exists()  # nothing trained


def _study(tmp_path):
    study = tmp_path/'study.json'
    study.write_text(json.dumps(dict(note='a three-row study', rows=[dict(name='CL', method='cl'), dict(name='ACL'), dict(name='CL2', method='cl')],
                                     claims=[dict(claim='ACL above CL in RA', a='ACL', b='CL', metric='ra'),
                                             dict(claim='ACL above CL2 in RA', a='ACL', b='CL2', metric='ra')],
                                     frontier=dict(baseline='CL'), config=dict(similarity_precision='autocast'))))  # config: fields of every row
    return study


def test_claims_study_part(tmp_path):
    "run_claims on a part of a study file (the short case of the test below): its claim has the seed, the whole study's claims are reported, CL2 is not trained."
    study = _study(tmp_path)
    args = dict(dataset='embedded', preset='test', seeds=[0], config=dict(epochs=1), n_test=32, n_rd=0, slf_epochs=1, pgd_steps=1, verbose=False)
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, study=str(study), out_dir=str(tmp_path/'study'), only='["CL", "ACL"]'))
    claims = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}
    assert [c['n_seeds'] for c in claims.values()] == [1, 0] and list(claims) == ['ACL above CL in RA', 'ACL above CL2 in RA']
    assert not (tmp_path/'study'/'cl2-seed0').exists() and 'a three-row study' in (tmp_path/'study'/'claims.md').read_text()
    assert json.loads((tmp_path/'study'/'acl-seed0'/'result.json').read_text())['pretrain_config']['similarity_precision'] == 'autocast'
    # the study's frontier: every finished row against CL, paired over seed 0, and its figure
    frontier = json.loads((tmp_path/'study'/'frontier.json').read_text())
    points = {p['name']: p for p in frontier['points']}
    assert frontier['baseline'] == 'CL' and sorted(points) == ['ACL', 'CL'] and points['ACL']['paired_seeds'] == [0]
    assert points['ACL']['ra_diff'] == claims['ACL above CL in RA']['diffs'][0] and (tmp_path/'study'/'frontier.png').stat().st_size > 5000
    # a part without the frontier's baseline (CL): it runs its rows and claims, and the report of the whole study draws the frontier
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'part2.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, study=str(study), out_dir=str(tmp_path/'study'), only='["ACL", "CL2"]', resume='true'))
    points = {p['name']: p for p in json.loads((tmp_path/'study'/'frontier.json').read_text())['points']}
    assert sorted(points) == ['ACL', 'CL', 'CL2'] and points['CL2']['paired_seeds'] == [0]
    # costs priced side by side (bench/claims_speed.py's file, named by the study): a speed claim's priced ratio beside its paired one
    spec = json.loads(study.read_text()); spec['pricing'] = 'speed.json'
    spec['claims'].append(dict(claim='ACL 2x faster than CL', a='ACL', b='CL', metric='total_seconds', ratio=True, threshold=2.0))
    (tmp_path/'speed.json').write_text(json.dumps(dict(rows={'CL': dict(total_seconds=10.0), 'ACL': dict(total_seconds=40.0)})))
    study.write_text(json.dumps(spec))
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'report.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, study=str(study), out_dir=str(tmp_path/'study'), finished_only=True))
    priced = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}['ACL 2x faster than CL']
    assert priced['priced_ratio'] == 0.25 and priced['n_seeds'] == 1 and 'priced side by side' in (tmp_path/'study'/'claims.md').read_text()
    points = {p['name']: p for p in json.loads((tmp_path/'study'/'frontier.json').read_text())['points']}
    assert points['ACL']['priced_speedup'] == 0.25 and points['CL']['priced_minutes'] == 10.0 / 60
    spec['frontier'] = dict(baseline='Whole')  # a frontier against a row the study lacks
    study.write_text(json.dumps(spec))
    with pytest.raises(papermill.PapermillExecutionError, match="'frontier' holds a 'baseline'"):  # refused before any row
        papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'bad.ipynb'), kernel_name='python3', progress_bar=False,
                                   parameters=dict(args, study=str(study), out_dir=str(tmp_path/'bad')))
    assert not (tmp_path/'bad').exists()


@pytest.mark.slow  # 2 minutes (eight kernels); the part above runs in the default suite
def test_claims_study(tmp_path):
    "run_claims on a study file: its rows and claims replace the talk's, no cross-task job; a malformed file is refused before any row."
    study = tmp_path/'study.json'
    study.write_text(json.dumps(dict(note='a three-row study', rows=[dict(name='CL', method='cl'), dict(name='ACL'), dict(name='CL2', method='cl')],
                                     claims=[dict(claim='ACL above CL in RA', a='ACL', b='CL', metric='ra'),
                                             dict(claim='ACL above CL2 in RA', a='ACL', b='CL2', metric='ra')])))
    args = dict(dataset='embedded', preset='test', seeds=[0], config=dict(epochs=1), n_test=32, n_rd=0, slf_epochs=1, pgd_steps=1, verbose=False)
    # a part of the study (only, given as text like a command line's -p): two of its rows, the one claim between them
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'executed.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, study=str(study), out_dir=str(tmp_path/'study'), only='["CL", "ACL"]'))
    # its claim has the seed, and the folder's claims are of the whole study (report_whole): CL2's claim is there without seeds
    claims = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}
    assert [c['n_seeds'] for c in claims.values()] == [1, 0] and list(claims) == ['ACL above CL in RA', 'ACL above CL2 in RA']
    assert not (tmp_path/'study'/'cl2-seed0').exists()
    assert not (tmp_path/'study'/'cross-task').exists() and 'a three-row study' in (tmp_path/'study'/'claims.md').read_text()
    # a report (finished_only, given as text like a command line's -p) of the whole study over seeds 0 and 1: seed 1 and CL2 have no rows,
    # and none is trained
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'report.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, seeds=[0, 1], study=str(study), out_dir=str(tmp_path/'study'), finished_only='true'))
    report = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}
    assert report['ACL above CL in RA']['n_seeds'] == 1 and report['ACL above CL in RA']['diffs'] == claims['ACL above CL in RA']['diffs']
    assert report['ACL above CL2 in RA']['n_seeds'] == 0 and not (tmp_path/'study'/'acl-seed1').exists() and not (tmp_path/'study'/'cl2-seed0').exists()
    # more parts into the folder: CL2 alone (a part with no claim of its own), then seed 1 of CL and ACL kept to itself (report_whole false);
    # a report of seed 0 then covers seed 1 too, the seeds found in the folder
    part = dict(args, study=str(study), out_dir=str(tmp_path/'study'), resume='true')
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'part2.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(part, only='["CL2"]'))  # a part without a claim of its own: the whole study's report has them
    both = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}
    assert [c['n_seeds'] for c in both.values()] == [1, 1] and both['ACL above CL in RA']['diffs'] == claims['ACL above CL in RA']['diffs']
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'part3.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(part, only='["CL", "ACL"]', seeds=[1], report_whole='false'))
    kept = json.loads((tmp_path/'study'/'claims.json').read_text())['claims']
    assert [(c['claim'], c['n_seeds']) for c in kept] == [('ACL above CL in RA', 1)] and 'seeds [1]' in (tmp_path/'study'/'claims.md').read_text()
    papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'report2.ipynb'), kernel_name='python3', progress_bar=False,
                               parameters=dict(args, study=str(study), out_dir=str(tmp_path/'study'), finished_only='true'))
    whole = {c['claim']: c for c in json.loads((tmp_path/'study'/'claims.json').read_text())['claims']}
    assert [c['n_seeds'] for c in whole.values()] == [2, 1] and json.loads((tmp_path/'study'/'results.json').read_text())['seeds'] == [0, 1]
    for only, extra, msg in (('["CL", "ACLX"]', {}, "only names rows that the job does not have: \\['ACLX'\\]"),
                             ('CL', dict(report_whole='false'), 'keeps no claim and report_whole is off')):  # refused before any row
        with pytest.raises(papermill.PapermillExecutionError, match=msg):
            papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'bad.ipynb'), kernel_name='python3', progress_bar=False,
                                       parameters=dict(args, study=str(study), out_dir=str(tmp_path/'bad'), only=only, **extra))
    assert 'finished rows only' in (tmp_path/'study'/'claims.md').read_text()
    study.write_text(json.dumps(dict(rows=[dict(name='CL', method='cl')], claims=[dict(claim='x', a='ACLX', b='CL', metric='ra')])))
    with pytest.raises(papermill.PapermillExecutionError, match="claims name rows that the job does not run"):  # a misspelt row
        papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'bad.ipynb'), kernel_name='python3', progress_bar=False,
                                   parameters=dict(args, study=str(study), out_dir=str(tmp_path/'bad')))
    study.write_text(json.dumps(dict(rows=[dict(name='CL', method='cl')])))  # no claims
    with pytest.raises(papermill.PapermillExecutionError, match="holds 'rows' and 'claims'"):
        papermill.execute_notebook(str(ROOT/'nbs'/'run_claims.ipynb'), str(tmp_path/'bad.ipynb'), kernel_name='python3', progress_bar=False,
                                   parameters=dict(args, study=str(study), out_dir=str(tmp_path/'bad')))
    assert not (tmp_path/'bad').exists()
