#!/usr/bin/env bash
# Packs the training check for a GPU machine that has the NVIDIA driver and a Python PyTorch but
# no .NET: framework-dependent publish + the local .NET runtime, without any libtorch binaries
# (they are far over the bundle budget; run-train-check.sh loads PyTorch's). Output:
# artifacts/train-check/qp-train-check.tar.xz and run-train-check.sh beside it.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
stage="$repo/artifacts/train-check-stage/qp-train-check"
out="$repo/artifacts/train-check"
rm -rf "$(dirname "$stage")" "$out"
mkdir -p "$stage" "$out"
# Portable publish keeps runtimes/linux-x64/native/, where the publish step patches libLibTorchSharp.so
# (see Directory.Build.targets); a RID-specific publish would flatten it and skip the patch.
dotnet publish "$repo/benchmarks/QuantPipeline.TrainCheck" -c Release -o "$stage/app"
find "$stage/app/runtimes" -mindepth 1 -maxdepth 1 ! -name linux-x64 -exec rm -rf {} +
# Keep TorchSharp's own native layer (libLibTorchSharp.so); drop libtorch, c10 and their helpers.
find "$stage/app" -name 'lib*.so*' ! -name 'libLibTorchSharp.so' -delete
dotnet_root="$(dirname "$(readlink -f "$(command -v dotnet)")")"
runtime="$(ls -d "$dotnet_root"/shared/Microsoft.NETCore.App/10.* | sort -V | tail -1)"
fxr="$(ls -d "$dotnet_root"/host/fxr/* | sort -V | tail -1)"
mkdir -p "$stage/dotnet/shared/Microsoft.NETCore.App" "$stage/dotnet/host/fxr"
cp "$dotnet_root/dotnet" "$stage/dotnet/"
cp -r "$fxr" "$stage/dotnet/host/fxr/"
cp -r "$runtime" "$stage/dotnet/shared/Microsoft.NETCore.App/"
cp "$repo/benchmarks/QuantPipeline.TrainCheck/run-train-check.sh" "$stage/"
tar -C "$(dirname "$stage")" -cJf "$out/qp-train-check.tar.xz" qp-train-check
cp "$repo/benchmarks/QuantPipeline.TrainCheck/run-train-check.sh" "$out/"
rm -rf "$(dirname "$stage")"
size=$(du -sm "$out" | cut -f1)
if [ "$size" -ge 64 ]; then
  echo "train-check bundle is ${size} MiB, over the 64 MiB budget" >&2
  exit 1
fi
echo "train-check bundle: $out (${size} MiB). On the GPU machine: artifacts/train-check/run-train-check.sh"
