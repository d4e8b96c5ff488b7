"""Analysis on every core: stored pages → statements → predictions, in worker processes.

``analyze_store_parallel`` gives the same statements and predictions as
:func:`analyzer.pipeline.analyze_store` (same page order, same statement ids), faster:

- worker processes (``spawn``: never ``fork`` of a process that holds a SQLite connection
  and spaCy state) each load the models once
  (:func:`analyzer.classify.load_models` caches per process) and open the store read-only;
- the parent sends page ids in chunks; a worker reads those pages from the SQLite file itself,
  extracts text and statements page by page, and classifies the chunk's statements in one
  :meth:`Models.predict` call (a prediction depends only on its own statement, so batching
  across pages changes nothing but the time: the per-call cost of building the feature
  frame and the explainers is paid once per chunk instead of once per page);
- the parent is the only writer (SQLite allows one): it writes each page's results in its own
  transaction, in page order, as results come back. At most ``2 × workers`` chunks are in
  flight, so memory stays flat however large the field is.

With ``workers=1`` nothing is spawned: the chunks are analyzed in this process, which is the
single-core baseline the benchmarks compare against.
"""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Callable
from urllib.parse import quote

from .errors import InputError, ModelError
from .pipeline import statement_units

__all__ = ["analyze_store_parallel", "analyze_chunk", "DEFAULT_CHUNK_PAGES"]

DEFAULT_CHUNK_PAGES = 32
Progress = Callable[[str, int, int], None]

_PAGE_COLUMNS = ("id, candidate, url, source_kind, capture_url, capture_time, capture_after, content_type, "
                 "status, depth, fetched_at, body")

# per-process state of a worker (and of the parent when workers=1)
_STATE: dict = {}


def _init_worker(store_path: str, models_dir: str | None, reference_year: int | None, spawned: bool = False,
                 opponents: dict | None = None, names: dict | None = None) -> None:
    if spawned:
        # one process per core already: BLAS thread pools in each would only fight over the cores
        for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
            os.environ.setdefault(var, "1")
    _STATE.clear()
    _STATE.update(store_path=store_path, models_dir=models_dir, reference_year=reference_year, db=None,
                  opponents=opponents or {}, names=names or {})


def _reader() -> sqlite3.Connection:
    db = _STATE.get("db")
    if db is None:
        uri = "file:" + quote(str(Path(_STATE["store_path"]).resolve())) + "?mode=ro"
        db = sqlite3.connect(uri, uri=True, check_same_thread=False, timeout=30)
        db.row_factory = sqlite3.Row
        _STATE["db"] = db
    return db


def analyze_chunk(page_ids: list[int]) -> list[tuple]:
    """Analyze some stored pages; runs in a worker. One result per page, in order:

    ``("ok", page_id, text, title, statements, predictions)`` or
    ``("unreadable", page_id, candidate, url, message)`` for a page whose bytes cannot be read
    (what :func:`analyze_store` records as a failure).
    """
    from .classify import load_models
    from .nlp import split_statements
    from .store import Store
    from .text import page_text

    models = load_models(_STATE["models_dir"])
    year = _STATE["reference_year"]
    db = _reader()
    extracted: list[tuple] = []
    units: list[dict] = []
    for page_id in page_ids:
        row = db.execute(f"SELECT {_PAGE_COLUMNS} FROM pages WHERE id = ?", (page_id,)).fetchone()
        page = Store._page(row, True)
        try:
            text = page_text(page)
            statements = split_statements(text.sections, text.text)
        except InputError as exc:
            extracted.append(("unreadable", page_id, page.candidate, page.url, str(exc)))
            continue
        extracted.append(("ok", page_id, text.text, text.title, statements))
        opponents = _STATE["opponents"].get(page.candidate, ())
        units.extend(statement_units(statements, opponents, _STATE["names"].get(page.candidate, "")))
    predictions = models.predict(units, year) if units else []
    results: list[tuple] = []
    at = 0
    for item in extracted:
        if item[0] == "ok":
            n = len(item[4])
            results.append(item + (predictions[at:at + n],))
            at += n
        else:
            results.append(item)
    return results


