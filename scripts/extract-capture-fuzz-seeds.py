#!/usr/bin/env python3
"""Writes the seed corpora of the decode and capture_file fuzz targets.

  scripts/extract-capture-fuzz-seeds.py [PCAP_DIR]   (default: ../shared/pcaps beside the repo)

tests/fuzz/corpus/decode/: single frames in the format of tests/fuzz/fuzz_decode.cpp (a
link-type byte, a 16-bit wire-length slack, the frame), the first few frames of captures
chosen to cover every link type and encapsulation the decoder knows, cut to MAX_FRAME
bytes; plus hand-made edge cases (hand-*.bin).

tests/fuzz/corpus/capture_file/ (and its pcapng files in corpus/pcapng/): whole files for tests/fuzz/fuzz_capture_file.cpp. Byte
prefixes of real captures cut after a few records (never a whole capture), and small
hand-made files: both byte orders, nanosecond magic, gzip, pcapng with several interfaces,
every packet block kind, timestamp options, and damaged lengths.

Seeds are derived bytes, kept few and small. Existing seeds with the same names are
overwritten; inputs kept in the corpus under other names (crash-*) are left alone.
Needs only Python 3 (gzip support from its standard library).
"""
import gzip
import pathlib
import re
import struct
import sys

REPO = pathlib.Path(__file__).resolve().parent.parent
CORPUS = REPO / "tests" / "fuzz" / "corpus"
MAX_FRAME = 256     # bytes of a frame kept in a decode seed
FRAMES_PER_FILE = 1  # decode seeds taken from a capture unless MORE_FRAMES says otherwise
PREFIX_RECORDS = 3   # records kept in a capture_file prefix
MAX_PREFIX = 3000    # bytes of a capture_file prefix

# The decoder's LinkType values in declaration order (src/decode/packet.h), by DLT.
LINK_INDEX = {1: 0, 0: 1, 108: 2, 12: 3, 14: 3, 101: 3, 228: 4, 229: 5, 113: 6, 276: 7,
              9: 8, 258: 9}
UNSUPPORTED = 10

# Captures whose first frames become decode seeds: every link type, VLAN/QinQ, tunnels,
# extension headers, fragments, ARP, ICMP, damaged headers.
DECODE_SOURCES = [
    "tcpdump__ipv4_tcp_http_xml.pcap", "wireshark__ipv6.pcap", "tcpdump__802.1ad_QinQ.pcap",
    "suricata-verify__eve-flow-vlan__input.pcap",
    "suricata-verify__arp__detect-arp-03-vlan__input.pcap",
    "suricata-verify__defrag__bug-6887-defrag-eth-vlan-ipv6-tcp__frag-eth-vlan-ipv6-tcp.pcap",
    "ndpi__4in6tunnel.pcap", "ndpi__6in4tunnel.pcap", "ndpi__teredo.pcap", "ndpi__ah.pcapng",
    "tcpdump__ipv6-routing-header.pcap", "tcpdump__ipv6-srh-ext-header.pcap",
    "tcpdump__bigtcp-ipv6-hbh.pcap", "tcpdump__icmpv6.pcap", "tcpdump__icmpv6-rfc7112.pcap",
    "suricata-verify__bug-4663-02__icmp.pcap", "suricata-verify__exception-policy-defrag-01__ipv4frags.pcap",
    "tcpdump__ipv4_invalid_hdr_length.pcap", "tcpdump__ipv4_invalid_length.pcap",
    "suricata-verify__ipv4-truncated__truncated.pcap", "tcpdump__arp-too-long-tha.pcap",
    "suricata-verify__decode-arp-1__input.pcap", "tcpdump__tcp_rst_data-trunc.pcap",
    "ndpi__badpackets.pcap", "tcpdump__quic_handshake.pcap", "ndpi__dns2tcp_tunnel.pcap",
    "ndpi__http2.pcapng", "suricata-verify__decode-sll2-02__input.pcap", "ndpi__dlt_ppp.pcap",
    "tcpdump__truncated-aack.pcap", "tcpdump__LINKTYPE_PKTAP.pcap", "tcpdump__LINKTYPE_RAW_ipv6.pcap",
    "suricata-verify__quic-frag-unordered__input.pcap", "wireshark__http-ooo.pcap",
    "tcpdump__LINKTYPE_IPV6_invalid.pcap",
    "suricata-verify__defrag__bug-6887-defrag-ipv6-tcp__frag-ip-tcp.pcap",
    "wireshark__many_interfaces.pcapng.1",
]
# Captures whose later frames differ in kind from the first (fragments, replies, odd ones).
MORE_FRAMES = {"ndpi__badpackets.pcap": 4, "ndpi__ah.pcapng": 2, "ndpi__4in6tunnel.pcap": 2,
               "suricata-verify__arp__detect-arp-03-vlan__input.pcap": 2,
               "suricata-verify__exception-policy-defrag-01__ipv4frags.pcap": 3,
               "suricata-verify__defrag__bug-6887-defrag-eth-vlan-ipv6-tcp__frag-eth-vlan-ipv6-tcp.pcap": 3,
               "tcpdump__icmpv6.pcap": 3, "wireshark__many_interfaces.pcapng.1": 3}

