#!/usr/bin/env bash
# `capstan update` against a script doing the same work with git (`git clone`, `sed`,
# `git commit`, `git push`), side by side in one run, on a release repository of 2,000
# files and 5,000 commits (made with git fast-import): cold (no cache) over loopback smart
# HTTP (git http-backend) and over file://, and warm (a kept --workdir) over HTTP; then 16
# `capstan update` processes racing to bump 16 images in one file, over HTTP and file://.
# Runs alternate capstan and git, so load on the machine falls on both alike; medians.
# Usage: Benchmarks/update.sh [--runs N]     Env: CAPSTAN_BIN (default dist/capstan-linux-ARCH, built by scripts/build-release when missing)
# Targets: cold <= 0.7x the git script over HTTP and file://; warm <= 0.1x; 16 writers all landed within 30 s.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/Benchmarks/common.sh"
parse_runs 5 '2,10' "$@"
CAPSTAN=$(capstan_binary)

WORK="$(mktemp -d "${TMPDIR:-/tmp}/capstan-update-bench.XXXXXX")"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "[bench] building a 2,000-file, 5,000-commit release repo with git fast-import" >&2
python3 - "$WORK/stream" <<'PY'
import sys
files, commits = 2000, 5000
out = open(sys.argv[1], "w")
def blob(text):
    data = text.encode()
    out.write(f"data {len(data)}\n"); out.write(text); out.write("\n")
def manifest(i, tag):
    return (f"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: svc-{i:04d}\nspec:\n  template:\n"
            f"    spec:\n      containers:\n        - name: app\n          image: ghcr.io/acme/svc-{i:04d}:{tag}\n")
t = 1700000000
for c in range(commits):
    out.write("commit refs/heads/main\n")
    out.write(f"committer Bench <bench@example.com> {t + c} +0000\n")
    message = f"commit {c}"
    out.write(f"data {len(message)}\n{message}\n")
    if c == 0:
        for i in range(files):
            out.write(f"M 100644 inline apps/svc-{i:04d}/deployment.yaml\n"); blob(manifest(i, "1.0.0"))
        values = "".join(f"svc{i:02d}:\n  image:\n    repository: ghcr.io/acme/race-{i:02d}\n    tag: \"1.0.0\"\n" for i in range(16))
        out.write("M 100644 inline values.yaml\n"); blob(values)
    else:
        i = (c * 7919) % files
        out.write(f"M 100644 inline apps/svc-{i:04d}/deployment.yaml\n"); blob(manifest(i, f"1.0.{c}"))
    out.write("\n")
PY
mkdir -p "$WORK/srv"
BARE="$WORK/srv/release.git"
git init -q --bare -b main "$BARE"
git -C "$BARE" fast-import --quiet < "$WORK/stream"
git -C "$BARE" config http.receivepack true
git -C "$BARE" gc -q
ORIGINAL=$(git -C "$BARE" rev-parse main)
TOKEN="bench-$RANDOM$RANDOM"
python3 "$ROOT/Tests/Support/git_http_server.py" --root "$WORK/srv" --user bench --password "$TOKEN" > "$WORK/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
HTTP_URL="http://127.0.0.1:$(head -1 "$WORK/port")/release.git"
FILE_URL="file://$BARE"
export RELEASE_TOKEN="$TOKEN"
TARGET=apps/svc-0042/deployment.yaml

# The git script: clone, edit with sed, commit, push. $1 is the URL to clone and push.
cat > "$WORK/git-script.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
dir=\$(mktemp -d)
url=\$1
case "\$url" in http://*) url="http://bench:$TOKEN@\${url#http://}" ;; esac
git -c credential.helper= clone -q "\$url" "\$dir/repo"
cd "\$dir/repo"
sed -i 's|ghcr.io/acme/svc-0042:[^ ]*|ghcr.io/acme/svc-0042:9.9.9|' $TARGET
git -c user.name=Bench -c user.email=bench@example.com commit -qam "Update svc-0042 to 9.9.9"
git push -q origin HEAD:main
rm -rf "\$dir"
SH
chmod +x "$WORK/git-script.sh"

mkdir -p "$WORK/cache"
git -C "$BARE" update-ref refs/heads/main "$ORIGINAL"
"$CAPSTAN" update --repo "$HTTP_URL" --token-env RELEASE_TOKEN --set-image ghcr.io/acme/svc-0042:9.9.8 --workdir "$WORK/cache" >/dev/null 2>&1

python3 - "$RUNS" "$BARE" "$ORIGINAL" "$CAPSTAN" "$WORK" "$HTTP_URL" "$FILE_URL" <<'PY'
import statistics, subprocess, sys, time
runs, bare, original, capstan, work, http_url, file_url = sys.argv[1:]
runs = int(runs)
def reset():
    subprocess.run(["git", "-C", bare, "update-ref", "refs/heads/main", original], check=True)
def timed(command):
    reset()
    start = time.perf_counter()
    result = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"update.sh: {' '.join(command)} failed: {result.stderr.decode()}")
    return elapsed
def capstan_update(url, extra=()):
    return [capstan, "update", "--repo", url, "--set-image", "ghcr.io/acme/svc-0042:9.9.9", "--path", "apps/svc-0042", *extra] + (
        ["--token-env", "RELEASE_TOKEN"] if url.startswith("http") else [])
cases = [
    ("cold, HTTP", capstan_update(http_url), [f"{work}/git-script.sh", http_url]),
    ("cold, file://", capstan_update(file_url), [f"{work}/git-script.sh", file_url]),
    ("warm --workdir, HTTP", capstan_update(http_url, ["--workdir", f"{work}/cache"]), [f"{work}/git-script.sh", http_url]),
]
print(f"{'case':24} {'capstan s':>10} {'git s':>8} {'ratio':>6}  (medians of {runs}; target cold <= 0.70, warm <= 0.10)")
for name, ours, theirs in cases:
    a, b = [], []
    for _ in range(runs):
        a.append(timed(ours))
        b.append(timed(theirs))
    ma, mb = statistics.median(a), statistics.median(b)
    print(f"{name:24} {ma:10.3f} {mb:8.3f} {ma / mb:6.2f}")
PY

race() {
  local label=$1 url=$2
  git -C "$BARE" update-ref refs/heads/main "$ORIGINAL"
  local start pids=() failed=0
  start=$(date +%s.%N)
  for i in $(seq 0 15); do
    n=$(printf %02d "$i")
    "$CAPSTAN" update --repo "$url" --token-env RELEASE_TOKEN --set-image "ghcr.io/acme/race-$n:2.0.0" --path values.yaml \
      --max-attempts 40 --workdir "$WORK/race-$label-$n" >/dev/null 2>"$WORK/race-$label-$n.log" &
    pids+=($!)
  done
  for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
  local seconds landed
  seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
  landed=$(git -C "$BARE" show main:values.yaml | grep -c '"2.0.0"' || true)
  echo "16 writers, $label: $landed/16 edits landed, $failed failed, $seconds s (target: all 16 within 30 s)"
}
race HTTP "$HTTP_URL"
race file "$FILE_URL"
