#!/bin/sh
# Census agent installer, written by the collector for this collector.
#
#   curl -fsSk --pinnedpubkey "$PIN" "$COLLECTOR/install.sh" | sudo sh -s -- --token TOKEN
#
# Downloads the agent from the same collector with the same key pin,
# refuses it unless its SHA-256 is the one below, and runs
# `census-agent install` with this collector's URL and key fingerprint.
# Other arguments go to `census-agent install` (--interval 6h, --root DIR,
# --dry-run). The token may also come from the CENSUS_TOKEN variable.
set -eu

COLLECTOR=@URL@
FINGERPRINT=@FINGERPRINT@
PIN=@PIN@
SHA256=@SHA256@
MISSING=@MISSING@

die() {
    echo "census install: $*" >&2
    exit 1
}

TOKEN=${CENSUS_TOKEN:-}
n=$#
while [ "$n" -gt 0 ]; do
    case $1 in
        --token)
            [ "$n" -ge 2 ] || die "--token needs a value"
            TOKEN=$2
            shift 2
            n=$((n - 2))
            continue
            ;;
        --token=*) TOKEN=${1#--token=} ;;
        *) set -- "$@" "$1" ;;
    esac
    shift
    n=$((n - 1))
done

[ -n "$TOKEN" ] || die "no enrolment token: run it as ... | sudo sh -s -- --token TOKEN (census-collector token create prints one)"
[ -z "$MISSING" ] || die "$MISSING"
[ "$(uname -s)" = Linux ] || die "this script installs the Linux agent; this is $(uname -s)"
case $(uname -m) in
    x86_64 | amd64) ;;
    *) die "there is no agent for $(uname -m) yet, only for x86_64" ;;
esac
command -v curl >/dev/null 2>&1 || die "curl is missing: install it (apt install curl) and run this again"
if command -v sha256sum >/dev/null 2>&1; then
    sum() { sha256sum "$1" | cut -d ' ' -f 1; }
elif command -v shasum >/dev/null 2>&1; then
    sum() { shasum -a 256 "$1" | cut -d ' ' -f 1; }
else
    die "sha256sum is missing (package coreutils): the download cannot be checked"
fi

dir=$(mktemp -d "${TMPDIR:-/tmp}/census-install.XXXXXX") || die "cannot create a temporary directory"
trap 'rm -rf "$dir"' EXIT
trap 'exit 1' INT TERM
echo "census install: downloading the agent from $COLLECTOR" >&2
curl -fsS --insecure --pinnedpubkey "$PIN" -o "$dir/census-agent" "$COLLECTOR/downloads/@BINARY@" ||
    die "downloading $COLLECTOR/downloads/@BINARY@ failed (the collector must present the key $PIN)"
got=$(sum "$dir/census-agent")
[ "$got" = "$SHA256" ] || die "the downloaded agent's SHA-256 is $got, not $SHA256: not installing it"
chmod 0755 "$dir/census-agent"
status=0
CENSUS_TOKEN=$TOKEN "$dir/census-agent" install --collector "$COLLECTOR" --fingerprint "$FINGERPRINT" "$@" || status=$?
if [ "$status" -eq 126 ]; then
    die "cannot run $dir/census-agent (is ${TMPDIR:-/tmp} mounted noexec? set TMPDIR to another directory)"
fi
exit "$status"
