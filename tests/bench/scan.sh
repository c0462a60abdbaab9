#!/usr/bin/env bash
# bench/scan.sh — census-collector scan against nmap and arp-scan on the
# same LAN of network namespaces: 20 devices on 198.51.100.0/24 (services on
# assorted ports, some ignoring ping, two dropping everything), scanned from
# the lab's own scanner namespace. Nothing leaves the namespaces.
# Cases: /24 discovery, /24 port sweep, and the same 20 hosts inside a
# sparse on-link /16. Prints min/median/max wall time, max RSS and recall.
# Needs root, iproute2, nftables, nmap, arp-scan (installed when missing).
#
#   tests/bench/scan.sh [RUNS]     (default 3)
#   CASES="routed deaddns" tests/bench/scan.sh   only some cases
#   (cases: disc netdisc ports deaddns routed sparse16; default all)
set -euo pipefail
runs=${1:-3}
here=$(cd "$(dirname "$0")/../.." && pwd)
[ "$(id -u)" = 0 ] || { echo "bench/scan.sh builds network namespaces: run as root" >&2; exit 1; }
for p in nmap arp-scan nft; do
  command -v "$p" >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nmap arp-scan nftables >/dev/null
done
(cd "$here" && cargo build --release -q --bin census-collector --bin census-lab-listener)
target=${CARGO_TARGET_DIR:-$here/target}/release
net=198.51.100
p=cb$$
work=$(mktemp -d)
cleanup() {
  for ns in $(ip netns list | awk '{print $1}' | grep "^$p-" || true); do ip netns pids "$ns" | xargs -r kill 2>/dev/null || true; ip netns del "$ns"; done
  rm -rf "$work" "/etc/netns/$p-sc"
}
trap cleanup EXIT

ip netns add "$p-br"; ip -n "$p-br" link set lo up
ip -n "$p-br" link add br0 type bridge; ip -n "$p-br" link set br0 up
attach() { # NS SHORT ADDR/PREFIX [MAC]
  ip link add "${p}${2}i" type veth peer name "${p}${2}b"
  ip link set "${p}${2}b" netns "$p-br"; ip -n "$p-br" link set "${p}${2}b" master br0 up
  ip link set "${p}${2}i" netns "$1"; ip -n "$1" link set "${p}${2}i" name eth0
  [ -n "${4:-}" ] && ip -n "$1" link set eth0 address "$4"
  ip -n "$1" addr add "$3" dev eth0; ip -n "$1" link set eth0 up; ip -n "$1" link set lo up
}
ip netns add "$p-sc"
attach "$p-sc" sc "$net.1/24"
ports_of=( "80 515 631 9100" "22 139 445 5000 5001" "135 139 445 3389" "22 80 5432" "80 5060" "80 554" "23 53 80"
  "" "" "" "" "" "8080" "3306" "21" "25" "110" "143" "993" "8443" )
lab_ips=()
for i in $(seq 0 19); do
  o=$((10 + i)); ns="$p-h$o"
  ip netns add "$ns"
  attach "$ns" "h$o" "$net.$o/24" "$(printf '02:00:00:00:03:%02x' "$o")"
  lab_ips+=("$net.$o")
  if [ "$o" -ge 20 ] && [ "$o" -le 21 ]; then
    ip netns exec "$ns" nft add table inet lab
    ip netns exec "$ns" nft 'add chain inet lab input { type filter hook input priority 0 ; policy drop ; }'
  elif [ "$o" -ge 27 ]; then
    ip netns exec "$ns" nft add table inet lab
    ip netns exec "$ns" nft 'add chain inet lab input { type filter hook input priority 0 ; policy accept ; }'
    ip netns exec "$ns" nft add rule inet lab input ip protocol icmp drop
  fi
  if [ -n "${ports_of[$i]}" ]; then
    # shellcheck disable=SC2086
    ip netns exec "$ns" "$target/census-lab-listener" ${ports_of[$i]} --title "Device $o" >/dev/null 2>&1 &
  fi
done
sleep 0.5
list=21,22,23,25,53,80,110,135,139,143,389,443,445,515,548,554,631,993,1433,3306,3389,5000,5001,5060,5432,5900,8000,8080,8443,9100

