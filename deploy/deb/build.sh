#!/bin/sh
# Build the census-agent and census-collector .deb packages with dpkg-deb
# from binaries already built (cargo build --release, or debug ones).
#
#   deploy/deb/build.sh [--release | --debug] [--agent PATH] [--collector PATH]
#                       [--version V] [--out DIR] [--fast] [--musl]
#                       [--windows-agent PATH]
#
# Default binaries: $CARGO_TARGET_DIR (or target/) /release/census-agent and
# census-collector; --debug takes them from debug/. --musl packs the static
# agent (cargo build --release -p census-agent --target
# x86_64-unknown-linux-musl), which runs on any Linux distribution, in both
# packages (the collector hands it out through /install.sh). --windows-agent
# adds the Windows agent (cargo build --release -p census-agent --target
# x86_64-pc-windows-gnu: target/x86_64-pc-windows-gnu/release/census-agent.exe)
# to the collector's downloads, for /install.ps1. The packaged copies are
# stripped (as dh_strip would). Packages go to <target>/deb/ unless --out
# says otherwise; --fast compresses with gzip -1 instead of xz (tests). The maintainer scripts are in
# deploy/deb/agent/ and deploy/deb/collector/; neither ever deletes data
# except on purge (dpkg -P / apt purge).
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
target=${CARGO_TARGET_DIR:-$top/target}
profile=release
agent=""
collector=""
version=""
out=""
compress=""
musl=""
windows=""

die() {
    echo "deploy/deb/build.sh: $*" >&2
    exit 1
}

while [ $# -gt 0 ]; do
    case $1 in
        --release) profile=release ;;
        --debug) profile=debug ;;
        --agent) agent=${2:?--agent needs a path}; shift ;;
        --collector) collector=${2:?--collector needs a path}; shift ;;
        --version) version=${2:?--version needs a value}; shift ;;
        --out) out=${2:?--out needs a directory}; shift ;;
        --fast) compress="-Zgzip -z1" ;;
        --musl) musl=x86_64-unknown-linux-musl/ ;;
        --windows-agent) windows=${2:?--windows-agent needs a path}; shift ;;
        -h | --help) sed -n '2,20p' "$0"; exit 0 ;;
        *) die "unknown argument $1 (see --help)" ;;
    esac
    shift
done

[ -n "$agent" ] || agent=$target/$musl$profile/census-agent
[ -n "$collector" ] || collector=$target/$profile/census-collector
[ -n "$out" ] || out=$target/deb
for b in "$agent" "$collector"; do
    [ -x "$b" ] || die "$b is missing: build it first (cargo build --$profile -p census-agent -p census-collector${musl:+; the agent with --target x86_64-unknown-linux-musl}) or name it with --agent/--collector"
done
[ -z "$windows" ] || [ -f "$windows" ] || die "$windows is missing: build it first (cargo build --$profile -p census-agent --target x86_64-pc-windows-gnu)"
command -v dpkg-deb >/dev/null 2>&1 || die "dpkg-deb is missing (Debian package dpkg)"
if [ -z "$version" ]; then
    version=$(sed -n '/^\[workspace.package\]/,/^\[/s/^version *= *"\(.*\)"/\1/p' "$top/Cargo.toml")
fi
[ -n "$version" ] || die "cannot read the version from $top/Cargo.toml: pass --version"
arch=$(dpkg --print-architecture)
mkdir -p "$out"
stage=$(mktemp -d "${TMPDIR:-/tmp}/census-deb.XXXXXX")
trap 'rm -rf "$stage"' EXIT

# control PACKAGE DIR DEPENDS SUMMARY DESCRIPTION: write DIR/DEBIAN/control.
control() {
    size=$(du -sk --exclude=DEBIAN "$2" | cut -f 1)
    cat >"$2/DEBIAN/control" <<CONTROL
Package: $1
Version: $version
Architecture: $arch
Maintainer: Census <census@example.invalid>
Installed-Size: $size
Depends: $3
Section: admin
Priority: optional
Homepage: https://example.invalid/census
Description: $4
$5
CONTROL
}

# binary SRC DEST: install a program, stripped when strip is there.
binary() {
    install -m 0755 "$1" "$2"
    if command -v strip >/dev/null 2>&1; then
        strip "$2"
    fi
}

# build DIR DEB: the package, every file owned by root.
build() {
    # shellcheck disable=SC2086 # $compress is two options or none
    dpkg-deb --root-owner-group $compress --build "$1" "$2" >/dev/null
}

# scripts PACKAGE DIR: the maintainer scripts, 0755.
scripts() {
    for s in postinst prerm postrm; do
        if [ -f "$here/$1/$s" ]; then
            install -m 0755 "$here/$1/$s" "$2/DEBIAN/$s"
        fi
    done
}

doc() {
    install -d -m 0755 "$2/usr/share/doc/$1"
    cat >"$2/usr/share/doc/$1/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: census

Files: *
License: MIT or Apache-2.0
COPYRIGHT
    install -m 0644 "$top/README.md" "$2/usr/share/doc/$1/README.md"
}

# census-agent
d=$stage/agent
install -d -m 0755 "$d/DEBIAN" "$d/usr/bin"
binary "$agent" "$d/usr/bin/census-agent"
doc census-agent "$d"
scripts agent "$d"
control census-agent "$d" "adduser" \
    "Census agent: inventories this machine for the IT recovery plan" \
    " Reads this machine's hardware, software, network and security settings
 and reports them to a Census collector over HTTPS with the collector's key
 pinned. Enrol and start the service with
 census-agent install --collector URL --token TOKEN --fingerprint SHA256."
build "$d" "$out/census-agent_${version}_${arch}.deb"

# census-collector
d=$stage/collector
install -d -m 0755 "$d/DEBIAN" "$d/usr/bin" "$d/lib/systemd/system" "$d/etc/census" \
    "$d/usr/lib/census-collector/downloads"
binary "$collector" "$d/usr/bin/census-collector"
install -m 0755 "$stage/agent/usr/bin/census-agent" "$d/usr/lib/census-collector/downloads/census-agent-linux-x86_64"
[ -z "$windows" ] || install -m 0644 "$windows" "$d/usr/lib/census-collector/downloads/census-agent-windows-x86_64.exe"
install -m 0644 "$top/deploy/systemd/census-collector.service" "$d/lib/systemd/system/census-collector.service"
install -m 0600 "$top/deploy/collector.toml" "$d/etc/census/collector.toml"
doc census-collector "$d"
install -d -m 0755 "$d/usr/share/doc/census-collector/examples"
install -m 0644 "$top/deploy/examples/site.toml" "$top/deploy/examples/mobiles.csv" \
    "$d/usr/share/doc/census-collector/examples/"
echo /etc/census/collector.toml >"$d/DEBIAN/conffiles"
scripts collector "$d"
control census-collector "$d" "adduser" \
    "Census collector: office IT inventory and recovery plan" \
    " Receives inventories from Census agents, scans the office network (ARP,
 ICMP, TCP, SNMP), merges everything into one asset list and writes the IT
 recovery plan's inventory. Runs as the service census-collector with
 CAP_NET_RAW only; agents install with the one line it prints at start."
build "$d" "$out/census-collector_${version}_${arch}.deb"

echo "$out/census-agent_${version}_${arch}.deb"
echo "$out/census-collector_${version}_${arch}.deb"
