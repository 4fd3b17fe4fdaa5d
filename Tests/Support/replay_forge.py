#!/usr/bin/env python3
"""Replays recorded exchanges of a real forge (Tests/Fixtures/forges/recorded/) in order.

Usage: replay_forge.py RECORDING.json LOG_FILE [--prefix /api/v3] [--origin https://api.github.com]
Prints its port on the first line of stdout. Each request must be the next recorded one:
same method, same path (after stripping --prefix), where the recording has a "query", those
query parameters with those values, and where it has a body, the same JSON body; it then gets the recorded status, headers and answer
(a recorded "text" instead of a "response": that text as the body, byte for byte, for answers
that are not JSON). Anything else gets
599 and is logged as a mismatch. Every request is appended to LOG_FILE as a JSON line:
{"method", "path", "matched", "why", "index", "at"} (seconds since the epoch) — never the
Authorization header. A recorded Date header is sent as recorded (instead of the server's
own; a recorded null Date: no Date header at all), and with --origin, that origin in recorded
header values (a Link, a Location) becomes this server's address and prefix, so a recorded
next-page link leads back here.
"""
import json
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.dont_write_bytecode = True
RECORDING, LOG = sys.argv[1], sys.argv[2]
OPTIONS = dict(zip(sys.argv[3::2], sys.argv[4::2]))
PREFIX = OPTIONS.get("--prefix", "")
ORIGIN = OPTIONS.get("--origin")
EXCHANGES = json.load(open(RECORDING))["exchanges"]
LOCK = threading.Lock()
NEXT = [0]


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def handle_any(self):
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        path, query = urlsplit(self.path).path, parse_qs(urlsplit(self.path).query)
        if PREFIX and path.startswith(PREFIX):
            path = path[len(PREFIX):]
        with LOCK:
            index = NEXT[0]
            expected = EXCHANGES[index] if index < len(EXCHANGES) else None
            why = self.mismatch(expected, path, query, raw)
            if not why:
                NEXT[0] += 1
            with open(LOG, "a") as handle:
                handle.write(json.dumps({"method": self.command, "path": path, "matched": not why, "why": why, "index": index,
                                         "at": time.time()}) + "\n")
        if why:
            self.reply(599, {"message": f"replay mismatch: {why}"}, {})
        else:
            self.reply(expected["status"], expected.get("response"), expected.get("headers", {}), expected.get("text"))

    def mismatch(self, expected, path, query, raw):
        if expected is None:
            return "no recorded exchange left"
        if expected["method"] != self.command or expected["path"] != path:
            return f"expected {expected['method']} {expected['path']}"
        for name, value in expected.get("query", {}).items():
            if query.get(name) != [value]:
                return f"query {name}={query.get(name)}, expected {value}"
        if "body" in expected:
            try:
                body = json.loads(raw or b"null")
            except ValueError:
                return "the body is not JSON"
            if body != expected["body"]:
                return f"body {body} differs from the recorded {expected['body']}"
        return None

    def reply(self, status, answer, headers, text=None):
        data = text.encode() if text is not None else b"" if answer is None else json.dumps(answer).encode()
        self.send_response_only(status)
        names = {name.lower() for name in headers}
        if "date" not in names:
            self.send_header("Date", self.date_time_string())
        here = f"http://127.0.0.1:{self.server.server_address[1]}{PREFIX}"
        for name, value in headers.items():
            if name.lower() not in ("content-length",) and value is not None:
                self.send_header(name, value.replace(ORIGIN, here) if ORIGIN else value)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main()
