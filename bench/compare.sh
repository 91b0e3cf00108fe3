#!/usr/bin/env bash
# Side-by-side reading speed and memory of rustnet, nDPI's ndpiReader and a bare libpcap
# loop (the floor) on one capture file, for issue 6's targets.
#
# usage: bench/compare.sh FILE [RUNS=5]
#
# Builds nothing. Binaries come from the environment or these defaults:
#   RUSTNET     build/release/rustnet               (DPI on: the default)
#   PCAP_FLOOR  build/release/bench/pcap_floor      (bench/pcap_floor.cpp)
#   NDPI_READER ndpiReader from PATH                (Debian libndpi-bin; installed when root)
#   WORKER_VARIANTS "0 1 2"                         (extra rustnet runs with --workers N)
# FILE is made with ../shared/tools/make-bench-pcap.sh (100 copies) when it does not exist
# and ../shared is there.
#
# Each round runs every tool once, in turn (interleaved, so slow drifts of the machine hit
# all of them alike); wall time comes from the clock around the command, peak RSS and CPU
# from /usr/bin/time. The table shows medians over the rounds; each ratio is the median of
# the ratios taken within each round. Outputs go to /dev/null as in the issue's command.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
file=${1:?usage: bench/compare.sh FILE [RUNS=5]}
runs=${2:-5}
rustnet=${RUSTNET:-$root/build/release/rustnet}
floor=${PCAP_FLOOR:-$root/build/release/bench/pcap_floor}
variants=${WORKER_VARIANTS-0 1 2}

die() { echo "compare: $*" >&2; exit 1; }

# Installs a Debian package when root; otherwise says how and stops.
need_package() {  # need_package PACKAGE WHAT
  if [[ $(id -u) -ne 0 ]]; then
    die "$2 is missing: install it with 'sudo apt-get install $1'"
  fi
  echo "compare: installing $1 for $2" >&2
  DEBIAN_FRONTEND=noninteractive apt-get install -y -o DPkg::Lock::Timeout=600 \
    --no-install-recommends "$1" >&2 ||
    { apt-get update >&2 && DEBIAN_FRONTEND=noninteractive apt-get install -y \
        -o DPkg::Lock::Timeout=600 --no-install-recommends "$1" >&2; }
}

[[ $runs =~ ^[1-9][0-9]*$ ]] || die "RUNS must be a positive number, not '$runs'"
[[ -x $rustnet ]] || die "no rustnet at $rustnet (build it, or set RUSTNET)"
[[ -x $floor ]] || die "no pcap_floor at $floor (build target pcap_floor, or set PCAP_FLOOR)"
[[ -x /usr/bin/time ]] || need_package time "/usr/bin/time"
if [[ -n ${NDPI_READER:-} ]]; then
  ndpi=$NDPI_READER
else
  command -v ndpiReader >/dev/null || need_package libndpi-bin ndpiReader
  ndpi=$(command -v ndpiReader)
fi

if [[ ! -f $file ]]; then
  maker=$root/../shared/tools/make-bench-pcap.sh
  [[ -x $maker && -d $root/../shared/pcaps ]] ||
    die "$file does not exist and $maker is not there to make it"
  echo "compare: making $file with make-bench-pcap.sh (100 copies)" >&2
  "$maker" "$root/../shared/pcaps" "$file" 100 >&2
fi

tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

# The tools, by label; each command reads $file and writes to stdout.
labels=(rustnet)
declare -A cmd
cmd[rustnet]="$rustnet --read $(printf %q "$file") --json"
for w in $variants; do
  labels+=("rustnet-w$w")
  cmd[rustnet-w$w]="$rustnet --read $(printf %q "$file") --json --workers $w"
done
labels+=(ndpiReader floor)
cmd[ndpiReader]="$(printf %q "$ndpi") -i $(printf %q "$file") -q"
cmd[floor]="$(printf %q "$floor") $(printf %q "$file")"

# --- warm-up: page cache, and each tool's packet count from an untimed run --------------
size_kib=$(( $(stat -c %s "$file") / 1024 ))
avail_kib=$(awk '/^MemAvailable:/ {print $2}' /proc/meminfo)
if (( avail_kib < size_kib * 3 / 2 )); then
  echo "compare: warning: $file may not stay in the page cache (${avail_kib} KiB available)" >&2
fi
cat "$file" > /dev/null

declare -A packets
summary_field() {  # summary_field FILE KEY: a number from rustnet's last (summary) line
  python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).read().splitlines()[-1])[sys.argv[2]])' "$1" "$2"
}
for l in "${labels[@]}"; do
  case $l in
    rustnet*)
      eval "${cmd[$l]}" | tail -n 1 > "$tmp/summary" || die "$l failed on $file"
      packets[$l]=$(summary_field "$tmp/summary" packets_seen) ;;
    ndpiReader)
      # -q hides the totals; the warm-up run goes without it to read "of N packets total".
      "$ndpi" -i "$file" > "$tmp/ndpi.txt" 2>&1 || die "ndpiReader failed: $(tail -3 "$tmp/ndpi.txt")"
      packets[$l]=$(sed -n 's/.* of \([0-9]*\) packets total.*/\1/p' "$tmp/ndpi.txt" | head -1)
      [[ -n ${packets[$l]} ]] || packets[$l]=? ;;
    floor)
      packets[$l]=$(eval "${cmd[$l]}" | awk '{print $2}') ;;
  esac
