#!/usr/bin/env python3
"""Generate a deterministic, release-repo-shaped tree of YAML files.

Used by Benchmarks/set-image.sh to benchmark `capstan set image` against a
realistic GitOps repository: Kubernetes workloads (Deployment, StatefulSet,
CronJob) with containers and initContainers, Services, ConfigMaps,
kustomization.yaml files with `images:` entries, Helm values files with
`image: {repository, tag}` maps, and multi-document files joined by `---`.

One designated target image (default ghcr.io/acme/checkout) is referenced by
about --target-share of the files, spread over every kind of place above.
Everything is driven by a seeded random.Random, so the same arguments always
produce byte-identical trees.

Usage: gen_tree.py OUTDIR [--files N] [--seed S] [--target-share 0.02]

Standard library only.
"""

import argparse
import os
import random
import sys

DEFAULT_TARGET = "ghcr.io/acme/checkout"

# ---------------------------------------------------------------------------
# Image pool (~200 repositories, none equal to the target)
# ---------------------------------------------------------------------------


def build_image_pool():
    pool = ["ghcr.io/acme/svc-%03d" % i for i in range(150)]
    pool += [
        "docker.io/library/" + n
        for n in ("nginx", "redis", "postgres", "busybox", "alpine",
                  "memcached", "haproxy", "traefik", "python", "node",
                  "golang", "rabbitmq")
    ]
    pool += [
        "registry.example.com:5000/team/" + n
        for n in ("api", "web", "worker", "scheduler", "gateway", "auth",
                  "billing", "search", "reports", "notifier")
    ]
    pool += [
        "quay.io/prometheus/node-exporter",
        "quay.io/prometheus/prometheus",
        "quay.io/prometheus/alertmanager",
        "quay.io/jetstack/cert-manager-controller",
        "gcr.io/distroless/static",
        "gcr.io/distroless/base",
        "public.ecr.aws/aws-observability/aws-otel-collector",
        "registry.k8s.io/ingress-nginx/controller",
        "registry.k8s.io/pause",
        "localhost:5000/dev/toolbox",
        "nginx",            # bare Docker Hub short names
        "busybox",
        "redis",
        "library/alpine",
        "bitnami/kubectl",
        "grafana/grafana",
        "grafana/loki",
        "hashicorp/vault",
        "envoyproxy/envoy",
        "fluent/fluent-bit",
        # Near misses: share a prefix with the target and must NOT be edited.
        "ghcr.io/acme/checkout-worker",
        "ghcr.io/acme-legacy/checkout",
    ]
    return pool


SERVICE_WORDS = (
    "cart", "orders", "payments", "ledger", "users", "profile", "catalog",
    "pricing", "inventory", "shipping", "tax", "search", "ranking", "feed",
    "notify", "email", "sms", "audit", "reports", "export", "import", "auth",
    "session", "gateway", "edge", "media", "thumbs", "billing", "invoices",
    "quotes", "fraud", "risk", "loyalty", "coupons", "reviews", "ratings",
)

ENVS = ("dev", "staging", "prod")
CLUSTERS = ("eu-west-1", "us-east-1", "ap-south-1")
HEX = "0123456789abcdef"


# ---------------------------------------------------------------------------
# Small helpers
# ---------------------------------------------------------------------------