# Captures whose first records become capture_file prefixes: pcap of several link types,
# pcapng (one and many interfaces, nanosecond resolution), gzip-compressed pcapng.
FILE_SOURCES = [
    "tcpdump__dns_udp.pcap", "tcpdump__quic_handshake.pcap", "ndpi__dns2tcp_tunnel.pcap",
    "suricata-verify__decode-sll2-02__input.pcap", "tcpdump__LINKTYPE_PKTAP.pcap",
    "ndpi__http_starting_with_reply.pcapng", "ndpi__http2.pcapng", "ndpi__tls_ech.pcapng",
    "wireshark__many_interfaces.pcapng.1", "wireshark__dns+icmp.pcapng.gz", "ndpi__dtls.pcap",
]


# ---- reading captures -------------------------------------------------------------------

def read_capture(path):
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    return data


def pcap_records(data):
    """(dlt, frame, wire length, end offset) of each record of a classic pcap file."""
    magic = data[:4]
    order = {b"\xd4\xc3\xb2\xa1": "<", b"\x4d\x3c\xb2\xa1": "<",
             b"\xa1\xb2\xc3\xd4": ">", b"\xa1\xb2\x3c\x4d": ">"}[magic]
    dlt = struct.unpack(order + "I", data[20:24])[0] & 0x0FFFFFFF
    pos = 24
    while pos + 16 <= len(data):
        _, _, caplen, wire = struct.unpack(order + "IIII", data[pos:pos + 16])
        end = pos + 16 + caplen
        if end > len(data):
            return
        yield dlt, data[pos + 16:end], wire, end
        pos = end


def pcapng_blocks(data):
    """(type, body, order, end offset) of each pcapng block."""
    pos, order = 0, "<"
    while pos + 12 <= len(data):
        if data[pos:pos + 4] == b"\x0a\x0d\x0d\x0a":
            order = "<" if data[pos + 8:pos + 12] == b"\x4d\x3c\x2b\x1a" else ">"
        btype, blen = struct.unpack(order + "II", data[pos:pos + 8])
        if blen < 12 or pos + blen > len(data):
            return
        yield btype, data[pos + 8:pos + blen - 4], order, pos + blen
        pos += blen


def pcapng_records(data):
    dlts = []
    for btype, body, order, end in pcapng_blocks(data):
        if btype == 0x0A0D0D0A:
            dlts = []
        elif btype == 1:
            dlts.append(struct.unpack(order + "H", body[:2])[0])
        elif btype == 6:
            iface, _, _, caplen, wire = struct.unpack(order + "IIIII", body[:20])
            yield dlts[iface], body[20:20 + caplen], wire, end


def records(data):
    if data[:4] == b"\x0a\x0d\x0d\x0a":
        return pcapng_records(data)
    return pcap_records(data)


# ---- writing seeds ----------------------------------------------------------------------

def decode_seed(link_index, frame, wire):
    kept = frame[:MAX_FRAME]
    slack = min(max(wire - len(kept), 0), 0xFFFD)
    return struct.pack(">BH", link_index, slack) + kept


def pcap_file(dlt, frames, order=">", nano=False, snaplen=65535):
    magic = 0xA1B23C4D if nano else 0xA1B2C3D4
    out = struct.pack(order + "IHHiIII", magic, 2, 4, 0, 0, snaplen, dlt)
    for i, (frame, wire) in enumerate(frames):
        out += struct.pack(order + "IIII", 1_700_000_000 + i, 123_456_789 if nano else 123_456,
                           len(frame), wire) + frame
    return out


