#!/usr/bin/env python3
"""A loopback Kubernetes API server over TLS for `capstan wait` on Flux.

Answers GET /apis/kustomize.toolkit.fluxcd.io/v1/namespaces/{ns}/kustomizations/{name}
and GET /apis/helm.toolkit.fluxcd.io/v2/namespaces/{ns}/helmreleases/{name} as the API
server does: the object, or a metav1.Status (401 Unauthorized, 404 NotFound). A caller
is authenticated by `Authorization: Bearer <token>` or by a client certificate signed by
the test's CA (the server asks for one and checks it, as kube-apiserver's
--client-ca-file does). Every object served is checked against the Flux CRD schema in
Schemas/sources.tar.xz (types, enums, required fields, no undeclared property), and
every request is logged as one JSON line with its verdict.

Objects play sequences, one stage per request:
  progress        Ready at the old commit -> new generation not yet observed -> Progressing
                  at the merge -> Ready at the merge
  healthfail      ... Progressing -> Ready=False HealthCheckFailed at the merge
  external        (ExternalArtifact source) Progressing -> Ready at latest@sha256:<digest>,
                  with lastAppliedOriginRevision main@sha1:<merge>
  helm-progress   HelmRelease of a chart from the repository: Ready at 0.1.0+<old> ->
                  Progressing -> Ready at 0.1.0+<merge> (install succeeded)
  helm-stall      HelmRelease: install failed, retries exhausted (Stalled RetriesExceeded)
  dependency      Ready=False DependencyNotReady (not terminal) -> Progressing -> Ready at the merge
  buildfail       Progressing -> Ready=False BuildFailed at the merge, retrying (ProgressingWithRetry)
  helm-retry      HelmRelease: upgrade failed with remediation retries left (Reconciling
                  ProgressingWithRetry) -> upgrade succeeded at the merge
  helm-stalled-old  HelmRelease stalled (RetriesExceeded) at the old chart -> a new chart
                  resets the failures -> Progressing -> Ready at the merge
Conditions, reasons and messages are those kustomize-controller and helm-controller write
(fluxcd/pkg meta reasons; "Applied revision: main@sha1:…", "Helm upgrade failed for
release ns/name with chart name@version: …", "Failed to upgrade after 1 attempt(s)").
  follow-main     for a pipeline that merges while the server runs: the object tracks the
                  tip of "follow"'s main (a bare repository); each new tip is first not yet
                  fetched, then progressing, then ready (a HelmRelease of a chart built
                  with reconcileStrategy Revision: its spec generation moves too, as the
                  values ConfigMap's name hash does), or failed for the first new tip
                  when "degradeFirst" is set

Tenants: besides the objects of CONFIG_JSON_FILE (token "token", or a client
certificate), each file TENANTS/*.json ({"token": ..., "objects": [...]}) is a tenant
whose bearer token sees its own objects only: many tests share one server (its schema
load and certificates) without seeing each other's objects. Log lines name the tenant
file, never its token. The server exits when the process that started it does.

Usage: kube_api.py CONFIG_JSON_FILE LOG_FILE SCHEMA_TAR CERT KEY CA [TENANTS]  (prints its port on stdout)
"""
import json
import os
import re
import subprocess
import time
import ssl
import sys
import tarfile
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlparse

config = json.load(open(sys.argv[1]))
log_file = sys.argv[2]
lock = threading.Lock()

with tarfile.open(sys.argv[3], "r:xz") as bundle:
    def schema(member):
        return json.load(bundle.extractfile("./crds/" + member))
    schemas = {"kustomizations": schema("kustomize.toolkit.fluxcd.io/kustomization_v1.json"),
               "helmreleases": schema("helm.toolkit.fluxcd.io/helmrelease_v2.json")}

ROUTES = {
    ("kustomize.toolkit.fluxcd.io", "v1", "kustomizations"): "Kustomization",
    ("helm.toolkit.fluxcd.io", "v2", "helmreleases"): "HelmRelease",
}


