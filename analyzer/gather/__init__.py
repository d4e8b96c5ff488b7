"""Gathering: from a field's sources to pages in the store.

One module per kind of source, composed here:

- :mod:`.local`   saved files and folders (HTML, PDF, text)
- :mod:`.http`    the polite HTTP session (robots.txt, per-host delay, retries, size cap)
- :mod:`.crawl`   discovery on a live site, platform pages first
- :mod:`.wayback` the Internet Archive's CDX API and raw captures
- :mod:`.pdf`     PDF text with page numbers

Every page is written to the store as soon as it is read, and every failure is recorded with
its reason, so an interrupted run resumes without fetching twice and a dead site is reported
as "not reachable", never as "no commitments".
"""

from __future__ import annotations

import queue
import json
import threading
import time
from dataclasses import dataclass
from typing import Callable

from ..records import Candidate, Field, GatherOptions
from ..store import Store
from . import local

__all__ = ["gather_field", "gather_candidate", "GatherResult", "STOP_GRACE_SECONDS"]

# How long an interrupted gather waits for requests already on the wire before giving up on them.
STOP_GRACE_SECONDS = 10.0


@dataclass(frozen=True)
class GatherResult:
    slug: str
    status: str
    pages: int
    failures: int

    def as_dict(self) -> dict:
        return dict(slug=self.slug, status=self.status, pages=self.pages, failures=self.failures)


def gather_candidate(
    candidate: Candidate,
    store: Store,
    options: GatherOptions,
    session=None,
) -> GatherResult:
    """Read every source of one candidate into the store and set their status."""
    if not candidate.sources:
        store.set_status(candidate.slug, "not checked")
        return GatherResult(candidate.slug, "not checked", 0, 0)
    for source in candidate.sources:
        if source.kind == "local":
            local.gather_local(candidate, source, store, options)
        elif source.kind == "live":
            from . import crawl

            crawl.crawl_site(candidate, source, store, options, session=session)
        elif source.kind == "wayback":
            from . import wayback

            wayback.crawl_archive(candidate, source, store, options, session=session)
    pages = store.page_count(candidate.slug)
    failures = len(store.failures(candidate.slug))
    status = "gathered" if pages else "not reachable"
    store.set_status(candidate.slug, status)
    return GatherResult(candidate.slug, status, pages, failures)


def gather_field(
    field: Field,
    store: Store,
    options: GatherOptions | None = None,
    on_candidate: Callable[[GatherResult], None] | None = None,
    workers: int | None = None,
    session=None,
) -> list[GatherResult]:
    """Gather every candidate of a field.

    Candidates are gathered concurrently (their sites are on different hosts), while the
    HTTP session keeps politeness per host, so a field takes about as long as its slowest
    site rather than the sum of all of them.

    An interrupt (Ctrl-C) or an error stops the run promptly: no new request is sent, the
    pages already read are in the store (each in its own transaction), and the exception
    is raised again once the workers have put down what they were holding — or after
    ``STOP_GRACE_SECONDS`` if one is stuck in a request that will not end sooner.
    """
    options = options or field.gather
    store.add_candidates(field.candidates)
    # who is in the race now: the others' names are read as opponents (see pipeline.opponents_by_candidate)
    store.set_meta("field_candidates", json.dumps([c.slug for c in field.candidates]))
    own_session = False
    if session is None and any(s.kind != "local" for c in field.candidates for s in c.sources):
        from .http import PoliteSession

        session = PoliteSession(options)
        own_session = True
    candidates = list(field.candidates)
    todo: queue.SimpleQueue = queue.SimpleQueue()
    for index, candidate in enumerate(candidates):
        todo.put((index, candidate))
    finished: queue.Queue = queue.Queue()
    stop = threading.Event()

    def work() -> None:
        while not stop.is_set():
            try:
                index, candidate = todo.get_nowait()
            except queue.Empty:
                return
            try:
                finished.put((index, gather_candidate(candidate, store, options, session), None))
            except BaseException as exc:  # handed to the caller's thread, raised there
                finished.put((index, None, exc))

    # Daemon threads rather than a ThreadPoolExecutor, whose threads the interpreter waits
    # for at exit: a worker stuck in a slow request must not keep an interrupted run alive.
    count = max(1, min(workers or 8, len(candidates)))
    threads = [threading.Thread(target=work, name=f"gather-{n}", daemon=True) for n in range(count)]
    for thread in threads:
        thread.start()
    results: dict[int, GatherResult] = {}
    try:
        while len(results) < len(candidates):
            index, result, error = finished.get()
            if error is not None:
                raise error
            results[index] = result
            if on_candidate:
                on_candidate(result)
    except BaseException:
        stop.set()
        if session is not None and hasattr(session, "cancel"):
            session.cancel()
        deadline = time.monotonic() + STOP_GRACE_SECONDS
        for thread in threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        raise
    if own_session:
        session.close()
    return [results[i] for i in range(len(candidates))]
