#!/usr/bin/env python3
"""A loopback forge for Capstan's tests: pull requests over REAL bare repositories.

One server plays one forge (--kind github | gitea | forgejo | gitlab | bitbucket-cloud |
bitbucket-datacenter | azure-devops): it serves the repositories with the real
`git http-backend` (Basic auth, the token as password) and the forge's REST API under its
documented prefix (/api/v3 for GitHub Enterprise Server, /api/v1 for Gitea and Forgejo, /api/v4
for GitLab, /2.0 for Bitbucket Cloud, /rest for Bitbucket Data Center, …/_apis/ for Azure
DevOps), answering in the documented shapes. Merges, squashes and rebases are done with the `git`
CLI in a temporary worktree of the bare repository, so what lands is what git made.

Usage: test_forge.py --kind KIND --root DIR --token SECRET --faults DIR [--page-size N] [--tls-cert PEM --tls-key PEM]
Prints the chosen port on its first line of stdout, then serves until killed.
Repositories live at DIR/OWNER/REPO.git and are cloned as http://127.0.0.1:PORT/OWNER/REPO.git
(Azure DevOps also as http://127.0.0.1:PORT/OWNER/PROJECT/_git/REPO).

Misbehaviour is asked for by writing fault-*.json files into --faults DIR (read in name order,
each removed once read); each file holds one object:
  {"match": "PUT /repos/o/r/pulls/1/merge", "status": 429, "headers": {"Retry-After": "1"},
   "body": {...}, "count": 2}             answer the next COUNT matching requests so
  {"match": "...", "delay": 1.5, "count": 1}   wait before answering
  {"match": "...", "status": 200, "raw_body": "{\"number\": "}   answer these bytes as they are
  {"mergeable_null_polls": 3}             the next 3 reads of a PR say mergeable: null
  {"pending_to_success_after": 2}         a pending status turns green after 2 reads
  {"check_runs": [{"name": "build", "status": "completed", "conclusion": "success", "queued_reads": 1}]}
                                          GitHub check runs on every commit (queued for the first N reads)
  {"async_merge_polls": 2, "fails": null}  Bitbucket Cloud: the next merge answers 202 + a task-status Location,
                                          PENDING for 2 polls, then merged (or failed with "fails" as the message);
                                          Azure DevOps: the next completion leaves the PR active for 2 reads,
                                          then completed (or active and rejectedByPolicy when "fails")
  {"required_checks": ["build"], "protection_status": 200}
                                          GitHub branch protection requires these checks on every base; a
                                          protection_status of 403 or 404 says the token may not read it
  {"head_pipeline": {"status": "failed", "stale": false}}
                                          GitLab: open MRs read one by one carry this head_pipeline (on an
                                          older head when stale)
  {"policies": [{"name": "Build", "status": "running", "blocking": true}], "policy_status": 200}
                                          Azure DevOps policy evaluations of every PR (403: not readable)
  {"ruleset_checks": ["build"]}          GitHub: a ruleset's required_status_checks rule on every branch
  {"ci_reports_after": 2}                 a commit with no status gets a green "ci" one on its 3rd read
  {"blocked_polls": 3}                    the next 3 reads of a GitHub PR say mergeable_state: blocked
  {"merge_error": "…"}                    GitLab: the next merge fails inside GitLab (a hook refused it) and is
                                          answered 200 with the MR still opened and this merge_error
  {"move_head_on_merge": true}            push a commit to the head just before a merge
  {"move_head_before": "GET …", "skip": 1} push to PR 1's head before the 2nd matching request
  {"seed_comments": 150, "pr": 1}         someone posts 150 comments on PR 1
  {"archived": true}                      GitLab: the project is archived; every write is 403 "403 Forbidden"
"match" is a substring of "METHOD PATH" (PATH without the API prefix), or with "exact": true the whole of it.
Every API request and answer is logged as a JSON line in DIR/api.jsonl (never the token);
the PR table is written to DIR/state.json after every change.

This file is the server: arguments, dispatch, authentication, faults and the request log. The
forges' routes and shapes live in the forge/ package next to it (see forge/__init__.py).
"""
import argparse
import base64
import json
import os
import re
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))  # run from any directory
sys.dont_write_bytecode = True  # leave no __pycache__ in the source tree

from forge import azure_devops, bitbucket_cloud, bitbucket_datacenter, github, gitlab  # noqa: E402
from forge.pulls import add_comment  # noqa: E402
from forge.repos import move_head  # noqa: E402
from forge.state import ARGS, LOCK, STATE, ForgeAnswer, save_state  # noqa: E402
from git_http_server import password_of, read_request_body, run_git_backend  # noqa: E402

