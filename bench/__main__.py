"""Run every bench/bench_*.py module's `run()`, write bench/results.json and print the table.

`python -m bench` runs them all; `python -m bench bench_pages bench_submit` only those. A module
that fails is reported and the others still run. The exit status is non-zero when a module
failed, a figure is not one of issue 17's, or a figure misses its goal.
"""

import importlib
import json
import os
import sys
import time
import traceback
from pathlib import Path

from .harness import GOALS

HERE = Path(__file__).parent


def table(results):
    """The figures as a Markdown table, as docs/BENCHMARKS.md shows them."""
    lines = ["| name | value | baseline | ratio | unit | goal | met |", "|---|---:|---:|---:|---|---|---|"]
    for entry in results:
        extra = f" (p50 {entry['p50_ms']} ms, p99 {entry['p99_ms']} ms)" if "p99_ms" in entry else ""
        lines.append(
            f"| `{entry['name']}` | {entry['value']:g}{extra} | {entry['baseline']:g} | {entry['ratio']} "
            f"| {entry['unit']} | {entry.get('goal', '—')} | {'yes' if entry.get('met') else 'NO'} |"
        )
    return "\n".join(lines)


def write(results):
    """Write results.json; figures other commands put there (`make mutate`'s) stay beside ours."""
    path = HERE / "results.json"
    earlier = json.loads(path.read_text(encoding="utf-8")) if path.exists() else []
    others = [entry for entry in earlier if entry.get("name") not in GOALS]
    path.write_text(json.dumps(results + others, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def main(selected=()):
    results, problems = [], []
    started = time.perf_counter()
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and path.stem not in selected:
            continue
        print(f"== {path.stem}", flush=True)
        module_started = time.perf_counter()
        try:
            entries = importlib.import_module(f"bench.{path.stem}").run()
        except Exception:
            traceback.print_exc()
            problems.append(f"{path.stem} failed")
            continue
        for entry in entries:
            goal = GOALS.get(entry["name"])
            if goal is None:
                problems.append(f"{entry['name']}: not a figure of issue 17 (bench/harness.py GOALS)")
            else:
                entry["goal"], entry["met"] = str(goal), goal.met(entry)
                if not entry["met"]:
                    problems.append(f"{entry['name']}: missed its goal, {goal}")
            print(
                f"  {entry['name']}: {entry['value']} {entry['unit']} "
                f"(baseline {entry['baseline']}, ratio {entry['ratio']}; goal {entry.get('goal')})",
                flush=True,
            )
            results.append(entry)
        print(f"  ({time.perf_counter() - module_started:.0f} s)", flush=True)
    if not selected:
        missing = sorted(set(GOALS) - {entry["name"] for entry in results})
        problems += [f"{name}: not measured" for name in missing]
    write(results)
    print(f"\nwrote {HERE / 'results.json'} in {time.perf_counter() - started:.0f} s on {os.cpu_count()} cores\n")
    print(table(results))
    for problem in problems:
        print(f"PROBLEM: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
