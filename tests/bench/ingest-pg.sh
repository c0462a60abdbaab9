#!/usr/bin/env bash
# bench/ingest-pg.sh — ingest throughput, side by side: one collector on
# SQLite (its default), one collector on PostgreSQL, and two collector
# processes on one PostgreSQL database, under the same load as ingest.sh
# (census-loadgen: many agents posting realistic gzip reports over TLS; with
# two collectors the requests alternate between them). PostgreSQL is a
# throw-away server from the postgresql package (initdb as the postgres
# user when root) in a temporary directory, listening on 127.0.0.1 only,
# with its durable defaults (fsync, synchronous_commit on), as SQLite runs
# with synchronous=FULL. After each run the stored reports are counted.
#
#   tests/bench/ingest-pg.sh [DURATION] [CONCURRENCY] [AGENTS]   (default 15s 32 200)
set -euo pipefail
dur=${1:-15s}; conc=${2:-32}; agents=${3:-200}
here=$(cd "$(dirname "$0")/../.." && pwd)
work=$(mktemp -d)
chmod 755 "$work"
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[ -x "$pgbin/postgres" ] || { echo "PostgreSQL is not installed: apt-get install postgresql" >&2; exit 1; }
as_pg() { if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -f "$work/pg/data/postmaster.pid" ] && as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -m fast -w stop >/dev/null 2>&1 || true
  rm -rf "$work"
}
trap cleanup EXIT
(cd "$here" && cargo build --release -q --bin census-collector --bin census-loadgen)
target=${CARGO_TARGET_DIR:-$here/target}/release
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The PostgreSQL server.
mkdir "$work/pg"
[ "$(id -u)" = 0 ] && chown postgres: "$work/pg"
as_pg "$pgbin/initdb" -D "$work/pg/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
pgport=$(free_port)
as_pg "$pgbin/pg_ctl" -D "$work/pg/data" -l "$work/pg/log" -w \
  -o "-p $pgport -c listen_addresses=127.0.0.1 -c unix_socket_directories=$work/pg" start >/dev/null
psql() { as_pg "$pgbin/psql" -X -At -h "$work/pg" -p "$pgport" -U postgres "$@"; }

# start NAME [DATABASE_URL]: a collector; sets port, fp, token.
start() {
  local dir="$work/$1" db=${2:-}
  mkdir -p "$dir"
  port=$(free_port)
  {
    echo "listen = \"127.0.0.1:$port\""
    echo "data_dir = \"$dir/data\""
    [ -n "$db" ] && echo "database = \"$db\""
    echo 'reports_per_minute = 100000'
    echo 'enrollments_per_minute = 100000'
    echo 'self_inventory_interval = "0"'
  } >"$dir/c.toml"
  "$target/census-collector" --config "$dir/c.toml" --log warn serve >"$dir/out" &
  pids+=($!)
  for _ in $(seq 300); do grep -q "enrol an agent" "$dir/out" 2>/dev/null && break; sleep 0.1; done
  fp=$(sed -n 's/^certificate key fingerprint (SHA-256): //p' "$dir/out")
  token=$(sed -n 's/^enrolment token[^:]*: //p' "$dir/out")
}

stop_all() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
}

# run LABEL STORED_COMMAND LOADGEN_ARGS...: one line of the table.
rows=()
run() {
  local label=$1 count=$2; shift 2
  local result stored
  result=$("$target/census-loadgen" --token "$token" --agents "$agents" \
    --concurrency "$conc" --duration "$dur" "$@" 2>/dev/null)
  stored=$(eval "$count")
  rows+=("$(echo "$result" | python3 -c "
import json,sys; r=json.load(sys.stdin)
print('%-26s %10.0f %8.1f %8.1f %8d %7d %8d' % ('$label', r['reports_per_s'], r['p50_ms'], r['p99_ms'], r['reports'], r['errors'], $stored))")")
}

start sqlite
run "SQLite, 1 collector" \
  "python3 -c \"import sqlite3; print(sqlite3.connect('$work/sqlite/data/census.db').execute('select count(*) from reports').fetchone()[0])\"" \
  --url "https://127.0.0.1:$port" --fingerprint "$fp"
stop_all

psql -c "CREATE DATABASE one" >/dev/null
start pg-one "postgres://postgres@127.0.0.1:$pgport/one"
run "PostgreSQL, 1 collector" "psql -d one -c 'select count(*) from reports'" \
  --url "https://127.0.0.1:$port" --fingerprint "$fp"
stop_all

psql -c "CREATE DATABASE two" >/dev/null
start pg-a "postgres://postgres@127.0.0.1:$pgport/two"
url_a="https://127.0.0.1:$port"; fp_a=$fp; token_a=$token
start pg-b "postgres://postgres@127.0.0.1:$pgport/two"
url_b="https://127.0.0.1:$port"; fp_b=$fp; token=$token_a
run "PostgreSQL, 2 collectors" "psql -d two -c 'select count(*) from reports'" \
  --url "$url_a" --fingerprint "$fp_a" --url2 "$url_b" --fingerprint2 "$fp_b"
stop_all

echo "ingest over TLS, $conc concurrent clients, $agents agents, $dur each, $(nproc) cores:"
printf '%-26s %10s %8s %8s %8s %7s %8s\n' "" "reports/s" "p50 ms" "p99 ms" "acked" "failed" "stored"
printf '%s\n' "${rows[@]}"
