#!/usr/bin/env python3
"""Score of a Stryker mutation-report.json (mutation-testing-elements schema), and its survivors.

Usage: mutation-score.py REPORT [--survivors]
Score = (killed + timeout) / (killed + timeout + survived + no coverage), as Stryker counts it.
"""
import json
import sys

report = json.load(open(sys.argv[1]))
counts = {}
survivors = []
for name, entry in sorted(report.get("files", {}).items()):
    lines = entry.get("source", "").split("\n")
    for mutant in entry.get("mutants", []):
        status = mutant.get("status", "")
        counts[status] = counts.get(status, 0) + 1
        if status in ("Survived", "NoCoverage"):
            line = mutant["location"]["start"]["line"]
            code = lines[line - 1].strip() if 0 < line <= len(lines) else ""
            survivors.append(f"{status} {name.split('/')[-1]}:{line} {mutant.get('mutatorName', '')}: "
                             f"{mutant.get('replacement', '')!r} in `{code}`")
detected = counts.get("Killed", 0) + counts.get("Timeout", 0)
valid = detected + counts.get("Survived", 0) + counts.get("NoCoverage", 0)
score = 100.0 * detected / valid if valid else 100.0
print(f"score {score:.1f}% ({detected}/{valid}: killed {counts.get('Killed', 0)}, timeout {counts.get('Timeout', 0)}, "
      f"survived {counts.get('Survived', 0)}, no coverage {counts.get('NoCoverage', 0)}, "
      f"compile errors {counts.get('CompileError', 0)}, ignored {counts.get('Ignored', 0)})")
if "--survivors" in sys.argv:
    for line in survivors:
        print("  " + line)
