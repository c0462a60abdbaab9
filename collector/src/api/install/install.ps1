# Census agent installer for Windows, written by the collector for this collector.
#
# In an elevated Windows PowerShell (5.1, built into Windows 10 and 11), paste
# the one line the collector prints (its agents page, or `serve` at start):
# it fetches this script over a connection pinned to the collector's
# certificate and runs it with -Token TOKEN. Saved as a file (a GPO startup
# script or an Intune platform script, both run as SYSTEM):
#
#   powershell -NoProfile -ExecutionPolicy Bypass -File install.ps1 -Token TOKEN
#
# It downloads the agent from the same collector over a connection that must
# present this collector's certificate (its SHA-256 is below), refuses the
# binary unless its SHA-256 is the one below, and runs
# `census-agent.exe install` with this collector's URL and key fingerprint,
# which registers and starts the Census Agent service. Run again on a
# machine already enrolled to this collector, it keeps the enrolment and
# only replaces the agent. -Interval 6h and -DryRun go to the agent.
[CmdletBinding()]
param(
    [string]$Token = $env:CENSUS_TOKEN,
    [string]$Interval = '',
    [switch]$DryRun
)
$ErrorActionPreference = 'Stop'
Set-StrictMode -Version 2

$Collector = @URL@
$Fingerprint = @FINGERPRINT@
$CertSha256 = @CERT_SHA256@
$Sha256 = @SHA256@
$Missing = @MISSING@
$Binary = '@BINARY@'

function Stop-Install([string]$Why) { throw "census install: $Why" }

if (-not $Token) {
    Stop-Install 'no enrolment token: pass -Token TOKEN (census-collector token create prints one)'
}
if ($Missing) { Stop-Install $Missing }
if (-not [Environment]::Is64BitOperatingSystem) {
    Stop-Install 'the Windows agent needs 64-bit Windows'
}
$identity = [Security.Principal.WindowsIdentity]::GetCurrent()
$principal = New-Object Security.Principal.WindowsPrincipal($identity)
if (-not $principal.IsInRole([Security.Principal.WindowsBuiltInRole]::Administrator)) {
    Stop-Install 'run this in an elevated PowerShell (Run as administrator): installing a service needs it'
}

$previousCallback = [Net.ServicePointManager]::ServerCertificateValidationCallback
$previousProtocol = [Net.ServicePointManager]::SecurityProtocol
$previousToken = $env:CENSUS_TOKEN
$dir = Join-Path ([IO.Path]::GetTempPath()) ('census-install-' + [guid]::NewGuid().ToString('N'))
try {
    [Net.ServicePointManager]::SecurityProtocol = [Net.SecurityProtocolType]::Tls12
    # Trust exactly this collector's certificate, whatever the machine's
    # certificate stores say (it is self-signed).
    $pinned = $CertSha256
    [Net.ServicePointManager]::ServerCertificateValidationCallback = {
        param($s, $certificate, $chain, $errors)
        $sha = [Security.Cryptography.SHA256]::Create()
        $hash = [BitConverter]::ToString($sha.ComputeHash($certificate.GetRawCertData())).Replace('-', '')
        $hash -eq $pinned
    }.GetNewClosure()

    New-Item -ItemType Directory -Path $dir | Out-Null
    $exe = Join-Path $dir 'census-agent.exe'
    Write-Host "census install: downloading the agent from $Collector"
    try {
        (New-Object Net.WebClient).DownloadFile("$Collector/downloads/$Binary", $exe)
    } catch {
        Stop-Install "downloading $Collector/downloads/$Binary failed (the collector must present the certificate with SHA-256 $CertSha256): $($_.Exception.Message)"
    }
    $got = (Get-FileHash -Algorithm SHA256 -LiteralPath $exe).Hash
    if ($got -ne $Sha256) {
        Stop-Install "the downloaded agent's SHA-256 is $got, not ${Sha256}: not installing it"
    }

    $arguments = @('install', '--collector', $Collector, '--fingerprint', $Fingerprint)
    if ($Interval) { $arguments += @('--interval', $Interval) }
    if ($DryRun) { $arguments += '--dry-run' }
    $env:CENSUS_TOKEN = $Token
    & $exe @arguments
    if ($LASTEXITCODE -ne 0) {
        Stop-Install "census-agent install failed with exit code ${LASTEXITCODE}; its message is above"
    }
} finally {
    $env:CENSUS_TOKEN = $previousToken
    [Net.ServicePointManager]::ServerCertificateValidationCallback = $previousCallback
    [Net.ServicePointManager]::SecurityProtocol = $previousProtocol
    Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction SilentlyContinue
}
