#!/usr/bin/env bash
# Times one `capstan update` (clone + edit + commit + push) against the same work done by
# a shell script of `git clone`, `sed`, `git commit` and `git push`, on a release repo of
# 2,000 files and 5,000 commits served by git http-backend over loopback HTTP; then times
# 16 `capstan update` processes racing to bump 16 images in one file.
# Usage: Benchmarks/update.sh [--runs N]     Env: CAPSTAN_BIN (default dist/capstan-linux-ARCH, built by scripts/build-release when missing)
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=5
[ "${1:-}" = "--runs" ] && RUNS="$2"
source "$ROOT/Benchmarks/common.sh"
CAPSTAN=$(capstan_binary)
command -v hyperfine >/dev/null || { echo "update.sh: needs hyperfine (apt-get install hyperfine)" >&2; exit 2; }

WORK="$(mktemp -d "${TMPDIR:-/tmp}/capstan-update-bench.XXXXXX")"
SERVER_PID=""
cleanup() { [ -n "$SERVER_PID" ] && kill "$SERVER_PID" 2>/dev/null; rm -rf "$WORK"; }
trap cleanup EXIT

echo "[bench] building a 2,000-file, 5,000-commit release repo" >&2
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
git init -q --bare -b main "$WORK/srv/release.git"
git -C "$WORK/srv/release.git" fast-import --quiet < "$WORK/stream"
git -C "$WORK/srv/release.git" config http.receivepack true
git -C "$WORK/srv/release.git" gc -q
ORIGINAL=$(git -C "$WORK/srv/release.git" rev-parse main)
TOKEN="bench-$RANDOM$RANDOM"
python3 "$ROOT/Tests/Support/git_http_server.py" --root "$WORK/srv" --user bench --password "$TOKEN" > "$WORK/port" &
SERVER_PID=$!
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
URL="http://127.0.0.1:$(head -1 "$WORK/port")/release.git"
export RELEASE_TOKEN="$TOKEN"
TARGET=apps/svc-0042/deployment.yaml

cat > "$WORK/git-script.sh" <<SH
#!/usr/bin/env bash
set -euo pipefail
dir=\$(mktemp -d)
git -c credential.helper= clone -q "http://bench:$TOKEN@${URL#http://}" "\$dir/repo"
cd "\$dir/repo"
sed -i 's|ghcr.io/acme/svc-0042:[^ ]*|ghcr.io/acme/svc-0042:9.9.9|' $TARGET
git -c user.name=Bench -c user.email=bench@example.com commit -qam "Update svc-0042 to 9.9.9"
git push -q origin HEAD:main
rm -rf "\$dir"
SH
chmod +x "$WORK/git-script.sh"
reset="git -C $WORK/srv/release.git update-ref refs/heads/main $ORIGINAL"

echo "[bench] one update, fresh clone each run ($RUNS runs)" >&2
hyperfine -N --runs "$RUNS" --prepare "$reset" --export-json "$WORK/one.json" \
  -n "capstan update" "$CAPSTAN update --repo $URL --token-env RELEASE_TOKEN --set-image ghcr.io/acme/svc-0042:9.9.9 --path apps/svc-0042" \
  -n "git clone+sed+commit+push" "$WORK/git-script.sh" ${BENCH_SHOW_OUTPUT:+--show-output} >&2
mkdir -p "$WORK/cache"
$reset
"$CAPSTAN" update --repo "$URL" --token-env RELEASE_TOKEN --set-image ghcr.io/acme/svc-0042:9.9.8 --workdir "$WORK/cache" >/dev/null 2>&1
echo "[bench] one update with a warm --workdir cache" >&2
hyperfine -N --runs "$RUNS" --prepare "$reset" --export-json "$WORK/cached.json" \
  -n "capstan update (cached workdir)" "$CAPSTAN update --repo $URL --token-env RELEASE_TOKEN --set-image ghcr.io/acme/svc-0042:9.9.9 --workdir $WORK/cache" >&2

echo "[bench] 16 writers, one file, one branch" >&2
$reset
start=$(date +%s.%N)
pids=()
for i in $(seq 0 15); do
  n=$(printf %02d "$i")
  "$CAPSTAN" update --repo "$URL" --token-env RELEASE_TOKEN --set-image "ghcr.io/acme/race-$n:2.0.0" --path values.yaml \
    --max-attempts 30 --workdir "$WORK/race-$n" >/dev/null 2>"$WORK/race-$n.log" &
  pids+=($!)
done
failed=0
for pid in "${pids[@]}"; do wait "$pid" || failed=$((failed + 1)); done
race=$(echo "$(date +%s.%N) - $start" | bc)
landed=$(git -C "$WORK/srv/release.git" show main:values.yaml | grep -c '"2.0.0"' || true)

python3 - "$WORK/one.json" "$WORK/cached.json" "$race" "$landed" "$failed" <<'PY'
import json, sys
one = {r["command"]: r for r in json.load(open(sys.argv[1]))["results"]}
cached = json.load(open(sys.argv[2]))["results"][0]
c, g = one["capstan update"], one["git clone+sed+commit+push"]
print(f"{'command':40} {'median s':>9} {'min s':>7} {'max s':>7}")
for name, r in [("capstan update (fresh clone)", c), ("git clone+sed+commit+push", g), ("capstan update (cached workdir)", cached)]:
    print(f"{name:40} {r['median']:9.3f} {r['min']:7.3f} {r['max']:7.3f}")
print(f"ratio capstan/git (fresh clone): {c['median'] / g['median']:.2f}  (target <= 1.0)")
print(f"ratio capstan cached/git:        {cached['median'] / g['median']:.2f}")
race, landed, failed = float(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
print(f"16 writers: {landed}/16 edits landed, {failed} failed, {race:.1f} s total (target: all 16 within 30 s)")
PY
