#!/usr/bin/env python3
"""A loopback Argo CD API server for `capstan wait`, speaking ApplicationService_Get
(GET /api/v1/applications/{name}) as Argo CD's assets/swagger.json describes it (the
trimmed copy in Tests/Fixtures/reconcilers/argocd-swagger.json).

Every request is checked against the operation (method, path template, declared query
parameters, bearer token) and every answer against the v1alpha1Application schema (no
property the schema does not declare, types as declared; int64 may be a JSON string, as
grpc-gateway writes it). Each request is logged as one JSON line with its verdict.

Apps play rollout sequences, one stage per request (a stage may hold for several):
  rollout      Synced/Healthy at the old commit until a refresh=normal request; then
               OutOfSync at the merge -> Syncing (operation Running) -> Synced at the old
               revision (a stale cache) -> Synced at the merge, health not yet reassessed ->
               Progressing -> Healthy
  degraded     ... Synced at the merge -> Progressing -> Degraded (a Deployment past its deadline)
  failed       OutOfSync -> Syncing -> operation Failed (a resource rejected)
  never        Synced/Healthy at the old commit forever
  multisource  a chart source and two sources from the release repository, which reach
               the merge one after the other
  unrelated    Synced/Healthy at a commit of another branch, forever
With "follow": BARE_REPOSITORY, once that repository's main moves past the merge (a
revert was merged), the app syncs to the new tip and is Healthy there ("followed-main").
  follow-main  for a pipeline that merges while the server runs: the app tracks the tip of
               "follow"'s main; each new tip goes OutOfSync -> Syncing -> Healthy, or
               Degraded for the first new tip when "degradeFirst" is set

Usage: argocd_api.py CONFIG_JSON_FILE LOG_FILE SWAGGER_FILE (prints its port on stdout)
"""
import json
import re
import subprocess
import sys
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlparse

config = json.load(open(sys.argv[1]))
log_file = sys.argv[2]
swagger = json.load(open(sys.argv[3]))
lock = threading.Lock()
BASE = datetime(2026, 12, 3, 10, 0, 0, tzinfo=timezone.utc)

PATH = "/api/v1/applications/{name}"
operation = swagger["paths"][PATH]["get"]
declared_query = {p["name"] for p in operation["parameters"] if p["in"] == "query"}


def at(seconds):
    return (BASE + timedelta(seconds=seconds)).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---- answers checked against the schema ----

def check(value, schema, where, problems):
    if "$ref" in schema:
        schema = swagger["definitions"][schema["$ref"].split("/")[-1]]
    kind = schema.get("type", "object" if "properties" in schema else None)
    if kind == "object":
        if not isinstance(value, dict):
            problems.append(f"{where}: not an object")
            return
        properties = schema.get("properties")
        extra = schema.get("additionalProperties")
        for key, item in value.items():
            if properties is not None and key in properties:
                check(item, properties[key], f"{where}.{key}", problems)
            elif isinstance(extra, dict):
                check(item, extra, f"{where}.{key}", problems)
            elif properties is not None:
                problems.append(f"{where}.{key}: not in the schema")
    elif kind == "array":
        if not isinstance(value, list):
            problems.append(f"{where}: not an array")
            return
        for index, item in enumerate(value):
            check(item, schema.get("items", {}), f"{where}[{index}]", problems)
    elif kind == "string":
        if not isinstance(value, str):
            problems.append(f"{where}: not a string")
    elif kind == "integer":
        ok = isinstance(value, int) or (isinstance(value, str) and schema.get("format") == "int64" and value.lstrip("-").isdigit())
        if not ok:
            problems.append(f"{where}: not an integer")
    elif kind == "boolean":
        if not isinstance(value, bool):
            problems.append(f"{where}: not a boolean")


def answer_schema():
    return operation["responses"]["200"]["schema"]


# ---- the sequences ----

def resource(kind, name, namespace, health, message=None):
    entry = {"group": "apps" if kind == "Deployment" else "", "version": "v1", "kind": kind, "namespace": namespace,
             "name": name, "status": "Synced", "health": {"status": health}}
    if message:
        entry["health"]["message"] = message
    return entry


def status(sync, revision, health, phase=None, op_revision=None, reconciled=0, finished=0, message=None,
           resources=None, results=None, revisions=None, op_revisions=None):
    body = {"sync": {"status": sync, "comparedTo": {"destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"}}},
            "health": {"status": health}, "reconciledAt": at(reconciled), "sourceType": "Kustomize"}
    if revisions is not None:
        body["sync"]["revisions"] = revisions
    else:
        body["sync"]["revision"] = revision
    if phase:
        state = {"phase": phase, "message": message or ("successfully synced (all tasks run)" if phase == "Succeeded" else ""),
                 "startedAt": at(finished - 5), "operation": {"sync": {}}, "syncResult": {}}
        if op_revisions is not None:
            state["operation"]["sync"]["revisions"] = op_revisions
            state["syncResult"]["revisions"] = op_revisions
        else:
            state["operation"]["sync"]["revision"] = op_revision
            state["syncResult"]["revision"] = op_revision
        if phase != "Running":
            state["finishedAt"] = at(finished)
        if results:
            state["syncResult"]["resources"] = results
        body["operationState"] = state
    body["resources"] = resources or [resource("Deployment", "app", "shop", health if health != "Progressing" else "Progressing")]
    return body


