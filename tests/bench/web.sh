#!/usr/bin/env bash
# bench/web.sh — how fast the web interface and the admin API answer on a
# collector holding many assets: AGENTS agents (census-loadgen's realistic
# reports) merged into assets, then each page fetched REPEAT times over TLS
# on 127.0.0.1 with curl. Prints the median and worst time per page and the
# collector's max RSS. No peer is measured: the web tools Census means to
# beat (GLPI, Lansweeper, Open-AudIT) are not installable from Debian's
# packages here.
#
#   tests/bench/web.sh [AGENTS] [REPEAT]   (default 1000 10)
#   CENSUS_BENCH_PROFILE=debug tests/bench/web.sh   (no release build; slower numbers)
set -euo pipefail
agents=${1:-1000}; repeat=${2:-10}
profile=${CENSUS_BENCH_PROFILE:-release}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
flag=--release; [ "$profile" = debug ] && flag=""
(cd "$here" && cargo build $flag -q --bin census-collector --bin census-loadgen)
bin=${CARGO_TARGET_DIR:-$here/target}/$profile
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/c.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
reports_per_minute = 1000000
enrollments_per_minute = 1000000
self_inventory_interval = "0"
assets_interval = "1h"
TOML
"$bin/census-collector" --config "$work/c.toml" --log warn serve >"$work/out" &
pid=$!
for _ in $(seq 300); do grep -q "enrol an agent" "$work/out" 2>/dev/null && break; sleep 0.1; done
fp=$(sed -n 's/^certificate key fingerprint (SHA-256): //p' "$work/out")
token=$(sed -n 's/^enrolment token[^:]*: //p' "$work/out")
"$bin/census-loadgen" --url "https://127.0.0.1:$port" --fingerprint "$fp" --token "$token" \
  --agents "$agents" --concurrency 16 --duration 5s >/dev/null
"$bin/census-collector" --config "$work/c.toml" --log warn assets recompute >"$work/recompute.json"
echo 'bench password 1234' | "$bin/census-collector" --config "$work/c.toml" admin set-password --password-stdin 2>/dev/null
api=$("$bin/census-collector" --config "$work/c.toml" admin api-token create --name bench 2>/dev/null)
url="https://127.0.0.1:$port"
jar="$work/jar"
csrf=$(curl -sk -c "$jar" "$url/login" | sed -n 's/.*name="csrf" value="\([^"]*\)".*/\1/p' | head -1)
curl -sk -b "$jar" -c "$jar" -o /dev/null -d "user=admin&password=bench+password+1234&csrf=$csrf&next=/" "$url/login"
assets=$(python3 -c "import json; print(json.load(open('$work/recompute.json'))['assets'])")
echo "web interface and API, $assets assets from $agents agents, $repeat fetches each ($profile build):"
printf '  %-34s %10s %10s %10s\n' page median worst bytes
for page in / /assets "/assets?q=server" "/assets?category=office_pc&sort=name" /agents /scans /site \
            "/plan/preview?lang=en" "/plan/download?format=xlsx" "/plan/download?format=docx"; do
  times=(); size=0
  for _ in $(seq "$repeat"); do
    out=$(curl -sk -b "$jar" -o /dev/null -w '%{time_total} %{size_download} %{http_code}' "$url$page")
    read -r t s code <<<"$out"
    [ "$code" = 200 ] || { echo "  $page answered $code" >&2; exit 1; }
    times+=("$t"); size=$s
  done
  python3 - "$page" "$size" "${times[@]}" <<'PY'
import statistics, sys
page, size, ts = sys.argv[1], int(sys.argv[2]), [float(t) * 1000 for t in sys.argv[3:]]
print('  %-34s %8.1f ms %8.1f ms %10d' % (page, statistics.median(ts), max(ts), size))
PY
done
for path in "/api/v1/assets" "/api/v1/plan?format=json"; do
  times=()
  for _ in $(seq "$repeat"); do
    times+=("$(curl -sk -H "authorization: Bearer $api" -o /dev/null -w '%{time_total}' "$url$path")")
  done
  python3 - "$path" "${times[@]}" <<'PY'
import statistics, sys
ts = [float(t) * 1000 for t in sys.argv[2:]]
print('  %-34s %8.1f ms %8.1f ms' % ('API ' + sys.argv[1], statistics.median(ts), max(ts)))
PY
done
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
echo "  collector max RSS: $((rss / 1024)) MB"
