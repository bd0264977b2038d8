#!/usr/bin/env bash
# Runs the GPU check from the self-contained bundle that `build.ps1 -Target gpu-check` produces.
# Needs only an x64 Linux with glibc and, for CUDA, the NVIDIA driver: the .NET runtime travels in the bundle.
#   next to qp-gpu-check.tar.xz: unpacks it into a temporary folder and runs the check from there;
#   inside an unpacked bundle:   runs the check.
# Arguments go to the check: --cpu (force ILGPU's CPU accelerator), --n N, --t T, --runs R.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

if [ ! -d "$here/app" ]; then
  archive="$here/qp-gpu-check.tar.xz"
  if [ ! -f "$archive" ]; then
    echo "run-gpu-check.sh: neither an unpacked bundle (app/) nor $archive is next to this script; build it with 'dotnet pwsh ./build.ps1 -Target gpu-check'." >&2
    exit 2
  fi
  work="$(mktemp -d "${TMPDIR:-/tmp}/qp-gpu-check.XXXXXX")"
  trap 'rm -rf "$work"' EXIT
  if command -v xz >/dev/null 2>&1; then
    tar -xJf "$archive" -C "$work"
  else
    # No xz binary: Python's standard library reads .tar.xz too.
    python3 -c 'import sys, tarfile; tarfile.open(sys.argv[1]).extractall(sys.argv[2])' "$archive" "$work"
  fi
  "$work/qp-gpu-check/run-gpu-check.sh" "$@"
  exit $?
fi

export DOTNET_ROOT="$here/dotnet"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
if command -v nvidia-smi >/dev/null 2>&1; then
  nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader || true
else
  echo "nvidia-smi not found: no NVIDIA driver visible; ILGPU will fall back to its CPU accelerator."
fi
exec "$here/dotnet/dotnet" "$here/app/QuantPipeline.GpuCheck.dll" "$@"
