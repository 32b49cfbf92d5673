#!/usr/bin/env python3
"""The NumPy side of bench/compare for the elementwise rows: the same work as ElementwiseBenchmark.

Median microseconds per call after warm-up, float32, result allocated each call (as Tutti's
Tensor.add does). Writes JSON {"rows": {name: microseconds}}.
"""
import argparse
import json
import statistics
import time

import numpy as np


def per_call_us(fn, min_time=0.25, repeats=7):
    for _ in range(3):
        fn()
    n = 1
    while True:
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        if time.perf_counter() - t0 >= min_time:
            break
        n *= 2
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        for _ in range(n):
            fn()
        samples.append((time.perf_counter() - t0) / n * 1e6)
    return statistics.median(samples)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--out", required=True)
    args = p.parse_args()
    rng = np.random.default_rng(7)
    a1m = rng.standard_normal(1 << 20, dtype=np.float32)
    b1m = rng.standard_normal(1 << 20, dtype=np.float32)
    c1m = a1m.copy()   # the in-place add's target, so the other rows keep their inputs
    a16 = rng.standard_normal(16, dtype=np.float32)
    b16 = rng.standard_normal(16, dtype=np.float32)
    rows = {
        "add1M": per_call_us(lambda: a1m + b1m),
        "addInPlace1M": per_call_us(lambda: np.add(c1m, b1m, out=c1m)),
        "exp1M": per_call_us(lambda: np.exp(a1m)),
        "sum1M": per_call_us(lambda: a1m.sum()),
        "add16": per_call_us(lambda: a16 + b16),
    }
    with open(args.out, "w") as f:
        json.dump({"numpy": np.__version__, "rows": rows}, f, indent=2)
    for k, v in rows.items():
        print(f"numpy {k:8s} {v:10.3f} us")


if __name__ == "__main__":
    main()