def check(value, schema, where, problems):
    kind = schema.get("type")
    if "enum" in schema and value not in schema["enum"]:
        problems.append(f"{where}: {value!r} not in {schema['enum']}")
    if kind == "object":
        if not isinstance(value, dict):
            problems.append(f"{where}: not an object")
            return
        for key in schema.get("required", []):
            if key not in value:
                problems.append(f"{where}.{key}: required")
        properties = schema.get("properties")
        for key, item in value.items():
            if properties is not None and key in properties:
                check(item, properties[key], f"{where}.{key}", problems)
            elif isinstance(schema.get("additionalProperties"), dict):
                check(item, schema["additionalProperties"], f"{where}.{key}", problems)
            elif properties is not None and not schema.get("x-kubernetes-preserve-unknown-fields"):
                problems.append(f"{where}.{key}: not in the schema")
    elif kind == "array":
        if not isinstance(value, list):
            problems.append(f"{where}: not an array")
            return
        for index, item in enumerate(value):
            check(item, schema.get("items", {}), f"{where}[{index}]", problems)
    elif kind == "string" and not isinstance(value, str):
        problems.append(f"{where}: not a string")
    elif kind == "integer" and not (isinstance(value, int) and not isinstance(value, bool)):
        problems.append(f"{where}: not an integer")
    elif kind == "boolean" and not isinstance(value, bool):
        problems.append(f"{where}: not a boolean")


def condition(kind, status, reason, message, generation):
    return {"type": kind, "status": status, "reason": reason, "message": message, "observedGeneration": generation,
            "lastTransitionTime": "2026-12-03T10:00:00Z"}


def kustomization(name, namespace, generation, observed, conditions, **status):
    body = {"apiVersion": "kustomize.toolkit.fluxcd.io/v1", "kind": "Kustomization",
            "metadata": {"name": name, "namespace": namespace, "generation": generation, "resourceVersion": str(100 + generation),
                         "uid": "00000000-0000-0000-0000-00000000000" + str(generation)},
            "spec": {"interval": "10m", "path": f"./envs/{name}", "prune": True,
                     "sourceRef": {"kind": status.pop("sourceKind", "GitRepository"), "name": "flux-system"}},
            "status": {"observedGeneration": observed, "conditions": conditions}}
    body["status"].update(status)
    return body


def helmrelease(name, namespace, generation, observed, conditions, **status):
    body = {"apiVersion": "helm.toolkit.fluxcd.io/v2", "kind": "HelmRelease",
            "metadata": {"name": name, "namespace": namespace, "generation": generation, "resourceVersion": str(200 + generation)},
            "spec": {"interval": "10m", "chart": {"spec": {"chart": f"./charts/{name}",
                                                            "sourceRef": {"kind": "GitRepository", "name": "flux-system"}}}},
            "status": {"observedGeneration": observed, "conditions": conditions}}
    body["status"].update(status)
    return body


