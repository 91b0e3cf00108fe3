#!/usr/bin/env bash
# Live capture under load (issue 6): replays a capture file as fast as tcpreplay can into a
# veth pair between two network namespaces made here, while rustnet captures on the far end;
# then prints what was sent, what rustnet saw, every drop counter, and rustnet's CPU time.
# Nothing leaves the machine: tcpreplay sends only on the veth inside namespace A.
#
# usage: sudo bench/live_replay.sh FILE
#
# Environment:
#   RUSTNET       rustnet binary (default build/release/rustnet)
#   RUSTNET_ARGS  extra rustnet arguments, e.g. "--workers 0" (default none)
#   TIMEOUT       seconds tcpreplay may run (default 300); every other wait is bounded too
# FILE must have Ethernet framing (make-bench-pcap.sh makes sure of that). The veths get the
# largest MTU veth allows (65535); frames bigger than that cannot be sent and tcpreplay
# counts them as failed, so "sent" below is tcpreplay's successful count.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=${1:?usage: sudo bench/live_replay.sh FILE}
rustnet=${RUSTNET:-$root/build/release/rustnet}
read -r -a extra <<< "${RUSTNET_ARGS:-}"
limit=${TIMEOUT:-300}

die() { echo "live_replay: $*" >&2; exit 1; }

[[ $(id -u) -eq 0 ]] || die "needs root (network namespaces)"
[[ -f $file ]] || die "no such file: $file"
[[ -x $rustnet ]] || die "no rustnet at $rustnet (build it, or set RUSTNET)"
for t in ip tcpreplay timeout python3; do
  command -v "$t" >/dev/null || die "$t is missing (scripts/install-deps.sh)"
done
[[ -x /usr/bin/time ]] || die "/usr/bin/time is missing (apt-get install time)"
if command -v capinfos >/dev/null; then
  link=$(capinfos -T -E "$file" | tail -1 | cut -f2)
  [[ $link == ether ]] || die "$file has link type '$link'; tcpreplay into a veth needs Ethernet"
fi

sfx=$(od -An -N3 -tx1 /dev/urandom | tr -d ' \n')
nsA=rnbenchA-$sfx nsB=rnbenchB-$sfx
vethA=rbA$sfx vethB=rbB$sfx  # interface names are at most 15 characters
tmp=$(mktemp -d)
rustnet_pid= replay_pid=