class Gen:
    def __init__(self, rng, target, pool):
        self.rng = rng
        self.target = target
        self.pool = pool

    # -- tags / references -------------------------------------------------

    def semver(self):
        r = self.rng
        return "%d.%d.%d" % (r.randint(0, 4), r.randint(0, 30), r.randint(0, 60))

    def digest(self):
        return "sha256:" + "".join(self.rng.choice(HEX) for _ in range(64))

    def tag(self):
        r = self.rng.random()
        if r < 0.55:
            return self.semver()
        if r < 0.75:
            return "v" + self.semver()
        if r < 0.82:
            return "%d.%d" % (self.rng.randint(1, 3), self.rng.randint(0, 12))
        if r < 0.88:
            return "2024%02d%02d-%s" % (self.rng.randint(1, 12),
                                        self.rng.randint(1, 28),
                                        "".join(self.rng.choice(HEX) for _ in range(7)))
        if r < 0.94:
            return "latest"
        return "main-" + "".join(self.rng.choice(HEX) for _ in range(12))

    def ref(self, repo):
        """A full image reference: repo[:tag][@digest]."""
        r = self.rng.random()
        if r < 0.80:
            return "%s:%s" % (repo, self.tag())
        if r < 0.88:
            return "%s@%s" % (repo, self.digest())
        if r < 0.94:
            return "%s:%s@%s" % (repo, self.tag(), self.digest())
        return repo  # untagged

    def quote(self, s, plain_ok=True):
        r = self.rng.random()
        if plain_ok and r < 0.55:
            return s
        if r < 0.85:
            return '"%s"' % s
        return "'%s'" % s

    def tag_scalar(self, tag):
        # Tags that YAML would read as numbers must be quoted; others vary.
        looks_numeric = all(c in "0123456789." for c in tag)
        return self.quote(tag, plain_ok=not looks_numeric)

    def pool_repo(self):
        return self.rng.choice(self.pool)

    def repo(self, want_target):
        return self.target if want_target else self.pool_repo()

    def trailing_comment(self):
        r = self.rng.random()
        if r < 0.08:
            return "  # pinned by release bot"
        if r < 0.12:
            return " # TODO: bump after freeze"
        if r < 0.14:
            return "    # keep in sync with chart"
        return ""

    def header_comment(self, app):
        r = self.rng.random()
        if r < 0.25:
            return "# Managed by the release pipeline. Do not edit by hand.\n"
        if r < 0.40:
            return "# %s - owned by team-%s\n" % (app, self.rng.choice(SERVICE_WORDS))
        if r < 0.45:
            return "# yaml-language-server: $schema=https://example.com/schema.json\n"
        return ""


# ---------------------------------------------------------------------------
# Document builders. Each returns YAML text; `target_slots` is the number of
# image references in the document that must use the target repository.
# ---------------------------------------------------------------------------


def container_block(g, indent, name, want_target, resources=True):
    p = " " * indent
    ref = g.ref(g.repo(want_target))
    lines = ["%s- name: %s" % (p, name)]
    image_line = "%s  image: %s%s" % (p, g.quote(ref), g.trailing_comment())
    # Occasionally put `image:` after other keys, as humans do.
    if g.rng.random() < 0.2:
        lines.append("%s  imagePullPolicy: IfNotPresent" % p)
        lines.append(image_line)
    else:
        lines.append(image_line)
    if g.rng.random() < 0.5:
        lines.append("%s  ports:" % p)
        lines.append("%s    - containerPort: %d" % (p, g.rng.choice((80, 8080, 8443, 9090, 3000))))
    if g.rng.random() < 0.4:
        lines.append("%s  env:" % p)
        lines.append("%s    - name: LOG_LEVEL" % p)
        lines.append("%s      value: %s" % (p, g.rng.choice(("info", '"debug"', "warn"))))
    if resources and g.rng.random() < 0.6:
        lines.append("%s  resources:" % p)
        lines.append("%s    requests:" % p)
        lines.append("%s      cpu: %dm" % (p, g.rng.choice((50, 100, 250, 500))))
        lines.append("%s      memory: %dMi" % (p, g.rng.choice((64, 128, 256, 512))))
        lines.append("%s    limits: {cpu: 500m, memory: 512Mi}" % p)
    if resources and g.rng.random() < 0.5:
        lines.append("%s  readinessProbe:" % p)
        lines.append("%s    httpGet: {path: /healthz, port: http}" % p)
        lines.append("%s    periodSeconds: 10" % p)
    return "\n".join(lines) + "\n"


def pod_spec(g, indent, app, n_target):
    """containers (+ maybe initContainers). n_target in {0, 1}."""
    p = " " * indent
    n_containers = 1 if g.rng.random() < 0.7 else 2
    n_init = 1 if g.rng.random() < 0.3 else 0
    slots = n_containers + n_init
    target_at = g.rng.randrange(slots) if n_target else -1
    out = []
    k = 0
    if n_init and g.rng.random() < 0.5:
        out.append("%sinitContainers:\n" % p)
        out.append(container_block(g, indent + 2, "migrate", k == target_at, resources=False))
        k += 1
        n_init = 0
    out.append("%scontainers:\n" % p)
    for c in range(n_containers):
        cname = app if c == 0 else g.rng.choice(("sidecar", "envoy", "log-shipper"))
        out.append(container_block(g, indent + 2, cname, k == target_at))
        k += 1
    if n_init:
        out.append("%sinitContainers:\n" % p)
        out.append(container_block(g, indent + 2, "wait-for-db", k == target_at, resources=False))
        k += 1
    if g.rng.random() < 0.15:
        # A commented-out reference: must never be treated as live.
        out.append("%s# previous: %s\n" % (p, g.ref(g.pool_repo())))
    return "".join(out)


