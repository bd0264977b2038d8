#!/usr/bin/python3
"""W2 peer: the daily-3000x2520 long-short decile backtest in numpy/pandas, one core.

signal -> cross-sectional rank (pandas) -> long top decile / short bottom decile, equal weight, dollar-neutral,
gross 1 -> next-bar PnL - 5 bp x turnover -> Sharpe, max drawdown, turnover. Prints the median of the runs.

    /usr/bin/python3 benchmarks/peers/w2_backtest.py [--runs 5]
"""
import argparse
import json
import statistics
import time

import numpy as np
import pandas as pd

N, T, Q, COST_BPS = 3000, 2520, 0.1, 5.0


def backtest(signal: pd.DataFrame, returns: pd.DataFrame):
    ranks = signal.rank(axis=1, method="first")
    count = ranks.count(axis=1)
    k = np.floor(count * Q)
    longs = ranks.gt(count - k, axis=0)
    shorts = ranks.le(k, axis=0)
    weights = longs.astype(float).div(k, axis=0) * 0.5 - shorts.astype(float).div(k, axis=0) * 0.5
    weights = weights.fillna(0.0)
    gross = (weights.shift(1) * returns).sum(axis=1)
    turnover = weights.diff().abs().sum(axis=1)
    turnover.iloc[0] = weights.iloc[0].abs().sum()
    net = gross - COST_BPS * 1e-4 * turnover.shift(1).fillna(0.0)
    sharpe = net.mean() / net.std(ddof=1) * np.sqrt(252)
    equity = (1 + net).cumprod()
    drawdown = (equity / equity.cummax() - 1).min()
    return sharpe, drawdown, turnover.mean()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    returns = pd.DataFrame(0.02 * rng.standard_normal((T, N)).astype(np.float32))
    signal = pd.DataFrame(rng.standard_normal((T, N)).astype(np.float32)) + 2 * returns.shift(-1).fillna(0.0)
    times = []
    for _ in range(args.runs):
        start = time.perf_counter()
        sharpe, drawdown, turnover = backtest(signal, returns)
        times.append(time.perf_counter() - start)
    print(json.dumps({
        "workload": "W2 daily-3000x2520",
        "engine": f"numpy {np.__version__} + pandas {pd.__version__}",
        "runs": args.runs,
        "median_s": statistics.median(times),
        "min_s": min(times),
        "sharpe": sharpe,
        "max_drawdown": drawdown,
        "turnover": turnover,
    }))


if __name__ == "__main__":
    main()
