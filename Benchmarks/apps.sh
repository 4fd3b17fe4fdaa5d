#!/usr/bin/env bash
# Time `capstan apps` on the example repositories (and the larger test fixtures).
#
# Usage: Benchmarks/apps.sh [--runs N]
#   --runs N   timed runs per case; the median and the slowest are reported (default 21)
# Env: CAPSTAN_BIN (default dist/capstan-linux-ARCH, built by scripts/build-release when missing)
#
# Target: every case under 100 ms wall time (process start to exit), one process.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/Benchmarks/common.sh"
parse_runs 21 '2,9' "$@"
CAPSTAN=$(capstan_binary)

# A two-commit copy of the Argo CD example for the --changed case.
WORK=$(mktemp -d /tmp/capstan-apps-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/examples/argocd-release-repo" "$WORK/repo"
(
  cd "$WORK/repo"
  export GIT_AUTHOR_NAME=bench GIT_AUTHOR_EMAIL=bench@example.com GIT_COMMITTER_NAME=bench GIT_COMMITTER_EMAIL=bench@example.com
  git init -q -b main && git remote add origin https://github.com/acme/release-repo.git
  git add -A && git commit -qm base
  sed -i 's/1.4.3/1.4.4/' envs/dev/config.json && echo "# note" >> charts/checkout/values.yaml
  git commit -qam head
)

python3 - "$CAPSTAN" "$RUNS" "$ROOT" "$WORK/repo" <<'PY'
import statistics, subprocess, sys, time
capstan, runs, root, repo = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
cases = [
    ("argocd example in git: --changed HEAD~1..HEAD", ["apps", "--repository", repo, "--changed", "HEAD~1..HEAD"]),
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
print(f"{'case':<46} {'median ms':>10} {'max ms':>8}")
for name, arguments in cases:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([capstan] + arguments, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append((time.perf_counter() - start) * 1000)
    median = statistics.median(times)
    failed |= median >= 100
    print(f"{name:<46} {median:>10.1f} {max(times):>8.1f}")
print("verdict:", "FAIL (a median at or over 100 ms)" if failed else "ok (every median under 100 ms)")
sys.exit(1 if failed else 0)
PY
