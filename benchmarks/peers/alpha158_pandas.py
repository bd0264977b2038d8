#!/usr/bin/env python3
"""Alpha158 with pandas on wide frames (T rows x N symbols), Qlib's formulas and conventions
(rolling(d, min_periods=1), Std ddof=1, IdxMax via rolling.apply as Qlib does, Rank as percentile of the
newest value). The peer for benchmarks/QuantPipeline.Benchmarks/Alpha158Benchmarks.cs.

    /usr/bin/python3 benchmarks/peers/alpha158_pandas.py [T] [N]     (default 2520 3000)
"""
import sys
import time

import numpy as np
import pandas as pd

T = int(sys.argv[1]) if len(sys.argv) > 1 else 2520
N = int(sys.argv[2]) if len(sys.argv) > 2 else 3000
WINDOWS = [5, 10, 20, 30, 60]

rng = np.random.default_rng(158)
price = 20 + 80 * rng.random(N)
opens = np.empty((T, N), np.float32)
closes, highs, lows, vols = (np.empty((T, N), np.float32) for _ in range(4))
for i in range(T):
    o = price * (1 + 0.01 * (rng.random(N) - 0.5))
    c = o * (1 + 0.04 * (rng.random(N) - 0.5))
    opens[i], closes[i] = o, c
    highs[i] = np.maximum(o, c) * (1 + 0.01 * rng.random(N))
    lows[i] = np.minimum(o, c) * (1 - 0.01 * rng.random(N))
    vols[i] = 1e5 * (0.5 + rng.random(N))
    price = c
open_, close, high, low, volume = (pd.DataFrame(a) for a in (opens, closes, highs, lows, vols))
vwap = (open_ + high + low + close) / 4


def roll(x, d):
    return x.rolling(d, min_periods=1)


def regression(y, d):
    """Least squares against the bar index, from rolling sums (what Qlib's Cython rolling_slope computes)."""
    idx = pd.DataFrame(np.repeat(np.arange(len(y), dtype=np.float64)[:, None], y.shape[1], axis=1))
    x = idx.where(y.notna())
    n = roll(y, d).count()
    sx, sy = roll(x, d).sum(), roll(y, d).sum()
    sxx, sxy, syy = roll(x * x, d).sum(), roll(x * y, d).sum(), roll(y * y, d).sum()
    slope = (n * sxy - sx * sy) / (n * sxx - sx * sx)
    r2 = (n * sxy - sx * sy) ** 2 / ((n * sxx - sx * sx) * (n * syy - sy * sy))
    resi = y - ((sy - slope * sx) / n + slope * idx)
    return slope, r2, resi


def alpha158():
    f = {}
    rng_ = high - low + 1e-12
    f["KMID"] = (close - open_) / open_
    f["KLEN"] = (high - low) / open_
    f["KMID2"] = (close - open_) / rng_
    f["KUP"] = (high - np.maximum(open_, close)) / open_
    f["KUP2"] = (high - np.maximum(open_, close)) / rng_
    f["KLOW"] = (np.minimum(open_, close) - low) / open_
    f["KLOW2"] = (np.minimum(open_, close) - low) / rng_
    f["KSFT"] = (2 * close - high - low) / open_
    f["KSFT2"] = (2 * close - high - low) / rng_
    for name, x in (("OPEN0", open_), ("HIGH0", high), ("LOW0", low), ("VWAP0", vwap)):
        f[name] = x / close
    c1, v1 = close.shift(1), volume.shift(1)
    up, down = (close > c1).astype(np.float64), (close < c1).astype(np.float64)
    gain, loss, move = np.maximum(close - c1, 0), np.maximum(c1 - close, 0), (close - c1).abs()
    vgain, vloss, vmove = np.maximum(volume - v1, 0), np.maximum(v1 - volume, 0), (volume - v1).abs()
    wm = (close / c1 - 1).abs() * volume
    logv = np.log(volume + 1)
    ret, vret = close / c1, np.log(volume / v1 + 1)
    for d in WINDOWS:
        slope, r2, resi = regression(close, d)
        mx, mn = roll(high, d).max(), roll(low, d).min()
        imax = roll(high, d).apply(lambda w: np.nanargmax(w) + 1, raw=True)
        imin = roll(low, d).apply(lambda w: np.nanargmin(w) + 1, raw=True)
        f[f"ROC{d}"] = close.shift(d) / close
        f[f"MA{d}"] = roll(close, d).mean() / close
        f[f"STD{d}"] = roll(close, d).std() / close
        f[f"BETA{d}"] = slope / close
        f[f"RSQR{d}"] = r2
        f[f"RESI{d}"] = resi / close
        f[f"MAX{d}"] = mx / close
        f[f"MIN{d}"] = mn / close
        f[f"QTLU{d}"] = roll(close, d).quantile(0.8) / close
        f[f"QTLD{d}"] = roll(close, d).quantile(0.2) / close
        f[f"RANK{d}"] = roll(close, d).rank(pct=True)
        f[f"RSV{d}"] = (close - mn) / (mx - mn + 1e-12)
        f[f"IMAX{d}"] = imax / d
        f[f"IMIN{d}"] = imin / d
        f[f"IMXD{d}"] = (imax - imin) / d
        f[f"CORR{d}"] = roll(close, d).corr(logv)
        f[f"CORD{d}"] = roll(ret, d).corr(vret)
        f[f"CNTP{d}"] = roll(up, d).mean()
        f[f"CNTN{d}"] = roll(down, d).mean()
        f[f"CNTD{d}"] = f[f"CNTP{d}"] - f[f"CNTN{d}"]
        sm = roll(move, d).sum() + 1e-12
        f[f"SUMP{d}"] = roll(gain, d).sum() / sm
        f[f"SUMN{d}"] = roll(loss, d).sum() / sm
        f[f"SUMD{d}"] = (roll(gain, d).sum() - roll(loss, d).sum()) / sm
        f[f"VMA{d}"] = roll(volume, d).mean() / (volume + 1e-12)
        f[f"VSTD{d}"] = roll(volume, d).std() / (volume + 1e-12)
        f[f"WVMA{d}"] = roll(wm, d).std() / (roll(wm, d).mean() + 1e-12)
        svm = roll(vmove, d).sum() + 1e-12
        f[f"VSUMP{d}"] = roll(vgain, d).sum() / svm
        f[f"VSUMN{d}"] = roll(vloss, d).sum() / svm
        f[f"VSUMD{d}"] = (roll(vgain, d).sum() - roll(vloss, d).sum()) / svm
        print(f"  windows {d}: {time.perf_counter() - start:.1f} s", flush=True)
    return f


start = time.perf_counter()
features = alpha158()
elapsed = time.perf_counter() - start
print(f"pandas {pd.__version__}: alpha158, {len(features)} features on {N} symbols x {T} bars: {elapsed:.1f} s")
