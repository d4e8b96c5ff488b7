"""Analysis throughput on one core: stored pages → text → statements → predictions → store.

Usage: python benchmarks/bench_throughput.py [--pages N] [--path serial|batched] [--profile FILE]

Builds a store of realistic pages — the demo field's 41 pages (HTML and Chen's PDF) plus
synthetic platform pages rendered from the labeled corpus (see ``_synthetic.py``) — then
times, on one core, the analysis of every page:

- ``--path serial`` (default): :func:`analyzer.pipeline.analyze_store`, what ``analyzer run``
  and ``analyzer analyze`` do (statements of 32 pages classified in one call);
- ``--path batched``: :func:`analyzer.parallel.analyze_store_parallel` with ``workers=1``
  (in this process), what ``--workers`` runs in each worker.

Models are loaded and the spaCy pipelines built before the clock starts. Each stage is timed
by wrapping the function that does it (the real code path runs): ``page_text`` (HTML/PDF to
sections), ``split_statements`` (spaCy sentence splitting), ``rule_features`` (the spaCy
cue/facet/buzzword pipeline in ``feature_frame``), ``models`` (the three calibrated
classifiers), ``explanations`` (the terms behind each label), ``store`` (reading pages and
writing statements and predictions). Then ``spacy.blank("en").tokenizer`` is timed over the
same statement texts (best of three): warm (one tokenizer whose vocabulary the first pass
filled: ``ratio_to_tokenizer``, the strict figure) and cold (a fresh tokenizer each time, which
meets every word anew as the analysis does: ``ratio_to_cold_tokenizer``).

Prints one JSON line. ``seconds`` is wall time; ``cpu_seconds`` is this process's CPU time,
the better figure on a busy machine.
"""

from __future__ import annotations

import argparse
import functools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _synthetic  # noqa: E402  (puts the project root on sys.path)

YEAR = 2013
TARGET_SPS = 20_000
TARGET_RATIO = 4.0


class Timer:
    """Accumulates the time spent inside wrapped functions, by stage (outermost call only)."""

    def __init__(self):
        self.seconds: dict[str, float] = {}
        self.calls: dict[str, int] = {}
        self._active: set[str] = set()

    def wrap(self, stage: str, fn):
        @functools.wraps(fn)
        def timed(*args, **kwargs):
            if stage in self._active:
                return fn(*args, **kwargs)
            self._active.add(stage)
            start = time.perf_counter()
            try:
                return fn(*args, **kwargs)
            finally:
                self.seconds[stage] = self.seconds.get(stage, 0.0) + time.perf_counter() - start
                self.calls[stage] = self.calls.get(stage, 0) + 1
                self._active.discard(stage)

        timed.__wrapped_original__ = fn
        return timed


def instrument(timer: Timer) -> None:
    import analyzer.classify as classify
    import analyzer.nlp as nlp
    import analyzer.pipeline as pipeline
    import analyzer.text as text
    from analyzer.store import Store

    def patch(owner, name, stage):
        if hasattr(owner, name):
            setattr(owner, name, timer.wrap(stage, getattr(owner, name)))

    wrapped_pt = timer.wrap("page_text", text.page_text)
    text.page_text = pipeline.page_text = wrapped_pt
    wrapped_ss = timer.wrap("split_statements", nlp.split_statements)
    nlp.split_statements = pipeline.split_statements = wrapped_ss
    patch(classify.Models, "predict", "predict")
    patch(classify, "feature_frame", "rule_features")
    explainer = getattr(classify, "_Explainer", None)
    if explainer is not None:
        patch(explainer, "__post_init__", "explanations")
        patch(explainer, "top_terms", "explanations")
    for name in ("save_analysis", "page", "add_failure"):
        patch(Store, name, "store")


def _best_of(runs: int, fn) -> float:
    best = float("inf")
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def library_floors(html_pages: list[str], texts: list[str], models, tok_seconds: float) -> dict:
    """What the libraries the design requires cost alone on the same input, with none of the
    project's code around them (best of three): trafilatura's extraction of the HTML pages, with
    the settings ``page_text`` uses (the design's main-text step); the word features of *one* of
    the three models (scikit-learn's TF-IDF transform of the statements); and spaCy's blank
    pipeline with the sentencizer (the design's statement splitter) over the statements. Each is
    a lower bound on its stage; beside ``tokenizer_seconds`` they show how much of the 4x budget is
    spent before any of the project's rules run."""
    import spacy

    from analyzer.text import _TRAFILATURA_OPTIONS, _trafilatura

    extract = functools.partial(_trafilatura().extract, **_TRAFILATURA_OPTIONS)
    words = next(t for name, t, _ in models.commitment.named_steps["features"].transformers_ if name == "words")
    sentencizer = spacy.blank("en")
    sentencizer.add_pipe("sentencizer")
    seconds = {
        "trafilatura_extract": _best_of(3, lambda: [extract(h) for h in html_pages]),
        "one_model_word_features": _best_of(3, lambda: words.transform(texts)),
        "spacy_sentencizer": _best_of(3, lambda: list(sentencizer.pipe(texts))),
    }
    return {k: {"seconds": round(v, 4), "ratio_to_tokenizer": round(v / tok_seconds, 1)} for k, v in seconds.items()}


