#!/usr/bin/env python3
"""Builds measurement corpora from real manifests (Tests/Fixtures/validation/corpus and the
example release repositories); nothing here is committed output.

  make-corpus.py repeat OUT N     N files: the seed manifests copied round-robin (benchmark)
  make-corpus.py mutate OUT N     N files: each a seed with one change: a scalar replaced by a
                                  value YAML readers type differently (yes, 0x1F, 1e3, ~, 1:20,
                                  2024-01-01, ...), a key misspelt, a line deleted or a key
                                  repeated (agreement check)
"""
import os
import random
import re
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SEED_DIRS = [os.path.join(ROOT, "Tests", "Fixtures", "validation", "corpus"),
             os.path.join(ROOT, "Tests", "Fixtures", "validation", "public"),
             os.path.join(ROOT, "examples", "flux-release-repo"),
             os.path.join(ROOT, "examples", "argocd-release-repo")]
SKIP = {"kustomization.yaml", "Chart.yaml", "Chart.lock", "kustomizeconfig.yaml", "labels.yaml"}
PALETTE = ["yes", "no", "on", "off", "y", "~", "null", "\"42\"", "42", "0x1F", "0755", "08", "1e3", "1.0", "1.5", ".5",
           "+12", "1_000", "1:20", "2024-01-01", "2024-01-01T10:00:00Z", "true", "\"true\"", "''", "[]", "{}", "-1",
           "99999999999999999999", ".inf", "0o17", "0b101", "-0x10", "1.", "abc", "\"\"", "0"]
LINE = re.compile(r"^(\s*(?:- )?)([A-Za-z0-9_.\-/]+):( +)([^\s#|>{\[&*!][^#]*?)\s*$")


def seeds():
    found = []
    for directory in SEED_DIRS:
        for base, dirs, files in os.walk(directory):
            dirs[:] = [d for d in dirs if d not in ("charts", ".git")]
            for name in sorted(files):
                if name.endswith((".yaml", ".yml")) and name not in SKIP and not name.startswith("values") \
                        and not name.startswith(".") and "patch" not in name:
                    text = open(os.path.join(base, name)).read()
                    if "kind:" in text and "apiVersion:" in text:
                        found.append((name, text))
    return found


def mutate(text, rng):
    lines = text.split("\n")
    candidates = [i for i, line in enumerate(lines) if LINE.match(line)
                  and not re.match(r"^\s*(apiVersion|kind):", line) and not re.match(r"^  name:", line)]
    if not candidates:
        return text
    index = rng.choice(candidates)
    match = LINE.match(lines[index])
    roll = rng.random()
    if roll < 0.1:
        del lines[index]  # a field goes missing (required fields, structure)
    elif roll < 0.2 and not match.group(1).strip().startswith("-"):
        lines.insert(index + 1, lines[index])  # the same key twice
    elif roll < 0.35:
        lines[index] = f"{match.group(1)}{match.group(2)}x:{match.group(3)}{match.group(4)}"
    else:
        lines[index] = f"{match.group(1)}{match.group(2)}:{match.group(3)}{rng.choice(PALETTE)}"
    return "\n".join(lines)


def main():
    mode, out, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
    rng = random.Random(6)
    items = seeds()
    os.makedirs(out, exist_ok=True)
    for number in range(count):
        name, text = items[number % len(items)]
        if mode == "mutate":
            text = mutate(text, rng)
        # One folder per round over the seeds, so a copy never collides with itself.
        directory = os.path.join(out, f"r{number // len(items):04d}")
        os.makedirs(directory, exist_ok=True)
        with open(os.path.join(directory, f"{number:05d}-{name}"), "w") as handle:
            handle.write(text)
    print(f"make-corpus: {count} files from {len(items)} seed manifests in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
