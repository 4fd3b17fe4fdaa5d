#!/usr/bin/env bash
# Agreement with kubeconform (measurement only): Capstan's valid/invalid verdict per
# resource against kubeconform's on the same files and schemas, default and --strict,
# over a mutation corpus built from real manifests, the test fixtures and the examples.
# Every difference is printed with its category; UNEXPLAINED ones need a look.
#
# Usage: Benchmarks/agreement.sh [MUTATED_FILES (default 4000)]   (KUBECONFORM=/path, default /tmp/kubeconform)
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-4000}"
source Benchmarks/common.sh
kubeconform=$(kubeconform_binary)
work="Benchmarks/.work"
capstan=$(capstan_binary)
kubeconform_workspace
rm -rf "$work/mutated"
python3 Benchmarks/make-corpus.py mutate "$work/mutated" "$count"
for tree in "$work/mutated" Tests/Fixtures/validation/corpus Tests/Fixtures/validation/public Tests/Fixtures/validation/broken \
            examples/flux-release-repo examples/argocd-release-repo; do
  for mode in "" --strict; do
    echo "== $tree ${mode:-(default)}"
    KUBECONFORM="$kubeconform" python3 Benchmarks/agreement.py "$capstan" "$kubeconform" "$work/schemas" "$tree" $mode | sed -n '1,/^- /p' | grep -v '^- '
  done
done
