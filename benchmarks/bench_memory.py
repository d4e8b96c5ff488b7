"""Memory that does not grow with the corpus: peak RSS analyzing N pages and 10×N pages.

Usage: python benchmarks/bench_memory.py [--pages N] [--factor F] [--path serial|batched] [--no-report]

Each size is analyzed in its own subprocess (so each peak is clean), on a synthetic store of
realistic pages (``_synthetic.py``; built once into ``benchmarks/.cache/``). In the child:
models are loaded and the pipelines warmed up, then the store is analyzed
(``--path serial``: ``analyze_store``; ``batched``: ``analyze_store_parallel(workers=1)``),
then — unless ``--no-report`` — the report stage runs (``write_reports``: scorecard, CSVs,
Datasette metadata).

Prints one JSON line. ``peak_mb_*`` is the child's peak RSS over the analysis
(``ru_maxrss``: it includes the models, which are most of it); ``ratio`` is large/small
(target < 1.5). ``analysis_growth_mb_*`` is what the analysis adds on top of the loaded
models (RSS sampled every 10 ms), the figure that would grow if anything held a whole field;
``report_peak_mb_*`` is the peak RSS during the report stage.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _synthetic  # noqa: E402  (puts the project root on sys.path)

YEAR = 2013
PER_CANDIDATE = 20
TARGET_RATIO = 1.5


def rss_mb() -> float:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def maxrss_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


class Sampler:
    """The highest RSS seen while running (sampled every ``interval`` seconds)."""

    def __init__(self, interval: float = 0.01):
        self.interval, self.peak, self._stop = interval, rss_mb(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_mb())
            self._stop.wait(self.interval)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()
        self.peak = max(self.peak, rss_mb())


def child(store_path: str, path: str, report: bool) -> dict:
    from analyzer import __version__
    from analyzer.classify import load_models
    from analyzer.nlp import get_nlp, get_segmenter
    from analyzer.pipeline import analyze_store
    from analyzer.records import Candidate, Election, Field
    from analyzer.store import Store

    models = load_models()
    get_segmenter()
    get_nlp(YEAR)
    models.predict([{"text": "We will publish every contract online by 2014.", "heading": "Plan"}], YEAR)
    ready = rss_mb()
    out: dict = {"rss_ready_mb": round(ready, 1), "maxrss_after_load_mb": round(maxrss_mb(), 1)}
    with Store(store_path) as store:
        pages = store.page_count()
        started = time.perf_counter()
        with Sampler() as sampler:
            if path == "serial":
                analyze_store(store, models, YEAR)
            else:
                from analyzer.parallel import analyze_store_parallel

                analyze_store_parallel(store, reference_year=YEAR, workers=1)
        out.update(pages=pages, seconds=round(time.perf_counter() - started, 1),
                   statements=store.db.execute("SELECT count(*) FROM statements").fetchone()[0],
                   peak_mb=round(maxrss_mb(), 1), analysis_peak_mb=round(sampler.peak, 1),
                   analysis_growth_mb=round(sampler.peak - ready, 1))
        if report:
            from analyzer.report import write_reports

            field = Field(election=Election(city="Synthetic", state="ZZ", office="Mayor", year=YEAR, fictional=True),
                          candidates=tuple(Candidate(name=c["name"], slug=c["slug"]) for c in store.candidates()))
            before = rss_mb()
            with Sampler() as sampler, tempfile.TemporaryDirectory() as tmp:
                write_reports(store, field, tmp, {"analyzer_version": __version__, "models": models.info()})
            out.update(report_peak_mb=round(sampler.peak, 1), report_growth_mb=round(sampler.peak - before, 1))
    return out


def run_child(pages: int, path: str, report: bool, cache: str | None) -> dict:
    candidates = max(1, -(-pages // PER_CANDIDATE))
    pristine = _synthetic.cached_store(candidates, PER_CANDIDATE, cache_dir=cache)
    with tempfile.TemporaryDirectory(prefix="bench-memory-") as tmp:
        store = _synthetic.working_copy(pristine, tmp)
        cmd = [sys.executable, __file__, "--child", str(store), "--path", path] + ([] if report else ["--no-report"])
        proc = subprocess.run(cmd, capture_output=True, text=True)
        if proc.returncode != 0:
            sys.stderr.write(proc.stderr)
            raise SystemExit(f"child for {pages} pages failed")
        return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=100, help="the small corpus (pages); rounded up to 20 per candidate")
    parser.add_argument("--factor", type=int, default=10)
    parser.add_argument("--path", choices=("serial", "batched"), default="serial")
    parser.add_argument("--no-report", action="store_true", help="measure the analysis only")
    parser.add_argument("--cache", default=None, help="folder for the synthetic stores")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)

    if args.child:
        print(json.dumps(child(args.child, args.path, not args.no_report)))
        return

    small = run_child(args.pages, args.path, not args.no_report, args.cache)
    large = run_child(args.pages * args.factor, args.path, not args.no_report, args.cache)
    result = {
        "benchmark": "analysis_memory",
        "path": args.path,
        "pages_small": small["pages"],
        "pages_large": large["pages"],
        "statements_small": small["statements"],
        "statements_large": large["statements"],
        "peak_mb_small": small["peak_mb"],
        "peak_mb_large": large["peak_mb"],
        "ratio": round(large["peak_mb"] / small["peak_mb"], 3),
        "target_ratio": TARGET_RATIO,
        "met": large["peak_mb"] / small["peak_mb"] < TARGET_RATIO,
        "rss_ready_mb_small": small["rss_ready_mb"],
        "analysis_growth_mb_small": small["analysis_growth_mb"],
        "analysis_growth_mb_large": large["analysis_growth_mb"],
    }
    if "report_peak_mb" in small:
        result.update(report_peak_mb_small=small["report_peak_mb"], report_peak_mb_large=large["report_peak_mb"],
                      report_growth_mb_small=small["report_growth_mb"], report_growth_mb_large=large["report_growth_mb"])
    print(json.dumps(result))


if __name__ == "__main__":
    main()
