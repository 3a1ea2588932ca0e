"""Cost ratios of the claims job's rows under one load: the rows trained in turn, one epoch at a time, in one process.

The speed claim (ACL-RCS-0.2 vs Entire) and the efficiency record compare rows whose times `run_claims` measures in
separate processes, often hours apart; on a shared machine their loads differ (results/claims/README.md). Here the rows
of a study file take turns: epoch 1 of every row, then epoch 2 of every row, ..., each epoch a `pretrain` call resumed
from the row's checkpoint (exact resume: the same weights as one call), so every row's epochs and selection rounds see the
same load over the same stretch of time. The cost of a row is what `run_claims` counts: its epochs plus its selection
rounds.

A two-stage row (DeACL / FARE, `teacher: "row:X"`) prices its own epochs against a copy of row X's checkpoint taken after
X's first epoch (a stage-2 epoch costs the same whatever the teacher's weights), and its cost adds X's whole cost, as
`run_claims` counts it (stage1_seconds); X must be one of the rows, before it.

A row that differs from an earlier row only in its epoch count E (Entire for 3, 4 or 5 epochs beside Entire for 10) is
not trained: an epoch's work does not depend on how many epochs the schedule has (only the learning rate's curve does),
so its E epochs are priced from the earlier row's measured epochs, the same way as the epochs that row leaves unmeasured.

`--extend FILE` adds such rows to a file this script wrote, later, without training anything: each is priced from the
mean epoch and round of the row there that it differs from only in its epoch count.

With `--epochs N` below a row's own E, only its first N epochs run and the rest are extrapolated: each epoch left is
priced as the mean of the row's measured epochs of its kind (a whole-pool epoch or a coreset epoch: an epoch of one kind
always runs the same number of steps) and each selection round left as the mean measured round. Give N > W so that every
coreset row measures a coreset epoch and a round.

    python bench/claims_speed.py --data-root ../shared/data/cifar10-jpeg.tar.gz                    # Entire, Random-0.2, RCS-0.2
    python bench/claims_speed.py --data-root ... --study results/claims-efficiency/study.json --rows all --epochs 5
"""
import argparse, dataclasses, json, platform, shutil, tempfile, time
from pathlib import Path
import torch
from robust_contrastive.core import set_verbose
from robust_contrastive.pretrain import get_config, pretrain, training_images
from robust_contrastive.rcs import selection_due


def due(cfg, epoch: int) -> bool:
    return selection_due(epoch, cfg.coreset, cfg.warmup_full_epochs, cfg.select_every)


def epoch_kind(cfg, epoch: int) -> str:
    return 'coreset' if cfg.coreset is not None and epoch >= cfg.warmup_full_epochs else 'full'


def teacher_row(overrides: dict) -> str | None:
    "The row a two-stage row's teacher names ('row:X' -> 'X'), or None."
    t = overrides.get('teacher')
    return t[4:] if isinstance(t, str) and t.startswith('row:') else None


def data_key(cfg) -> tuple:
    "What decides a row's training images: rows with the same key share one decode."
    return cfg.n_train, cfg.seed, tuple(cfg.classes or ())


def without_epochs(overrides: dict) -> dict:
    "A row's fields less its epoch count: rows equal on these cost the same per epoch."
    return {k: v for k, v in overrides.items() if k != 'epochs'}


def same_but_epochs(spec: dict, names: list) -> dict:
    "Rows that differ from an earlier row only in their epoch count -> that row (the first such): priced from its measured epochs, not trained."
    short = {n: without_epochs(spec[n]) for n in names}
    shared = {}
    for i, n in enumerate(names):
        m = next((m for m in names[:i] if short[m] == short[n]), None)
        if m is not None: shared[n] = m
    return shared


