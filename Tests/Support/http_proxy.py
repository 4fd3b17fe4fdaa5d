#!/usr/bin/env python3
"""A forward HTTP proxy on loopback for Capstan's tests: relays `CONNECT host:port`
tunnels and absolute-URI requests (`GET http://host:port/path HTTP/1.1`), logging each
request line to --log (never a header, so never a credential).

Usage: http_proxy.py --log FILE
Prints the chosen port on its first line of stdout, then serves until killed.
"""
import argparse
import socket
import sys
import threading
from urllib.parse import urlsplit

LOG_LOCK = threading.Lock()
ARGS = None


def record(line):
    with LOG_LOCK, open(ARGS.log, "a") as log:
        log.write(line + "\n")


def pipe(source, sink):
    try:
        while True:
            data = source.recv(65536)
            if not data:
                break
            sink.sendall(data)
    except OSError:
        pass
    finally:
        try:
            sink.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve(client):
    reader = client.makefile("rb")
    request_line = reader.readline()
    if not request_line:
        client.close()
        return
    method, target, version = request_line.decode("latin-1").strip().split(" ", 2)
    headers = []
    while True:
        line = reader.readline()
        headers.append(line)
        if line in (b"\r\n", b"\n", b""):
            break
    record(f"{method} {target}")
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        upstream = socket.create_connection((host, int(port)))
        client.sendall(b"HTTP/1.1 200 Connection established\r\n\r\n")
    else:
        parts = urlsplit(target)
        upstream = socket.create_connection((parts.hostname, parts.port or 80))
        path = parts.path + ("?" + parts.query if parts.query else "")
        upstream.sendall(f"{method} {path} {version}\r\n".encode("latin-1") + b"".join(
            h for h in headers if not h.lower().startswith(b"proxy-")))
    threading.Thread(target=pipe, args=(upstream, client), daemon=True).start()
    try:
        while True:
            data = reader.read1(65536)
            if not data:
                break
            if method != "CONNECT" and data.split(b" ", 1)[0] in (b"GET", b"POST") and b" http://" in data.split(b"\r\n", 1)[0]:
                line, _, rest = data.partition(b"\r\n")
                m, t, v = line.decode("latin-1").split(" ", 2)
                record(f"{m} {t}")
                parts = urlsplit(t)
                data = f"{m} {parts.path}{'?' + parts.query if parts.query else ''} {v}\r\n".encode("latin-1") + rest
            upstream.sendall(data)
    except OSError:
        pass
    finally:
        try:
            upstream.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--log", required=True)
    ARGS = parser.parse_args()
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    print(server.getsockname()[1], flush=True)
    while True:
        client, _ = server.accept()
        threading.Thread(target=serve, args=(client,), daemon=True).start()


if __name__ == "__main__":
    sys.exit(main())
