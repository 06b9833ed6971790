#!/usr/bin/env python3
"""Checks a `codeward scan --format json` report made by a benchmark script.

Usage: check_report.py REPORT FILES

Fails (exit status 1, with the reason) unless the report says exactly FILES files were scanned and
no detector failed; otherwise prints the finding count and how many files ran out of the per-file
analysis time budget (`timeBudgetMs`, 5 s by default: the detectors left are skipped on such a
file, so the figures depend a little on the machine's load). Standard library only.
"""

import json
import sys


def main() -> None:
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as report_file:
        report = json.load(report_file)
    want = int(sys.argv[2])
    summary = report["summary"]
    failed = [e for e in report["errors"] if e["kind"] == "detector-failed"]
    if summary["filesScanned"] != want or failed:
        sys.exit(
            f"codeward scanned {summary['filesScanned']} of {want} files, "
            f"{len(failed)} detector failures, errors: {report['errors'][:3]}"
        )
    over_budget = sum(1 for e in report["errors"] if "time budget" in e["message"])
    print(f"{summary['findings']} ({over_budget} files over the per-file time budget)")


if __name__ == "__main__":
    main()