def _version(models_dir: str | None, workers: int, opponents: dict | None = None, names: dict | None = None):
    """The analysis version the store keys pages by, and the models if loaded here."""
    from .classify import MODEL_NAMES, MODELS_DIR, Models, load_models, read_card
    from .pipeline import analysis_version

    if workers <= 1:
        models = load_models(models_dir)
        return analysis_version(models, opponents, names), models
    folder = Path(models_dir or MODELS_DIR).resolve()
    if not folder.is_dir():
        raise ModelError(f"{folder}: no such model folder; train models with `analyzer train --out {folder}`")
    # the version needs only the cards; the workers load the models themselves
    cards = {name: read_card(folder / name) for name in MODEL_NAMES}
    return analysis_version(Models(None, None, None, cards=cards, folder=folder), opponents, names), None


def _context():
    # "spawn": each worker is a fresh interpreter that imports this package from the parent's
    # sys.path. (Python 3.11's forkserver imports preloaded modules before it applies the parent's
    # sys.path, so its workers could run another copy of the analyzer than the parent's.)
    return multiprocessing.get_context("spawn")


def analyze_store_parallel(
    store_path,
    models_dir: str | Path | None = None,
    reference_year: int | None = None,
    workers: int | None = None,
    progress: Progress | None = None,
    chunk_pages: int = DEFAULT_CHUNK_PAGES,
) -> int:
    """Analyze every stored page not yet analyzed with these models, on ``workers`` processes
    (default: every core). ``store_path`` is the store's file (or an open :class:`Store`, which
    is then the writer). Returns how many pages were analyzed."""
    from .store import Store

    workers = max(1, int(workers or os.cpu_count() or 1))
    chunk_pages = max(1, int(chunk_pages))
    own = not isinstance(store_path, Store)
    store = Store(store_path) if own else store_path
    try:
        path = str(store.path)
        models_arg = str(models_dir) if models_dir is not None else None
        from .pipeline import candidate_names, opponents_by_candidate

        opponents = opponents_by_candidate(store)
        names = candidate_names(store)
        version, _ = _version(models_arg, workers, opponents, names)
        todo = store.pages_to_analyze(version)
        if not todo:
            return 0
        chunks = [todo[i:i + chunk_pages] for i in range(0, len(todo), chunk_pages)]
        total = len(todo)
        done = 0

        def write(results):
            nonlocal done
            for item in results:
                if item[0] == "ok":
                    _, page_id, text, title, statements, predictions = item
                    store.save_analysis(page_id, text, title, statements, predictions, version)
                else:
                    _, page_id, candidate, url, message = item
                    # as analyze_store: recorded against the page, the run goes on
                    store.add_failure(candidate, url, "unreadable", message)
                    store.save_analysis(page_id, "", None, [], [], version)
                done += 1
                if progress:
                    progress("analyze", done, total)

        if workers == 1 or len(chunks) == 1:
            _init_worker(path, models_arg, reference_year, opponents=opponents, names=names)
            try:
                for chunk in chunks:
                    write(analyze_chunk(chunk))
            finally:
                db = _STATE.get("db")
                if db is not None:
                    db.close()
                _STATE.clear()
            return total

        workers = min(workers, len(chunks))
        with ProcessPoolExecutor(max_workers=workers, mp_context=_context(), initializer=_init_worker,
                                 initargs=(path, models_arg, reference_year, True, opponents, names)) as pool:
            pending = deque()
            queue = iter(chunks)
            try:
                for chunk in queue:
                    pending.append(pool.submit(analyze_chunk, chunk))
                    if len(pending) >= 2 * workers:
                        break
                while pending:
                    results = pending.popleft().result()  # in submission order: page order
                    nxt = next(queue, None)
                    if nxt is not None:
                        pending.append(pool.submit(analyze_chunk, nxt))
                    write(results)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
        return total
    finally:
        if own:
            store.close()
