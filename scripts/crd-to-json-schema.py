#!/usr/bin/env python3
"""Turns a CustomResourceDefinition (YAML) into one JSON Schema per served version, the
way the CRDs-catalog of datree.io shapes the files in Schemas/sources.tar.xz: the
version's openAPIV3Schema as it is, with `additionalProperties: false` on every object
that lists its properties and does not keep unknown fields.

Usage: scripts/crd-to-json-schema.py CRD.yaml OUT_DIR
  writes OUT_DIR/<group>/<kind lowercased>_<version>.json
"""
import json
import os
import sys

import yaml


def close(schema):
    if isinstance(schema, dict):
        out = {key: close(value) for key, value in schema.items()}
        if "properties" in out and "additionalProperties" not in out and not out.get("x-kubernetes-preserve-unknown-fields"):
            out["additionalProperties"] = False
        return out
    if isinstance(schema, list):
        return [close(item) for item in schema]
    return schema


def main(crd_path, out_dir):
    with open(crd_path) as handle:
        crd = next(doc for doc in yaml.safe_load_all(handle) if doc and doc.get("kind") == "CustomResourceDefinition")
    group = crd["spec"]["group"]
    kind = crd["spec"]["names"]["kind"].lower()
    os.makedirs(os.path.join(out_dir, group), exist_ok=True)
    for version in crd["spec"]["versions"]:
        schema = close(version["schema"]["openAPIV3Schema"])
        path = os.path.join(out_dir, group, f"{kind}_{version['name']}.json")
        with open(path, "w") as handle:
            json.dump(schema, handle, indent=2, sort_keys=True)
            handle.write("\n")
        print(path)


if __name__ == "__main__":
    main(*sys.argv[1:3])
