#!/usr/bin/env python3
"""A loopback HTTP(S) server that misbehaves on request, for the HTTP transport's tests.

Usage: hostile_http_server.py LOG_FILE [--tls-cert PEM --tls-key PEM [--client-ca PEM]]
Prints its port on the first line of stdout. Every request is appended to LOG_FILE as a JSON
line (method, path, headers), so a test can tell what reached this server and what did not.

Paths:
  /echo                      200, JSON of the request's method, path, headers and body length
  /redirect?to=URL&status=N  N (default 302) with Location: URL
  /loop                      302 to /loop, forever
  /to-port/PORT/anything     307 to http://127.0.0.1:PORT/echo (for clients that append their own paths)
  /trickle-headers           a status line, then one header byte every 0.5 s, forever
  /stall                     headers, then silence
  /huge?length=1             a 1 GiB body of zeros with Content-Length
  /huge-chunked              a chunked body of zeros without end
  /malformed                 200 application/json that is not JSON
  /refuse-echoing            403 whose one-line text body echoes the request's path across its
                             300th byte, after control sequences and a bidi override, before a long tail
"""
import json
import ssl
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True
LOG = sys.argv[1]
OPTIONS = dict(zip(sys.argv[2::2], sys.argv[3::2]))
LOCK = threading.Lock()
GIB = 1 << 30


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        record = {"method": self.command, "path": url.path, "headers": {k.lower(): v for k, v in self.headers.items()},
                  "body_length": len(body)}
        with LOCK, open(LOG, "a") as handle:
            handle.write(json.dumps(record) + "\n")
        if url.path.startswith("/cut/"):
            # /cut/N/…: a 400 whose body is N bytes of padding, then the request's Authorization
            # header echoed back, then a control sequence and a line of its own.
            pad = int(url.path.split("/")[2])
            body = b"x" * pad + self.headers.get("Authorization", "").encode() + b"\x1b[2J\n::error::injected"
            self.answer(400, body, content_type="text/plain")
            return
        if url.path.startswith("/to-port/"):
            port = url.path.split("/")[2]
            self.answer(307, b"", headers=[("Location", f"http://127.0.0.1:{port}/echo")])
            return
        try:
            getattr(self, "route_" + url.path.strip("/").replace("-", "_"), self.route_missing)(query, record)
        except (BrokenPipeError, ConnectionResetError, ssl.SSLError):
            pass

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any

    def answer(self, status, body, content_type="application/json", headers=()):
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers:
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def route_missing(self, query, record):
        self.answer(404, b'{"message":"Not Found"}')

    def route_echo(self, query, record):
        self.answer(200, json.dumps(record).encode())

    def route_redirect(self, query, record):
        self.answer(int(query.get("status", "302")), b"", headers=[("Location", query["to"])])

    def route_loop(self, query, record):
        self.answer(302, b"", headers=[("Location", "/loop")])

    def route_trickle_headers(self, query, record):
        self.wfile.write(b"HTTP/1.1 200 OK\r\n")
        self.wfile.flush()
        while True:
            self.wfile.write(b"X")
            self.wfile.flush()
            time.sleep(0.5)

    def route_stall(self, query, record):
        self.send_response(200)
        self.send_header("Content-Length", "100")
        self.end_headers()
        self.wfile.flush()
        time.sleep(600)

    def route_huge(self, query, record):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(GIB))
        self.end_headers()
        self.stream_zeros(lambda chunk: chunk)

    def route_huge_chunked(self, query, record):
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        self.stream_zeros(lambda chunk: b"%x\r\n" % len(chunk) + chunk + b"\r\n")

    def stream_zeros(self, frame):
        chunk = b"0" * (1 << 16)
        for _ in range(GIB // len(chunk)):
            self.wfile.write(frame(chunk))

    def route_refuse_echoing(self, query, record):
        head = "denied\x1b[2Jreceiver: ok\x07\u202e " + "x" * 262
        self.answer(403, (head + record["path"] + " " + "y" * 5000 + "\x1b]0;pwned\x07").encode())

    def route_gzip_bomb(self, query, record):
        """64 MiB of JSON-ish zeros in a gzip body of about 64 KiB (Content-Encoding: gzip)."""
        import gzip
        body = gzip.compress(b"0" * (64 << 20), compresslevel=9)
        self.answer(200, body, headers=[("Content-Encoding", "gzip")])

    def route_malformed(self, query, record):
        self.answer(200, b'{"number": 1, "head": {"sha": ')


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if "--tls-cert" in OPTIONS:
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(OPTIONS["--tls-cert"], OPTIONS["--tls-key"])
        if "--client-ca" in OPTIONS:
            context.verify_mode = ssl.CERT_REQUIRED
            context.load_verify_locations(OPTIONS["--client-ca"])
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
