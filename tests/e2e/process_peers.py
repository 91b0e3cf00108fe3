#!/usr/bin/env python3
"""Known processes for the process attribution end-to-end test (process_e2e_test.cpp).

  process_peers.py serve-b ADDR        (namespace B) HTTP on 8080 and echo on 8081 (both
                                       answer after ANSWER_DELAY), a UDP sink on 8082,
                                       accept-and-drain on 8083; prints "ready".
  process_peers.py serve-a ADDR        (namespace A) TCP server on ADDR:7000 that answers one
                                       line per connection; decoys bound to 127.0.0.1 on TCP
                                       7001 and UDP 7002 (they must never own traffic on ADDR).
  process_peers.py clients-b ADDR N    (namespace B) N connections to ADDR:7000, then one to
                                       ADDR:7001, where nobody listens (refused).
  process_peers.py probe ADDR          (namespace B) one datagram from port 7002 to ADDR:7002.
  process_peers.py churn ADDR STOPFILE (namespace B) a datagram to ADDR:7002 from a new socket
                                       every 40 ms until STOPFILE exists: each one is a new
                                       connection, so rustnet keeps refreshing its process map.
  process_peers.py udp-send ADDR N     (namespace A) N datagrams to ADDR:8082 from an unbound
                                       socket; prints its local port.
  process_peers.py quick ADDR HOLD_MS  (namespace A) connects to ADDR:8083, prints its local
                                       port, keeps the socket HOLD_MS and exits at once
                                       (after a hold, resetting the connection).

Everything is bounded in count and time: no process here lives longer than DEADLINE.
"""
import os
import socket
import struct
import sys
import threading
import time

SERVER_PORT, DECOY_TCP, DECOY_UDP = 7000, 7001, 7002
HTTP_PORT, ECHO_PORT, UDP_SINK, DRAIN_PORT = 8080, 8081, 8082, 8083
DEADLINE = 60.0  # seconds
# B's servers answer after this pause, so curl's and socat's sockets live long enough for any
# backend to see them (sock_diag only sees sockets that still exist); the short-lived client
# tests the quick case on its own.
ANSWER_DELAY = 0.3
MAX_CONNECTIONS = 64  # per listener


def start_deadline():
    # A process that outlives the test would keep its namespace busy: end it regardless.
    t = threading.Timer(DEADLINE, lambda: os._exit(3))
    t.daemon = True
    t.start()


def serve_tcp(addr, port, handle):
    srv = socket.create_server((addr, port))
    srv.settimeout(DEADLINE)

    def loop():
        for _ in range(MAX_CONNECTIONS):
            try:
                conn, _ = srv.accept()
            except OSError:
                return
            conn.settimeout(10)
            threading.Thread(target=guarded, args=(handle, conn), daemon=True).start()

    threading.Thread(target=loop, daemon=True).start()
    return srv


def guarded(handle, conn):
    with conn:
        try:
            handle(conn)
        except OSError:
            pass


def read_until(conn, marker, limit=65536):
    data = b""
    while marker not in data and len(data) < limit:
        chunk = conn.recv(4096)
        if not chunk:
            break
        data += chunk
    return data


def drain(conn):
    while conn.recv(4096):
        pass


def http(conn):
    read_until(conn, b"\r\n\r\n")
    time.sleep(ANSWER_DELAY)
    body = b"ok\n"
    head = b"HTTP/1.0 200 OK\r\nContent-Length: %d\r\nConnection: close\r\n\r\n" % len(body)
    conn.sendall(head + body)


def echo(conn):
    while True:
        chunk = conn.recv(4096)
        if not chunk:
            return
        time.sleep(ANSWER_DELAY)
        conn.sendall(chunk)


def answer_line(conn):
    read_until(conn, b"\n")
    conn.sendall(b"hello from A\n")
    drain(conn)


def serve_b(addr):
    start_deadline()
    keep = [serve_tcp(addr, HTTP_PORT, http), serve_tcp(addr, ECHO_PORT, echo),
            serve_tcp(addr, DRAIN_PORT, drain)]
    sink = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    sink.bind((addr, UDP_SINK))
    keep.append(sink)
    print("ready", flush=True)
    sink.settimeout(DEADLINE)
    for _ in range(1000):
        try:
            sink.recvfrom(65536)
        except OSError:
            break


def serve_a(addr):
    start_deadline()
    keep = [serve_tcp(addr, SERVER_PORT, answer_line), serve_tcp("127.0.0.1", DECOY_TCP, drain)]
    decoy = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    decoy.bind(("127.0.0.1", DECOY_UDP))
    keep.append(decoy)
    print("ready", flush=True)
    time.sleep(DEADLINE)


def clients_b(addr, n):
    socket.setdefaulttimeout(10)
    for i in range(n):
        with socket.create_connection((addr, SERVER_PORT)) as c:
            c.sendall(b"hello %d\n" % i)
            read_until(c, b"\n")
            c.shutdown(socket.SHUT_WR)
            drain(c)
        time.sleep(0.05)
    try:
        socket.create_connection((addr, DECOY_TCP)).close()
        sys.exit("connected to %s:%d, where nobody should listen" % (addr, DECOY_TCP))
    except ConnectionRefusedError:
        pass


def probe(addr):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        s.bind(("", DECOY_UDP))
        s.sendto(b"probe", (addr, DECOY_UDP))


def churn(addr, stop_file):
    for _ in range(250):
        if os.path.exists(stop_file):
            return
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
            s.sendto(b"churn", (addr, DECOY_UDP))
        time.sleep(0.04)


def udp_send(addr, n):
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
        for i in range(n):
            s.sendto(b"datagram %d" % i, (addr, UDP_SINK))
            if i == 0:
                print(s.getsockname()[1], flush=True)
            time.sleep(0.05)


def quick(addr, hold_ms):
    c = socket.create_connection((addr, DRAIN_PORT), timeout=10)
    print(c.getsockname()[1], flush=True)
    if hold_ms > 0:
        time.sleep(hold_ms / 1000)
        # Reset rather than FIN: the connection then ends at once, while rustnet runs, and its
        # closing event must still name this process, which no longer exists.
        c.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    os._exit(0)  # no interpreter teardown: the socket goes with the process, now


if __name__ == "__main__":
    cmds = {"serve-b": (serve_b, 1), "serve-a": (serve_a, 1), "clients-b": (clients_b, 2),
            "probe": (probe, 1), "churn": (churn, 2), "udp-send": (udp_send, 2),
            "quick": (quick, 2)}
    if len(sys.argv) < 3 or sys.argv[1] not in cmds or len(sys.argv) != cmds[sys.argv[1]][1] + 2:
        sys.exit(__doc__)
    fn, _ = cmds[sys.argv[1]]
    args = [sys.argv[2]] + [int(a) if a.isdigit() else a for a in sys.argv[3:]]
    fn(*args)
