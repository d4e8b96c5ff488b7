"""Analysis on every core: a large synthetic field with workers=1 and workers=N.

Usage: python benchmarks/bench_workers.py [--candidates 1000] [--pages-per-candidate 50]
                                         [--workers N] [--chunk-pages 32] [--cache DIR]

The field (default 1,000 candidates × 50 pages = 50,000 pages of realistic HTML, see
``_synthetic.py``) is generated once into ``benchmarks/.cache/`` (ignored by git; ~200 MB
at full size) and copied for each run. Each run is ``analyzer.parallel.analyze_store_parallel``
from a fresh copy: with ``workers=1`` in this process, then with ``workers=N`` (default
``os.cpu_count()``) worker processes — wall time, from the call to the last page written,
including the workers' start-up and model loading.

Prints one JSON line with both rates and the speed-up. On 2 cores the full size takes
a long time (see the README); ``--candidates`` / ``--pages-per-candidate`` run smaller.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _synthetic  # noqa: E402  (puts the project root on sys.path)

YEAR = 2013


def timed_run(pristine: Path, workers: int, chunk_pages: int) -> dict:
    from analyzer.parallel import analyze_store_parallel

    with tempfile.TemporaryDirectory(prefix="bench-workers-") as tmp:
        path = _synthetic.working_copy(pristine, tmp)
        started = time.perf_counter()
        cpu0 = time.process_time()
        pages = analyze_store_parallel(path, reference_year=YEAR, workers=workers, chunk_pages=chunk_pages)
        seconds = time.perf_counter() - started
        import sqlite3

        db = sqlite3.connect(path)
        statements = db.execute("SELECT count(*) FROM statements").fetchone()[0]
        db.close()
    return {"pages": pages, "statements": statements, "seconds": seconds,
            "parent_cpu_seconds": time.process_time() - cpu0}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--candidates", type=int, default=1000)
    parser.add_argument("--pages-per-candidate", type=int, default=50)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--chunk-pages", type=int, default=32)
    parser.add_argument("--cache", default=None, help="folder for the synthetic store")
    args = parser.parse_args(argv)

    t0 = time.perf_counter()
    pristine = _synthetic.cached_store(args.candidates, args.pages_per_candidate, cache_dir=args.cache)
    build_seconds = time.perf_counter() - t0

    one = timed_run(pristine, 1, args.chunk_pages)
    many = timed_run(pristine, args.workers, args.chunk_pages)
    assert one["statements"] == many["statements"], (one, many)
    pps1, ppsn = one["pages"] / one["seconds"], many["pages"] / many["seconds"]
    print(json.dumps({
        "benchmark": "analysis_workers",
        "pages": one["pages"],
        "candidates": args.candidates,
        "statements": one["statements"],
        "workers": args.workers,
        "cpus": os.cpu_count(),
        "pages_per_second_1": round(pps1, 2),
        "pages_per_second_N": round(ppsn, 2),
        "speedup": round(ppsn / pps1, 2),
        "seconds_1": round(one["seconds"], 1),
        "seconds_N": round(many["seconds"], 1),
        "statements_per_second_N": round(many["statements"] / many["seconds"], 1),
        "store_build_seconds": round(build_seconds, 1),
        "load_average": round(os.getloadavg()[0], 1),
    }))


if __name__ == "__main__":
    main()
