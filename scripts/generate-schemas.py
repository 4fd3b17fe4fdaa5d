#!/usr/bin/env python3
"""Builds Capstan's compiled-in schema bundle from Schemas/sources.tar.xz (or a given directory).

Reads kubernetes/v1.X.0/_definitions.json (one JSON Schema per API definition under "$defs")
and crds/<group>/<kind>_<version>.json, strips what validation never reads (descriptions,
defaults, examples, patch and list hints, CEL rules), stores every distinct definition body
once across all releases (content-addressed), and writes a zlib-compressed blob as a C byte
array into Sources/CSchemaBundle, so the data is inside the binary and compiles in seconds.

Blob layout (before compression):
  b"CSB1" | u32 little-endian length of the index | index (JSON) | bodies (JSON texts back to back)
Index:
  names:      every definition name, once
  bodies:     [offset, length] of each distinct body in the bodies area
  kubernetes: [{version, draft, defs: [[name, body], ...], kinds: [[group, version, kind, name], ...]}]
  crds:       [[group, kind, version, body], ...]  (a body is a whole standalone schema document)

Usage: scripts/generate-schemas.py [SCHEMAS_DIR_OR_ARCHIVE] [--out DIR]
  default source: Schemas/sources.tar.xz in this repository (see Schemas/README.md for
  where its files come from); default output: Sources/CSchemaBundle.
"""
import glob
import json
import os
import re
import struct
import sys
import tarfile
import tempfile
import zlib

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT_DIR = os.path.join(ROOT, "Sources", "CSchemaBundle")

# Keywords that never affect a verdict. x-kubernetes-validations (CEL) is not evaluated.
DROPPED = {
    "description", "default", "example", "examples", "title", "$comment", "$id", "readOnly",
    "x-kubernetes-list-type", "x-kubernetes-list-map-keys", "x-kubernetes-patch-strategy",
    "x-kubernetes-patch-merge-key", "x-kubernetes-map-type", "x-kubernetes-unions",
    "x-kubernetes-validations", "x-kubernetes-group-version-kind", "externalDocs",
}
# Keywords whose value maps names to schemas: the names are data, not keywords.
SCHEMA_MAPS = {"properties", "patternProperties", "$defs", "definitions", "dependentSchemas"}
SCHEMA_LISTS = {"allOf", "anyOf", "oneOf", "prefixItems"}
SCHEMA_VALUES = {"items", "additionalProperties", "not", "additionalItems", "contains", "propertyNames", "if", "then", "else"}


def strip(schema):
    if not isinstance(schema, dict):
        return schema
    out = {}
    for key, value in schema.items():
        if key in DROPPED:
            continue
        if key in SCHEMA_MAPS and isinstance(value, dict):
            out[key] = {name: strip(sub) for name, sub in value.items()}
        elif key in SCHEMA_LISTS and isinstance(value, list):
            out[key] = [strip(sub) for sub in value]
        elif key in SCHEMA_VALUES:
            out[key] = [strip(sub) for sub in value] if isinstance(value, list) else strip(value)
        else:
            out[key] = value
    return out


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


class Store:
    def __init__(self):
        self.bodies = []
        self.index = {}

    def add(self, value):
        text = canonical(value).encode()
        if text not in self.index:
            self.index[text] = len(self.bodies)
            self.bodies.append(text)
        return self.index[text]


ARCHIVE = os.path.join(ROOT, "Schemas", "sources.tar.xz")


def unpack(archive_path, target):
    """Unpacks the schema archive: regular files and folders only, every path inside target."""
    with tarfile.open(archive_path, "r:xz") as archive:
        for member in archive.getmembers():
            path = os.path.realpath(os.path.join(target, member.name))
            if not (member.isfile() or member.isdir()) or not path.startswith(os.path.realpath(target) + os.sep) and path != os.path.realpath(target):
                sys.exit(f"generate-schemas: {archive_path}: refusing member {member.name!r}")
        archive.extractall(target)


def main():
    arguments = sys.argv[1:]
    out_dir = OUT_DIR
    if "--out" in arguments:
        at = arguments.index("--out")
        out_dir = arguments[at + 1]
        del arguments[at:at + 2]
    source = arguments[0] if arguments else ARCHIVE
    if os.path.isdir(source):
        build(source, out_dir)
        return
    with tempfile.TemporaryDirectory(prefix="capstan-schemas-") as target:
        unpack(source, target)
        build(target, out_dir)


