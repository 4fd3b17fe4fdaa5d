#!/usr/bin/env python3
"""A loopback Git smart-HTTP server for Capstan's tests: the real `git http-backend`
behind HTTP Basic auth, with switches to misbehave the way networks and forges do.

Usage: git_http_server.py --root DIR --user NAME --password SECRET [--faults DIR]
                          [--tls-cert PEM --tls-key PEM]
Prints the chosen port on its first line of stdout, then serves until killed.

Faults are requested by creating files in --faults DIR (each is used once, then removed):
  drop-push-before   read a push's request body, then close the connection unanswered
  drop-push-after    let git receive the push, then close the connection unanswered
  stall              answer nothing at all, keeping the connection open (not used up)
  trickle            answer one byte every half second (not used up)
  redirect           answer every request with a 302 to the URL in the file, same path (not used up)
  redirect-authorised  as redirect, but only requests that carry the credentials (so the client
                     has been asked for them and sent them before it is redirected)
  close-after-advertisement  after the next receive-pack advertisement, close the keep-alive
                     socket without saying so (as a load balancer's idle timeout does)
  advertise-after-push  after the next push, answer the next ref advertisement from the
                     repository root named in the file (as if the branch moved there and back)
  reject-push        refuse every push, reporting `ng <ref> <the file's bytes>` as a server's
                     hook or policy does, the repository untouched (not used up)
A request log (method, path, status; never credentials) goes to DIR/requests.log.
"""
import argparse
import base64
import os
import subprocess
import sys
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

ARGS = None
LOG_LOCK = threading.Lock()


def take_fault(name):
    if not ARGS.faults:
        return False
    path = os.path.join(ARGS.faults, name)
    try:
        os.remove(path)
        return True
    except FileNotFoundError:
        return False


def read_request_body(handler):
    """The request body, de-chunked when the client streamed it (git does for big pushes)."""
    if handler.headers.get("Transfer-Encoding", "").lower() == "chunked":
        chunks = []
        while True:
            size = int(handler.rfile.readline().strip().split(b";")[0], 16)
            if size == 0:
                while handler.rfile.readline() not in (b"\r\n", b"\n", b""):
                    pass
                break
            chunks.append(handler.rfile.read(size))
            handler.rfile.readline()
        return b"".join(chunks)
    length = int(handler.headers.get("Content-Length", "0"))
    return handler.rfile.read(length) if length else b""


def pkt_line(data):
    return b"%04x" % (len(data) + 4) + data


def rejection(body, reason):
    """A receive-pack result refusing the first reference of the push with REASON, in the
    side band when the client asked for one."""
    first = body[4:int(body[:4], 16)] if len(body) >= 4 else b""
    commands, _, capabilities = first.partition(b"\0")
    reference = commands.split(b" ")[2].strip() if commands.count(b" ") >= 2 else b"refs/heads/main"
    report = pkt_line(b"unpack ok\n") + pkt_line(b"ng " + reference + b" " + reason + b"\n") + b"0000"
    if b"side-band" in capabilities:
        return pkt_line(b"\x01" + report) + b"0000"
    return report


def fault_present(name):
    return bool(ARGS.faults) and os.path.exists(os.path.join(ARGS.faults, name))


def password_of(handler):
    """The password of the request's Basic credentials, or "" (the user name is ignored)."""
    header = handler.headers.get("Authorization", "")
    if not header.startswith("Basic "):
        return ""
    try:
        return base64.b64decode(header[6:]).decode().partition(":")[2]
    except Exception:
        return ""


