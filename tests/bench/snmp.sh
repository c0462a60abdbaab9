#!/usr/bin/env bash
# bench/snmp.sh — SNMP identification speed, against net-snmp's own tools on
# the same agents. Everything runs on 127.0.0.1: snmpsim serves the 16 real
# device recordings in tests/fixtures/snmp/dev plus a generated 48-port
# switch (IF-MIB, BRIDGE-MIB, Q-BRIDGE-MIB FDB with 1,000 learned MACs, VLANs).
#
# Cases, several runs each, min/median/max wall time:
#   ident50  identify 50 devices at once (the 16 recordings, round-robin):
#            census's identification (full: details included) in one process
#            as a scan runs it (census-snmpident), and as 50 separate
#            `census-collector snmp identify` processes, vs snmpbulkwalk of each whole agent (what a
#            poller that reads everything does) and vs snmpget of sysDescr,
#            sysObjectID and sysName (the least any tool asks). Also prints how
#            many of the 50 match the ground truth (expected.json) and max RSS.
#   fdb48    the 48-port switch: census-collector snmp identify (ports, FDB,
#            VLANs) vs snmpbulkwalk of dot1qTpFdbPort alone.
# Targets (issue 5): ident50 < 3 s, fdb48 < 2 s.
#
#   tests/bench/snmp.sh [RUNS]     (default 5)
set -euo pipefail
runs=${1:-5}
here=$(cd "$(dirname "$0")/../.." && pwd)
for p in snmpsimd snmpbulkwalk; do
  command -v "$p" >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq snmpsim snmp >/dev/null; }
done
command -v /usr/bin/time >/dev/null || { [ "$(id -u)" = 0 ] && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq time >/dev/null; }
(cd "$here" && cargo build --release -q --bin census-collector --bin census-snmpident)
bin=${CARGO_TARGET_DIR:-$here/target}/release/census-collector
ident=${CARGO_TARGET_DIR:-$here/target}/release/census-snmpident
work=$(mktemp -d)
chmod 777 "$work"
cleanup() { [ -f "$work/pid" ] && kill "$(cat "$work/pid")" 2>/dev/null; rm -rf "$work"; }
trap cleanup EXIT