def meta(g, kind, api, name, ns):
    s = "apiVersion: %s\nkind: %s\nmetadata:\n  name: %s\n" % (api, kind, name)
    if ns:
        s += "  namespace: %s\n" % ns
    if g.rng.random() < 0.6:
        s += "  labels:\n    app.kubernetes.io/name: %s\n" % name
        s += "    app.kubernetes.io/part-of: %s\n" % g.rng.choice(SERVICE_WORDS)
    if g.rng.random() < 0.3:
        s += "  annotations:\n    argocd.argoproj.io/sync-wave: \"%d\"\n" % g.rng.randint(-1, 5)
    return s


def deployment(g, app, ns, n_target):
    s = meta(g, "Deployment", "apps/v1", app, ns)
    s += "spec:\n  replicas: %d\n" % g.rng.choice((1, 2, 3, 5))
    s += "  selector:\n    matchLabels:\n      app: %s\n" % app
    s += "  template:\n    metadata:\n      labels:\n        app: %s\n    spec:\n" % app
    s += pod_spec(g, 6, app, n_target)
    return s


def statefulset(g, app, ns, n_target):
    s = meta(g, "StatefulSet", "apps/v1", app, ns)
    s += "spec:\n  serviceName: %s\n  replicas: %d\n" % (app, g.rng.choice((1, 3)))
    s += "  selector:\n    matchLabels:\n      app: %s\n" % app
    s += "  template:\n    metadata:\n      labels:\n        app: %s\n    spec:\n" % app
    s += pod_spec(g, 6, app, n_target)
    s += ("  volumeClaimTemplates:\n    - metadata:\n        name: data\n"
          "      spec:\n        resources:\n          requests:\n            storage: 10Gi\n")
    return s


def cronjob(g, app, ns, n_target):
    s = meta(g, "CronJob", "batch/v1", app + "-nightly", ns)
    s += "spec:\n  schedule: %s\n" % g.quote("%d %d * * *" % (g.rng.randint(0, 59), g.rng.randint(0, 23)), plain_ok=False)
    s += "  jobTemplate:\n    spec:\n      template:\n        spec:\n"
    s += "          restartPolicy: OnFailure\n"
    s += pod_spec(g, 10, app, n_target)
    return s


def service(g, app, ns):
    s = meta(g, "Service", "v1", app, ns)
    port = g.rng.choice((80, 443, 8080, 9090))
    s += "spec:\n  type: %s\n" % g.rng.choice(("ClusterIP", "ClusterIP", "NodePort"))
    s += "  selector:\n    app: %s\n" % app
    s += "  ports:\n    - name: http\n      port: %d\n      targetPort: %d\n" % (port, port)
    return s


def configmap(g, app, ns):
    s = meta(g, "ConfigMap", "v1", app + "-config", ns)
    s += "data:\n"
    entries = (
        ("LOG_LEVEL", ('"info"', "debug", "'warn'")),
        ("TIMEOUT_MS", ('"3000"', "'1500'")),
        ("FEATURE_FLAGS", ('"checkout-v2,fast-cart"', '""')),
        ("UPSTREAM_URL", ("https://%s.internal" % app, '"http://%s:8080"' % app)),
        ("MAX_CONNS", ('"128"', '"64"')),
        ("REGION", CLUSTERS),
        ("CACHE_TTL", ("'5m'", "1h")),
        ("RETRY_BUDGET", ('"0.2"',)),
        ("ENABLE_TRACING", ('"true"', '"false"')),
    )
    for key, values in g.rng.sample(entries, g.rng.randint(2, 6)):
        s += "  %s: %s\n" % (key, g.rng.choice(values))
    if g.rng.random() < 0.3:
        s += "  app.properties: |\n    server.port=8080\n    cache.size=512\n"
    return s


def kustomization(g, app, n_target, overlay):
    s = "apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n"
    if overlay:
        s += "resources:\n  - ../../base\n"
        if g.rng.random() < 0.5:
            s += "namePrefix: %s-\n" % overlay
    else:
        s += "resources:\n  - deployment.yaml\n  - service.yaml\n  - configmap.yaml\n"
    if g.rng.random() < 0.5:
        s += "commonLabels:\n  team: %s\n  app: %s\n" % (g.rng.choice(SERVICE_WORDS), app)
    if overlay and g.rng.random() < 0.5:
        s += ("patches:\n  - target:\n      kind: Deployment\n      name: %s\n"
              "    patch: |-\n      - op: replace\n        path: /spec/replicas\n"
              "        value: %d\n" % (app, g.rng.choice((1, 2, 4))))
    if g.rng.random() < 0.3:
        s += ("configMapGenerator:\n  - name: %s-env\n    literals:\n"
              "      - ENVIRONMENT=%s\n" % (app, overlay or "base"))
    n_images = g.rng.randint(1, 3)
    target_at = g.rng.randrange(n_images) if n_target else -1
    s += "images:\n"
    for k in range(n_images):
        repo = g.repo(k == target_at)
        s += "  - name: %s%s\n" % (g.quote(repo, plain_ok=True) if g.rng.random() < 0.1 else repo,
                                   g.trailing_comment())
        r = g.rng.random()
        if r < 0.12:
            s += "    newName: %s\n" % repo.replace("ghcr.io", "mirror.example.com")
        if r < 0.85:
            s += "    newTag: %s\n" % g.tag_scalar(g.tag())
        else:
            s += "    digest: %s\n" % g.digest()
    return s


