"""Side-by-side timing: interleave the candidates, repeat, keep the best of each (robust to noise)."""
import time


def compare(runs: dict, repeats: int = 5, warmup: int = 1) -> dict:
    "Best wall time in seconds of each callable in `runs`, measured interleaved."
    for f in runs.values():
        for _ in range(warmup): f()
    best = {k: float('inf') for k in runs}
    for _ in range(repeats):
        for k, f in runs.items():
            t = time.perf_counter(); f(); best[k] = min(best[k], time.perf_counter() - t)
    return best
