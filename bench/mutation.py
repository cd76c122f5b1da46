"""`make mutate`: mutation testing of the modules that guard data and access, with mutmut.

The modules and the tests are named in `[tool.mutmut]` in pyproject.toml. This runs mutmut, then
adds `mutation_score` (killed ÷ mutants) to bench/results.json beside the other figures and prints
each module's score and the mutants that survived, for docs/BENCHMARKS.md.
"""

import collections
import fnmatch
import json
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

from bench.harness import result

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results.json"
GOAL = 0.85


def mutmut(*args, log=None):
    """Run one mutmut command from the checkout; its progress goes to `log` when given."""
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    if log is None:
        return subprocess.run(command, cwd=ROOT, check=True, capture_output=True, text=True).stdout
    with open(log, "w", encoding="utf-8") as out:
        subprocess.run(command, cwd=ROOT, check=True, stdout=out, stderr=subprocess.STDOUT)
    return ""


def chosen(name, patterns):
    return not patterns or any(fnmatch.fnmatch(name, pattern) for pattern in patterns)


def outcomes(patterns=()):
    """{module: Counter(status)} from `mutmut results --all true`, for the mutants `patterns` name."""
    per_module = collections.defaultdict(collections.Counter)
    for line in mutmut("results", "--all", "true").splitlines():
        match = re.match(r"\s*((\S+?)\.x[_ǁ]\S*__mutmut_\d+): (.+)$", line)
        if match and chosen(match[1], patterns):
            per_module[match[2]][match[3].strip()] += 1
    return per_module


def survivors(patterns=()):
    names = [line.split(":")[0].strip() for line in mutmut("results").splitlines() if line.endswith("survived")]
    return [name for name in names if chosen(name, patterns)]


def merge_result(entry):
    """Put `entry` into bench/results.json, replacing an older one of the same name."""
    existing = json.loads(RESULTS.read_text(encoding="utf-8")) if RESULTS.exists() else []
    kept = [e for e in existing if e.get("name") != entry["name"]]
    RESULTS.write_text(json.dumps([*kept, entry], indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def detected(counts):
    """Mutants the tests caught: failed, or ran out of time (a mutant that loops forever), as mutmut counts them."""
    return counts["killed"] + counts["timeout"]


def report(per_module):
    """Print each module's line of the table in docs/BENCHMARKS.md and return (killed, total)."""
    print("| module | killed | mutants | score | not killed |")
    print("|---|---:|---:|---:|---|")
    for module, counts in sorted(per_module.items()):
        total = sum(counts.values())
        others = ", ".join(
            f"{n} {status}" for status, n in sorted(counts.items()) if status not in ("killed", "timeout")
        )
        print(f"| `{module}` | {detected(counts)} | {total} | {detected(counts) / total:.2f} | {others} |")
    return sum(detected(c) for c in per_module.values()), sum(sum(c.values()) for c in per_module.values())


def main(run=True, patterns=()):
    """Run mutmut (unless `run` is false: then report what mutants/ holds) and record the score.

    `patterns` (mutmut's mutant names, globs allowed: "fieldkit.sync.bundle*") limit the run and the
    score to those mutants.
    """
    started = time.monotonic()
    if run:
        # Always from scratch: mutmut 3 never refreshes a file it copied into mutants/ before, so after
        # any change (a template, a module not mutated) its cached verdicts would test stale code.
        shutil.rmtree(ROOT / "mutants", ignore_errors=True)
        (ROOT / "mutants").mkdir()
        log = ROOT / "mutants" / "run.log"
        print(f"mutmut run (progress in {log}) …", flush=True)
        # One child: the machine has two cores shared with other work.
        mutmut("run", "--max-children", "1", *patterns, log=log)
    minutes = (time.monotonic() - started) / 60
    killed, total = report(outcomes(patterns))
    score = killed / total if total else 0.0
    merge_result(result("mutation_score", score, 1.0, "killed/mutants"))
    print(f"mutation_score: {score:.3f} ({killed}/{total}; goal ≥ {GOAL}) in {minutes:.0f} min")
    left = survivors(patterns)
    if left:
        print("survived:")
        for name in left:
            print(f"  {name}")


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(run="--report" not in arguments, patterns=[a for a in arguments if a != "--report"])