def sequence(name, app):
    merge, old = app["merge"], app["old"]
    synced_old = status("Synced", old, "Healthy", "Succeeded", old, reconciled=1, finished=0)
    start = [
        {"label": "out-of-sync", "status": status("OutOfSync", merge, "Healthy", "Succeeded", old, reconciled=10, finished=0)},
        {"label": "syncing", "status": status("OutOfSync", merge, "Healthy", "Running", merge, reconciled=20, finished=25)},
    ]
    synced_merge_stale = {"label": "synced-not-reassessed",
                          "status": status("Synced", merge, "Healthy", "Succeeded", merge, reconciled=29, finished=30)}
    progressing = {"label": "progressing", "status": status("Synced", merge, "Progressing", "Succeeded", merge, reconciled=40, finished=30)}
    if name == "follow-main":
        return [{"label": "follow-main", "status": synced_old}], False
    if name == "never":
        return [{"label": "synced-old", "status": synced_old}], False
    if name == "unrelated":
        other = app["other"]
        return [{"label": "synced-other", "status": status("Synced", other, "Healthy", "Succeeded", other, reconciled=1, finished=0)}], False
    if name == "rollout":
        return ([{"label": "synced-old", "status": synced_old}] + start
                + [{"label": "synced-old-again", "status": status("Synced", old, "Healthy", "Succeeded", old, reconciled=27, finished=0)},
                   synced_merge_stale, progressing,
                   {"label": "healthy", "status": status("Synced", merge, "Healthy", "Succeeded", merge, reconciled=50, finished=30)}]), True
    if name == "degraded":
        degraded = status("Synced", merge, "Degraded", "Succeeded", merge, reconciled=50, finished=30, resources=[
            resource("Deployment", "app", "shop", "Degraded", 'Deployment "app" exceeded its progress deadline'),
            resource("Service", "app", "shop", "Healthy")])
        degraded["health"]["message"] = "Deployment app exceeded its progress deadline"
        return [{"label": "synced-old", "status": synced_old}] + start + [synced_merge_stale, progressing,
                                                                           {"label": "degraded", "status": degraded}], True
    if name == "failed":
        failed = status("OutOfSync", merge, "Healthy", "Failed", merge, reconciled=40, finished=30,
                        message="one or more objects failed to apply, reason: Deployment.apps \"app\" is invalid",
                        results=[{"group": "apps", "version": "v1", "kind": "Deployment", "namespace": "shop", "name": "app",
                                  "status": "SyncFailed", "syncPhase": "Sync",
                                  "message": "Deployment.apps \"app\" is invalid: spec.replicas: Invalid value: -1"}])
        return [{"label": "synced-old", "status": synced_old}] + start + [{"label": "failed", "status": failed}], True
    if name == "multisource":
        def multi(revs, health, reconciled, finished, phase="Succeeded"):
            body = status("Synced", None, health, phase, reconciled=reconciled, finished=finished,
                          revisions=revs, op_revisions=revs)
            body["sync"]["comparedTo"]["sources"] = [{"repoURL": "https://charts.example.com", "chart": "app", "targetRevision": "4.2.0"},
                                                     {"repoURL": app["repo"], "path": "envs/multi", "targetRevision": "main"},
                                                     {"repoURL": app["repo"], "ref": "values", "targetRevision": "main"}]
            body["sourceTypes"] = ["Helm", "Kustomize", "Directory"]
            return body
        return [{"label": "synced-old", "status": multi(["4.2.0", old, old], "Healthy", 1, 0)},
                {"label": "one-source-at-merge", "status": multi(["4.2.0", merge, old], "Healthy", 20, 10)},
                {"label": "all-sources-at-merge", "status": multi(["4.2.0", merge, merge], "Healthy", 40, 30)}], True
    raise SystemExit(f"unknown sequence {name}")


apps = {}
for app_name, app in config["apps"].items():
    stages, needs_refresh = sequence(app["sequence"], app)
    apps[app_name] = {"config": app, "stages": stages, "needsRefresh": needs_refresh, "index": 0, "refreshed": False}


def following(entry):
    """The tip of the followed repository's main once it is past the merge, else None."""
    bare = entry["config"].get("follow")
    if not bare:
        return None
    tip = subprocess.run(["git", "--git-dir", bare, "rev-parse", "refs/heads/main"], capture_output=True, text=True).stdout.strip()
    return tip if tip and tip != entry["config"]["merge"] else None