def build(source, out_dir):
    store = Store()
    names, name_ids = [], {}

    def name_id(name):
        if name not in name_ids:
            name_ids[name] = len(names)
            names.append(name)
        return name_ids[name]

    releases = []
    version_dirs = sorted(glob.glob(os.path.join(source, "kubernetes", "v*")),
                          key=lambda p: [int(x) for x in re.findall(r"\d+", os.path.basename(p))])
    for directory in version_dirs:
        document = json.load(open(os.path.join(directory, "_definitions.json")))
        defs, kinds = [], []
        for name, definition in document["$defs"].items():
            for gvk in definition.get("x-kubernetes-group-version-kind", []):
                kinds.append([gvk.get("group", ""), gvk["version"], gvk["kind"], name_id(name)])
            defs.append([name_id(name), store.add(strip(definition))])
        releases.append({"version": os.path.basename(directory).lstrip("v"),
                         "draft": document.get("$schema", ""), "defs": defs, "kinds": kinds})

    crds = []
    for path in sorted(glob.glob(os.path.join(source, "crds", "*", "*.json"))):
        group = os.path.basename(os.path.dirname(path))
        match = re.fullmatch(r"(.+)_([^_]+)\.json", os.path.basename(path))
        if not match:
            continue
        document = json.load(open(path))
        kind_lower, version = match.group(1), match.group(2)
        kind = kind_from_schema(document) or kind_lower
        crds.append([group, kind, version, store.add(strip(document))])

    offsets, body_area, offset = [], bytearray(), 0
    for body in store.bodies:
        offsets.append([offset, len(body)])
        body_area += body
        offset += len(body)
    index = canonical({"names": names, "bodies": offsets, "kubernetes": releases, "crds": crds}).encode()
    blob = b"CSB1" + struct.pack("<I", len(index)) + index + bytes(body_area)
    packed = zlib.compress(blob, 9)
    write_c(packed, len(blob), out_dir)
    print(f"generate-schemas: {len(releases)} releases, {len(crds)} CRD schemas, {len(store.bodies)} distinct bodies; "
          f"{len(blob)} bytes, {len(packed)} compressed", file=sys.stderr)


def kind_from_schema(document):
    """The kind's spelling (CamelCase) from the schema's kind enum, when it has one."""
    kind = document.get("properties", {}).get("kind", {})
    values = kind.get("enum") if isinstance(kind, dict) else None
    return values[0] if values and isinstance(values[0], str) else None


def write_c(packed, raw_size, out_dir):
    os.makedirs(os.path.join(out_dir, "include"), exist_ok=True)
    with open(os.path.join(out_dir, "include", "CSchemaBundle.h"), "w") as header:
        header.write("// Generated by scripts/generate-schemas.py. Do not edit.\n"
                     "#include <stddef.h>\n\n"
                     "/// The zlib-compressed schema bundle and its sizes.\n"
                     "const unsigned char *capstan_schema_bundle_bytes(void);\n"
                     "extern const size_t capstan_schema_bundle_size;\n"
                     "extern const size_t capstan_schema_bundle_inflated_size;\n")
    with open(os.path.join(out_dir, "bundle.c"), "w") as source:
        source.write("// Generated by scripts/generate-schemas.py from Kubernetes and CRD JSON Schemas; see NOTICE.\n")
        source.write('#include "CSchemaBundle.h"\n\n')
        source.write(f"const size_t capstan_schema_bundle_size = {len(packed)};\n")
        source.write(f"const size_t capstan_schema_bundle_inflated_size = {raw_size};\n")
        # A string literal compiles far faster than a brace list of numbers.
        source.write("static const unsigned char capstan_schema_bundle[] =\n")
        for start in range(0, len(packed), 64):
            chunk = packed[start:start + 64]
            source.write('"' + "".join(f"\\x{b:02x}" for b in chunk) + '"\n')
        source.write(";\n\nconst unsigned char *capstan_schema_bundle_bytes(void) { return capstan_schema_bundle; }\n")


if __name__ == "__main__":
    main()
