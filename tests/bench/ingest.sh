#!/usr/bin/env bash
# bench/ingest.sh — ingest throughput of a collector on 127.0.0.1: many
# agents posting realistic reports (≈700 packages, 5 interfaces, gzip) over
# TLS at once. Prints reports/s, p50/p99 latency and the collector's max RSS.
# Target on a 2-core machine: >= 500 reports/s sustained, p99 < 200 ms.
#
#   tests/bench/ingest.sh [DURATION] [CONCURRENCY] [AGENTS]   (default 15s 32 200)
set -euo pipefail
dur=${1:-15s}; conc=${2:-32}; agents=${3:-200}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
trap 'kill $pid 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$here" && cargo build --release -q --bin census-collector --bin census-loadgen)
target=${CARGO_TARGET_DIR:-$here/target}/release
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
cat >"$work/c.toml" <<TOML
listen = "127.0.0.1:$port"
data_dir = "$work/data"
reports_per_minute = 100000
enrollments_per_minute = 100000
self_inventory_interval = "0"
TOML
"$target/census-collector" --config "$work/c.toml" --log warn serve >"$work/out" &
pid=$!
for _ in $(seq 100); do grep -q "enrol an agent" "$work/out" 2>/dev/null && break; sleep 0.1; done
fp=$(sed -n 's/^certificate key fingerprint (SHA-256): //p' "$work/out")
token=$(sed -n 's/^enrolment token[^:]*: //p' "$work/out")
result=$("$target/census-loadgen" --url "https://127.0.0.1:$port" --fingerprint "$fp" --token "$token" \
  --agents "$agents" --concurrency "$conc" --duration "$dur")
rss=$(awk '/VmHWM/ {print $2}' /proc/$pid/status)
db=$(du -sk "$work/data" | cut -f1)
echo "ingest over TLS, $conc concurrent clients, $agents agents, $dur:"
echo "$result" | python3 -c "
import json,sys; r=json.load(sys.stdin)
print('  reports: %d ok, %d failed, %.0f reports/s (target >= 500)' % (r['reports'], r['errors'], r['reports_per_s']))
print('  latency: p50 %.1f ms, p99 %.1f ms (target < 200), max %.1f ms' % (r['p50_ms'], r['p99_ms'], r['max_ms']))"
echo "  collector max RSS: $((rss / 1024)) MB; database on disk: $((db / 1024)) MB"
