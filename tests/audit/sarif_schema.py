#!/usr/bin/python3
"""Validate a SARIF file against the official SARIF 2.1.0 JSON schema.

Usage: sarif_schema.py FILE.sarif

Debian 12 packages no SARIF schema, so the schema (sarif-2.1.0-rtm.5.json,
as published with Microsoft's @microsoft/jest-sarif package) is taken from
the npm registry at test time, checked against the registry's sha512
integrity string, and used from a temporary directory; nothing fetched is
kept.  A mutated copy of the file must fail, so the check can fail."""
import base64
import copy
import hashlib
import io
import json
import sys
import tarfile
import urllib.request

import jsonschema

TARBALL = "https://registry.npmjs.org/@microsoft/jest-sarif/-/jest-sarif-1.0.0-beta.0.tgz"
INTEGRITY = ("sha512-A1fOhPd6Ic5iDk4F9YPw1qNB4XF+7+IviR7xl8r2F6QzQkx5cpY9LsGk2rExiFIE"
             "cBbjpVnSmwWGBukASkiQ9A==")
MEMBER = "package/lib/schemas/sarif-2.1.0-rtm.5.json"


def fetch_schema():
    with urllib.request.urlopen(TARBALL, timeout=60) as r:
        data = r.read()
    digest = "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()
    if digest != INTEGRITY:
        sys.exit("schema package integrity mismatch: %s" % digest)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as t:
        return json.load(t.extractfile(MEMBER))


def main():
    with open(sys.argv[1], encoding="utf-8") as f:
        doc = json.load(f)
    schema = fetch_schema()
    validator = jsonschema.Draft4Validator(schema)
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.path))
    for e in errors[:20]:
        print("SARIF schema: %s: %s" % ("/".join(map(str, e.path)), e.message))
    if errors:
        sys.exit(1)
    bad = copy.deepcopy(doc)
    bad["runs"][0]["results"].append({"ruleId": 5, "level": "catastrophic"})
    if validator.is_valid(bad):
        sys.exit("the schema accepted a broken document: the check cannot fail")
    print("SARIF schema 2.1.0: valid (%d results); a broken copy is rejected"
          % len(doc["runs"][0]["results"]))


main()
