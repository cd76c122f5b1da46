"""Measure a figure beside its baseline in the same run; report medians and their ratio.

Machines here are noisy (±30 %), so every figure is the median of several interleaved rounds,
and what matters is the ratio to a baseline measured in the same rounds.
"""

import statistics
import time


def rate(work, count, rounds=5):
    """Median items per second of `work(count)` over `rounds` runs."""
    rates = []
    for _ in range(rounds):
        start = time.perf_counter()
        work(count)
        rates.append(count / (time.perf_counter() - start))
    return statistics.median(rates)


def paired_rates(work, baseline, count, rounds=5):
    """Median rates of `work` and `baseline`, run in alternation so both see the same noise."""
    ours, theirs = [], []
    for _ in range(rounds):
        for fn, out in ((work, ours), (baseline, theirs)):
            start = time.perf_counter()
            fn(count)
            out.append(count / (time.perf_counter() - start))
    return statistics.median(ours), statistics.median(theirs)


def result(name, value, baseline, unit, higher_is_better=True):
    """One entry of results.json; ratio is value/baseline (>1 means faster for rates)."""
    ratio = value / baseline if baseline else None
    return {
        "name": name,
        "value": round(value, 3),
        "baseline": round(baseline, 3),
        "ratio": None if ratio is None else round(ratio, 3),
        "unit": unit,
        "higher_is_better": higher_is_better,
    }