def extend_prices(path: str, spec: dict, names: list, cfgs: dict, args: dict):
    "Add `names` to a priced file without training: each must differ from a row priced there only in its epoch count (--extend)."
    out = json.loads(Path(path).read_text())
    for k in ('preset', 'dataset', 'config', 'seed'):
        if out.get('args', {}).get(k) != args[k]: raise SystemExit(f"{path} was priced with --{k} {out.get('args', {}).get(k)!r}, not {args[k]!r}: give the same.")
    base = out['rows'][out['baseline']]['total_seconds']
    for n in names:
        if n in out['rows']: raise SystemExit(f"{n} is priced in {path} already: --extend only adds rows.")
        m = next((m for m, r in out['rows'].items() if 'priced_from' not in r and without_epochs(r['overrides']) == without_epochs(spec[n])), None)
        if m is None: raise SystemExit(f"{n}: no row of {path} differs from it only in its epoch count; price it with the others (without --extend).")
        r, cfg = out['rows'][m], cfgs[n]  # every epoch at the mean of its kind, every round at the mean round: the extrapolation above
        kinds = [epoch_kind(cfg, e) for e in range(cfg.epochs)]
        rounds = sum(due(cfg, e) for e in range(cfg.epochs))
        if any(k not in r['mean_epoch_seconds'] for k in kinds) or (rounds and r['mean_round_seconds'] is None):
            raise SystemExit(f"{n}: {m} measured no epoch or round of a kind {n} runs.")
        total = sum(r['mean_epoch_seconds'][k] for k in kinds) + rounds * (r['mean_round_seconds'] or 0.0)
        row = dict(measured_epochs=0, measured_seconds=0.0, select_seconds=0.0, rounds=rounds, total_seconds=total,  # select_seconds: measured, as in row_cost
                   mean_epoch_seconds=r['mean_epoch_seconds'], mean_round_seconds=r['mean_round_seconds'], extrapolated=True, priced_from=m)
        t = teacher_row(spec[n])
        if t is not None:  # a two-stage row pays for its teacher too, as in main
            if t not in out['rows']: raise SystemExit(f"{n}: its teacher row {t!r} is not priced in {path}.")
            row.update(stage1_seconds=out['rows'][t]['total_seconds'], total_seconds=total + out['rows'][t]['total_seconds'])
        out['rows'][n] = dict(row, ratio_to_baseline=base / row['total_seconds'], overrides=spec[n])
        print(f"| {n} | {cfg.epochs} | 0 of {m} | {row['total_seconds']:.0f} | 0 | {base / row['total_seconds']:.2f}x |")
    out.setdefault('extended', []).append(dict(rows=names, study=args['study'], when=time.strftime('%Y-%m-%d %H:%M')))
    tmp = Path(path).with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=2)); tmp.replace(path)  # atomic


def price_rows(cfgs: dict, spec: dict, names: list, history: dict, shared: dict) -> dict:
    "Every row's cost: its own measured epochs, or (a row in `shared`) those of the row it differs from only in epochs; a two-stage row adds its teacher's."
    cost = {n: row_cost(cfgs[n], history[shared.get(n, n)][:cfgs[n].epochs]) for n in names}
    for n, m in shared.items(): cost[n]['priced_from'] = m
    for n in names:
        t = teacher_row(spec[n])
        if t is not None: cost[n].update(stage1_seconds=cost[t]['total_seconds'], total_seconds=cost[n]['total_seconds'] + cost[t]['total_seconds'])
    return cost


