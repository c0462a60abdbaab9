#!/usr/bin/env bash
# Run every Census test on a Debian 12 machine: installs the Debian packages
# the tests use (with sudo when not root), then the whole workspace's tests.
# This is the README's test command; .ci/run calls it too.
set -euo pipefail
cd "$(dirname "$0")/.."

# Debian packages the tests need: iproute2 (`ip -j addr` for the live
# comparison, namespaces for the scan lab), nftables (firewalled lab hosts),
# dnsmasq-base (the lab's DNS server), snmpd (the lab's SNMP agent), samba
# (nmbd, the lab's NetBIOS responder, and nmblookup to wait for it), snmpsim
# (serves the recorded SNMP devices in tests/fixtures/snmp),
# procps/coreutils (nproc, df), age (age and age-keygen: the export is
# decrypted without Census), python3-docx (an independent reader of the
# DOCX plan, run as /usr/bin/python3), chromium and chromium-driver (the web
# interface driven headless), systemd (systemd-analyze verifies the units),
# curl (runs the collector's install.sh as a user would), adduser (the .deb
# packages' maintainer scripts, installed as root by tests/install_deb.rs),
# musl-tools (the static Linux agent, tests/install_deb.rs builds it),
# gcc-mingw-w64-x86-64, wine and wine64 (the agent cross-built for Windows
# and run headless under wine: agent/tests/windows.rs), postgresql (initdb
# and postgres for the tests' own throw-away server: tests/postgres.rs; the
# store suite and the collector tests run on SQLite and on PostgreSQL).
pkgs=(iproute2 procps coreutils nftables dnsmasq-base snmpd samba snmpsim age python3-docx chromium chromium-driver systemd curl adduser musl-tools gcc-mingw-w64-x86-64 wine wine64 postgresql)
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  sudo=""; [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq "${missing[@]}"
fi

# The Windows agent's target (agent/tests/windows.rs cross-builds it).
rustup target list --installed | grep -qx x86_64-pc-windows-gnu || rustup target add x86_64-pc-windows-gnu
# The static Linux agent's target (tests/install_deb.rs builds it).
rustup target list --installed | grep -qx x86_64-unknown-linux-musl || rustup target add x86_64-unknown-linux-musl

cargo test --workspace --locked "$@"