def sequence(name, entry):
    merge, old, ns = entry["merge"], entry["old"], entry.get("namespace", "flux-system")
    app = entry["name"]
    at_old = f"main@sha1:{old}"
    at_merge = f"main@sha1:{merge}"
    ready_old = kustomization(app, ns, 1, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {at_old}", 1)],
                              lastAppliedRevision=at_old, lastAttemptedRevision=at_old)
    unobserved = kustomization(app, ns, 2, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {at_old}", 1)],
                               lastAppliedRevision=at_old, lastAttemptedRevision=at_old)
    progressing = kustomization(app, ns, 2, 2, [condition("Ready", "Unknown", "Progressing", "Reconciliation in progress", 2),
                                                condition("Reconciling", "True", "Progressing",
                                                          f"Building manifests for revision {at_merge} with a timeout of 5m0s", 2)],
                                lastAppliedRevision=at_old, lastAttemptedRevision=at_merge)
    done = kustomization(app, ns, 2, 2, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {at_merge}", 2)],
                         lastAppliedRevision=at_merge, lastAttemptedRevision=at_merge)
    if name == "progress":
        return [("ready-old", ready_old), ("unobserved", unobserved), ("progressing", progressing), ("ready-merge", done)]
    if name == "healthfail":
        message = ("health check failed after 30s: timeout waiting for: "
                   f"[Deployment/shop/{app} status: 'InProgress']")
        failed = kustomization(app, ns, 2, 2, [condition("Ready", "False", "HealthCheckFailed", message, 2),
                                               condition("Reconciling", "True", "ProgressingWithRetry",
                                                         f"Detecting drift for revision {at_merge} with a timeout of 5m0s", 2)],
                               lastAppliedRevision=at_old, lastAttemptedRevision=at_merge)
        return [("ready-old", ready_old), ("progressing", progressing), ("health-check-failed", failed)]
    if name == "dependency":
        waiting = kustomization(app, ns, 2, 2, [condition("Ready", "False", "DependencyNotReady", "dependency 'flux-system/infrastructure' is not ready", 2)],
                                lastAppliedRevision=at_old, lastAttemptedRevision=at_old)
        return [("dependency-not-ready", waiting), ("progressing", progressing), ("ready-merge", done)]
    if name == "buildfail":
        message = ("kustomize build failed: accumulating resources: accumulation err='accumulating resources from "
                   "'deployment.yaml': open /tmp/kustomization-1/deployment.yaml: no such file or directory'")
        failed = kustomization(app, ns, 2, 2, [condition("Ready", "False", "BuildFailed", message, 2),
                                               condition("Reconciling", "True", "ProgressingWithRetry",
                                                         f"Building manifests for revision {at_merge} with a timeout of 5m0s", 2)],
                               lastAppliedRevision=at_old, lastAttemptedRevision=at_merge)
        return [("progressing", progressing), ("build-failed", failed)]
    if name == "external":
        digest = "latest@sha256:" + "e" * 64
        old_digest = "latest@sha256:" + "d" * 64
        before = kustomization(app, ns, 1, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {old_digest}", 1)],
                               lastAppliedRevision=old_digest, lastAppliedOriginRevision=at_old, lastAttemptedRevision=old_digest,
                               sourceKind="ExternalArtifact")
        after = kustomization(app, ns, 1, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {digest}", 1)],
                              lastAppliedRevision=digest, lastAppliedOriginRevision=at_merge, lastAttemptedRevision=digest,
                              sourceKind="ExternalArtifact")
        return [("ready-old", before), ("ready-merge", after)]
    chart_old, chart_merge = "0.1.0+" + old[:12], "0.1.0+" + merge[:12]
    if name in ("helm-progress", "helm-retry", "helm-stalled-old"):
        ready = helmrelease(app, ns, 1, 1, [condition("Ready", "True", "InstallSucceeded", f"Helm install succeeded for release shop/{app}.v1 with chart {app}@{chart_old}", 1)],
                            lastAttemptedRevision=chart_old, history=[{"chartName": app, "chartVersion": chart_old, "name": app,
                                                                       "namespace": "shop", "status": "deployed", "version": 1,
                                                                       "digest": "sha256:" + "a" * 64, "configDigest": "sha256:" + "b" * 64,
                                                                       "firstDeployed": "2026-12-03T09:00:00Z", "lastDeployed": "2026-12-03T09:00:00Z"}])
        working = helmrelease(app, ns, 1, 1, [condition("Ready", "Unknown", "Progressing", "Running 'upgrade' action with timeout of 5m0s", 1),
                                              condition("Reconciling", "True", "Progressing", "Running 'upgrade' action with timeout of 5m0s", 1)],
                              lastAttemptedRevision=chart_merge)
        done = helmrelease(app, ns, 1, 1, [condition("Ready", "True", "UpgradeSucceeded", f"Helm upgrade succeeded for release shop/{app}.v2 with chart {app}@{chart_merge}", 1)],
                           lastAttemptedRevision=chart_merge, history=[{"chartName": app, "chartVersion": chart_merge, "name": app,
                                                                        "namespace": "shop", "status": "deployed", "version": 2,
                                                                        "digest": "sha256:" + "c" * 64, "configDigest": "sha256:" + "b" * 64,
                                                                        "firstDeployed": "2026-12-03T09:00:00Z", "lastDeployed": "2026-12-03T10:00:00Z"}])
        if entry["sequence"] == "helm-retry":
            upgrade_failed = (f"Helm upgrade failed for release shop/{app} with chart {app}@{chart_merge}: "
                              "timed out waiting for the condition")
            retrying = helmrelease(app, ns, 1, 1, [condition("Ready", "False", "UpgradeFailed", upgrade_failed, 1),
                                                   condition("Reconciling", "True", "ProgressingWithRetry", upgrade_failed, 1)],
                                   lastAttemptedRevision=chart_merge, upgradeFailures=1, failures=1,
                                   history=ready["status"]["history"])
            return [("ready-old", ready), ("progressing", working), ("upgrade-failed-retrying", retrying), ("progressing", working),
                    ("ready-merge", done)]
        if entry["sequence"] == "helm-stalled-old":
            stalled = helmrelease(app, ns, 1, 1, [condition("Ready", "False", "UpgradeFailed",
                                                            f"Helm upgrade failed for release shop/{app} with chart {app}@{chart_old}: "
                                                            "context deadline exceeded", 1),
                                                  condition("Stalled", "True", "RetriesExceeded", "Failed to upgrade after 1 attempt(s)", 1)],
                                  lastAttemptedRevision=chart_old, upgradeFailures=1, failures=1, history=ready["status"]["history"])
            return [("stalled-old", stalled), ("progressing", working), ("ready-merge", done)]
        return [("ready-old", ready), ("progressing", working), ("ready-merge", done)]
    if name == "helm-stall":
        working = helmrelease(app, ns, 1, 1, [condition("Ready", "Unknown", "Progressing", "Running 'install' action with timeout of 5m0s", 1),
                                              condition("Reconciling", "True", "Progressing", "Running 'install' action with timeout of 5m0s", 1)],
                              lastAttemptedRevision=chart_merge)
        stalled = helmrelease(app, ns, 1, 1, [condition("Ready", "False", "InstallFailed",
                                                        f"Helm install failed for release shop/{app} with chart {app}@{chart_merge}: "
                                                        "context deadline exceeded", 1),
                                              condition("Stalled", "True", "RetriesExceeded", "Failed to install after 1 attempt(s)", 1)],
                              lastAttemptedRevision=chart_merge, installFailures=1, failures=1)
        return [("progressing", working), ("stalled", stalled)]
    raise SystemExit(f"unknown sequence {name}")


