<#
.SYNOPSIS
  Builds QuantPipeline: native kernels (CMake), managed projects, tests and benchmarks.

.DESCRIPTION
  Runs with the PowerShell pinned as a local dotnet tool, so no system pwsh is needed:
      dotnet tool restore
      dotnet pwsh ./build.ps1                 # build + test (default)
      dotnet pwsh ./build.ps1 -Target build
      dotnet pwsh ./build.ps1 -Target bench -Filter '*RollingMean*'
      dotnet pwsh ./build.ps1 -Target demo
      dotnet pwsh ./build.ps1 -Target gpu-check   # bundle for a GPU machine: artifacts/gpu-check/

.PARAMETER Target
  all (build + test), build, test, bench, demo, gpu-check (publishes the GPU check app with a private .NET
  runtime into artifacts/gpu-check/qp-gpu-check.tar.xz plus run-gpu-check.sh; never part of CI).
.PARAMETER Configuration
  Release (default) or Debug.
.PARAMETER Filter
  BenchmarkDotNet filter for -Target bench (default '*').
.PARAMETER TorchBackend
  cpu (default) or cuda: which libtorch package TorchSharp uses (cuda needs a GPU machine's package feed).
#>
[CmdletBinding()]
param(
    [ValidateSet('all', 'build', 'test', 'bench', 'demo', 'gpu-check')]
    [string]$Target = 'all',
    [ValidateSet('Release', 'Debug')]
    [string]$Configuration = 'Release',
    [string]$Filter = '*',
    [ValidateSet('cpu', 'cuda')]
    [string]$TorchBackend = 'cpu',
    [string[]]$BenchArgs = @()
)

$ErrorActionPreference = 'Stop'
Set-Location $PSScriptRoot

function Invoke-Step([string]$Title, [scriptblock]$Body) {
    Write-Host "==> $Title" -ForegroundColor Cyan
    $watch = [Diagnostics.Stopwatch]::StartNew()
    & $Body
    if ($LASTEXITCODE -ne 0) { throw "$Title failed (exit code $LASTEXITCODE)" }
    Write-Host ("    {0} done in {1:0.0} s" -f $Title, $watch.Elapsed.TotalSeconds)
}

foreach ($tool in 'cmake', 'dotnet') {
    if (-not (Get-Command $tool -ErrorAction SilentlyContinue)) {
        throw "$tool is not on PATH. Install it (Debian/Ubuntu: sudo apt-get install cmake g++) and run again."
    }
}

$common = @('-c', $Configuration, "-p:TorchBackend=$TorchBackend")

if ($Target -in 'all', 'build', 'test', 'demo') {
    Invoke-Step 'build (native + managed)' { dotnet build QuantPipeline.sln @common }
}
if ($Target -in 'all', 'test') {
    Invoke-Step 'test' { dotnet test QuantPipeline.sln @common --no-build }
}
if ($Target -eq 'demo') {
    Invoke-Step 'demo' { dotnet run @common --no-build --project src/QuantPipeline.Cli -- demo }
}
if ($Target -eq 'bench') {
    Invoke-Step 'benchmarks' { dotnet run @common --project benchmarks/QuantPipeline.Benchmarks -- --filter $Filter @BenchArgs }
}
if ($Target -eq 'gpu-check') {
    # Framework-dependent publish plus the runtime of the local SDK install (host, hostfxr and
    # Microsoft.NETCore.App only), so a machine with just the NVIDIA driver can run it.
    $stage = Join-Path $PSScriptRoot 'artifacts/gpu-check-stage/qp-gpu-check'
    $out = Join-Path $PSScriptRoot 'artifacts/gpu-check'
    Remove-Item -Recurse -Force (Split-Path $stage), $out -ErrorAction SilentlyContinue
    New-Item -ItemType Directory -Force $stage, $out | Out-Null
    Invoke-Step 'publish gpu-check app' {
        dotnet publish benchmarks/QuantPipeline.GpuCheck -c $Configuration -r linux-x64 --self-contained false -o (Join-Path $stage 'app')
    }
    $dotnetRoot = Split-Path (Get-Command dotnet).Source
    if (-not (Test-Path (Join-Path $dotnetRoot 'shared'))) { $dotnetRoot = Split-Path ([IO.File]::ResolveLinkTarget((Get-Command dotnet).Source, $true).FullName) }
    $runtimeDir = Get-ChildItem (Join-Path $dotnetRoot 'shared/Microsoft.NETCore.App') -Directory |
        Where-Object { $_.Name -like '10.*' } | Sort-Object { [version]($_.Name -replace '-.*$', '') } | Select-Object -Last 1
    if (-not $runtimeDir) { throw "No .NET 10 runtime under $dotnetRoot/shared/Microsoft.NETCore.App; install the .NET 10 SDK." }
    $fxr = Get-ChildItem (Join-Path $dotnetRoot 'host/fxr') -Directory | Sort-Object { [version]($_.Name -replace '-.*$', '') } | Select-Object -Last 1
    Invoke-Step "copy .NET runtime $($runtimeDir.Name)" {
        $rt = Join-Path $stage 'dotnet'
        New-Item -ItemType Directory -Force (Join-Path $rt 'shared/Microsoft.NETCore.App'), (Join-Path $rt 'host/fxr') | Out-Null
        Copy-Item (Join-Path $dotnetRoot 'dotnet') $rt
        Copy-Item -Recurse $fxr.FullName (Join-Path $rt 'host/fxr')
        Copy-Item -Recurse $runtimeDir.FullName (Join-Path $rt 'shared/Microsoft.NETCore.App')
        Copy-Item benchmarks/QuantPipeline.GpuCheck/run-gpu-check.sh $stage
        $global:LASTEXITCODE = 0
    }
    Invoke-Step 'pack artifacts/gpu-check/qp-gpu-check.tar.xz' {
        tar -C (Split-Path $stage) -cJf (Join-Path $out 'qp-gpu-check.tar.xz') qp-gpu-check
    }
    Copy-Item benchmarks/QuantPipeline.GpuCheck/run-gpu-check.sh $out
    Remove-Item -Recurse -Force (Split-Path $stage)
    $size = (Get-ChildItem $out -File | Measure-Object Length -Sum).Sum / 1MB
    if ($size -ge 64) { throw ("gpu-check bundle is {0:0.0} MiB, over the 64 MiB budget" -f $size) }
    Write-Host ("gpu-check bundle: {0} ({1:0.0} MiB). On the GPU machine: artifacts/gpu-check/run-gpu-check.sh" -f $out, $size)
}
