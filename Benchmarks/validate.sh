#!/usr/bin/env bash
# Benchmark: `capstan validate` against kubeconform -n 2 on the same >= 10,000 files and
# the same schemas (the bundle's sources, exported in kubeconform's layout). Prints wall
# time and peak memory of each and the ratios. Needs a kubeconform binary built locally
# (KUBECONFORM=/path, default /tmp/kubeconform); it is never committed.
#
# Usage: Benchmarks/validate.sh [FILES (default 10000)] [--strict]
set -euo pipefail
cd "$(dirname "$0")/.."
files="${1:-10000}"
strict="${2:-}"
source Benchmarks/common.sh
kubeconform=$(kubeconform_binary)
work="Benchmarks/.work"

capstan=$(capstan_binary)
kubeconform_workspace
corpus="$work/corpus-$files"
[ -d "$corpus" ] || python3 Benchmarks/make-corpus.py repeat "$corpus" "$files"

# Runs a command three times; prints the best wall time (s) and the peak RSS (MB) of that run.
measure() {
  local best="" rss=""
  for _ in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$work/time.txt" "$@" >/dev/null 2>&1 || true
    read -r wall kb < <(tail -n 1 "$work/time.txt")
    if [ -z "$best" ] || awk "BEGIN{exit !($wall < $best)}"; then best="$wall"; rss=$((kb / 1024)); fi
  done
  echo "$best $rss"
}

flag=""
[ "$strict" = "--strict" ] && flag="-strict"
location="$work/schemas/k8s{{.StrictSuffix}}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
resources=$( ("$capstan" validate "$corpus" --output json ${strict:+--strict} || true) | python3 -c 'import json,sys; r=json.load(sys.stdin); print(r["files"], r["resources"])')
read -r capstan_wall capstan_mb < <(measure "$capstan" validate "$corpus" --concurrency 2 ${strict:+--strict})
read -r kc_wall kc_mb < <(measure "$kubeconform" -n 2 -summary $flag -schema-location "$location" "$corpus")

echo "corpus: $corpus ($resources files/resources), $(nproc) cores${strict:+, strict}"
printf "capstan validate:  %6.2f s  %5d MB peak\n" "$capstan_wall" "$capstan_mb"
printf "kubeconform -n 2:  %6.2f s  %5d MB peak\n" "$kc_wall" "$kc_mb"
awk "BEGIN{printf \"speed-up: %.2fx (target >= 2x); memory: capstan %.2fx of kubeconform (target < 300 MB)\n\", $kc_wall/$capstan_wall, $capstan_mb/$kc_mb}"
