#!/usr/bin/env python3
"""Reads a JUnit report as CI systems do: validates it against Jenkins' JUnit XSD
(junit-10.xsd, with lxml) and parses it with junitparser (a PyPI JUnit consumer),
checking that every count in the attributes matches the test cases. Prints a JSON
summary for the calling test; exits 1, saying why, on the first disagreement.
Usage: check_junit.py SCHEMA.xsd REPORT.xml"""
import json
import sys

from junitparser import Error, Failure, JUnitXml, Skipped
from lxml import etree


def main(schema_path, report_path):
    schema = etree.XMLSchema(etree.parse(schema_path))
    document = etree.parse(report_path)
    if not schema.validate(document):
        sys.exit(f"not valid against {schema_path}: {schema.error_log}")

    report = JUnitXml.fromfile(report_path)
    suites = list(report) if isinstance(report, JUnitXml) else [report]
    cases, totals = [], {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
    for suite in suites:
        counted = {"tests": 0, "failures": 0, "errors": 0, "skipped": 0}
        for case in suite:
            kinds = {type(result) for result in case.result}
            state = "error" if Error in kinds else "failure" if Failure in kinds else "skipped" if Skipped in kinds else "passed"
            counted["tests"] += 1
            if state != "passed":
                counted["failures" if state == "failure" else "errors" if state == "error" else "skipped"] += 1
            cases.append({"name": case.name, "classname": case.classname, "state": state,
                          "messages": [result.message for result in case.result],
                          "text": [result.text for result in case.result]})
        for key, value in counted.items():
            said = getattr(suite, key)
            if (said or 0) != value:
                sys.exit(f"testsuite {suite.name!r} says {key}={said} but holds {value}")
            totals[key] += value
    if isinstance(report, JUnitXml):
        for key in ("tests", "failures", "errors"):
            said = document.getroot().get(key)
            if said is None or int(said) != totals[key]:
                sys.exit(f"testsuites says {key}={said} but holds {totals[key]}")
    print(json.dumps({"suites": len(suites), **totals, "cases": cases}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