cleanup() {
  local rc=$?
  [[ -n $replay_pid ]] && kill -KILL "$replay_pid" 2>/dev/null || true
  [[ -n $rustnet_pid ]] && kill -KILL "$rustnet_pid" 2>/dev/null || true
  for ns in "$nsA" "$nsB"; do
    # Anything still running inside one of our namespaces is ours.
    ip netns pids "$ns" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true
    ip netns del "$ns" 2>/dev/null || true
  done
  rm -rf "$tmp"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# --- namespaces -------------------------------------------------------------------------
ip netns add "$nsA"
ip netns add "$nsB"
ip link add "$vethA" netns "$nsA" type veth peer name "$vethB" netns "$nsB"
for ns in "$nsA" "$nsB"; do
  # No IPv6 router solicitations or DAD: rustnet should see only the replayed frames.
  ip netns exec "$ns" sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
  ip -n "$ns" link set lo up
done
ip -n "$nsA" link set "$vethA" mtu 65535
ip -n "$nsB" link set "$vethB" mtu 65535
ip -n "$nsA" addr add 198.18.99.1/30 dev "$vethA"
ip -n "$nsB" addr add 198.18.99.2/30 dev "$vethB"
ip -n "$nsA" link set "$vethA" up
ip -n "$nsB" link set "$vethB" up

# --- rustnet in B -----------------------------------------------------------------------
# GNU time ignores SIGINT itself, so the signal goes to its child, rustnet.
# If the script stops early, cleanup kills whatever runs in our namespaces.
ip netns exec "$nsB" /usr/bin/time -v -o "$tmp/time.txt" \
  "$rustnet" -i "$vethB" --json "${extra[@]}" > "$tmp/rustnet.json" 2> "$tmp/rustnet.err" &
rustnet_pid=$!  # /usr/bin/time (ip netns exec execs it)

# Ready once a packet socket exists in B (only rustnet opens one there), plus a moment for
# it to be bound and its ring mapped.
for ((i = 0; i < 100; i++)); do
  kill -0 "$rustnet_pid" 2>/dev/null || die "rustnet ended early: $(tail -3 "$tmp/rustnet.err")"
  (( $(ip netns exec "$nsB" cat /proc/net/packet | wc -l) > 1 )) && break
  sleep 0.1
done
(( i < 100 )) || die "rustnet opened no capture on $vethB within 10 s"
sleep 1
rx0=$(ip netns exec "$nsB" cat "/sys/class/net/$vethB/statistics/rx_packets")

# --- tcpreplay in A ---------------------------------------------------------------------
echo "live_replay: replaying $file into $vethA ($nsA) → $vethB ($nsB)" >&2
# On SIGINT tcpreplay still prints its counts, so a replay cut short by TIMEOUT is reported.
ip netns exec "$nsA" timeout -s INT "$limit" tcpreplay --topspeed -i "$vethA" "$file" \
  > "$tmp/tcpreplay.txt" 2>&1 &
replay_pid=$!
replay_rc=0
wait "$replay_pid" || replay_rc=$?
replay_pid=
if (( replay_rc == 124 )); then
  echo "live_replay: tcpreplay stopped after TIMEOUT=$limit s: a partial replay" >&2
elif (( replay_rc != 0 )); then
  echo "live_replay: tcpreplay exited $replay_rc: $(tail -3 "$tmp/tcpreplay.txt")" >&2
fi
sleep 2
rx1=$(ip netns exec "$nsB" cat "/sys/class/net/$vethB/statistics/rx_packets")
rxdrop=$(ip netns exec "$nsB" cat "/sys/class/net/$vethB/statistics/rx_dropped")
txdrop=$(ip netns exec "$nsA" cat "/sys/class/net/$vethA/statistics/tx_dropped")

# Stop rustnet: SIGINT to time's child, then wait (bounded) for the summary.
child=$(ps -o pid= --ppid "$rustnet_pid" | tr -d ' ' | head -1)
[[ -n $child ]] || die "rustnet is gone before the end of the replay: $(tail -3 "$tmp/rustnet.err")"
kill -INT "$child"
for ((i = 0; i < 300; i++)); do
  kill -0 "$rustnet_pid" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$rustnet_pid" 2>/dev/null && die "rustnet did not stop within 30 s of SIGINT"
wait "$rustnet_pid" || echo "live_replay: rustnet exited $?: $(tail -3 "$tmp/rustnet.err")" >&2
rustnet_pid=

# --- report -----------------------------------------------------------------------------
tail -n 1 "$tmp/rustnet.json" > "$tmp/summary.json"
field() {
  python3 -c 'import json,sys; print(json.load(open(sys.argv[1])).get(sys.argv[2], "?"))' \
    "$tmp/summary.json" "$1" 2>/dev/null || echo "?"
}
seen=$(field packets_seen)
dk=$(field packets_dropped_kernel) di=$(field packets_dropped_interface) dours=$(field packets_dropped_ours)
sent=$(sed -n 's/.*Successful packets: *\([0-9]*\).*/\1/p' "$tmp/tcpreplay.txt")
failed=$(sed -n 's/.*Failed packets: *\([0-9]*\).*/\1/p' "$tmp/tcpreplay.txt")
actual=$(grep -m1 'Actual:' "$tmp/tcpreplay.txt" | sed 's/^ *//' || true)
rated=$(grep -m1 'Rated:' "$tmp/tcpreplay.txt" | sed 's/^ *//' || true)
user=$(sed -n 's/.*User time (seconds): *//p' "$tmp/time.txt")
sys=$(sed -n 's/.*System time (seconds): *//p' "$tmp/time.txt")
rss=$(sed -n 's/.*Maximum resident set size (kbytes): *//p' "$tmp/time.txt")
ncpu=$(getconf _NPROCESSORS_ONLN)

echo
echo "file: $file, $ncpu cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rustnet: $rustnet -i $vethB --json ${extra[*]}"
workers=$(( ncpu > 2 ? ncpu - 1 : 1 ))  # rustnet's default: online cores - 1, at least 1
for ((i = 0; i < ${#extra[@]}; i++)); do
  [[ ${extra[i]} == --workers ]] && workers=${extra[i + 1]:-?}
  [[ ${extra[i]} == --workers=* ]] && workers=${extra[i]#--workers=}
done
echo "  workers: $workers (0 = inline in the capture thread). Live sizes when this script was" \
     "written: 32 MiB frame ring per worker (kLiveRingBytes, src/engine/engine.cpp)," \
     "64 MiB kernel buffer, snaplen 262144 (LiveOptions, src/capture/source.h)"
echo "tcpreplay: ${actual:-?}"
echo "           ${rated:-?}"
printf '%-34s %s\n' "sent (tcpreplay successful)" "${sent:-?}"
printf '%-34s %s\n' "failed to send (> veth MTU)" "${failed:-?}"
printf '%-34s %s\n' "received by $vethB (rx_packets)" "$((rx1 - rx0))"
printf '%-34s %s\n' "veth A tx_dropped, B rx_dropped" "$txdrop, $rxdrop (rx_dropped: frames no protocol took, after capture)"
printf '%-34s %s\n' "rustnet packets_seen" "$seen"
printf '%-34s %s\n' "packets_dropped_kernel" "$dk"
printf '%-34s %s\n' "packets_dropped_interface" "$di"
printf '%-34s %s\n' "packets_dropped_ours" "$dours"
awk -v u="${user:-0}" -v s="${sys:-0}" -v n="$seen" -v m="${rss:-0}" 'BEGIN {
  printf "%-34s %.2f s (user %.2f + sys %.2f)\n", "rustnet CPU time", u + s, u, s
  if (n > 0) printf "%-34s %.0f ns\n", "rustnet CPU per packet seen", (u + s) * 1e9 / n
  printf "%-34s %.1f MiB\n", "rustnet max RSS", m / 1024 }'

verdict() { [[ $1 == 0 ]] && echo PASS || echo MISS; }
echo
echo "zero drops in rustnet (packets_dropped_ours = $dours): $(verdict "$dours")"
echo "zero drops in the kernel (kernel $dk, interface $di): $(verdict "$(( ${dk//\?/1} + ${di//\?/1} ))")"
if [[ -n $sent && $seen != "?" ]]; then
  if (( seen >= sent )); then
    echo "every sent frame seen ($seen seen, $sent sent): PASS"
  else
    echo "every sent frame seen: MISS ($(( sent - seen )) of $sent missing)"
  fi
fi
