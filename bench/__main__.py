"""Run every bench/bench_*.py module's `run()` and write bench/results.json."""

import importlib
import json
import sys
from pathlib import Path

HERE = Path(__file__).parent


def main(selected=()):
    results = []
    for path in sorted(HERE.glob("bench_*.py")):
        if selected and path.stem not in selected:
            continue
        module = importlib.import_module(f"bench.{path.stem}")
        print(f"== {path.stem}", flush=True)
        for entry in module.run():
            print(
                f"  {entry['name']}: {entry['value']} {entry['unit']} "
                f"(baseline {entry['baseline']}, ratio {entry['ratio']})",
                flush=True,
            )
            results.append(entry)
    (HERE / "results.json").write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {HERE / 'results.json'}")


if __name__ == "__main__":
    main(sys.argv[1:])