def application(name, entry, stage):
    app = entry["config"]
    spec = {"project": "default", "destination": {"server": "https://kubernetes.default.svc", "namespace": "shop"}}
    if app["sequence"] == "multisource":
        spec["sources"] = stage["status"]["sync"]["comparedTo"]["sources"]
    else:
        spec["source"] = {"repoURL": app["repo"], "path": f"envs/{name}", "targetRevision": "main"}
        stage["status"]["sync"]["comparedTo"]["source"] = spec["source"]
    return {"metadata": {"name": name, "namespace": app.get("namespace", "argocd"), "resourceVersion": "1",
                         "uid": "00000000-0000-0000-0000-000000000001"},
            "spec": spec, "status": stage["status"]}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, entry, status, body):
        data = json.dumps(body).encode()
        with lock, open(log_file, "a") as log:
            log.write(json.dumps(entry, sort_keys=True) + "\n")
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def refuse(self, entry, status, code, message):
        entry["verdict"] = message
        self.answer(entry, status, {"error": message, "code": code, "message": message})

    def do_GET(self):
        url = urlparse(self.path)
        query = parse_qs(url.query, keep_blank_values=True)
        entry = {"method": "GET", "path": url.path, "query": query}
        match = re.fullmatch(r"/api/v1/applications/([^/]+)", url.path)
        if not match:
            return self.refuse(entry, 404, 5, "no operation at this path")
        undeclared = sorted(set(query) - declared_query)
        if undeclared:
            return self.refuse(entry, 400, 3, "undeclared query parameters: " + ", ".join(undeclared))
        name = match.group(1)
        entry["app"] = name
        if self.headers.get("Authorization") != "Bearer " + config["token"]:
            return self.refuse(entry, 401, 16, "invalid session: token signature is invalid")
        app = apps.get(name)
        if app is None or query.get("appNamespace", [app["config"].get("namespace", "argocd")])[0] != app["config"].get("namespace", "argocd"):
            # Argo CD answers for an app it does not show the caller as for one it may not see.
            return self.refuse(entry, 403, 7, "permission denied")
        if app["config"]["sequence"] == "follow-main":
            return self.follow_main(entry, name, app)
        followed = following(app)
        with lock:
            if query.get("refresh") in (["normal"], ["hard"]):
                app["refreshed"] = True
                entry["refresh"] = query["refresh"][0]
            stage = app["stages"][app["index"]]
            if not (app["needsRefresh"] and not app["refreshed"]):
                hold = stage.get("hold", 1)
                stage["seen"] = stage.get("seen", 0) + 1
                if stage["seen"] >= hold and app["index"] < len(app["stages"]) - 1:
                    app["index"] += 1
        if followed:
            stage = {"label": "followed-main", "status": status("Synced", followed, "Healthy", "Succeeded", followed,
                                                                reconciled=120, finished=110)}
        body = application(name, app, stage)
        problems = []
        check(body, answer_schema(), "Application", problems)
        entry["stage"] = stage["label"]
        entry["verdict"] = "ok" if not problems else "answer-invalid: " + "; ".join(problems)
        self.answer(entry, 200, body)

    def follow_main(self, entry, name, app):
        config = app["config"]
        tip = subprocess.run(["git", "--git-dir", config["follow"], "rev-parse", "refs/heads/main"],
                             capture_output=True, text=True).stdout.strip()
        with lock:
            seen = app.setdefault("tips", {})
            count = seen.get(tip, 0)
            seen[tip] = count + 1
            if tip != config["old"] and "first" not in app:
                app["first"] = tip
        if tip == config["old"]:
            label, body = "synced-old", status("Synced", tip, "Healthy", "Succeeded", tip, reconciled=1, finished=0)
        elif count == 0:
            label, body = "out-of-sync", status("OutOfSync", tip, "Healthy", "Succeeded", config["old"], reconciled=10, finished=0)
        elif count == 1:
            label, body = "syncing", status("OutOfSync", tip, "Healthy", "Running", tip, reconciled=20, finished=25)
        elif config.get("degradeFirst") and tip == app["first"]:
            label, body = "degraded", status("Synced", tip, "Degraded", "Succeeded", tip, reconciled=50, finished=30, resources=[
                resource("Deployment", "checkout", "checkout-prod", "Degraded", 'Deployment "checkout" exceeded its progress deadline')])
        else:
            label, body = "healthy", status("Synced", tip, "Healthy", "Succeeded", tip, reconciled=50, finished=30)
        answer = application(name, app, {"label": label, "status": body})
        problems = []
        check(answer, answer_schema(), "Application", problems)
        entry["stage"] = label
        entry["verdict"] = "ok" if not problems else "answer-invalid: " + "; ".join(problems)
        self.answer(entry, 200, answer)

    def do_POST(self):
        self.refuse({"method": "POST", "path": self.path}, 405, 12, "capstan wait only reads")

    do_PUT = do_POST
    do_DELETE = do_POST
    do_PATCH = do_POST


server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
print(server.server_address[1], flush=True)
server.serve_forever()