done
ref=${packets[floor]}
for l in "${labels[@]}"; do
  if [[ ${packets[$l]} != "$ref" ]]; then
    echo "compare: MISMATCH: $l counted ${packets[$l]} packets, the floor $ref" >&2
  fi
done

# --- timed rounds -----------------------------------------------------------------------
# One line per run in $tmp/<label>: wall_s rss_kib cpu_s
for ((r = 1; r <= runs; r++)); do
  for l in "${labels[@]}"; do
    t0=$(date +%s%N)
    eval "/usr/bin/time -o $tmp/t -f '%M %U %S' ${cmd[$l]}" > /dev/null 2> "$tmp/err" ||
      die "$l failed (round $r): $(tail -3 "$tmp/err")"
    t1=$(date +%s%N)
    read -r rss user sys < <(tail -n 1 "$tmp/t")
    awk -v ns=$((t1 - t0)) -v rss="$rss" -v u="$user" -v s="$sys" \
      'BEGIN { printf "%.6f %d %.2f\n", ns / 1e9, rss, u + s }' >> "$tmp/$l"
  done
  echo "compare: round $r/$runs done" >&2
done

median() {  # median FILE COLUMN
  awk -v c="$2" '{print $c}' "$1" | sort -g |
    awk '{v[NR] = $1} END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}
# Median over rounds of (COLUMN of file A) / (COLUMN of file B), row by row.
median_ratio() {  # median_ratio FILE_A FILE_B COLUMN
  paste -d' ' "$1" "$2" | awk -v c="$3" '{ n = NF / 2; print $(c) / $(n + c) }' > "$tmp/ratio"
  median "$tmp/ratio" 1
}

# --- report -----------------------------------------------------------------------------
echo
echo "file: $file  ($ref packets, $(( size_kib / 1024 )) MiB), $runs rounds, $(nproc) cores," \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "rustnet: $rustnet"
printf '%-12s %10s %10s %12s %10s %9s %8s\n' tool packets wall_s packets/s ns/packet RSS_MiB cpu_s
for l in "${labels[@]}"; do
  wall=$(median "$tmp/$l" 1) rss=$(median "$tmp/$l" 2) cpu=$(median "$tmp/$l" 3)
  awk -v l="$l" -v p="${packets[$l]}" -v n="$ref" -v w="$wall" -v m="$rss" -v c="$cpu" \
    'BEGIN { printf "%-12s %10s %10.3f %12.0f %10.1f %9.1f %8.2f\n",
             l, p, w, n / w, w * 1e9 / n, m / 1024, c }'
done

verdict() {  # verdict VALUE OP TARGET → PASS or MISS
  awk -v v="$1" -v op="$2" -v t="$3" \
    'BEGIN { ok = (op == ">=") ? v >= t : v <= t; print ok ? "PASS" : "MISS" }'
}
# Same packets for every tool, so a ratio of packets per second is the inverse ratio of time.
speed=$(median_ratio "$tmp/ndpiReader" "$tmp/rustnet" 1)
floor_ratio=$(median_ratio "$tmp/rustnet" "$tmp/floor" 1)
mem=$(median_ratio "$tmp/rustnet" "$tmp/ndpiReader" 2)
cpu=$(median_ratio "$tmp/rustnet" "$tmp/ndpiReader" 3)
echo
printf '%-42s %8.2f  (target >= 5)    %s\n' "rustnet pps / ndpiReader pps" "$speed" "$(verdict "$speed" '>=' 5)"
printf '%-42s %8.2f  (target <= 2)    %s\n' "floor pps / rustnet pps" "$floor_ratio" "$(verdict "$floor_ratio" '<=' 2)"
printf '%-42s %8.3f  (target <= 0.25) %s\n' "rustnet max RSS / ndpiReader max RSS" "$mem" "$(verdict "$mem" '<=' 0.25)"
# CPU time suffers less than wall time from a busy machine: a cross-check, not a target.
printf '%-42s %8.3f  (information)\n' "rustnet CPU s / ndpiReader CPU s" "$cpu"
for w in $variants; do
  s=$(median_ratio "$tmp/ndpiReader" "$tmp/rustnet-w$w" 1)
  f=$(median_ratio "$tmp/rustnet-w$w" "$tmp/floor" 1)
  m=$(median_ratio "$tmp/rustnet-w$w" "$tmp/ndpiReader" 2)
  printf '  --workers %-3s speed x%.2f, floor x%.2f, memory x%.3f\n' "$w" "$s" "$f" "$m"
done
