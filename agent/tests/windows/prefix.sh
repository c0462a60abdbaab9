#!/usr/bin/env bash
# Create a throw-away headless wine prefix for the Windows agent's tests:
# WORKDIR/prefix, with the test-only ProcessPrng shim (prng_shim.c: wine
# 8's bcryptprimitives.dll lacks ProcessPrng, which Rust's std imports)
# built by mingw into WORKDIR and into the prefix's system32, so that both
# a program started from WORKDIR and one the service manager starts from
# C:\Program Files find it. Usage: prefix.sh WORKDIR
#
# The caller exports the environment every wine command of the prefix
# needs: WINEPREFIX=WORKDIR/prefix WINEDEBUG=-all DISPLAY= WAYLAND_DISPLAY=
# WINEDLLOVERRIDES="bcryptprimitives=n,b;mscoree=;mshtml=" (native shim
# first; no Mono/Gecko installer dialogs) and stops the prefix's
# wineserver (`wineserver -k`) when done. wine makes no network traffic
# for this.
set -euo pipefail
work=$1
here=$(cd "$(dirname "$0")" && pwd)
: "${WINEPREFIX:?export WINEPREFIX (and the rest, see above) first}"
# Say which step failed, and what wineboot said, rather than failing
# silently (the caller shows this script's stderr).
trap 'echo "prefix.sh: \"$BASH_COMMAND\" failed with exit code $?; wineboot said:" >&2; cat "$work/wineboot.log" >&2 2>/dev/null || true' ERR

x86_64-w64-mingw32-gcc -shared -O2 -o "$work/bcryptprimitives.dll" "$here/prng_shim.c" -ladvapi32
timeout 240 wineboot -i >"$work/wineboot.log" 2>&1
# A new prefix's first boot can leave two service managers running, which
# then answer for each other (a service created through one is unknown to
# the other); let this session end so that the next command starts one.
timeout 120 wineserver -w
cp "$work/bcryptprimitives.dll" "$WINEPREFIX/drive_c/windows/system32/"
