#!/usr/bin/env bash
# bench/agent.sh — census-agent's local inventory against FusionInventory's
# and OCS Inventory's on this machine, several runs each, side by side:
# wall time (min/median/max), max RSS, and how much each report holds.
# Peers come from Debian (fusioninventory-agent, ocsinventory-agent, lshw);
# as root the script installs whatever is missing. No network traffic: all
# three run in local mode.
#
#   tests/bench/agent.sh [RUNS]        (default 5)
set -euo pipefail
runs=${1:-5}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

need=()
command -v fusioninventory-agent >/dev/null || need+=(fusioninventory-agent)
command -v ocsinventory-agent >/dev/null || need+=(ocsinventory-agent)
command -v lshw >/dev/null || need+=(lshw)
[ -x /usr/bin/time ] || need+=(time)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ]; then
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" >/dev/null
  else
    echo "missing peers: ${need[*]} (run as root, or: sudo apt-get install ${need[*]})" >&2
    exit 1
  fi
fi

echo "building census-agent (release)..." >&2
(cd "$here" && cargo build --release -q -p census-agent)
target=${CARGO_TARGET_DIR:-$here/target}
agent="$target/release/census-agent"

# measure NAME CMD...: runs CMD $runs times, records "wall_s rss_kb" per run.
measure() {
  local name=$1; shift
  : >"$work/$name.times"
  for _ in $(seq "$runs"); do
    /usr/bin/time -f "%e %M" -o "$work/$name.one" "$@" >/dev/null 2>&1 || true
    tail -n1 "$work/$name.one" >>"$work/$name.times"
  done
}

mkdir -p "$work/fus" "$work/ocs"
measure census "$agent" collect --root /
measure fusioninventory fusioninventory-agent --local "$work/fus" --no-category=printer
measure ocsinventory ocsinventory-agent --local="$work/ocs"
measure lshw lshw -json

# Report contents (the peers' last runs left their files).
"$agent" collect >"$work/census.json"
census_sw=$(python3 -c 'import json,sys; print(len(json.load(open(sys.argv[1]))["software"]))' "$work/census.json")
fus_sw=$(cat "$work"/fus/*.ocs 2>/dev/null | grep -c '<SOFTWARES>' || true)
ocs_sw=$(cat "$work"/ocs/*.ocs 2>/dev/null | grep -c '<SOFTWARES>' || true)

python3 - "$work" "$runs" <<PY
import statistics, sys, os
work, runs = sys.argv[1], int(sys.argv[2])
rows = []
for name in ["census", "fusioninventory", "ocsinventory", "lshw"]:
    vals = [l.split() for l in open(os.path.join(work, name + ".times")) if l.strip()]
    wall = sorted(float(v[0]) for v in vals)
    rss = max(int(v[1]) for v in vals) / 1024
    rows.append((name, wall, rss))
print(f"agent inventory, {runs} runs each (wall seconds min/median/max, max RSS MB)")
print(f"{'tool':<18}{'min':>8}{'median':>8}{'max':>8}{'RSS MB':>9}")
for name, wall, rss in rows:
    print(f"{name:<18}{wall[0]:>8.3f}{statistics.median(wall):>8.3f}{wall[-1]:>8.3f}{rss:>9.1f}")
c = statistics.median(rows[0][1]); f = statistics.median(rows[1][1])
print(f"census / fusioninventory wall time: {c / f:.3f}x (target <= 0.1x)")
print(f"census max RSS: {rows[0][2]:.1f} MB (target < 20 MB)")
PY
echo "software entries: census $census_sw, fusioninventory $fus_sw, ocsinventory $ocs_sw"
size=$(stat -c %s "$agent")
echo "census-agent release binary (stripped): $((size / 1024)) KiB (target < 10 MiB)"
# Without the site scanner (issue 11's discovery engine): what the feature
# costs. Its own target directory, so the default build above stays.
(cd "$here" && cargo build --release -q -p census-agent --no-default-features \
  --target-dir "$target/no-site-scanner")
small=$(stat -c %s "$target/no-site-scanner/release/census-agent")
echo "census-agent without the site scanner (--no-default-features): $((small / 1024)) KiB; the scanner adds $(((size - small) / 1024)) KiB"
# The Windows agent's release binary, when built (a fat-LTO cross build
# takes over 3 minutes on 2 cores, so the benchmark does not build it):
#   cargo build --release -p census-agent --target x86_64-pc-windows-gnu
win="$target/x86_64-pc-windows-gnu/release/census-agent.exe"
if [ -f "$win" ]; then
  echo "census-agent release binary for x86_64-pc-windows-gnu: $(($(stat -c %s "$win") / 1024)) KiB"
else
  echo "census-agent release binary for x86_64-pc-windows-gnu: not built"
fi
