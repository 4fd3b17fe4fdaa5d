#!/usr/bin/env bash
# Benchmark opening a passphrase-protected OpenSSH private key (what `capstan update
# --sign-key` does once per run): bcrypt_pbkdf with OpenSSH's default 16 rounds, then
# aes256-ctr (the default) or another cipher, against `ssh-keygen -y -P` on the same file.
#
# Usage: Benchmarks/ssh-key.sh [--runs N] [--rounds N]
#   --runs N    timed openings per key (default 15); medians are reported
#   --rounds N  ssh-keygen -a (default 16, OpenSSH's default)
#
# Capstan's side is Benchmarks/SSHKeyDecrypt compiled with -O together with the Signatures
# sources (the same code the release binary runs), timed in-process. ssh-keygen's figure is a
# whole process (start-up included); its start-up alone is shown beside it (an unencrypted key).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
RUNS=15
ROUNDS=16
while [ $# -gt 0 ]; do
  case "$1" in
    --runs) RUNS=$2; shift 2 ;;
    --rounds) ROUNDS=$2; shift 2 ;;
    *) sed -n '2,13p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; exit 2 ;;
  esac
done

WORK=$(mktemp -d /tmp/capstan-ssh-key-bench.XXXXXX)
trap 'rm -rf "$WORK"' EXIT
cd "$ROOT"
mapfile -t sources < <(find Sources/Signatures -name '*.swift' | sort)
echo "building ssh-key-decrypt (-O)..." >&2
swiftc -O -parse-as-library -module-name Signatures -I Sources/COpenSSL \
  "${sources[@]}" Benchmarks/SSHKeyDecrypt/main.swift -o "$WORK/ssh-key-decrypt"

median() { sort -n | awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2; printf "%.1f", m }'; }
export KEY_PASSPHRASE="benchmark passphrase"
ssh-keygen -q -t ed25519 -N "" -f "$WORK/plain"
printf "%-34s %12s %14s\n" "key (ed25519, $ROUNDS rounds)" "capstan ms" "ssh-keygen ms"
for cipher in aes256-ctr aes256-gcm@openssh.com chacha20-poly1305@openssh.com; do
  ssh-keygen -q -t ed25519 -a "$ROUNDS" -Z "$cipher" -N "$KEY_PASSPHRASE" -f "$WORK/$cipher"
  ours=$("$WORK/ssh-key-decrypt" "$WORK/$cipher" "$RUNS" | median)
  theirs=$(for _ in $(seq "$RUNS"); do
    start=$(date +%s%N); ssh-keygen -y -P "$KEY_PASSPHRASE" -f "$WORK/$cipher" > /dev/null; end=$(date +%s%N)
    echo $(( (end - start) / 1000 ))
  done | median)
  printf "%-34s %12s %14s\n" "$cipher" "$ours" "$(awk -v us="$theirs" 'BEGIN { printf "%.1f", us / 1000 }')"
done
startup=$(for _ in $(seq "$RUNS"); do
  start=$(date +%s%N); ssh-keygen -y -f "$WORK/plain" > /dev/null; end=$(date +%s%N); echo $(( (end - start) / 1000 ))
done | median)
printf "%-34s %12s %14s\n" "(ssh-keygen start-up, no KDF)" "-" "$(awk -v us="$startup" 'BEGIN { printf "%.1f", us / 1000 }')"
