"""Measure a figure beside its baseline in the same run; report medians and their ratio.

Machines here are noisy (±30 %), so every figure is the median of several interleaved rounds,
and what matters is the ratio to a baseline measured in the same rounds.
"""

import statistics
import time
from typing import NamedTuple


class Goal(NamedTuple):
    """What a figure must reach: its `value` or its `ratio` to the baseline, at least or at most."""

    measure: str
    at_least: bool
    threshold: float

    def __str__(self):
        return f"{self.measure} {'≥' if self.at_least else '≤'} {self.threshold:g}"

    def met(self, entry):
        got = entry[self.measure]
        return got is not None and (got >= self.threshold if self.at_least else got <= self.threshold)


# Every figure `make bench` reports, and its goal (issue 17). No other names belong in results.json.
GOALS = {
    "submit_api": Goal("ratio", True, 0.5),
    "sync_import": Goal("ratio", True, 0.5),
    "sync_reimport": Goal("ratio", True, 1.0),
    "posters": Goal("ratio", True, 0.8),
    "form_page_kb": Goal("value", False, 60),
    "explainer_page_kb": Goal("value", False, 30),
    "dashboard_1m_ms": Goal("value", False, 300),
    "server_rss_mb": Goal("value", False, 120),
    "lighthouse_min": Goal("value", True, 95),
}


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
