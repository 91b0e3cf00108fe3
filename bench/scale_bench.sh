#!/usr/bin/env bash
# Memory per tracked connection and the table bound under a flood (issue 6). Prints
# figures; asserts nothing about time.
#
#   bench/scale_bench.sh [BUILD_DIR]      (default build/release; needs rustnet and gen_flows)
#
# Environment: FLOWS (1000000 distinct flows), FLOOD (3000000 random tuples), BOUND
# (100000, the flood's --max-connections), WORKDIR (a temporary directory; the captures
# take ~80 MB per million flows and are removed at the end unless KEEP=1).
#
# Bytes per connection = (peak RSS reading FLOWS flows - peak RSS of a baseline) / FLOWS.
# The baseline capture has the same packets, sizes and times but only 10 distinct tuples,
# so buffers that fill with traffic (the capture-to-worker frame ring, touched as it is
# used) count in both; a 10-packet capture is also shown, since against it those buffers
# add to the figure. Both use the same front end (--json to /dev/null), whose event queue
# is allocated whole at start. What is left is the connection table (slots + index) and
# whatever else grows with the number of live connections.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/release}
rustnet=$build/rustnet
gen=$build/bench/gen_flows
flows=${FLOWS:-1000000}
flood=${FLOOD:-3000000}
bound=${BOUND:-100000}
for b in "$rustnet" "$gen"; do
  [[ -x $b ]] || { echo "scale_bench: $b not built (cmake --build $build --target rustnet gen_flows)" >&2; exit 2; }
done
[[ -x /usr/bin/time ]] || { echo "scale_bench: needs /usr/bin/time (Debian package 'time')" >&2; exit 2; }

work=${WORKDIR:-$(mktemp -d /tmp/rustnet-scale.XXXXXX)}
mkdir -p "$work"
cleanup() {
  [[ ${KEEP:-0} == 1 ]] && return
  rm -f "$work"/*.pcap "$work"/*.out "$work"/*.rss
  [[ -n ${WORKDIR:-} ]] || rmdir "$work"
}
trap cleanup EXIT

# run NAME ARGS...: rustnet --json over a capture; sets RSS_KB and SUMMARY (the last line).
run() {
  local name=$1
  shift
  /usr/bin/time -f %M -o "$work/$name.rss" "$rustnet" --json "$@" > "$work/$name.out" 2>/dev/null
  RSS_KB=$(tail -1 "$work/$name.rss")
  SUMMARY=$(tail -1 "$work/$name.out")
}
field() { grep -o "\"$1\":[0-9]*" <<<"$SUMMARY" | cut -d: -f2; }

echo "== generating captures in $work"
"$gen" "$work/tiny.pcap" 10
"$gen" "$work/same-10.pcap" "$flows" --distinct 10
"$gen" "$work/flows.pcap" "$flows"
"$gen" "$work/flood.pcap" "$flood" --random --seed 6 --span-us 3000000
"$gen" "$work/flood-tenth.pcap" $((flood / 10)) --random --seed 7 --span-us 3000000

echo
echo "== memory per tracked connection ($flows distinct flows, all live at the end)"
printf '%-9s %12s %12s %12s %9s %14s %14s\n' workers tiny_rss_kb base_rss_kb big_rss_kb created B/conn B/conn_vs_tiny
for w in 0 default; do
  wargs=()
  [[ $w == default ]] || wargs=(--workers "$w")
  run tiny --read "$work/tiny.pcap" "${wargs[@]}" --max-connections $((flows * 2))
  tiny=$RSS_KB
  run base --read "$work/same-10.pcap" "${wargs[@]}" --max-connections $((flows * 2))
  base=$RSS_KB
  run big --read "$work/flows.pcap" "${wargs[@]}" --max-connections $((flows * 2))
  created=$(field connections_created)
  per() { awk -v b="$1" -v r="$RSS_KB" -v n="$flows" 'BEGIN { printf "%.1f", (r - b) * 1024 / n }'; }
  printf '%-9s %12s %12s %12s %9s %14s %14s\n' "$w" "$tiny" "$base" "$RSS_KB" "$created" "$(per "$base")" "$(per "$tiny")"
done

echo
echo "== random-tuple flood with --max-connections $bound (--workers 0)"
printf '%-10s %12s %12s %12s %14s %14s %10s\n' tuples rss_kb created evicted forced_end created-bound bound_held
for f in flood-tenth:$((flood / 10)) flood:$flood; do
  n=${f#*:}
  f=${f%%:*}
  run "$f" --read "$work/$f.pcap" --workers 0 --max-connections "$bound"
  created=$(field connections_created)
  evicted=$(field connections_evicted)
  forced=$(field connections_forced_end)
  ended=$((evicted + forced + $(field connections_closed) + $(field connections_expired)))
  held=no
  [[ $forced -le $bound && $ended -eq $created ]] && held=yes
  printf '%-10s %12s %12s %12s %14s %14s %10s\n' "$n" "$RSS_KB" "$created" "$evicted" \
    "$forced" $((created - bound)) "$held"
done
echo "(a flat rss_kb across both rows is the bound holding; random tuples may repeat, so created <= tuples)"
