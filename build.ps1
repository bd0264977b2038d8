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

.PARAMETER Target
  all (build + test), build, test, bench, demo.
.PARAMETER Configuration
  Release (default) or Debug.
.PARAMETER Filter
  BenchmarkDotNet filter for -Target bench (default '*').
.PARAMETER TorchBackend
  cpu (default) or cuda: which libtorch package TorchSharp uses (cuda needs a GPU machine's package feed).
#>
[CmdletBinding()]
param(
    [ValidateSet('all', 'build', 'test', 'bench', 'demo')]
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