def helm_values(g, app, n_target):
    s = "# Default values for %s.\n" % app
    s += "replicaCount: %d\n" % g.rng.choice((1, 2, 3))
    n_images = 1 if g.rng.random() < 0.75 else 2
    target_at = g.rng.randrange(n_images) if n_target else -1

    def image_map(indent, want_target):
        p = " " * indent
        t = "%simage:\n%s  repository: %s\n" % (p, p, g.quote(g.repo(want_target)))
        if g.rng.random() < 0.9:
            t += "%s  tag: %s%s\n" % (p, g.tag_scalar(g.tag()), g.trailing_comment())
        else:
            t += "%s  tag: \"\"  # defaults to .Chart.AppVersion\n" % p
        t += "%s  pullPolicy: IfNotPresent\n" % p
        return t

    s += image_map(0, target_at == 0)
    s += "service:\n  type: ClusterIP\n  port: %d\n" % g.rng.choice((80, 8080))
    if n_images == 2:
        s += "metrics:\n  enabled: %s\n" % g.rng.choice(("true", "false"))
        s += image_map(2, target_at == 1)
    if g.rng.random() < 0.4:
        s += "resources:\n  requests:\n    cpu: 100m\n    memory: 128Mi\n"
    return s


def multidoc(g, app, ns, n_target):
    """Workload + Service (+ ConfigMap), joined by `---`."""
    builder = g.rng.choice((deployment, deployment, statefulset, cronjob))
    docs = [builder(g, app, ns, n_target), service(g, app, ns)]
    if g.rng.random() < 0.5:
        docs.append(configmap(g, app, ns))
    g.rng.shuffle(docs)
    lead = "---\n" if g.rng.random() < 0.3 else ""
    return lead + "---\n".join(docs)


IMAGE_KINDS = {"deployment", "statefulset", "cronjob", "kustomization",
               "helm", "multidoc"}


def render(g, kind, app, ns, overlay, with_target):
    n = 1 if with_target else 0
    if kind == "deployment":
        body = deployment(g, app, ns, n)
    elif kind == "statefulset":
        body = statefulset(g, app, ns, n)
    elif kind == "cronjob":
        body = cronjob(g, app, ns, n)
    elif kind == "service":
        body = service(g, app, ns)
    elif kind == "configmap":
        body = configmap(g, app, ns)
    elif kind == "kustomization":
        body = kustomization(g, app, n, overlay)
    elif kind == "helm":
        body = helm_values(g, app, n)
    elif kind == "multidoc":
        body = multidoc(g, app, ns, n)
    else:
        raise ValueError(kind)
    return g.header_comment(app) + body


# ---------------------------------------------------------------------------
# Layout: apps/<app>/{base,overlays/<env>}/..., charts/<app>/values*.yaml,
# clusters/<cluster>/<app>.yaml (multi-document)
# ---------------------------------------------------------------------------


