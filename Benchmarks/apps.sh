#!/usr/bin/env bash
# Time `capstan apps` on the example repositories (and the larger test fixtures).
#
# Usage: Benchmarks/apps.sh [--runs N]
#   --runs N   timed runs per case; the median and the slowest are reported (default 21)
# Env: CAPSTAN_BIN (default .build/release/capstan, built when missing)
#
# Target: every case under 100 ms wall time (process start to exit), one process.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=21
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    *) sed -n '2,9p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

CAPSTAN="${CAPSTAN_BIN:-$ROOT/.build/release/capstan}"
if [ ! -x "$CAPSTAN" ]; then
  echo "building capstan (release)..." >&2
  swift build -c release --package-path "$ROOT" --product capstan >&2
fi

python3 - "$CAPSTAN" "$RUNS" "$ROOT" <<'PY'
import statistics, subprocess, sys, time
capstan, runs, root = sys.argv[1], int(sys.argv[2]), sys.argv[3]
cases = [
    ("examples/flux-release-repo: list", ["apps", "--repository", f"{root}/examples/flux-release-repo"]),
    ("examples/flux-release-repo: --files", ["apps", "--repository", f"{root}/examples/flux-release-repo",
                                            "--files", "apps/base/redis/values.yaml", "--output", "json"]),
    ("examples/argocd-release-repo: list", ["apps", "--repository", f"{root}/examples/argocd-release-repo"]),
    ("examples/argocd-release-repo: --files", ["apps", "--repository", f"{root}/examples/argocd-release-repo",
                                              "--files", "envs/prod/config.yaml", "charts/checkout/values.yaml"]),
    ("Tests/Fixtures/apps/argocd: list", ["apps", "--repository", f"{root}/Tests/Fixtures/apps/argocd"]),
    ("Tests/Fixtures/apps/flux: list", ["apps", "--repository", f"{root}/Tests/Fixtures/apps/flux"]),
]
failed = False
print(f"{'case':<42} {'median ms':>10} {'max ms':>8}")
for name, arguments in cases:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([capstan] + arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    failed |= median >= 100
    print(f"{name:<42} {median:>10.1f} {max(times):>8.1f}")
print("verdict:", "FAIL (a median at or over 100 ms)" if failed else "ok (every median under 100 ms)")
sys.exit(1 if failed else 0)
PY
