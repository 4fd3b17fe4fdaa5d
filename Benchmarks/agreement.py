#!/usr/bin/env python3
"""Compares Capstan's and kubeconform's valid/invalid verdict per resource on the same
files and schemas. Prints every disagreement with both tools' messages.

Usage: agreement.py CAPSTAN KUBECONFORM SCHEMA_ROOT DIR [--strict]
"""
import collections
import json
import re
import subprocess
import sys

SCHEMA_RULES = {"schema", "schema-missing", "unknown-kind", "duplicate-key", "yaml-syntax", "not-a-resource"}
OTHER_RULES = ["plaintext-secret", "removed-api", "deprecated-api", "duplicate-resource", "kustomization-missing-file",
               "flux-path-missing", "argocd-path-missing", "helmrelease-source-missing", "image-invalid", "image-latest",
               "image-untagged"]


# Files Capstan refused whole in the run being compared (see main).
REFUSED_FILES = set()


def main():
    capstan, kubeconform, schemas, directory = sys.argv[1:5]
    strict = "--strict" in sys.argv
    location = schemas + "/k8s{{.StrictSuffix}}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json"
    command = [kubeconform, "-output", "json", "-verbose", "-n", "2", "-schema-location", location] + (["-strict"] if strict else []) + [directory]
    kc = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)
    disable = sum([["--disable", rule] for rule in OTHER_RULES], [])
    command = [capstan, "validate", directory, "--output", "json"] + disable + (["--strict"] if strict else [])
    cap = json.loads(subprocess.run(command, capture_output=True, text=True).stdout)

    capstan_bad = collections.defaultdict(list)
    # Files Capstan refuses whole (a YAML error with no resource, e.g. nesting deeper than
    # its limit): every resource kubeconform reads from them is invalid for Capstan too.
    refused_files = REFUSED_FILES
    for finding in cap["findings"]:
        if finding["rule"] not in SCHEMA_RULES:
            continue
        if finding["rule"] == "yaml-syntax" and not finding.get("resource"):
            refused_files.add(finding["file"])
        parts = (finding.get("resource") or "").split("/")
        capstan_bad[(finding["file"], parts[0], parts[-1] if len(parts) > 1 else "")].append(
            f'{finding["line"]}:{finding["column"]} [{finding["rule"]}] {finding["message"]}')

    total = agree = 0
    differences = []
    for resource in kc["resources"]:
        if resource["status"] in ("", "statusEmpty", "statusSkipped"):
            continue
        key = (resource["filename"], resource["kind"], resource["name"])
        kc_valid = resource["status"] == "statusValid"
        if resource["kind"] and resource["name"]:
            cap_valid = key not in capstan_bad
        elif resource["kind"]:
            # kubeconform names a resource "" when metadata.name is not a string: match by kind.
            cap_valid = not any(k[0] == key[0] and k[1] == key[1] for k in capstan_bad)
        else:
            # No kind: kubeconform could not read the document at all; any Capstan finding in the file counts.
            cap_valid = not any(k[0] == key[0] for k in capstan_bad)
        if key[0] in refused_files:
            cap_valid = False
        total += 1
        if kc_valid == cap_valid:
            agree += 1
        else:
            differences.append((key, kc_valid, resource.get("msg", ""), capstan_bad.get(key, [])))
    print(f"{'strict' if strict else 'default'}: {total} resources, {agree} same verdict, {len(differences)} different")
    counts = collections.Counter(category(kc_msg, cap_msgs, file) for (file, _, _), _, kc_msg, cap_msgs in differences)
    for name, count in counts.most_common():
        print(f"  {count:5d}  {name}")
    for (file, kind, name), kc_valid, kc_msg, cap_msgs in differences:
        print(f"- {file} {kind}/{name}: kubeconform {'valid' if kc_valid else 'invalid'}, capstan {'invalid' if kc_valid else 'valid'}")
        if kc_msg:
            print(f"    kubeconform: {kc_msg[:300]}")
        for message in cap_msgs[:3]:
            print(f"    capstan: {message[:300]}")


KNOWN = [
    (lambda kc, cap, file: not cap and file in REFUSED_FILES,
     "a YAML error in another document of the same file: Capstan refuses the file whole (libyaml cannot "
     "resume after an error), kubeconform splits on --- first and judges the other documents"),
    (lambda kc, cap, file: any(re.search(r"metadata\.(name|namespace|generateName): expected string", m) for m in cap),
     "custom resource with a non-string metadata.name/namespace: the API server decodes metadata as ObjectMeta "
     "and refuses it (kubeconform checks metadata only where a CRD schema types it)"),
    (lambda kc, cap, file: "'sops' not allowed" in kc,
     "SOPS-encrypted manifest under --strict: the sops block is removed by decryption before apply "
     "(kubeconform #98)"),
    (lambda kc, cap, file: any("[duplicate-key]" in m for m in cap) and file.endswith("list.yaml"),
     "duplicate key inside a List item: kubeconform re-serialises List items, which drops the duplicate"),
    (lambda kc, cap, file: not cap and "patch" in file.rsplit("/", 1)[-1],
     "a kustomize patch (a partial resource): Capstan skips patch files named in a kustomization and checks "
     "them through --kustomize"),
    (lambda kc, cap, file: "missing 'kind' key" in kc or "did not find expected" in kc or "could not find schema" in kc,
     "a file Capstan does not read as manifests (values, Chart.yaml, Helm templates, kustomize patches and "
     "configs)"),
]


def category(kc_msg, cap_msgs, file):
    for test, name in KNOWN:
        if test(kc_msg or "", cap_msgs, file):
            return name
    return "UNEXPLAINED"


if __name__ == "__main__":
    main()
