#!/usr/bin/env bash
# Writes small seed corpora for the DPI fuzz targets (tests/fuzz/corpus/<target>/) from the
# shared captures, in the format of tests/fuzz/fuzz_input.h: one file per TCP/UDP stream,
# a flow byte then length-prefixed payload segments in capture order. Seeds are derived
# bytes, kept few and small: at most $MAX_STREAMS streams per capture, $MAX_SEGMENT bytes
# per segment and $MAX_SEED bytes per file. dns_message seeds are raw single DNS messages.
#
#   scripts/extract-fuzz-seeds.sh [PCAP_DIR]      (default: ../shared/pcaps beside the repo)
#
# Needs tshark and perl. Existing seeds with the same names are overwritten; crash inputs
# kept in the corpus under other names are left alone.
set -euo pipefail

repo="$(cd "$(dirname "$0")/.." && pwd)"
pcaps="${1:-$repo/../shared/pcaps}"
corpus="$repo/tests/fuzz/corpus"
MAX_STREAMS=${MAX_STREAMS:-3}
MAX_SEGMENT=${MAX_SEGMENT:-1500}
MAX_SEED=${MAX_SEED:-6000}

command -v tshark >/dev/null || { echo "tshark is needed" >&2; exit 1; }
[[ -d "$pcaps" ]] || { echo "no capture folder: $pcaps" >&2; exit 1; }

# stream seeds: <target> <capture> <display filter>
streams() {
  local target="$1" file="$2" filter="$3"
  local out="$corpus/$target" stem="${file%%.*}"
  mkdir -p "$out"
  tshark -n -r "$pcaps/$file" -Y "$filter" -T fields -E separator=/t \
      -e tcp.stream -e udp.stream -e ip.src -e ipv6.src -e tcp.srcport -e udp.srcport \
      -e tcp.dstport -e udp.dstport -e tcp.payload -e udp.payload 2>/dev/null |
    awk -F'\t' -v maxStreams="$MAX_STREAMS" -v maxSeg="$MAX_SEGMENT" -v maxSeed="$MAX_SEED" \
        -v prefix="$out/$stem" '
      function portIndex(p) {
        split("80 443 53 5353 5355 22 1900 8080", ports, " ")
        for (i = 1; i <= 8; i++) if (ports[i] == p) return i - 1
        return 0
      }
      {
        udp = ($1 == "")
        stream = (udp ? "u" $2 : "t" $1)
        src = ($3 != "" ? $3 : $4) ":" (udp ? $6 : $5)
        dport = udp ? $8 : $7
        payload = udp ? $10 : $9
        if (payload == "") next
        if (!(stream in local)) {
          if (count >= maxStreams) next
          count++
          order[count] = stream
          local[stream] = src
          hex[stream] = sprintf("%02x", (udp ? 1 : 0) + 4 * portIndex(dport))
        }
        n = length(payload) / 2
        if (n > maxSeg) { n = maxSeg; payload = substr(payload, 1, 2 * n) }
        if (length(hex[stream]) / 2 + 2 + n > maxSeed) next
        word = n + (src == local[stream] ? 0 : 32768)
        hex[stream] = hex[stream] sprintf("%04x", word) payload
      }
      END {
        for (k = 1; k <= count; k++) print prefix "-" order[k] ".bin\t" hex[order[k]]
      }' |
    while IFS=$'\t' read -r path bytes; do
      printf '%s' "$bytes" | perl -ne 'print pack("H*", $_)' >"$path"
    done
}

# raw DNS messages: <capture> <display filter>
messages() {
  local file="$1" filter="$2"
  local out="$corpus/dns_message" stem="${file%%.*}" n=0
  mkdir -p "$out"
  tshark -n -r "$pcaps/$file" -Y "$filter" -T fields -e udp.payload 2>/dev/null |
    head -n "$MAX_STREAMS" |
    while read -r bytes; do
      [[ -n "$bytes" ]] || continue
      n=$((n + 1))
      printf '%s' "${bytes:0:$((2 * MAX_SEED))}" | perl -ne 'print pack("H*", $_)' >"$out/$stem-$n.bin"
    done
}

for f in ndpi__http-lines-split.pcap ndpi__http_ua_splitted_in_two_pkts.pcapng \
         ndpi__http_connect.pcap ndpi__http_starting_with_reply.pcapng wireshark__http-ooo.pcap \
         suricata-verify__decode-sll2-02__input.pcap; do
  streams http "$f" "tcp.len > 0"
done
streams http ndpi__1kxun.pcap "udp.port == 1900"

for f in tcpdump__dns_udp.pcap ndpi__dns.pcap ndpi__dns-invalid-chars.pcap \
         ndpi__malformed_dns.pcap ndpi__dns_long_domainname.pcap wireshark__dns_port.pcap \
         tcpdump__dns-badlabel.pcap; do
  streams dns "$f" "dns"
  messages "$f" "dns"
done
streams dns ndpi__iphone.pcap "udp.port == 5353"
streams dns ndpi__1kxun.pcap "udp.port == 5355"

for f in tcpdump__ssh.pcap ndpi__ssh.pcap ndpi__ssh_unidirectional.pcap \
         suricata-verify__ssh-hassh-reassembled__input.pcap \
         suricata-verify__ssh-hassh-incomplete__input.pcap; do
  streams ssh "$f" "tcp.len > 0"
done

MAX_STREAMS=2
for f in ndpi__443-curl.pcap ndpi__tls_2_reasms.pcapng ndpi__haproxy.pcap \
         tcpdump__quic_handshake.pcap ndpi__http_connect.pcap tcpdump__ssh.pcap \
         tcpdump__dns_udp.pcap; do
  streams inspector "$f" "tcp.len > 0 || udp"
done

for f in ndpi__443-curl.pcap ndpi__tls_2_reasms.pcapng ndpi__haproxy.pcap ndpi__tls_ech.pcapng \
         ndpi__tls_invalid_reads.pcap wireshark__tls12-aes128ccm.pcap ndpi__tls_port_80.pcapng \
         suricata-verify__tls__tls13-draft28__tls13_draft28.pcap; do
  streams tls "$f" "tcp.len > 0"
done

for f in suricata-verify__quic-frag-unordered__input.pcap ndpi__quic-v2.pcapng ndpi__quic_q50.pcap \
         ndpi__quic_t51.pcap ndpi__quic-mvfst-27.pcapng ndpi__quic-23.pcap tcpdump__quic_vn.pcap \
         suricata-verify__quic-retry__input.pcap wireshark__many_interfaces.pcapng.1; do
  streams quic "$f" "udp && !dns && !mdns"
done

for d in "$corpus"/*/; do
  printf '%-14s %3d files %7d bytes\n' "$(basename "$d")" "$(find "$d" -type f | wc -l)" \
    "$(cat "$d"/* | wc -c)"
done