def load(entries):
    loaded = {}
    for entry in entries:
        key = (entry["plural"], entry.get("namespace", "flux-system"), entry["name"])
        stages = [] if entry["sequence"] == "follow-main" else sequence(entry["sequence"], entry)
        loaded[key] = {"config": entry, "stages": stages, "index": 0}
    return loaded


objects = load(config["objects"])
tenants_dir = sys.argv[7] if len(sys.argv) > 7 else None
tenants = {}  # file name -> {"token": ..., "objects": {...}}


def tenant_for(token):
    """The tenant whose token this is (files are read once, when first seen)."""
    if not tenants_dir:
        return None
    with lock:
        for name in sorted(os.listdir(tenants_dir)):
            if name.endswith(".json") and name not in tenants:
                try:
                    data = json.load(open(os.path.join(tenants_dir, name)))
                except (OSError, ValueError):
                    continue
                tenants[name] = {"token": data["token"], "objects": load(data["objects"])}
        for name, tenant in tenants.items():
            if tenant["token"] == token:
                return name
    return None


def tip_of(bare):
    return subprocess.run(["git", "--git-dir", bare, "rev-parse", "refs/heads/main"], capture_output=True, text=True).stdout.strip()


def follow_main(plural, state):
    """The object as its controller shows it while it tracks the followed repository's main."""
    entry = state["config"]
    app, ns, old = entry["name"], entry.get("namespace", "flux-system"), entry["old"]
    tip = tip_of(entry["follow"])
    with lock:
        tips = state.setdefault("tips", [])
        seen = state.setdefault("seen", {})
        count = seen.get(tip, 0)
        seen[tip] = count + 1
        if tip != old and tip not in tips:
            tips.append(tip)
        applied = state.get("applied", old)
        failing = entry.get("degradeFirst") and tips and tip == tips[0]
        if tip == old or count >= 2:
            state["applied"] = tip if not failing else applied
    generation = 1 + len(tips)
    if plural == "kustomizations":
        at_tip, at_applied = f"main@sha1:{tip}", f"main@sha1:{applied}"
        if tip == old or count == 0:
            # The source has not been fetched yet: still ready at what it applied last.
            return "ready-old" if tip == old else "not-fetched", kustomization(
                app, ns, 1, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {at_applied}", 1)],
                lastAppliedRevision=at_applied, lastAttemptedRevision=at_applied)
        if count == 1:
            return "progressing", kustomization(
                app, ns, 1, 1, [condition("Ready", "Unknown", "Progressing", "Reconciliation in progress", 1),
                                condition("Reconciling", "True", "Progressing", f"Building manifests for revision {at_tip} with a timeout of 5m0s", 1)],
                lastAppliedRevision=at_applied, lastAttemptedRevision=at_tip)
        if failing:
            message = f"health check failed after 30s: timeout waiting for: [Deployment/{ns}/{app} status: 'InProgress']"
            return "health-check-failed", kustomization(
                app, ns, 1, 1, [condition("Ready", "False", "HealthCheckFailed", message, 1)],
                lastAppliedRevision=at_applied, lastAttemptedRevision=at_tip)
        return "ready-merge", kustomization(
            app, ns, 1, 1, [condition("Ready", "True", "ReconciliationSucceeded", f"Applied revision: {at_tip}", 1)],
            lastAppliedRevision=at_tip, lastAttemptedRevision=at_tip)
    version = entry.get("chartVersion", "0.1.0")
    chart_tip, chart_applied = f"{version}+{tip[:12]}", f"{version}+{applied[:12]}"

    def history(chart, number):
        return [{"chartName": app, "chartVersion": chart, "name": app, "namespace": ns, "status": "deployed", "version": number,
                 "digest": "sha256:" + "a" * 64, "configDigest": "sha256:" + "b" * 64,
                 "firstDeployed": "2026-12-03T09:00:00Z", "lastDeployed": "2026-12-03T10:00:00Z"}]
    ready_before = [condition("Ready", "True", "UpgradeSucceeded",
                              f"Helm upgrade succeeded for release {ns}/{app}.v{generation - 1} with chart {app}@{chart_applied}", 1)]
    if tip == old:
        return "ready-old", helmrelease(app, ns, 1, 1, ready_before, lastAttemptedRevision=chart_applied, history=history(chart_applied, 1))
    if count == 0:
        # The Kustomization applied the new spec (a new values ConfigMap name): not yet observed.
        return "unobserved", helmrelease(app, ns, generation, generation - 1, ready_before, lastAttemptedRevision=chart_applied,
                                         history=history(chart_applied, generation - 1))
    if count == 1:
        return "progressing", helmrelease(app, ns, generation, generation,
                                          [condition("Ready", "Unknown", "Progressing", "Running 'upgrade' action with timeout of 5m0s", generation),
                                           condition("Reconciling", "True", "Progressing", "Running 'upgrade' action with timeout of 5m0s", generation)],
                                          lastAttemptedRevision=chart_tip, history=history(chart_applied, generation - 1))
    if failing:
        return "stalled", helmrelease(app, ns, generation, generation, [
            condition("Ready", "False", "UpgradeFailed", f"Helm upgrade failed for release {ns}/{app} with chart {app}@{chart_tip}: "
                      "context deadline exceeded", generation),
            condition("Stalled", "True", "RetriesExceeded", "Failed to upgrade after 1 attempt(s)", generation)],
            lastAttemptedRevision=chart_tip, history=history(chart_applied, generation - 1), upgradeFailures=1, failures=1)
    return "ready-merge", helmrelease(app, ns, generation, generation, [
        condition("Ready", "True", "UpgradeSucceeded", f"Helm upgrade succeeded for release {ns}/{app}.v{generation} with chart {app}@{chart_tip}",
                  generation)], lastAttemptedRevision=chart_tip, history=history(chart_tip, generation))