def build(folder: Path, pages: int, seed: int) -> Path:
    path = _synthetic.demo_store(folder / "analysis.sqlite")
    extra = max(0, pages - 41)
    if extra:
        per = 20
        candidates = -(-extra // per)
        syn = _synthetic.build_store(folder / "synthetic.sqlite", candidates, per, seed=seed)
        _synthetic.add_pages_from(syn, path)
    return path


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=241, help="pages in the store (the demo's 41 + synthetic)")
    parser.add_argument("--path", choices=("serial", "batched"), default="serial")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--profile", help="write a cProfile of the analysis to this file (and a summary to stderr)")
    args = parser.parse_args(argv)

    import spacy

    from analyzer.classify import load_models
    from analyzer.nlp import get_nlp, get_segmenter
    from analyzer.pipeline import analyze_store
    from analyzer.store import Store

    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as tmp:
        path = build(Path(tmp), args.pages, args.seed)
        started = time.perf_counter()
        models = load_models()
        load_seconds = time.perf_counter() - started
        get_segmenter()
        get_nlp(YEAR)
        models.predict([{"text": "We will publish every contract online by 2014.", "heading": "Plan", "kind": "bullet"}], YEAR)

        timer = Timer()
        instrument(timer)
        store = Store(path)
        pages = store.page_count()

        def run():
            if args.path == "serial":
                return analyze_store(store, models, YEAR)
            from analyzer.parallel import analyze_store_parallel

            return analyze_store_parallel(store, reference_year=YEAR, workers=1)

        profiler = None
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        if profiler:
            profiler.enable()
        analyzed = run()
        if profiler:
            profiler.disable()
        seconds, cpu_seconds = time.perf_counter() - wall0, time.process_time() - cpu0
        assert analyzed == pages, (analyzed, pages)

        texts = [r[0] for r in store.db.execute("SELECT text FROM statements ORDER BY id")]
        n = len(texts)
        html_pages = [bytes(r[0]).decode("utf-8", "replace") for r in
                      store.db.execute("SELECT body FROM pages WHERE content_type LIKE '%html%' ORDER BY id")]
        store.close()

    # warm: the same tokenizer three times, its vocabulary filled by the first pass (the strict
    # figure); cold: a fresh tokenizer each time, which like the analysis meets every word anew
    tokenizer = spacy.blank("en").tokenizer
    tok_seconds = tok_cold_seconds = float("inf")
    for _ in range(3):
        t0 = time.perf_counter()
        for t in texts:
            tokenizer(t)
        tok_seconds = min(tok_seconds, time.perf_counter() - t0)
        fresh = spacy.blank("en").tokenizer
        t0 = time.perf_counter()
        for t in texts:
            fresh(t)
        tok_cold_seconds = min(tok_cold_seconds, time.perf_counter() - t0)

    floors = library_floors(html_pages, texts, models, tok_seconds)

    s = timer.seconds
    stages = {
        "page_text": s.get("page_text", 0.0),
        "split_statements": s.get("split_statements", 0.0),
        "rule_features": s.get("rule_features", 0.0),
        "explanations": s.get("explanations", 0.0),
        "models": max(0.0, s.get("predict", 0.0) - s.get("rule_features", 0.0) - s.get("explanations", 0.0)),
        "store": s.get("store", 0.0),
    }
    stages["other"] = max(0.0, seconds - sum(stages.values()))
    result = {
        "benchmark": "analysis_throughput",
        "path": args.path,
        "pages": pages,
        "statements": n,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu_seconds, 3),
        "statements_per_second": round(n / seconds, 1),
        "statements_per_cpu_second": round(n / cpu_seconds, 1),
        "pages_per_second": round(pages / seconds, 2),
        "tokenizer_seconds": round(tok_seconds, 4),
        "ratio_to_tokenizer": round(seconds / tok_seconds, 1),
        "tokenizer_cold_seconds": round(tok_cold_seconds, 4),
        "ratio_to_cold_tokenizer": round(seconds / tok_cold_seconds, 1),
        "stages": {k: {"seconds": round(v, 3), "share": round(v / seconds, 3), "ratio_to_tokenizer": round(v / tok_seconds, 1)}
                   for k, v in stages.items()},
        "library_floors": floors,
        "predict_calls": timer.calls.get("predict", 0),
        "models_load_seconds": round(load_seconds, 2),
        "target_statements_per_second": TARGET_SPS,
        "target_ratio_to_tokenizer": TARGET_RATIO,
        "met": bool(n / seconds >= TARGET_SPS and seconds / tok_seconds <= TARGET_RATIO),
        "load_average": round(os.getloadavg()[0], 1),
    }
    print(json.dumps(result))
    if profiler:
        import pstats

        profiler.dump_stats(args.profile)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(35)


if __name__ == "__main__":
    main()
