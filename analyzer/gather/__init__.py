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

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import Callable

from ..records import Candidate, Field, GatherOptions
from ..store import Store
from . import local

__all__ = ["gather_field", "gather_candidate", "GatherResult"]


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
    """
    options = options or field.gather
    store.add_candidates(field.candidates)
    if session is None and any(s.kind != "local" for c in field.candidates for s in c.sources):
        from .http import PoliteSession

        session = PoliteSession(options)
    results: list[GatherResult] = []
    workers = workers or max(1, min(8, len(field.candidates)))
    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(gather_candidate, c, store, options, session) for c in field.candidates]
        for future in futures:
            result = future.result()
            results.append(result)
            if on_candidate:
                on_candidate(result)
    return results
