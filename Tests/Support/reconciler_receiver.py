#!/usr/bin/env python3
"""Loopback stand-ins for the reconciler endpoints `capstan apps --notify` calls.

They check requests the way the real ones do:
  * Flux notification-controller Receivers, served at /hook/<sha256(token+name+namespace)>
    (the Receiver's status.webhookPath):
      generic       no signature;
      generic-hmac  X-Signature: <alg>=<hex HMAC(token, body)> (go-github ValidateSignature);
      github        X-Hub-Signature-256 (else X-Hub-Signature), JSON content type,
                    X-GitHub-Event must be one of the Receiver's events (push).
    A request that fails validation gets 400, as notification-controller answers.
  * Argo CD /api/webhook with a GitHub push event: X-GitHub-Event: push, and when a
    webhook.github.secret is set, X-Hub-Signature-256: sha256=<hex HMAC>; the payload's
    repository.html_url must name the repository and ref must be a branch.
  * Argo CD GET /api/v1/applications/<name>?refresh=normal with Authorization: Bearer.

Each request is appended to the log as one JSON line: what came in and the verdict.
Usage: reconciler_receiver.py READY_FILE LOG_FILE CONFIG_JSON
"""
import hashlib
import hmac
import json
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

ready_file, log_file, config_text = sys.argv[1], sys.argv[2], sys.argv[3]
config = json.loads(config_text)
lock = threading.Lock()

receivers = {}
for receiver in config.get("receivers", []):
    digest = hashlib.sha256((receiver["token"] + receiver["name"] + receiver["namespace"]).encode()).hexdigest()
    receivers["/hook/" + digest] = receiver


def valid_signature(header, body, key):
    """go-github's ValidateSignature: '<alg>=<hex>' with sha1, sha256 or sha512."""
    if not header or "=" not in header:
        return False
    algorithm, _, given = header.partition("=")
    digests = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}
    if algorithm not in digests:
        return False
    expected = hmac.new(key.encode(), body, digests[algorithm]).hexdigest()
    return hmac.compare_digest(expected, given)


def normalised(url):
    url = url.lower().rstrip("/")
    return url[:-4] if url.endswith(".git") else url


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def record(self, entry, status, body=b""):
        with lock, open(log_file, "a") as log:
            log.write(json.dumps(entry, sort_keys=True) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        url = urlparse(self.path)
        entry = {"endpoint": "argocd-api", "path": url.path, "query": parse_qs(url.query)}
        prefix = "/api/v1/applications/"
        if not url.path.startswith(prefix):
            entry["verdict"] = "not found"
            return self.record(entry, 404)
        name = url.path[len(prefix):]
        entry["app"] = name
        if self.headers.get("Authorization") != "Bearer " + config["argoToken"]:
            entry["verdict"] = "unauthenticated"
            return self.record(entry, 401, b'{"error":"invalid session","code":16}')
        if name not in config.get("argoApps", []):
            entry["verdict"] = "permission denied"
            return self.record(entry, 403, b'{"error":"permission denied","code":7}')
        entry["verdict"] = "ok"
        self.record(entry, 200, json.dumps({"metadata": {"name": name}}).encode())

    def do_POST(self):
        length = int(self.headers.get("Content-Length", "0"))
        body = self.rfile.read(length)
        path = urlparse(self.path).path
        if path == "/api/webhook":
            return self.argo_webhook(body)
        receiver = receivers.get(path)
        if receiver is None:
            return self.record({"endpoint": "unknown", "path": path, "verdict": "not found"}, 404)
        entry = {"endpoint": "flux-receiver", "receiver": receiver["name"], "type": receiver["type"]}
        kind = receiver["type"]
        if kind == "generic-hmac" and not valid_signature(self.headers.get("X-Signature"), body, receiver["token"]):
            entry["verdict"] = "unable to validate HMAC signature"
            return self.record(entry, 400)
        if kind == "github":
            content_type = (self.headers.get("Content-Type") or "").split(";")[0]
            if content_type not in ("application/json", "application/x-www-form-urlencoded"):
                entry["verdict"] = "bad content type"
                return self.record(entry, 400)
            header = self.headers.get("X-Hub-Signature-256") or self.headers.get("X-Hub-Signature")
            if not valid_signature(header, body, receiver["token"]):
                entry["verdict"] = "the GitHub signature header is invalid"
                return self.record(entry, 400)
            event = self.headers.get("X-GitHub-Event") or ""
            if receiver.get("events") and event.lower() not in [e.lower() for e in receiver["events"]]:
                entry["verdict"] = "event %s is not authorised" % event
                return self.record(entry, 400)
            entry["event"] = event
        entry["verdict"] = "ok"
        self.record(entry, 200)

    def argo_webhook(self, body):
        entry = {"endpoint": "argocd-webhook"}
        if self.headers.get("X-GitHub-Event") != "push":
            entry["verdict"] = "unknown webhook event"
            return self.record(entry, 400)
        secret = config.get("argoWebhookSecret")
        if secret:
            signature = self.headers.get("X-Hub-Signature-256") or ""
            if not signature.startswith("sha256=") or not valid_signature(signature, body, secret):
                entry["verdict"] = "HMAC verification failed"
                return self.record(entry, 400)
        try:
            payload = json.loads(body)
        except ValueError:
            entry["verdict"] = "payload is not JSON"
            return self.record(entry, 400)
        html_url = payload.get("repository", {}).get("html_url", "")
        ref = payload.get("ref", "")
        if normalised(html_url) != normalised(config["argoRepository"]) or not ref.startswith("refs/heads/"):
            entry["verdict"] = "no matching repository or branch"
            return self.record(entry, 400)
        changed = []
        for commit in payload.get("commits", []):
            changed += commit.get("added", []) + commit.get("modified", []) + commit.get("removed", [])
        entry.update({"verdict": "ok", "ref": ref, "before": payload.get("before"), "after": payload.get("after"),
                      "changed": sorted(changed), "repository": html_url})
        self.record(entry, 200)


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
with open(ready_file + ".tmp", "w") as ready:
    json.dump({"port": server.server_address[1], "webhookPaths": {r["name"]: p for p, r in receivers.items()}}, ready)
import os
os.rename(ready_file + ".tmp", ready_file)
server.serve_forever()