class Pcapng:
    def __init__(self, order="<"):
        self.order, self.out = order, b""

    def block(self, btype, body):
        body += b"\0" * (-len(body) % 4)
        n = 12 + len(body)
        self.out += struct.pack(self.order + "II", btype, n) + body + struct.pack(self.order + "I", n)
        return self

    def section(self):
        return self.block(0x0A0D0D0A, struct.pack(self.order + "IHHq", 0x1A2B3C4D, 1, 0, -1))

    def interface(self, dlt, snaplen=0, options=b""):
        return self.block(1, struct.pack(self.order + "HHI", dlt, 0, snaplen) + options)

    def option(self, code, value):
        return struct.pack(self.order + "HH", code, len(value)) + value + b"\0" * (-len(value) % 4)

    def epb(self, iface, ts, frame, wire=None):
        return self.block(6, struct.pack(self.order + "IIIII", iface, ts >> 32, ts & 0xFFFFFFFF,
                                         len(frame), len(frame) if wire is None else wire) + frame)

    def spb(self, frame, wire=None):
        return self.block(3, struct.pack(self.order + "I", len(frame) if wire is None else wire) + frame)

    def obsolete(self, iface, ts, frame):
        return self.block(2, struct.pack(self.order + "HHIIII", iface, 0, ts >> 32, ts & 0xFFFFFFFF,
                                         len(frame), len(frame)) + frame)


def stem_of(name):
    return re.sub(r"\.(pcapng|pcap)(\.gz|\.\d+)?$", "", name)


def write(directory, name, data):
    directory.mkdir(parents=True, exist_ok=True)
    (directory / name).write_bytes(data)
    # The pcapng target reads our pcapng reader's input only: uncompressed pcapng files.
    if directory.name == "capture_file" and name.endswith(".pcapng"):
        write(directory.parent / "pcapng", name, data)


# ---- hand-made frames -------------------------------------------------------------------

def ipv4(proto, payload, src=b"\x0a\0\0\x01", dst=b"\x0a\0\0\x02", total=None, frag=0, ihl=5):
    length = 4 * ihl + len(payload) if total is None else total
    return (struct.pack(">BBHHHBBH", 0x40 | ihl, 0, length, 1, frag, 64, proto, 0) + src + dst
            + b"\0" * (4 * ihl - 20) + payload)


def ipv6(nxt, payload, plen=None):
    n = len(payload) if plen is None else plen
    return struct.pack(">IHBB", 0x60000000, n, nxt, 64) + b"\x20\x01" + b"\0" * 13 + b"\x01" \
        + b"\x20\x01" + b"\0" * 13 + b"\x02" + payload


def udp(payload, length=None):
    return struct.pack(">HHHH", 5353, 53, 8 + len(payload) if length is None else length, 0) + payload


def tcp(payload, offset=5, flags=0x18):
    return struct.pack(">HHIIBBHHH", 40000, 443, 1, 2, offset << 4, flags, 512, 0, 0) \
        + b"\0" * (4 * offset - 20 if offset > 5 else 0) + payload


def ether(ethertype, payload, tags=()):
    out = b"\x02\0\0\0\0\x01\x02\0\0\0\0\x02"
    for tpid, vid in tags:
        out += struct.pack(">HH", tpid, vid)
    return out + struct.pack(">H", ethertype) + payload


