#!/usr/bin/env python3
"""Makes known, bounded traffic between two test network namespaces.

  traffic.py serve ADDR        (in the server namespace) TCP on 5001 (clean close) and 5002
                               (reset), UDP echo-with-reply on 5003, and on 5004 datagrams
                               larger than the link MTU (sent as IP fragments); exits after
                               the clients.
  traffic.py clients ADDR      (in the client namespace) runs every scenario once.

Sizes are fixed so the test can predict them; everything is bounded in count and time.
"""
import os
import socket
import struct
import sys
import threading
import time

TCP_CLEAN, TCP_RESET, UDP_PORT = 5001, 5002, 5003
REQUEST, RESPONSE = 1000, 3000
UDP_COUNT, UDP_OUT, UDP_IN = 5, 100, 200
ICMP_COUNT, ICMP_ID, ICMP_PAYLOAD = 3, 0x4242, 56
# Over the 1500-byte veth MTU: each datagram leaves as 3 IP fragments.
FRAG_PORT, FRAG_COUNT, FRAG_OUT, FRAG_IN = 5004, 2, 4000, 3200
IP_MTU_DISCOVER, IP_PMTUDISC_DONT = 10, 0  # linux/in.h: let the kernel fragment
DEADLINE = 20.0  # seconds: nothing here may run longer


def serve(addr):
    socket.setdefaulttimeout(DEADLINE)

    def clean():
        with socket.create_server((addr, TCP_CLEAN)) as srv:
            conn, _ = srv.accept()
            with conn:
                got = 0
                while got < REQUEST:
                    chunk = conn.recv(65536)
                    if not chunk:
                        break
                    got += len(chunk)
                conn.sendall(b"r" * RESPONSE)
                # Wait for the client to close first, so the client side ends in TIME_WAIT.
                while conn.recv(65536):
                    pass

    def reset():
        with socket.create_server((addr, TCP_RESET)) as srv:
            conn, _ = srv.accept()
            conn.recv(65536)
            # Linger 0: close() sends a RST instead of a FIN.
            conn.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            conn.close()

    def udp():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.bind((addr, UDP_PORT))
            for _ in range(UDP_COUNT):
                _, peer = s.recvfrom(65536)
                s.sendto(b"u" * UDP_IN, peer)

    def fragmented():
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
            s.bind((addr, FRAG_PORT))
            for _ in range(FRAG_COUNT):
                _, peer = s.recvfrom(65536)
            s.sendto(b"F" * FRAG_IN, peer)

    threads = [threading.Thread(target=f) for f in (clean, reset, udp, fragmented)]
    for t in threads:
        t.start()
    print("ready", flush=True)
    for t in threads:
        t.join(DEADLINE)


def icmp_checksum(data):
    if len(data) % 2:
        data += b"\0"
    s = sum(struct.unpack("!%dH" % (len(data) // 2), data))
    s = (s >> 16) + (s & 0xFFFF)
    s += s >> 16
    return ~s & 0xFFFF


def clients(addr):
    socket.setdefaulttimeout(DEADLINE)
    # TCP, clean close initiated by us after the full response.
    with socket.create_connection((addr, TCP_CLEAN)) as c:
        c.sendall(b"q" * REQUEST)
        got = 0
        while got < RESPONSE:
            chunk = c.recv(65536)
            if not chunk:
                break
            got += len(chunk)
        c.shutdown(socket.SHUT_WR)
        c.recv(1)
    time.sleep(0.3)
    # TCP, reset by the server.
    c = socket.create_connection((addr, TCP_RESET))
    c.sendall(b"x" * 10)
    try:
        c.recv(1)
    except ConnectionResetError:
        pass
    c.close()
    time.sleep(0.3)
    # UDP request/response pairs from one socket.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        for _ in range(UDP_COUNT):
            u.sendto(b"d" * UDP_OUT, (addr, UDP_PORT))
            u.recvfrom(65536)
    time.sleep(0.3)
    # UDP datagrams that the kernel sends as IP fragments, and one fragmented reply.
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
        u.setsockopt(socket.IPPROTO_IP, IP_MTU_DISCOVER, IP_PMTUDISC_DONT)
        for _ in range(FRAG_COUNT):
            u.sendto(b"f" * FRAG_OUT, (addr, FRAG_PORT))
        u.recvfrom(65536)
    time.sleep(0.3)
    # ICMP echo with a fixed identifier (raw socket: we are root in the test).
    with socket.socket(socket.AF_INET, socket.SOCK_RAW, socket.IPPROTO_ICMP) as r:
        for seq in range(1, ICMP_COUNT + 1):
            hdr = struct.pack("!BBHHH", 8, 0, 0, ICMP_ID, seq)
            payload = b"p" * ICMP_PAYLOAD
            pkt = struct.pack("!BBHHH", 8, 0, icmp_checksum(hdr + payload), ICMP_ID, seq) + payload
            r.sendto(pkt, (addr, 0))
            end = time.time() + 2
            while time.time() < end:
                data, _ = r.recvfrom(65536)
                ihl = (data[0] & 0x0F) * 4
                if data[ihl] == 0 and struct.unpack("!H", data[ihl + 4:ihl + 6])[0] == ICMP_ID:
                    break
            time.sleep(0.1)


if __name__ == "__main__":
    if len(sys.argv) != 3 or sys.argv[1] not in ("serve", "clients"):
        sys.exit(__doc__)
    (serve if sys.argv[1] == "serve" else clients)(sys.argv[2])
