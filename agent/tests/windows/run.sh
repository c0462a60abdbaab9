#!/usr/bin/env bash
# Run the Windows agent under wine in a throw-away prefix, for
# agent/tests/windows.rs. Usage: run.sh AGENT_EXE WORKDIR [UNIT_TEST_EXE]
#
# Creates the prefix headless with the test-only ProcessPrng shim
# (prefix.sh), seeds the registry's Uninstall keys (64-bit
# view, 32-bit view, the user's hive and one hidden system component) and
# writes WORKDIR/report.json (stdout of `census-agent.exe collect`) and
# WORKDIR/agent.log (stderr). With UNIT_TEST_EXE, the agent's unit tests
# built for Windows run too (output in WORKDIR/unit.log; `install::tests`,
# the systemd installer's, need Unix symlinks and are skipped).
# wine makes no network traffic for this.
set -euo pipefail
exe=$1
work=$2
here=$(cd "$(dirname "$0")" && pwd)

cp "$exe" "$work/census-agent.exe"

export WINEPREFIX="$work/prefix" WINEDEBUG=-all DISPLAY="" WAYLAND_DISPLAY=""
# Native shim first; no Mono/Gecko installer dialogs in a headless prefix.
export WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml="
# Always stop this prefix's wineserver, whatever happens below.
trap 'wineserver -k >/dev/null 2>&1 || true' EXIT

"$here/prefix.sh" "$work"

U='SOFTWARE\Microsoft\Windows\CurrentVersion\Uninstall'
add() { # root view key name version publisher
  local k="$1\\$U\\$3"
  wine reg add "$k" /v DisplayName /t REG_SZ /d "$4" /f "/reg:$2" >/dev/null
  wine reg add "$k" /v DisplayVersion /t REG_SZ /d "$5" /f "/reg:$2" >/dev/null
  wine reg add "$k" /v Publisher /t REG_SZ /d "$6" /f "/reg:$2" >/dev/null
}
add HKLM 64 CensusWineApp "Census Wine App" 1.2.3 "Census Test Publisher 64"
add HKLM 32 CensusWineLegacy "Census Wine Legacy Tool" 4.5.6 "Census Test Publisher 32"
add HKCU 64 CensusWineUserApp "Census Wine User App" 7.8.9 "Census Test Publisher User"
add HKLM 64 CensusWineHidden "Census Wine Hidden Component" 0.0.1 "Census Test Publisher 64"
wine reg add "HKLM\\$U\\CensusWineHidden" /v SystemComponent /t REG_DWORD /d 1 /f /reg:64 >/dev/null
# A Windows Update policy: notify before downloading (not automatic).
wine reg add 'HKLM\SOFTWARE\Policies\Microsoft\Windows\WindowsUpdate\AU' /v AUOptions /t REG_DWORD /d 2 /f /reg:64 >/dev/null

cd "$work"
timeout 240 wine ./census-agent.exe collect --pretty >"$work/report.json" 2>"$work/agent.log"

if [ $# -ge 3 ]; then
  cp "$3" "$work/unit.exe"
  timeout 240 wine ./unit.exe --skip install::tests::a_tree_is_not_the_live_machine --skip install::tests::steps_carry_out_what_they_print >"$work/unit.log" 2>&1
fi