def hand_decode_seeds():
    u4 = ipv4(17, udp(b"\x12\x34\x01\x00\0\x01\0\0\0\0\0\0"))
    t6 = ipv6(6, tcp(b"GET / HTTP/1.1\r\n"))
    hbh_jumbo = struct.pack(">BBBBI", 6, 0, 0xC2, 4, 8 + 20 + 4) + tcp(b"data")
    pppoe = struct.pack(">BBHH", 0x11, 0, 7, 2 + len(u4)) + b"\x00\x21" + u4
    pktap = struct.pack("<II", 108, 1) + b"\0" * 100 + ether(0x0800, u4)
    sll = struct.pack(">HHH", 0, 1, 6) + b"\x02\0\0\0\0\x01\0\0" + struct.pack(">H", 0x86DD) + t6
    sll2 = struct.pack(">HHIHBB", 0x0800, 0, 2, 1, 0, 6) + b"\x02\0\0\0\0\x01\0\0" + u4
    seeds = {
        # Five stacked tags: one more than kMaxVlanTags.
        "hand-qinq-too-deep": (0, ether(0x88A8, u4, [(0x88A8, 1), (0x8100, 2), (0x9100, 3),
                                                     (0x8100, 4)]), 0),
        "hand-pppoe-session": (0, ether(0x8864, pppoe), 0),
        "hand-ip-in-ip-3deep": (3, ipv4(4, ipv4(4, ipv4(17, udp(b"x")))), 0),
        "hand-6in4-first-frag": (4, ipv4(41, t6[:40], frag=0x2000), 0),
        "hand-ipv4-total-len-0": (4, ipv4(6, tcp(b"abc"), total=0), 0),
        "hand-ipv4-options-cut": (4, ipv4(6, b"", ihl=15)[:30], 0),
        "hand-udp-length-0": (4, ipv4(17, udp(b"abcd", length=0)), 0),
        "hand-tcp-offset-15-cut": (5, ipv6(6, tcp(b"", offset=15))[:64], 1000),
        "hand-ipv6-jumbo": (5, ipv6(0, hbh_jumbo, plen=0), 0),
        "hand-null-le-inet6": (1, struct.pack("<I", 30) + t6, 0),
        "hand-loop-be-inet": (2, struct.pack(">I", 2) + u4, 0),
        "hand-loop-unknown-af": (2, struct.pack(">I", 7) + u4, 0),
        "hand-sll-ipv6": (6, sll, 0),
        "hand-sll-netlink": (6, struct.pack(">HHH", 4, 824, 0) + b"\0" * 8 + b"\0\x10" + u4, 0),
        "hand-sll2-ipv4": (7, sll2, 0),
        "hand-ppp-acfc-pfc": (8, b"\x21" + u4, 0),
        "hand-ppp-address-control": (8, b"\xff\x03\x00\x57" + t6, 0),
        "hand-pktap-loop": (9, pktap, 0),
        "hand-pktap-huge-header": (9, struct.pack("<II", 0xFFFFFFF0, 1) + u4, 0),
        "hand-arp-ieee802": (0, ether(0x0806, struct.pack(">HHBBH", 6, 0x0800, 6, 4, 1)
                                      + b"\x02\0\0\0\0\x01\x0a\0\0\x01" + b"\0" * 6 + b"\x0a\0\0\x02"), 0),
        "hand-unsupported": (UNSUPPORTED, ether(0x0800, u4), 0),
        "hand-empty-ethernet": (0, b"", 0),
    }
    out = {}
    for name, (link, frame, slack) in seeds.items():
        out[name + ".bin"] = struct.pack(">BH", link, slack) + frame
    # Wire lengths the capture header got wrong: the largest and zero.
    out["hand-wire-max.bin"] = struct.pack(">BH", 0, 0xFFFF) + ether(0x0800, u4)
    out["hand-wire-zero.bin"] = struct.pack(">BH", 0, 0xFFFE) + ether(0x86DD, t6)
    return out