def status_body(code, reason, message):
    return {"kind": "Status", "apiVersion": "v1", "metadata": {}, "status": "Failure", "message": message, "reason": reason, "code": code}


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

    def identity(self):
        """The user, by bearer token or client certificate, as kube-apiserver authenticates."""
        header = self.headers.get("Authorization", "")
        if header == "Bearer " + config["token"]:
            return "token"
        if header.startswith("Bearer "):
            tenant = tenant_for(header[len("Bearer "):])
            return "tenant:" + tenant if tenant else None
        if header:
            return None
        certificate = self.connection.getpeercert()
        if certificate:
            subject = dict(item[0] for item in certificate.get("subject", ()))
            return "certificate:" + subject.get("commonName", "")
        return None

    def do_GET(self):
        url = urlparse(self.path)
        entry = {"method": "GET", "path": url.path}
        user = self.identity()
        entry["user"] = user
        if user is None:
            entry["verdict"] = "unauthorized"
            return self.answer(entry, 401, status_body(401, "Unauthorized", "Unauthorized"))
        match = re.fullmatch(r"/apis/([^/]+)/([^/]+)/namespaces/([^/]+)/([^/]+)/([^/]+)", url.path)
        if not match or (match.group(1), match.group(2), match.group(4)) not in ROUTES:
            entry["verdict"] = "no such route"
            return self.answer(entry, 404, status_body(404, "NotFound", "the server could not find the requested resource"))
        group, version, namespace, plural, name = match.groups()
        served = tenants[user[len("tenant:"):]]["objects"] if user.startswith("tenant:") else objects
        state = served.get((plural, namespace, name))
        if state is None:
            entry["verdict"] = "not found"
            return self.answer(entry, 404, status_body(404, "NotFound", f'{plural}.{group} "{name}" not found'))
        if state["config"]["sequence"] == "follow-main":
            label, body = follow_main(plural, state)
        else:
            with lock:
                label, body = state["stages"][state["index"]]
                if state["index"] < len(state["stages"]) - 1:
                    state["index"] += 1
        problems = []
        check(body, schemas[plural], ROUTES[(group, version, plural)], problems)
        entry["object"] = f"{plural}/{namespace}/{name}"
        entry["stage"] = label
        entry["verdict"] = "ok" if not problems else "answer-invalid: " + "; ".join(problems)
        self.answer(entry, 200, body)


context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(sys.argv[4], sys.argv[5])
context.load_verify_locations(sys.argv[6])
context.verify_mode = ssl.CERT_OPTIONAL
server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.socket = context.wrap_socket(server.socket, server_side=True)


def exit_with_parent(parent):
    while os.getppid() == parent:
        time.sleep(1)
    os._exit(0)


threading.Thread(target=exit_with_parent, args=(os.getppid(),), daemon=True).start()
print(server.server_address[1], flush=True)
server.serve_forever()
