#!/usr/bin/python3
"""W1 (BENCHMARKS.md): the F8 feature set on intraday-3000 with pandas wide frames (rolling / ewm / rank).

Same shape as the C# benchmark: N = 3,000 symbols x T = 8,190 bars, float32, seeded geometric random walk for
close and uniform noise for volume (numpy's generator, so the values differ from the C# ones; the work does not).
Prints one line: pandas_w1_median_ms=... runs=...
Usage: /usr/bin/python3 benchmarks/peers/pandas_w1.py [runs]   (Debian: apt-get install python3-pandas)
"""
import sys
import time

import numpy as np
import pandas as pd

T, N, W = 8190, 3000, 30


def data(seed=42):
    rng = np.random.default_rng(seed)
    steps = 1 + 0.002 * (rng.random((T, N)) - 0.5)
    close = (100 * np.cumprod(steps, axis=0)).astype(np.float32)
    volume = (1000 + 500 * rng.random((T, N))).astype(np.float32)
    return pd.DataFrame(close), pd.DataFrame(volume)


def f8(c, v):
    out = {}
    r1 = c.pct_change()
    out["ret_1"] = r1
    roll = c.rolling(W)
    mean_c, std_c = roll.mean(), roll.std()
    out["ma_ratio_30"] = mean_c / c - 1
    out["vol_30"] = r1.rolling(W).std()
    out["z_close_30"] = (c - mean_c) / std_c
    out["ewma_ret_hl20"] = r1.ewm(halflife=20).mean()
    out["max_ratio_30"] = roll.max() / c
    out["min_ratio_30"] = roll.min() / c
    roll_v = v.rolling(W)
    out["z_volume_30"] = (v - roll_v.mean()) / roll_v.std()
    out["xs_rank_ret_30"] = c.pct_change(W).rank(axis=1, pct=True)
    delta = c.diff()
    gain = delta.clip(lower=0).ewm(alpha=1 / 14, adjust=False, min_periods=14).mean()
    loss = (-delta).clip(lower=0).ewm(alpha=1 / 14, adjust=False, min_periods=14).mean()
    out["rsi_14"] = 100 * gain / (gain + loss)
    return out


def main():
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    c, v = data()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        f8(c, v)
        times.append((time.perf_counter() - start) * 1e3)
    print(f"pandas_w1_median_ms={float(np.median(times)):.0f} runs={runs} pandas={pd.__version__}")


if __name__ == "__main__":
    main()