def hand_file_seeds(frame):
    u = frame
    seeds = {
        "hand-pcap-le-usec.pcap": pcap_file(1, [(u, len(u)), (u[:20], len(u))], order="<"),
        "hand-pcap-be-nsec.pcap": pcap_file(1, [(u, len(u))], order=">", nano=True),
        "hand-pcap-le-nsec-raw.pcap": pcap_file(101, [(u[14:], len(u) - 14)], order="<", nano=True),
        # A record that says it holds far more than the file does, and one above the snaplen.
        "hand-pcap-huge-caplen.pcap": pcap_file(1, [(u, len(u))])[:-len(u)]
                                       + struct.pack(">IIII", 1, 2, 0x7FFFFFF0, 0x7FFFFFF0) + u,
        "hand-pcap-caplen-over-snaplen.pcap": pcap_file(1, [(u, len(u))], snaplen=16),
        "hand-pcap-truncated-header.pcap": pcap_file(1, [])[:17],
        "hand-pcap-cut-record.pcap": pcap_file(1, [(u, len(u))])[:24 + 16 + 10],
        "hand-pcap-gzip.pcap.gz": gzip.compress(pcap_file(113, [(b"\0\0\0\x01\0\x06" + b"\0" * 8
                                                                  + b"\x08\x00" + u[14:], len(u) + 2)]),
                                                mtime=0),
        "hand-gzip-cut.pcap.gz": gzip.compress(pcap_file(1, [(u, len(u))]), mtime=0)[:40],
        "hand-not-a-capture.bin": b"GET / HTTP/1.1\r\n\r\n",
    }
    # pcapng in both byte orders with every packet block kind and timestamp options.
    for order, tag in (("<", "le"), (">", "be")):
        p = Pcapng(order).section()
        p.interface(1, 0, p.option(9, b"\x09") + p.option(14, struct.pack(order + "q", -5)) + p.option(0, b""))
        p.interface(101, 64, p.option(9, b"\x8a") + p.option(0, b""))
        p.epb(0, 1_700_000_000_123_456_789, u).epb(1, 1 << 40, u[14:], wire=len(u) + 100)
        p.spb(u).obsolete(1, 5, u[14:]).block(5, b"\0" * 8)
        seeds[f"hand-pcapng-{tag}-mixed.pcapng"] = p.out
    seeds["hand-pcapng-gzip.pcapng.gz"] = gzip.compress(Pcapng().section().interface(1).epb(0, 7, u).out,
                                                         mtime=0)
    # Damage: lengths that are not multiples of 4, too small, over the cap, a trailer that
    # disagrees, a packet for an interface never declared, a second section in the other order.
    base = Pcapng().section().interface(1).out
    seeds["hand-pcapng-len-unaligned.pcapng"] = base + struct.pack("<II", 6, 13) + b"\0" * 5
    seeds["hand-pcapng-len-small.pcapng"] = base + struct.pack("<III", 6, 8, 8)
    seeds["hand-pcapng-len-huge.pcapng"] = base + struct.pack("<II", 6, 0xFFFFFFF0) + b"\0" * 32
    bad_trailer = bytearray(Pcapng().section().interface(1).epb(0, 1, u).out)
    bad_trailer[-4:] = struct.pack("<I", 12)
    seeds["hand-pcapng-trailer-differs.pcapng"] = bytes(bad_trailer)
    seeds["hand-pcapng-undeclared-iface.pcapng"] = Pcapng().section().epb(3, 1, u).out
    seeds["hand-pcapng-caplen-over-block.pcapng"] = Pcapng().section().interface(1).block(
        6, struct.pack("<IIIII", 0, 0, 0, 0x10000, 0x10000) + u).out
    seeds["hand-pcapng-two-sections.pcapng"] = (Pcapng("<").section().interface(1).epb(0, 1, u).out
                                                + Pcapng(">").section().interface(113).spb(u).out)
    seeds["hand-pcapng-shb-bad-magic.pcapng"] = struct.pack("<III", 0x0A0D0D0A, 28, 0x11223344) + b"\0" * 16
    seeds["hand-pcapng-shb-cut.pcapng"] = Pcapng().section().out[:10]
    return seeds


def main():
    pcaps = pathlib.Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "pcaps"
    if not pcaps.is_dir():
        sys.exit(f"no capture folder: {pcaps}")
    decode_dir, file_dir, pcapng_dir = CORPUS / "decode", CORPUS / "capture_file", CORPUS / "pcapng"

    sample_frame = None
    for name in DECODE_SOURCES:
        stem = stem_of(name)
        for i, (dlt, frame, wire, _) in enumerate(records(read_capture(pcaps / name))):
            if i >= MORE_FRAMES.get(name, FRAMES_PER_FILE):
                break
            write(decode_dir, f"{stem}-{i + 1}.bin", decode_seed(LINK_INDEX.get(dlt, UNSUPPORTED), frame, wire))
            if sample_frame is None and dlt == 1:
                sample_frame = frame[:MAX_FRAME]
    for name, data in hand_decode_seeds().items():
        write(decode_dir, name, data)

    for name in FILE_SOURCES:
        raw = (pcaps / name).read_bytes()
        data = read_capture(pcaps / name)
        ends = [end for _, _, _, end in records(data)][:PREFIX_RECORDS]
        prefix = data[:min(ends[-1], MAX_PREFIX)] if ends else data[:MAX_PREFIX]
        stem = stem_of(name)
        if raw[:2] == b"\x1f\x8b":
            write(file_dir, f"{stem}-prefix.pcapng.gz", gzip.compress(prefix, mtime=0))
        else:
            write(file_dir, f"{stem}-prefix.{'pcapng' if data[:4] == bytes.fromhex('0a0d0d0a') else 'pcap'}",
                  prefix)
    for name, data in hand_file_seeds(sample_frame).items():
        write(file_dir, name, data)

    for d in (decode_dir, file_dir, pcapng_dir):
        files = [f for f in d.iterdir() if f.is_file()]
        print(f"{d.name:14} {len(files):3d} files {sum(f.stat().st_size for f in files):7d} bytes")


if __name__ == "__main__":
    main()
