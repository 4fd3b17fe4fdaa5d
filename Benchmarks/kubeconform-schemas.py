#!/usr/bin/env python3
"""Writes the schemas Capstan bundles in the layout kubeconform's -schema-location reads,
so both tools judge the same files against the same schemas (measurement only).

  OUT/k8s/<group>/<kind>_<version>.json          non-strict
  OUT/k8s-strict/<group>/<kind>_<version>.json   strict: objects with properties closed
                                                 (additionalProperties: false), as Capstan's --strict

Use with: kubeconform -schema-location 'OUT/k8s{{.StrictSuffix}}/{{.Group}}/{{.ResourceKind}}_{{.ResourceAPIVersion}}.json'
(kubeconform's .Group is the first apiVersion segment: "v1" for the core group).

Usage: kubeconform-schemas.py OUT [KUBERNETES_VERSION (default newest)] [SCHEMAS_DIR_OR_ARCHIVE]
(default: the repository's Schemas/sources.tar.xz, the same sources the bundle is built from)
"""
import copy
import glob
import json
import os
import re
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(os.path.dirname(HERE), "scripts"))
generate = __import__("generate-schemas")


def refs(value, found):
    if isinstance(value, dict):
        for key, sub in value.items():
            if key == "$ref" and isinstance(sub, str):
                found.add(sub.rsplit("/", 1)[-1])
            else:
                refs(sub, found)
    elif isinstance(value, list):
        for sub in value:
            refs(sub, found)


def close(value):
    """Capstan's --strict: a schema with properties and no additionalProperties is closed."""
    if isinstance(value, dict):
        for sub in value.values():
            close(sub)
        if "properties" in value and "additionalProperties" not in value and not value.get("x-kubernetes-preserve-unknown-fields"):
            value["additionalProperties"] = False
    elif isinstance(value, list):
        for sub in value:
            close(sub)


def write(path, document):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w") as out:
        json.dump(document, out, separators=(",", ":"))


def main():
    source = sys.argv[3] if len(sys.argv) > 3 else generate.ARCHIVE
    if os.path.isdir(source):
        convert(source)
        return
    with tempfile.TemporaryDirectory(prefix="capstan-schemas-") as target:
        generate.unpack(source, target)
        convert(target)


def convert(source):
    out = sys.argv[1]
    wanted = sys.argv[2] if len(sys.argv) > 2 else None
    versions = sorted(glob.glob(os.path.join(source, "kubernetes", "v*")), key=lambda p: [int(x) for x in re.findall(r"\d+", p)])
    directory = next(v for v in versions if wanted and os.path.basename(v).startswith("v" + wanted.lstrip("v"))) if wanted else versions[-1]
    document = json.load(open(os.path.join(directory, "_definitions.json")))
    definitions = {name: generate.strip(body) for name, body in document["$defs"].items()}
    count = 0
    for name, body in document["$defs"].items():
        for gvk in body.get("x-kubernetes-group-version-kind", []):
            closure, todo = {}, [name]
            while todo:
                current = todo.pop()
                if current in closure or current not in definitions:
                    continue
                closure[current] = definitions[current]
                found = set()
                refs(definitions[current], found)
                todo.extend(found)
            schema = {"$schema": document.get("$schema"), "$ref": "#/$defs/" + name, "$defs": closure}
            group = gvk.get("group") or "v1"
            filename = f"{gvk['kind'].lower()}_{gvk['version']}.json"
            write(os.path.join(out, "k8s", group, filename), schema)
            strict = copy.deepcopy(schema)
            close(strict)
            write(os.path.join(out, "k8s-strict", group, filename), strict)
            count += 1
    for path in glob.glob(os.path.join(source, "crds", "*", "*.json")):
        group = os.path.basename(os.path.dirname(path))
        schema = generate.strip(json.load(open(path)))
        write(os.path.join(out, "k8s", group, os.path.basename(path)), schema)
        strict = copy.deepcopy(schema)
        close(strict)
        write(os.path.join(out, "k8s-strict", group, os.path.basename(path)), strict)
        count += 1
    print(f"kubeconform-schemas: {count} schemas from {os.path.basename(directory)} in {out}", file=sys.stderr)


if __name__ == "__main__":
    main()