def row_cost(cfg, history: list) -> dict:
    "The row's cost over its E epochs: the measured epochs and selections; the rest priced as the mean measured epoch of its kind and the mean round."
    epochs, rounds = {'full': [], 'coreset': []}, [h['select_seconds'] for e, h in enumerate(history) if due(cfg, e)]
    for e, h in enumerate(history): epochs[epoch_kind(cfg, e)].append(h['seconds'])
    left = [epoch_kind(cfg, e) for e in range(len(history), cfg.epochs)]
    rounds_left = sum(due(cfg, e) for e in range(len(history), cfg.epochs))
    missing = sorted({k for k in left if not epochs[k]}) + (['selection round'] if rounds_left and not rounds else [])
    if missing: raise ValueError(f"{cfg.epochs - len(history)} epochs left to price but no {missing} was measured: raise --epochs above W.")
    mean, mean_round = {k: sum(v) / len(v) for k, v in epochs.items() if v}, (sum(rounds) / len(rounds) if rounds else None)
    measured = sum(map(sum, epochs.values())) + sum(rounds)
    return dict(measured_epochs=len(history), measured_seconds=measured, select_seconds=sum(rounds), rounds=len(rounds) + rounds_left,
                total_seconds=measured + sum(mean[k] for k in left) + rounds_left * (mean_round or 0.0),
                mean_epoch_seconds=mean, mean_round_seconds=mean_round, extrapolated=bool(left))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--data-root', required=True, help="CIFAR-10 folder or .tar.gz")
    ap.add_argument('--dataset', default='cifar10')
    ap.add_argument('--preset', default='cpu-cifar10')
    ap.add_argument('--study', default='results/claims-rcs/study.json', help="a run_claims study file: its 'rows' are the candidates")
    ap.add_argument('--rows', nargs='+', default=['Entire', 'Random-0.2', 'RCS-0.2'], help="row names of the study ('all': every row); the first is the baseline")
    ap.add_argument('--epochs', type=int, default=None, help="epochs to run of each row (default: all; the rest extrapolated)")
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--config', default='{}', help="PretrainConfig overrides for every row, as JSON (a row's own fields win), e.g. a small smoke run")
    ap.add_argument('--quiet', action='store_true', help="no line per round")
    ap.add_argument('--out', default=None, help="JSON file of the results")
    ap.add_argument('--extend', default=None, help="a JSON file of this script: add --rows to it without training, each priced from a row there that differs only in its epoch count")
    a = ap.parse_args()
    set_verbose(False)
    spec = {r['name']: {k: v for k, v in r.items() if k != 'name'} for r in json.loads(Path(a.study).read_text())['rows']}
    names = list(spec) if a.rows == ['all'] else a.rows
    unknown = [n for n in names if n not in spec]
    if unknown: raise SystemExit(f"rows {unknown} are not in {a.study}: its rows are {list(spec)}.")
    cfgs = {n: get_config(a.preset, **{**json.loads(a.config), 'dataset': a.dataset, 'data_root': a.data_root or None, 'seed': a.seed, **spec[n]}) for n in names}
    if a.extend: return extend_prices(a.extend, spec, names, cfgs, vars(a))
    runs = {n: min(c.epochs, a.epochs or c.epochs) for n, c in cfgs.items()}
    shared = same_but_epochs(spec, names)
    trained = [n for n in names if n not in shared]
    for n in trained:
        c = cfgs[n]
        if c.coreset is not None and runs[n] <= c.warmup_full_epochs:
            raise SystemExit(f"{n}: --epochs {a.epochs} runs no coreset epoch (W = {c.warmup_full_epochs}): give --epochs > {c.warmup_full_epochs}.")
    for n in names:
        t = teacher_row(spec[n])
        if t is not None and (t not in names or names.index(t) > names.index(n)):
            raise SystemExit(f"{n}: its teacher row {t!r} must be priced too, before it (--rows ... {t} {n} ...).")
    images = {}  # one decode per distinct training set (rows of one seed share it)
    for c in cfgs.values():
        if data_key(c) not in images: images[data_key(c)] = training_images(c)[0]
    t0 = time.perf_counter()
    with tempfile.TemporaryDirectory() as work:
        dirs, history = {n: Path(work)/f'row{i}' for i, n in enumerate(names)}, {}
        for e in range(max(runs[n] for n in trained)):
            for n in trained:
                c = cfgs[n]
                if e >= runs[n]: continue
                t = teacher_row(spec[n])
                if t is not None:  # the teacher row's checkpoint after its first epoch, frozen: resuming checks the teacher's weights
                    frozen = Path(work)/f'teacher-{names.index(t)}.pt'
                    if not frozen.exists(): shutil.copy(dirs[shared.get(t, t)]/'checkpoint.pt', frozen)
                    c = dataclasses.replace(c, teacher=str(frozen))
                res = pretrain(c, dirs[n], resume=e > 0, images=images[data_key(c)], stop_after_epoch=e, verbose=False)
                history[n] = res.history
            if not a.quiet:
                print(f"round {e + 1}/{max(runs[n] for n in trained)} ({time.perf_counter() - t0:.0f} s): " +
                      ', '.join(f"{n} {history[n][e]['seconds'] + history[n][e].get('select_seconds', 0.0):.1f} s" for n in trained if e < runs[n]), flush=True)
    cost = price_rows(cfgs, spec, names, history, shared)
    base = names[0]
    print(f"{a.preset}, seed {a.seed}, threads {torch.get_num_threads()}, {a.study}; cost = epochs + selection rounds over each row's E "
          f"({'measured' if not a.epochs else f'first {a.epochs} epochs measured, the rest extrapolated'}); ratio = {base} / row")
    print(f"| row | E | measured epochs | cost (s) | selection (s) | {base} / row |\n|---|---|---|---|---|---|")
    for n in names:
        r = cost[n]
        measured = f"{r['measured_epochs']} of {r['priced_from']}" if 'priced_from' in r else r['measured_epochs']
        print(f"| {n} | {cfgs[n].epochs} | {measured} | {r['total_seconds']:.0f} | {r['select_seconds']:.0f} | "
              f"{cost[base]['total_seconds'] / r['total_seconds']:.2f}x |")
    if a.out:
        out = dict(rows={n: dict(cost[n], ratio_to_baseline=cost[base]['total_seconds'] / cost[n]['total_seconds'], overrides=spec[n]) for n in names},
                   baseline=base, args=vars(a), torch=str(torch.__version__), threads=torch.get_num_threads(), platform=platform.platform())
        tmp = Path(a.out).with_suffix('.tmp'); tmp.write_text(json.dumps(out, indent=2)); tmp.replace(a.out)  # atomic


if __name__ == '__main__':
    main()