def plan_slots(rng, n_files):
    """Return a list of (relpath, kind, app, overlay) of exactly n_files."""
    slots = []
    i = 0
    while len(slots) < n_files:
        app = "%s-%s" % (rng.choice(SERVICE_WORDS), rng.choice(SERVICE_WORDS))
        app = "%s-%d" % (app, i)  # unique
        i += 1
        base = "apps/%s/base/" % app
        w = rng.random()
        wkind = "deployment" if w < 0.65 else ("statefulset" if w < 0.85 else "cronjob")
        slots.append((base + wkind + ".yaml", wkind, app, None))
        slots.append((base + "service.yaml", "service", app, None))
        if rng.random() < 0.7:
            slots.append((base + "configmap.yaml", "configmap", app, None))
        slots.append((base + "kustomization.yaml", "kustomization", app, None))
        for env in ENVS:
            if rng.random() < 0.75:
                slots.append(("apps/%s/overlays/%s/kustomization.yaml" % (app, env),
                              "kustomization", app, env))
            if rng.random() < 0.15:
                slots.append(("apps/%s/overlays/%s/configmap.yaml" % (app, env),
                              "configmap", app, env))
        if rng.random() < 0.45:
            slots.append(("charts/%s/values.yaml" % app, "helm", app, None))
            for env in ENVS:
                if rng.random() < 0.3:
                    slots.append(("charts/%s/values-%s.yaml" % (app, env), "helm", app, env))
        if rng.random() < 0.5:
            cluster = rng.choice(CLUSTERS)
            slots.append(("clusters/%s/%s.yaml" % (cluster, app), "multidoc", app, None))
        if rng.random() < 0.1:
            slots.append(("apps/%s/base/%s-job.yaml" % (app, app), "cronjob", app, None))
    return slots[:n_files]


# How the target references are spread over kinds of places.
TARGET_MIX = (("kustomization", 0.30), ("deployment", 0.25), ("helm", 0.15),
              ("multidoc", 0.12), ("statefulset", 0.09), ("cronjob", 0.09))


def pick_targets(rng, slots, n_target):
    """Choose which slot indices reference the target, stratified by kind."""
    by_kind = {k: [i for i, s in enumerate(slots) if s[1] == k] for k, _ in TARGET_MIX}
    chosen = []
    for kind, share in TARGET_MIX:
        want = min(len(by_kind[kind]), int(round(n_target * share)))
        chosen += rng.sample(by_kind[kind], want)
    picked = set(chosen)
    rest = [i for i, s in enumerate(slots) if s[1] in IMAGE_KINDS and i not in picked]
    short = n_target - len(chosen)
    if short > 0:
        chosen += rng.sample(rest, min(short, len(rest)))
    elif short < 0:
        chosen = chosen[:n_target]
    return set(chosen)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("outdir", help="directory to write the tree into (created; must be empty)")
    ap.add_argument("--files", type=int, default=10000, help="number of files (default 10000)")
    ap.add_argument("--seed", type=int, default=42, help="random seed (default 42)")
    ap.add_argument("--target-share", type=float, default=0.02,
                    help="fraction of files that reference the target image (default 0.02)")
    ap.add_argument("--target", default=DEFAULT_TARGET,
                    help="target image repository (default %s)" % DEFAULT_TARGET)
    ap.add_argument("--crlf-share", type=float, default=0.01,
                    help="fraction of files written with CRLF line endings (default 0.01)")
    args = ap.parse_args(argv)

    if args.files < 1:
        ap.error("--files must be >= 1")
    if not 0.0 <= args.target_share <= 1.0:
        ap.error("--target-share must be within [0, 1]")

    if os.path.isdir(args.outdir) and os.listdir(args.outdir):
        ap.error("output directory is not empty: %s" % args.outdir)
    os.makedirs(args.outdir, exist_ok=True)

    rng = random.Random(args.seed)
    pool = [p for p in build_image_pool() if p != args.target]
    g = Gen(rng, args.target, pool)

    slots = plan_slots(rng, args.files)
    target_set = pick_targets(rng, slots, int(round(args.files * args.target_share)))

    total_bytes = 0
    live_refs = 0
    substring_files = 0
    made_dirs = set()
    for i, (rel, kind, app, overlay) in enumerate(slots):
        ns = overlay or rng.choice(("default", "shop", "platform", app.split("-")[0]))
        text = render(g, kind, app, ns, overlay, i in target_set)
        r = rng.random()
        if r < args.crlf_share:
            text = text.replace("\n", "\r\n")
        elif r < args.crlf_share + 0.01:
            text = text.rstrip("\n")  # no trailing newline
        data = text.encode("utf-8")
        path = os.path.join(args.outdir, rel)
        d = os.path.dirname(path)
        if d not in made_dirs:
            os.makedirs(d, exist_ok=True)
            made_dirs.add(d)
        with open(path, "wb") as f:
            f.write(data)
        total_bytes += len(data)
        if i in target_set:
            live_refs += 1
        if args.target in text:
            substring_files += 1

    print("gen_tree: %d files, %d bytes (%.1f MiB, avg %d B/file), "
          "%d files reference %s (%d contain the string incl. near misses), seed=%d -> %s"
          % (len(slots), total_bytes, total_bytes / 1048576.0, total_bytes // len(slots),
             live_refs, args.target, substring_files, args.seed, args.outdir))
    return 0


if __name__ == "__main__":
    sys.exit(main())
