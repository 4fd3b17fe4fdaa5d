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

# The one option the timing scripts take: `--runs N` sets RUNS (default $1); anything else
# prints the script's header lines $2 (e.g. '2,9') as usage and exits 2.
parse_runs() {
  local usage=$2
  RUNS=$1
  shift 2
  while [ $# -gt 0 ]; do
    case "$1" in
      --runs) RUNS=$2; shift 2 ;;
      *) sed -n "${usage}p" "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
    esac
  done
}

# Benchmarks/.work with kubeconform's schemas written out once (validate.sh, agreement.sh).
kubeconform_workspace() {
  local work="$BENCH_ROOT/Benchmarks/.work"
  mkdir -p "$work"
  [ -d "$work/schemas/k8s" ] || python3 "$BENCH_ROOT/Benchmarks/kubeconform-schemas.py" "$work/schemas"
}