def run_git_backend(root, handler, path, query, body, user):
    """Runs `git http-backend` for one request; returns (status, headers, payload)."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "GIT_PROJECT_ROOT": root,
        "GIT_HTTP_EXPORT_ALL": "1",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "REQUEST_METHOD": handler.command,
        "CONTENT_TYPE": handler.headers.get("Content-Type", ""),
        "CONTENT_LENGTH": str(len(body)),
        "REMOTE_USER": user,
        "REMOTE_ADDR": "127.0.0.1",
        "GIT_HTTP_MAX_REQUEST_BUFFER": "100M",
    }
    if handler.headers.get("Content-Encoding"):
        env["HTTP_CONTENT_ENCODING"] = handler.headers["Content-Encoding"]
    if handler.headers.get("Git-Protocol"):
        env["GIT_PROTOCOL"] = handler.headers["Git-Protocol"]
    result = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True)
    head, _, payload = result.stdout.partition(b"\r\n\r\n")
    status = 200
    headers = {}
    for line in head.split(b"\r\n"):
        if not line:
            continue
        name, _, value = line.decode().partition(":")
        if name.lower() == "status":
            status = int(value.strip().split()[0])
        else:
            headers[name] = value.strip()
    return status, headers, payload


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def record(self, status):
        if not ARGS.faults:
            return
        with LOG_LOCK, open(os.path.join(ARGS.faults, "requests.log"), "a") as log:
            log.write(f"{self.command} {self.path.split('?')[0]} {status}\n")

    def authorised(self):
        # Like the big forges, any user name goes with a valid token.
        return password_of(self) == ARGS.password

    def handle_any(self):
        body = read_request_body(self) if self.command == "POST" else b""
        if fault_present("stall"):
            self.record("stalled")
            threading.Event().wait(3600)
            return
        redirect = "redirect" if fault_present("redirect") else None
        if redirect is None and fault_present("redirect-authorised") and self.authorised():
            redirect = "redirect-authorised"
        if redirect:
            with open(os.path.join(ARGS.faults, redirect)) as target:
                location = target.read().strip().rstrip("/") + self.path
            self.record(302)
            self.send_response(302)
            self.send_header("Location", location)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        if not self.authorised():
            self.record(401)
            self.send_response(401)
            self.send_header("WWW-Authenticate", 'Basic realm="capstan-test"')
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        path, _, query = self.path.partition("?")
        is_push = self.command == "POST" and path.endswith("/git-receive-pack")
        root = ARGS.root
        if self.command == "GET" and path.endswith("/info/refs") and fault_present("advertise-next"):
            with open(os.path.join(ARGS.faults, "advertise-next")) as other:
                root = other.read().strip()
            take_fault("advertise-next")
        if is_push and take_fault("drop-push-before"):
            self.record("dropped-before")
            self.close_connection = True
            self.connection.close()
            return
        if is_push and fault_present("reject-push"):
            with open(os.path.join(ARGS.faults, "reject-push"), "rb") as reason:
                status, headers, payload = 200, {"Content-Type": "application/x-git-receive-pack-result"}, rejection(body, reason.read())
        else:
            status, headers, payload = run_git_backend(root, self, path, query, body, ARGS.user)
        if is_push and fault_present("advertise-after-push"):
            os.rename(os.path.join(ARGS.faults, "advertise-after-push"), os.path.join(ARGS.faults, "advertise-next"))
        if is_push and take_fault("drop-push-after"):
            self.record("dropped-after")
            self.close_connection = True
            self.connection.close()
            return
        self.record(status)
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        if fault_present("trickle"):
            for index in range(len(payload)):
                self.wfile.write(payload[index:index + 1])
                self.wfile.flush()
                time.sleep(0.5)
            return
        self.wfile.write(payload)
        if self.command == "GET" and "git-receive-pack" in self.path and status == 200 and take_fault("close-after-advertisement"):
            self.wfile.flush()
            self.close_connection = True

    do_GET = handle_any
    do_POST = handle_any


def main():
    global ARGS
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--faults")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--tls-cert", help="serve HTTPS with this certificate (PEM)")
    parser.add_argument("--tls-key", help="the certificate's private key (PEM)")
    ARGS = parser.parse_args()
    server = ThreadingHTTPServer(("127.0.0.1", ARGS.port), Handler)
    server.daemon_threads = True
    if ARGS.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ARGS.tls_cert, ARGS.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    print(server.server_address[1], flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