mkdir -p "$work/data" "$work/cache"
cp "$here"/tests/fixtures/snmp/dev/*.snmprec "$work/data/"
python3 - "$work/data/switch48.snmprec" <<'EOF'
import sys
rows = []
def add(oid, t, v): rows.append((tuple(int(a) for a in oid.split('.')), t, v))
add('1.3.6.1.2.1.1.1.0', '4', 'Bench 48-port Gigabit Managed Switch, firmware 1.0.0')
add('1.3.6.1.2.1.1.2.0', '6', '1.3.6.1.4.1.4526.100.4.99')
add('1.3.6.1.2.1.1.5.0', '4', 'bench-switch')
add('1.3.6.1.2.1.4.1.0', '2', '2')
add('1.3.6.1.2.1.17.1.2.0', '2', '48')
for i in range(1, 49):
    add(f'1.3.6.1.2.1.2.2.1.1.{i}', '2', str(i))
    add(f'1.3.6.1.2.1.2.2.1.2.{i}', '4', f'GigabitEthernet0/{i}')
    add(f'1.3.6.1.2.1.2.2.1.3.{i}', '2', '6')
    add(f'1.3.6.1.2.1.2.2.1.5.{i}', '66', '1000000000')
    add(f'1.3.6.1.2.1.2.2.1.6.{i}', '4x', f'02aa00{i:06x}')
    add(f'1.3.6.1.2.1.2.2.1.8.{i}', '2', '1' if i % 3 else '2')
    add(f'1.3.6.1.2.1.31.1.1.1.1.{i}', '4', f'g{i}')
    add(f'1.3.6.1.2.1.31.1.1.1.15.{i}', '66', '1000')
    add(f'1.3.6.1.2.1.17.1.4.1.2.{i}', '2', str(i))
for n in range(1000):
    mac = [0x00, 0x1b, 0x21, (n >> 16) & 255, (n >> 8) & 255, n & 255]
    idx = '.'.join(str(b) for b in mac)
    vlan = 1 if n % 4 else 10
    add(f'1.3.6.1.2.1.17.7.1.2.2.1.2.{vlan}.{idx}', '2', str(n % 48 + 1))
    add(f'1.3.6.1.2.1.17.7.1.2.2.1.3.{vlan}.{idx}', '2', '3')
for v, name in [(1, 'default'), (10, 'voice'), (20, 'guests')]:
    add(f'1.3.6.1.2.1.17.7.1.4.3.1.1.{v}', '4', name)
rows.sort()
with open(sys.argv[1], 'w') as f:
    for oid, t, v in rows:
        f.write('.'.join(map(str, oid)) + f'|{t}|{v}\n')
EOF
chmod -R a+rwX "$work"
port=$(python3 -c 'import socket; s=socket.socket(socket.AF_INET, socket.SOCK_DGRAM); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
user=(); [ "$(id -u)" = 0 ] && user=(--process-user=nobody --process-group=nogroup)
snmpsimd "${user[@]}" --data-dir="$work/data" --agent-udpv4-endpoint="127.0.0.1:$port" \
  --cache-dir="$work/cache" --logging-method=null >"$work/snmpsimd.log" 2>&1 &
echo $! >"$work/pid"
for _ in $(seq 1 120); do
  snmpget -v2c -c linux -t 0.5 -r 0 "127.0.0.1:$port" 1.3.6.1.2.1.1.1.0 >/dev/null 2>&1 && break
  sleep 0.5
done

communities=()
for f in "$here"/tests/fixtures/snmp/dev/*.snmprec; do communities+=("$(basename "$f" .snmprec)"); done
fifty=()
for i in $(seq 0 49); do fifty+=("${communities[$((i % ${#communities[@]}))]}"); done

now() { date +%s.%N; }
since() { awk -v a="$1" -v b="$(now)" 'BEGIN { printf "%.3f", b - a }'; }
stats() { # times...
  printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {printf "min %.3f  median %.3f  max %.3f s", a[1], a[int((NR+1)/2)], a[NR]}'
}
census_one() { "$bin" --data-dir "$work/nodb" snmp identify "127.0.0.1:$port" --community "$1" --json --timeout 2000; }
run_ident() { # TOOL -> prints seconds
  if [ "$1" = census ]; then "$ident" "$port" "$work" "${fifty[@]}" | awk '{print $1}'; return; fi
  local t0; t0=$(now)
  local pids=() i=0
  for c in "${fifty[@]}"; do
    case $1 in
      cli) census_one "$c" >"$work/out.$i.json" 2>/dev/null & ;;
      bulkwalk) snmpbulkwalk -v2c -c "$c" -Cr25 -t 2 -On "127.0.0.1:$port" .1 >/dev/null 2>&1 & ;;
      get) snmpget -v2c -c "$c" -t 2 "127.0.0.1:$port" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.2.0 1.3.6.1.2.1.1.5.0 >/dev/null 2>&1 & ;;
    esac
    pids+=($!); i=$((i + 1))
  done
  wait "${pids[@]}"
  since "$t0"
}
correct() {
  python3 - "$work" "$here/tests/fixtures/snmp/dev/expected.json" "${fifty[@]}" <<'EOF'
import json, sys
work, truth, names = sys.argv[1], sys.argv[2], sys.argv[3:]
exp = {e['community']: e for e in json.load(open(truth))}
ok = 0
for i, c in enumerate(names):
    try: d = json.load(open(f'{work}/out.{i}.json'))
    except Exception: continue
    e = exp[c]
    good = d['device_type'] == e['device_type']
    al = [a.lower() for a in (e['vendor_aliases'] or [])]
    good &= (d['vendor'] is None and e['vendor'] is None) or (d['vendor'] or '').lower() in al
    if e['model_match']: good &= any(m.lower() in (d['model'] or '').lower() for m in e['model_match'])
    if e['serial']: good &= d['serial'] == e['serial']
    ok += good
print(ok)
EOF
}

echo "== ident50: identify 50 devices at once (snmpsim on 127.0.0.1, $runs runs)"
for tool in census cli bulkwalk get; do
  times=()
  for _ in $(seq 1 "$runs"); do rm -f "$work"/out.*.json; times+=("$(run_ident $tool)"); done
  extra=""
  case $tool in census|cli) extra="  correct $(correct)/50" ;; esac
  case $tool in
    census) label="census, one process, 50 at once (full)" ;;
    cli) label="census-collector snmp identify ×50 procs" ;;
    bulkwalk) label="snmpbulkwalk of every agent" ;;
    get) label="snmpget sysDescr/ObjectID/Name" ;;
  esac
  printf '%-40s %s%s\n' "$label" "$(stats "${times[@]}")" "$extra"
done
rss=$(/usr/bin/time -f %M "$bin" --data-dir "$work/nodb" snmp identify "127.0.0.1:$port" --community procurve_e2910 --json 2>&1 >/dev/null | tail -1)
echo "max RSS of one census identify (procurve, 3,506 OIDs): ${rss} KB"

echo "== fdb48: a 48-port switch with 1,000 learned MACs ($runs runs)"
times=(); peer=()
for _ in $(seq 1 "$runs"); do
  t0=$(now); census_one switch48 >"$work/sw.json"; times+=("$(since "$t0")")
  t0=$(now); snmpbulkwalk -v2c -c switch48 -Cr25 -On "127.0.0.1:$port" 1.3.6.1.2.1.17.7.1.2.2.1.2 >"$work/fdb.txt"; peer+=("$(since "$t0")")
done
fdb=$(python3 -c "import json; d=json.load(open('$work/sw.json')); s=d.get('switch') or {}; print(len(s.get('fdb',[])), 'FDB entries,', len(s.get('ports',[])), 'ports,', len(s.get('vlans',[])), 'VLANs')")
printf '%-40s %s  (%s)\n' "census-collector snmp identify (full)" "$(stats "${times[@]}")" "$fdb"
printf '%-40s %s  (%s rows)\n' "snmpbulkwalk dot1qTpFdbPort only" "$(stats "${peer[@]}")" "$(wc -l <"$work/fdb.txt")"
