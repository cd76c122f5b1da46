"""`make mutate`: mutation testing of the modules that guard data and access, with mutmut.

The modules and the tests are named in `[tool.mutmut]` in pyproject.toml. This runs mutmut, then
adds `mutation_score` (killed ÷ mutants) to bench/results.json beside the other figures and prints
each module's score and the mutants that survived, for docs/BENCHMARKS.md.
"""

import collections
import json
import re
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


def outcomes():
    """{module: Counter(status)} from `mutmut results --all true`."""
    per_module = collections.defaultdict(collections.Counter)
    for line in mutmut("results", "--all", "true").splitlines():
        match = re.match(r"\s*(\S+?)\.x[_ǁ]\S*__mutmut_\d+: (.+)$", line)
        if match:
            per_module[match[1]][match[2].strip()] += 1
    return per_module


def survivors():
    return [line.split(":")[0].strip() for line in mutmut("results").splitlines() if line.endswith("survived")]


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


def main(run=True):
    """Run mutmut (unless `run` is false: then report what mutants/ holds) and record the score."""
    started = time.monotonic()
    if run:
        (ROOT / "mutants").mkdir(exist_ok=True)
        log = ROOT / "mutants" / "run.log"
        print(f"mutmut run (progress in {log}) …", flush=True)
        # One child: the machine has two cores shared with other work.
        mutmut("run", "--max-children", "1", log=log)
    minutes = (time.monotonic() - started) / 60
    killed, total = report(outcomes())
    score = killed / total if total else 0.0
    merge_result(result("mutation_score", score, 1.0, "killed/mutants"))
    print(f"mutation_score: {score:.3f} ({killed}/{total}; goal ≥ {GOAL}) in {minutes:.0f} min")
    left = survivors()
    if left:
        print("survived:")
        for name in left:
            print(f"  {name}")


if __name__ == "__main__":
    main(run="--report" not in sys.argv[1:])
