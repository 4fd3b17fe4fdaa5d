#!/usr/bin/env bash
# Benchmark `capstan verify` on a range of signed commits against `git verify-commit`.
#
# Usage: Benchmarks/verify.sh [--commits N] [--git-sample N] [--runs N]
#   --commits N     signed commits in the range (default 10000), alternating
#                   OpenPGP Ed25519 and RSA-3072 keys made by real GnuPG
#   --git-sample N  commits timed with `git verify-commit` (default 500); git's
#                   per-commit time is extrapolated to the whole range
#   --runs N        timed capstan runs; the median is reported (default 3)
# Env: CAPSTAN_BIN (default dist/capstan-linux-ARCH, built by scripts/build-release when missing)
#
# The commits are made by Benchmarks/CommitFactory, which signs with Capstan's own
# OpenPGP signer (gpg would take minutes for 10,000 signatures); `git verify-commit`
# accepts those signatures, which the script checks on its sample. Verification figures
# are real runs of both tools on the same commits. Targets: >= 100x faster than git,
# < 1 ms per commit, < 100 MB peak RSS.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
COMMITS=10000
SAMPLE=500
RUNS=3
while [ $# -gt 0 ]; do
  case "$1" in
    --commits) COMMITS=$2; shift 2 ;;
    --git-sample) SAMPLE=$2; shift 2 ;;
    --runs) RUNS=$2; shift 2 ;;
    *) sed -n '2,18p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

source "$ROOT/Benchmarks/common.sh"
CAPSTAN=$(capstan_binary)
echo "building commit-factory (release)..." >&2
swift build -c release --package-path "$ROOT/Benchmarks/CommitFactory" >&2
FACTORY="$ROOT/Benchmarks/CommitFactory/.build/release/commit-factory"

