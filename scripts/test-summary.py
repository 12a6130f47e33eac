#!/usr/bin/env python3
"""Counts test cases in a meson testlog.json and prints 'N passed, N failed'.

Each TAP line of a GTest program counts as one case ('# SKIP' ones as
skipped); a test that printed no TAP line counts once, by its result."""
import json
import re
import sys

passed = failed = skipped = 0
failures = []
with open(sys.argv[1], encoding="utf-8") as log:
    for line in log:
        test = json.loads(line)
        cases = re.findall(r"^(ok|not ok)\b(.*)$", test.get("stdout") or "", re.M)
        if test["result"] not in ("OK", "SKIP", "EXPECTEDFAIL") or not cases:
            if test["result"] in ("OK", "EXPECTEDFAIL"):
                passed += 1
            elif test["result"] == "SKIP":
                skipped += 1
            else:
                failed += 1
                failures.append(test["name"])
            continue
        for status, rest in cases:
            if "# SKIP" in rest:
                skipped += 1
            elif status == "ok":
                passed += 1
            else:
                failed += 1
                failures.append(f"{test['name']}: {rest.strip()}")
for name in failures:
    print(f"FAILED: {name}")
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed else 0)
