#!/usr/bin/env bash
# W1 side by side in one session: the managed and native fused F8, the managed and native per-kernel compositions
# (in-process medians), pandas, DuckDB window SQL and the
# memory-bandwidth bound, then the ratios. Usage: benchmarks/peers/run_peers.sh [pandas runs] [f8 runs]
# Needs /usr/bin/python3 with pandas (Debian: apt-get install python3-pandas); DuckDB runs in-process via DuckDB.NET.
set -euo pipefail
cd "$(dirname "$0")/../.."
pandas_runs=${1:-3}
f8_runs=${2:-10}
app=benchmarks/QuantPipeline.Benchmarks
dotnet build -c Release "$app" >/dev/null
run() { dotnet run -c Release --no-build --project "$app" -- peer "$@" 2>/dev/null | tail -1; }

lscpu | grep -E '^(Model name|CPU\(s\))' | sed 's/  */ /g'
echo "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
results=$(mktemp)
{
  run bandwidth
  run f8 managed "$f8_runs"
  run f8 managed-kernels "$f8_runs"
  run f8 native "$f8_runs"
  run f8 native-kernels "$f8_runs"
  /usr/bin/python3 benchmarks/peers/pandas_w1.py "$pandas_runs"
  run duckdb 2
} | tee "$results"

python3 - "$results" <<'PY'
import re, sys
values = {}
for line in open(sys.argv[1]):
    for key, value in re.findall(r"(\w+)=([0-9.]+)", line):
        try:
            values.setdefault(key, float(value))
        except ValueError:  # version strings such as pandas=1.5.3
            pass
pandas = values.get("pandas_w1_median_ms")
duck = values.get("duckdb_w1_ms")
for name in ("f8_managed_median_ms", "f8_managed_kernels_median_ms", "f8_native_median_ms", "f8_native_kernels_median_ms"):
    ms = values.get(name)
    if ms is None:
        continue
    parts = [f"{name[3:-10]}: {ms:.0f} ms"]
    if pandas:
        parts.append(f"{pandas / ms:.0f}x pandas")
    if duck:
        parts.append(f"{duck / ms:.0f}x DuckDB")
    if "w1_bound_ms" in values:
        parts.append(f"{ms / values['w1_bound_ms']:.1f}x the bandwidth bound")
    print("; ".join(parts))
PY
rm -f "$results"
