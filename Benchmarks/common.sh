# Sourced by the benchmark scripts: where the package is, and the binaries they time.
BENCH_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# The shipped binary (scripts/build-release), or $CAPSTAN_BIN; built when missing, never
# rebuilt when stale (run scripts/build-release after changing the code).
capstan_binary() {
  local binary="${CAPSTAN_BIN:-$BENCH_ROOT/dist/capstan-linux-$(uname -m)}"
  if [ ! -x "$binary" ]; then
    echo "building capstan (scripts/build-release)..." >&2
    "$BENCH_ROOT/scripts/build-release" >&2
  fi
  echo "$binary"
}

# kubeconform, built locally from its vendored sources for measurement only ($KUBECONFORM).
kubeconform_binary() {
  local binary="${KUBECONFORM:-/tmp/kubeconform}"
  [ -x "$binary" ] || { echo "$(basename "$0"): no kubeconform at $binary (set KUBECONFORM)" >&2; exit 2; }
  echo "$binary"
}
