"""The /stats chart: matplotlib's import cost and the time to draw one chart.

Run: .venv/bin/python bench/bench_chart.py [--charts 20]

The import is timed in a fresh child process (the first chart of a running bot pays it), with the
child's resident memory before and after (ru_maxrss). Then the median time of one chart as
`adapters/stats_chart.py` draws it (fixed margins), next to the same figure laid out by
matplotlib's constrained layout, which the module avoids. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

_IMPORT = """
import json, resource, time
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
started = time.perf_counter()
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
seconds = time.perf_counter() - started
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "before_mb": before / 1024, "after_mb": after / 1024}))
"""


def import_cost() -> dict[str, float]:
    child = subprocess.run(
        [sys.executable, "-c", _IMPORT], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return dict(json.loads(child.stdout))


def chart_times(charts: int) -> tuple[float, float]:
    """Median seconds per chart: as drawn, and with a constrained layout instead."""
    from matplotlib.figure import Figure

    sys.path.insert(0, str(ROOT))
    from adapters import stats_chart
    from tests.core.test_stats_screens import STATS, overrated_fours

    stats = replace(STATS, calibration=overrated_fours())  # all three panels and the advice

    def timed() -> float:
        started = time.perf_counter()
        stats_chart.render_chart(stats)
        return time.perf_counter() - started

    timed()  # fonts and caches warm, as in a running bot after its first chart
    fixed = statistics.median(timed() for _ in range(charts))
    original = Figure.subplots_adjust

    def constrained(self: Figure, *args: object, **kwargs: object) -> None:
        self.set_layout_engine("constrained")

    Figure.subplots_adjust = constrained  # type: ignore[assignment,method-assign]
    try:
        timed()
        laid_out = statistics.median(timed() for _ in range(charts))
    finally:
        Figure.subplots_adjust = original  # type: ignore[method-assign]
    return fixed, laid_out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--charts", type=int, default=20)
    args = parser.parse_args()
    cost = import_cost()
    seconds, before, after = cost["seconds"], cost["before_mb"], cost["after_mb"]
    print(f"matplotlib import (fresh process): {seconds:.2f} s, RSS {before:.0f} → {after:.0f} MB")
    fixed, laid_out = chart_times(args.charts)
    print(f"one chart, fixed margins:        {fixed * 1000:.0f} ms (median of {args.charts})")
    print(f"one chart, constrained layout:   {laid_out * 1000:.0f} ms ({laid_out / fixed:.2f}×)")


if __name__ == "__main__":
    main()