# run NAME CMD... : times RUNS runs in the scanner namespace; output of the last run kept.
run() {
  local name=$1; shift
  : >"$work/$name.t"
  for _ in $(seq "$runs"); do
    ip netns exec "$p-sc" /usr/bin/time -f "%e %M" -o "$work/$name.one" "$@" >"$work/$name.out" 2>/dev/null || true
    tail -n1 "$work/$name.one" >>"$work/$name.t"
    ip -n "$p-sc" neigh flush all 2>/dev/null || true
  done
}
recall() { # FILE: how many lab addresses appear in it
  local n=0; for ip in "${lab_ips[@]}"; do grep -qE "(^|[^0-9])${ip//./\\.}([^0-9]|$)" "$1" && n=$((n + 1)); done; echo "$n/${#lab_ips[@]}"
}
report() { # NAME LABEL
  python3 - "$work/$1.t" "$2" "$3" <<'PY'
import statistics, sys
v = [l.split() for l in open(sys.argv[1]) if l.strip()]
w = sorted(float(x[0]) for x in v); rss = max(int(x[1]) for x in v) / 1024
print(f"  {sys.argv[2]:<34}{w[0]:>8.2f}{statistics.median(w):>8.2f}{w[-1]:>8.2f}{rss:>9.1f}   {sys.argv[3]}")
PY
}
hdr() { echo "$1"; printf '  %-34s%8s%8s%8s%9s   %s\n' tool min median max "RSS MB" recall; }

want() { [ -z "${CASES:-}" ] || [[ " $CASES " == *" $1 "* ]]; }

if want disc; then
run census_disc "$target/census-collector" --data-dir "$work/d" scan "$net.0/24" --no-ports --no-dns --json
run nmap_disc nmap -n -sn "$net.0/24"
run arpscan arp-scan -I eth0 "$net.0/24"
hdr "/24 discovery ($runs runs each)"
report census_disc "census scan --no-ports" "$(recall "$work/census_disc.out")"
report nmap_disc "nmap -n -sn" "$(recall "$work/nmap_disc.out")"
report arpscan "arp-scan" "$(recall "$work/arpscan.out")"
fi

if want netdisc; then
# FusionInventory's NetDiscovery task, for the record (ICMP/NetBIOS/SNMP per
# address in Perl threads); one run, it takes tens of seconds.
command -v fusioninventory-netdiscovery >/dev/null || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq fusioninventory-agent-task-network >/dev/null
all_runs=$runs; runs=1
run fi_netdisc timeout 600 fusioninventory-netdiscovery --first "$net.1" --last "$net.254" --threads 20
runs=$all_runs
hdr "/24 discovery, FusionInventory NetDiscovery (1 run, 20 threads)"
report fi_netdisc "fusioninventory-netdiscovery" "$(recall "$work/fi_netdisc.out")"
fi

if want ports; then

run census_ports "$target/census-collector" --data-dir "$work/d" scan "$net.0/24" --no-dns --json
run nmap_ports nmap -n -T4 -p "$list" "$net.0/24"
census_open=$(python3 -c 'import json,sys; print(sum(len(o["open_tcp"]) for o in json.load(open(sys.argv[1]))))' "$work/census_ports.out")
nmap_open=$(grep -c '/tcp *open ' "$work/nmap_ports.out" || true)
hdr "/24 port sweep, ${list//,/ } ($runs runs each)"
report census_ports "census scan" "$(recall "$work/census_ports.out"), $census_open open ports"
report nmap_ports "nmap -n -T4 -p LIST" "$(recall "$work/nmap_ports.out"), $nmap_open open ports"
fi

if want deaddns; then

# A /24 whose DNS server is dead: the scanner's resolver points at an
# address in the lab where nothing listens.
mkdir -p "/etc/netns/$p-sc"
printf 'nameserver %s.3\n' "$net" >"/etc/netns/$p-sc/resolv.conf"
run census_deaddns "$target/census-collector" --data-dir "$work/d" scan "$net.0/24" --no-ports --json
run nmap_deaddns nmap -sn "$net.0/24"
hdr "/24 discovery with a dead DNS server, names on ($runs runs each)"
report census_deaddns "census scan --no-ports" "$(recall "$work/census_deaddns.out")"
report nmap_deaddns "nmap -sn (with reverse DNS)" "$(recall "$work/nmap_deaddns.out")"
rm -rf "/etc/netns/$p-sc"
fi

