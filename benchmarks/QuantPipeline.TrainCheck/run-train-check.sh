#!/usr/bin/env bash
# Runs the training check from the unpacked bundle on a GPU machine. The bundle carries no libtorch:
# it uses the one from the Python PyTorch install (torch/lib), or LIBTORCH_DIR if set.
# Extra arguments go to the check, e.g. --device cpu --threads 16, or --workload gru.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/qp-train-check.tar.xz" ] && [ ! -d "$here/qp-train-check" ]; then
  tar -C "$here" -xJf "$here/qp-train-check.tar.xz"
fi
root="$here"
[ -d "$here/qp-train-check" ] && root="$here/qp-train-check"
lib="${LIBTORCH_DIR:-}"
if [ -z "$lib" ]; then
  lib="$(python3 -c 'import os, torch; print(os.path.join(os.path.dirname(torch.__file__), "lib"))' 2>/dev/null || true)"
fi
if [ -z "$lib" ] || [ ! -d "$lib" ]; then
  echo "no libtorch found: install PyTorch for python3 or set LIBTORCH_DIR to a folder with libtorch_cuda.so" >&2
  exit 3
fi
python3 -c 'import torch; print("python torch", torch.__version__, "cuda", torch.version.cuda)' 2>/dev/null || true
export DOTNET_ROOT="$root/dotnet"
exec "$root/dotnet/dotnet" "$root/app/QuantPipeline.TrainCheck.dll" --device cuda --libtorch-dir "$lib" "$@"
