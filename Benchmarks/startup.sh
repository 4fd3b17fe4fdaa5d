#!/usr/bin/env bash
# Startup of the release binary: `capstan --version` wall time (process start to exit), and
# what the binary is — its size and the shared libraries it asks for (scripts/build-release
# prints both when it builds it).
#
# Usage: Benchmarks/startup.sh [--runs N]
#   --runs N   timed runs; the median and the slowest are reported (default 51)
# Env: CAPSTAN_BIN (default dist/capstan-linux-ARCH, built by scripts/build-release when missing)
#      KUBECONFORM  a kubeconform binary to time `kubeconform -v` beside it, for scale
#
# Target: median under 20 ms.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
source "$ROOT/Benchmarks/common.sh"
parse_runs 51 '2,12' "$@"
CAPSTAN=$(capstan_binary)

# Median and maximum wall milliseconds of RUNS runs of the command (one warm-up first).
time_runs() {
  "$@" >/dev/null
  for _ in $(seq "$RUNS"); do
    start=${EPOCHREALTIME/./}
    "$@" >/dev/null
    end=${EPOCHREALTIME/./}
    echo $(( end - start ))
  done | sort -n | awk '{ t[NR] = $1 } END { printf "median %.1f ms, slowest %.1f ms (%d runs)\n", t[int((NR + 1) / 2)] / 1000, t[NR] / 1000, NR }'
}

echo "binary: $CAPSTAN, $(du -h "$CAPSTAN" | cut -f1)"
echo "shared libraries: $(readelf -d "$CAPSTAN" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p' | tr '\n' ' ')"
echo "capstan --version:    $(time_runs "$CAPSTAN" --version)"
echo "capstan version:      $(time_runs "$CAPSTAN" version)"
if [ -n "${KUBECONFORM:-}" ]; then
  echo "kubeconform -v:       $(time_runs "$KUBECONFORM" -v)"
fi