# A routed /22 behind a gateway that silently drops what it cannot deliver.
far=10.99
ip netns add "$p-rt"; attach "$p-rt" rt "$net.254/24"
ip netns add "$p-far"; ip -n "$p-far" link set lo up
ip -n "$p-far" link add br1 type bridge; ip -n "$p-far" link set br1 up
ip link add "${p}rfi" type veth peer name "${p}rfb"
ip link set "${p}rfb" netns "$p-far"; ip -n "$p-far" link set "${p}rfb" master br1 up
ip link set "${p}rfi" netns "$p-rt"; ip -n "$p-rt" addr add "$far.0.1/22" dev "${p}rfi"; ip -n "$p-rt" link set "${p}rfi" up
ip netns exec "$p-rt" sysctl -qw net.ipv4.ip_forward=1
ip netns exec "$p-rt" nft add table inet r
ip netns exec "$p-rt" nft 'add chain inet r out { type filter hook output priority 0 ; policy accept ; }'
ip netns exec "$p-rt" nft add rule inet r out icmp type destination-unreachable drop
ip -n "$p-sc" route add "$far.0.0/22" via "$net.254"
far_ips=()
for f in 1.10 1.77 2.20 2.200 3.30 3.254; do
  ns="$p-f${f//./-}"
  ip netns add "$ns"; ip -n "$ns" link set lo up
  ip link add "${p}f${f//./}i" type veth peer name "${p}f${f//./}b"
  ip link set "${p}f${f//./}b" netns "$p-far"; ip -n "$p-far" link set "${p}f${f//./}b" master br1 up
  ip link set "${p}f${f//./}i" netns "$ns"; ip -n "$ns" addr add "$far.$f/22" dev "${p}f${f//./}i"
  ip -n "$ns" link set "${p}f${f//./}i" up; ip -n "$ns" route add default via "$far.0.1"
  far_ips+=("$far.$f")
  ip netns exec "$ns" "$target/census-lab-listener" 22 80 >/dev/null 2>&1 &
done
# One far host ignores ping.
ip netns exec "$p-f3-254" nft add table inet lab
ip netns exec "$p-f3-254" nft 'add chain inet lab input { type filter hook input priority 0 ; policy accept ; }'
ip netns exec "$p-f3-254" nft add rule inet lab input ip protocol icmp drop
sleep 0.5
far_recall() { local n=0; for ip in "${far_ips[@]}"; do grep -qE "(^|[^0-9])${ip//./\\.}([^0-9]|$)" "$1" && n=$((n + 1)); done; echo "$n/${#far_ips[@]}"; }
if want routed; then
run census_routed "$target/census-collector" --data-dir "$work/d" scan "$far.0.0/22" --no-ports --no-dns --json
all_runs=$runs; runs=1 # nmap needs minutes here
run nmap_routed timeout 300 nmap -n -sn "$far.0.0/22"
runs=$all_runs
hdr "routed /22 behind a silent gateway, 6 live hosts (census $runs runs, nmap 1 run capped at 300 s)"
report census_routed "census scan --no-ports" "$(far_recall "$work/census_routed.out")"
report nmap_routed "nmap -n -sn" "$(far_recall "$work/nmap_routed.out")"
fi

want sparse16 || exit 0

ip -n "$p-sc" addr flush dev eth0; ip -n "$p-sc" addr add "$net.1/16" dev eth0
runs=1 # nmap needs minutes here
run census_16 "$target/census-collector" --data-dir "$work/d" scan 198.51.0.0/16 --no-ports --no-dns --json
run nmap_16 timeout 300 nmap -n -sn 198.51.0.0/16
hdr "sparse on-link /16 discovery (1 run each; nmap capped at 300 s)"
report census_16 "census scan --no-ports" "$(recall "$work/census_16.out")"
report nmap_16 "nmap -n -sn" "$(recall "$work/nmap_16.out")"