PREFIX = {"github": "/api/v3", "gitea": "/api/v1", "gitlab": "/api/v4", "bitbucket-cloud": "/2.0", "azure-devops": "", "bitbucket-datacenter": "/rest", "forgejo": "/api/v1"}
ROUTE = {"github": github.route, "gitea": github.route, "gitlab": gitlab.route, "bitbucket-cloud": bitbucket_cloud.route,
         "bitbucket-datacenter": bitbucket_datacenter.route, "azure-devops": azure_devops.route}


# ---------- faults (see the module docstring) ----------

def load_faults():
    if not ARGS.faults:
        return
    for name in sorted(os.listdir(ARGS.faults)):
        if not (name.startswith("fault-") and name.endswith(".json")):
            continue
        path = os.path.join(ARGS.faults, name)
        try:
            with open(path) as handle:
                fault = json.load(handle)
            os.remove(path)
        except (OSError, ValueError):
            continue
        if "mergeable_null_polls" in fault:
            STATE["mergeable_null"] += fault["mergeable_null_polls"]
        elif "pending_to_success_after" in fault:
            STATE["pending_to_success_after"] = fault["pending_to_success_after"]
        elif "async_merge_polls" in fault:
            STATE["async_merge_polls"] = fault["async_merge_polls"]
            STATE["async_merge_fails"] = fault.get("fails")
        elif "check_runs" in fault:
            STATE["check_runs"] = fault["check_runs"]
        elif "policies" in fault:
            STATE["policies"] = fault["policies"]
            STATE["policy_status"] = fault.get("policy_status", 200)
        elif "head_pipeline" in fault:
            STATE["head_pipeline"] = fault["head_pipeline"]
        elif "ruleset_checks" in fault:
            STATE["ruleset_checks"] = fault["ruleset_checks"]
        elif "required_checks" in fault:
            STATE["required_checks"] = fault["required_checks"]
            STATE["protection_status"] = fault.get("protection_status", 200)
        elif "ci_reports_after" in fault:
            STATE["ci_reports_after"] = fault["ci_reports_after"]
        elif "archived" in fault:
            STATE["archived"] = fault["archived"]
        elif "blocked_polls" in fault:
            STATE["blocked_polls"] += fault["blocked_polls"]
        elif "merge_error" in fault:
            STATE["merge_error"] = fault["merge_error"]
        elif fault.get("move_head_on_merge"):
            STATE["move_head_on_merge"] = True
        elif "seed_comments" in fault:
            for index in range(fault["seed_comments"]):
                add_comment(fault.get("pr", 1), f"seed comment {index + 1}")
        elif "move_head_before" in fault:
            fault.setdefault("skip", 0)
            STATE.setdefault("head_movers", []).append(fault)
        else:
            fault.setdefault("count", 1)
            STATE["faults"].append(fault)


def move_head_if_asked(request_line):
    """{"move_head_before": "GET …/pullrequests/1", "skip": 1, "pr": 1}: someone pushes to the
    PR's head just before the forge answers the (skip+1)-th matching request."""
    for mover in STATE.get("head_movers", []):
        if mover.get("done") or mover["move_head_before"] not in request_line:
            continue
        if mover["skip"] > 0:
            mover["skip"] -= 1
            continue
        mover["done"] = True
        for pr in STATE["pulls"].values():
            if pr["number"] == mover.get("pr", 1) and pr["state"] == "open":
                move_head(pr)