WORK=$(mktemp -d /tmp/capstan-verify-bench.XXXXXX)
export GNUPGHOME="$WORK/gnupg"
cleanup() {
  GNUPGHOME="$WORK/gnupg" gpgconf --kill all 2>/dev/null || true
  GNUPGHOME="$WORK/gnupg-verify" gpgconf --kill all 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
mkdir -m 700 "$GNUPGHOME" "$WORK/gnupg-verify"
mkdir "$WORK/keys" "$WORK/secrets"

batch=(gpg --batch --quiet --pinentry-mode loopback --passphrase '')
for algo in ed25519 rsa3072; do
  "${batch[@]}" --quick-gen-key "bench-$algo <bench-$algo@example.com>" "$algo" sign never 2>/dev/null
  gpg --armor --export "bench-$algo@example.com" > "$WORK/keys/$algo.asc"
  "${batch[@]}" --armor --export-secret-keys "bench-$algo@example.com" > "$WORK/secrets/$algo.asc"
  GNUPGHOME="$WORK/gnupg-verify" gpg --batch --quiet --import "$WORK/keys/$algo.asc" 2>/dev/null
done

REPO="$WORK/repo"
git init -q -b main "$REPO"
git -C "$REPO" -c user.name=Bench -c user.email=bench@example.com commit -q --allow-empty -m "unsigned base"
BASE=$(git -C "$REPO" rev-parse HEAD)
start=$(date +%s.%N)
"$FACTORY" "$REPO" "$COMMITS" "$WORK/secrets/ed25519.asc" "$WORK/secrets/rsa3072.asc" > /dev/null
made=$(echo "$(date +%s.%N) - $start" | bc)
# Real repositories are packed; both tools read the same pack.
git -C "$REPO" repack -adq

echo "capstan verify benchmark"
echo "  host:     $(nproc) CPU(s), $(uname -sr)"
echo "  commits:  $COMMITS signed (alternating Ed25519 / RSA-3072 OpenPGP), made in ${made}s by CommitFactory"

# capstan: median wall time of RUNS runs over the whole range, peak RSS from GNU time.
times=()
peak=0
for _ in $(seq "$RUNS"); do
  /usr/bin/time -f "%e %M" -o "$WORK/time" "$CAPSTAN" verify --repository "$REPO" --mode range "$BASE..HEAD" \
    --keys "$WORK/keys" > "$WORK/capstan.out" 2> "$WORK/capstan.err" || { echo "capstan verify failed:"; tail -3 "$WORK/capstan.err"; exit 1; }
  read -r seconds kib < "$WORK/time"
  times+=("$seconds")
  [ "$kib" -gt "$peak" ] && peak=$kib
done
median=$(printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( (RUNS + 1) / 2 ))p")
covered=$(wc -l < "$WORK/capstan.out")
good=$(grep -c '^good ' "$WORK/capstan.out" || true)

# git verify-commit on a sample of the same commits, extrapolated.
git -C "$REPO" rev-list --max-count="$SAMPLE" "$BASE..HEAD" > "$WORK/sample"
gstart=$(date +%s.%N)
failures=0
while read -r commit; do
  GNUPGHOME="$WORK/gnupg-verify" git -C "$REPO" verify-commit "$commit" 2>/dev/null || failures=$((failures + 1))
done < "$WORK/sample"
gseconds=$(echo "$(date +%s.%N) - $gstart" | bc)
sampled=$(wc -l < "$WORK/sample")

per_capstan=$(echo "scale=4; $median * 1000 / $covered" | bc)
per_git=$(echo "scale=4; $gseconds * 1000 / $sampled" | bc)
git_total=$(echo "scale=2; $per_git * $covered / 1000" | bc)
ratio=$(echo "scale=1; $per_git / $per_capstan" | bc)
peak_mib=$(echo "scale=1; $peak / 1024" | bc)

echo "  verdicts: capstan $good of $covered good; git verify-commit failed on $failures of $sampled sampled"
echo
printf '%-44s %12s %14s %10s\n' "" "total s" "per commit ms" "peak MiB"
printf '%-44s %12s %14s %10s\n' "capstan verify --mode range ($covered commits)" "$median" "$per_capstan" "$peak_mib"
printf '%-44s %12s %14s %10s\n' "git verify-commit ($sampled sampled, extrapolated)" "$git_total" "$per_git" "-"
echo
# The floor no verifier on OpenSSL can go under on this host: the signature checks alone
# (OpenSSL's own `openssl speed`, one core), spread over every core.
floor=$(openssl speed -seconds 1 ed25519 rsa3072 2>/dev/null | awk '
  /^rsa 3072 bits/ && $NF > 0 { rsa = 1 / $NF } /Ed25519\)/ && $NF > 0 { ed = 1 / $NF }
  END { if (rsa > 0 && ed > 0) printf "%.4f %.1f %.1f", (rsa + ed) / 2 * 1000, rsa * 1e6, ed * 1e6 }')
if [ -n "$floor" ]; then
  read -r floor_ms rsa_us ed_us <<< "$floor"
  cores=$(nproc)
  echo "crypto floor: OpenSSL verifies RSA-3072 in ${rsa_us} us, Ed25519 in ${ed_us} us on one core;" \
    "this mix on $cores core(s) cannot go under $(echo "scale=4; $floor_ms / $cores" | bc) ms per commit" \
    "($(echo "scale=0; $per_git * $cores / $floor_ms" | bc)x git at best)"
fi
echo "ratio: capstan is ${ratio}x faster per commit than git verify-commit (capstan median of $RUNS runs: ${times[*]} s)"
verdict=PASS
(( $(echo "$ratio < 100" | bc) )) && verdict=FAIL
(( $(echo "$per_capstan >= 1" | bc) )) && verdict=FAIL
(( $(echo "$peak_mib >= 100" | bc) )) && verdict=FAIL
[ "$good" -eq "$covered" ] && [ "$failures" -eq 0 ] || verdict=FAIL
echo "verdict: $verdict (targets: >= 100x git, < 1 ms per commit, < 100 MB peak RSS, every signature good in both tools)"