def take_fault(request_line):
    for fault in STATE["faults"]:
        matched = fault["match"] == request_line if fault.get("exact") else fault["match"] in request_line
        if matched and fault["count"] > 0:
            fault["count"] -= 1
            return fault
    return None


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, fmt, *args):
        pass

    def send(self, status, payload, headers=None, content_type="application/json"):
        data = b"" if payload is None else (payload if isinstance(payload, bytes) else json.dumps(payload).encode())
        self.send_response(status)
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        if data:
            self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def handle_any(self):
        body = read_request_body(self)
        url = urlsplit(self.path)
        # A request through a proxy names the whole URL.
        path = url.path
        if ARGS.kind == "azure-devops" and "/_apis/" in path:
            self.handle_api(path, parse_qs(url.query), body, url.query)
        elif ARGS.kind != "azure-devops" and path.startswith(PREFIX[ARGS.kind] + "/"):
            self.handle_api(path[len(PREFIX[ARGS.kind]):], parse_qs(url.query), body, url.query)
        else:
            self.handle_git(path, url.query, body)

    def api_authorised(self):
        header = self.headers.get("Authorization", "")
        if ARGS.kind == "gitlab":
            return self.headers.get("PRIVATE-TOKEN") == ARGS.token or header == "Bearer " + ARGS.token
        if ARGS.kind.startswith("bitbucket"):  # Cloud access tokens and Data Center HTTP access tokens
            return header == "Bearer " + ARGS.token
        if ARGS.kind == "azure-devops":
            return header == "Basic " + base64.b64encode((":" + ARGS.token).encode()).decode()
        expected = {"github": ("Bearer ", "token "), "gitea": ("token ",)}[ARGS.kind]
        return any(header == prefix + ARGS.token for prefix in expected)

    def handle_api(self, path, query, raw, raw_query):
        try:
            parsed = json.loads(raw) if raw else {}
        except ValueError:
            parsed = None
        entry = {"method": self.command, "path": path, "query": {k: v[0] for k, v in query.items()},
                 "body": parsed, "proxied": self.path.startswith("http://"), "at": time.time()}
        with LOCK:
            load_faults()
            fault = take_fault(f"{self.command} {path}")
            move_head_if_asked(f"{self.command} {path}")
        if fault and fault.get("delay"):
            time.sleep(fault["delay"])
            fault = fault if "status" in fault else None
        with LOCK:
            if not self.api_authorised():
                status, answer, headers = 401, {"message": "Bad credentials"}, {}
            elif parsed is None:
                status, answer, headers = 400, {"message": "Problems parsing JSON"}, {}
            elif fault:
                status, answer, headers = fault["status"], fault.get("body", {"message": f"injected {fault['status']}"}), fault.get("headers", {})
            else:
                try:
                    status, answer = ROUTE[ARGS.kind](self.command, path, query, parsed)
                    headers = {}
                except ForgeAnswer as forge_answer:
                    status, answer, headers = forge_answer.status, forge_answer.body, forge_answer.headers
                except Exception as crash:  # a bug here must show in the test, not hang it
                    status, answer, headers = 500, {"message": f"test forge crashed: {crash}"}, {}
                if status < 300 and self.command != "GET":
                    save_state()
            entry.update(status=status, response=answer, injected=bool(fault))
            with open(os.path.join(ARGS.faults, "api.jsonl"), "a") as log:
                log.write(json.dumps(entry, sort_keys=True) + "\n")
        if fault and "raw_body" in fault:
            answer = fault["raw_body"].encode()
        self.send(status, answer, headers)

    def handle_git(self, path, query, body):
        if password_of(self) != ARGS.token:
            self.send(401, None, {"WWW-Authenticate": 'Basic realm="test-forge"'})
            return
        # Azure DevOps clones from /ORG/PROJECT/_git/REPO: the same repository as /ORG/REPO.git.
        azure = re.fullmatch(r"/([^/]+)/[^/]+/_git/([^/]+)(/.*)", path) if ARGS.kind == "azure-devops" else None
        if azure:
            path = f"/{azure.group(1)}/{azure.group(2)}.git{azure.group(3)}"
        status, headers, payload = run_git_backend(ARGS.root, self, path, query, body, "capstan")
        content_type = headers.pop("Content-Type", "application/octet-stream")
        self.send(status, payload, headers, content_type)

    do_GET = do_POST = do_PUT = do_PATCH = do_DELETE = handle_any


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--kind", required=True, choices=sorted(PREFIX))
    parser.add_argument("--root", required=True)
    parser.add_argument("--token", required=True)
    parser.add_argument("--faults", required=True)
    parser.add_argument("--page-size", type=int, help="answer every list in pages of at most this many items")
    parser.add_argument("--tls-cert", help="serve HTTPS with this PEM certificate chain")
    parser.add_argument("--tls-key", help="the certificate's private key")
    parser.parse_args(namespace=ARGS)
    ARGS.flavour = ARGS.kind
    if ARGS.kind == "forgejo":  # Forgejo keeps Gitea's API v1 shapes
        ARGS.kind = "gitea"
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    if ARGS.tls_cert:
        import ssl
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(ARGS.tls_cert, ARGS.tls_key)
        server.socket = context.wrap_socket(server.socket, server_side=True)
    ARGS.port = server.server_address[1]
    print(ARGS.port, flush=True)
    server.serve_forever()


if __name__ == "__main__":
    sys.exit(main())
