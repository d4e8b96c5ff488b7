"""Archived campaign sites from the Internet Archive's Wayback Machine.

Most 2013 campaign sites are gone; the archive kept copies. For a source
``{ url = "http://www.connollyforboston.com/", wayback = 2013-09-20 }`` the site is crawled
as it stood on that date: each page is read from its capture closest before the date (or,
when there is none, the closest after it, marked ``capture_after``).

One CDX query lists the whole site's captures up front (``matchType=prefix`` on the host,
HTML and PDF with status 200, ``collapse=digest`` so each distinct version appears once),
within a window around the date; a page missing from a truncated listing is looked up on
its own. Links in the raw captures are original URLs (or, on some pages, already
rewritten ``/web/<timestamp>/<url>`` links) and are mapped back to originals, then to
captures. Raw captures come from ``/web/<timestamp>id_/<original url>``, without the
archive's banner and link rewriting.

The archive's limits are kept: CDX queries are spaced to ``cdx_per_minute`` (the archive
answers faster callers with 429 and then blocks their address for an hour), a 429 is
backed off, and after repeated 429s or server errors the archive is declared unavailable
for the rest of the session instead of being hammered. Capture fetches go through the
PoliteSession like every request, so the archive host gets the same per-host delay as any
site. CDX answers are kept in the store, so a resumed run queries nothing twice.

Plain ``requests`` (through the PoliteSession) is used rather than the EDGI ``wayback``
package: that package brings its own session, rate limits and retries, which would bypass
the per-host politeness, size caps and injectable clock every other fetch shares, and it
does not take the archive's address from ``ANALYZER_WAYBACK_URL``.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import threading
import weakref
from dataclasses import dataclass
from urllib.parse import urlencode, urlsplit

from ..errors import ArchiveError, FetchError, HTTPStatusError, NotReachable, OffSite
from ..records import Candidate, GatherOptions, Page, Source
from ..store import Store
from .crawl import SiteCrawl, normalize_url, page_key
from .http import FetchedResponse, PoliteSession, site_key

__all__ = [
    "crawl_archive",
    "wayback_base_url",
    "ArchiveClient",
    "archive_client",
    "Capture",
    "CaptureIndex",
    "original_url",
    "capture_time_iso",
    "DEFAULT_WAYBACK_URL",
]

DEFAULT_WAYBACK_URL = "https://web.archive.org"
CDX_LIMIT = 5000
URL_LOOKUP_LIMIT = 200
# Captures are looked for from three years before the date (campaign sites rarely live
# longer) to half a year after it (a site seen only after the date is still the campaign's
# but not, say, the same domain reused for a later race).
LOOKBACK = dt.timedelta(days=3 * 365)
LOOKAHEAD = dt.timedelta(days=180)
# A 429 from the CDX API is answered with long waits (10, 20, 40 s): the archive blocks an
# address that keeps calling after 429s for more than about a minute.
CDX_BACKOFF_SECONDS = 10.0
MAX_CONSECUTIVE_FAILURES = 3
READABLE_MIMETYPES = {"text/html", "application/pdf", "application/xhtml+xml"}
_CDX_FIELDS = ("original", "timestamp", "mimetype", "statuscode", "digest")
_CAPTURE_PATH = re.compile(r"^/web/(\d{1,14})(?:[a-z]{2}_)?/+(.+)$")
NOT_ARCHIVED = "not archived"


def wayback_base_url() -> str:
    return (os.environ.get("ANALYZER_WAYBACK_URL") or DEFAULT_WAYBACK_URL).rstrip("/")


def capture_time_iso(timestamp: str) -> str:
    """ISO 8601 (UTC) of a Wayback timestamp such as ``20130918123456``."""
    moment = dt.datetime.strptime(timestamp.ljust(14, "0")[:14], "%Y%m%d%H%M%S")
    return moment.replace(tzinfo=dt.timezone.utc).isoformat()


def _repair_scheme(url: str) -> str:
    # Archive paths sometimes squeeze "http://" to "http:/".
    return re.sub(r"^(https?):/+", r"\1://", url, flags=re.IGNORECASE)


def split_capture_url(url: str) -> tuple[str, str] | None:
    """``(timestamp, original url)`` of an archive URL ``.../web/<ts>[flag_]/<original>``."""
    parts = urlsplit(url)
    match = _CAPTURE_PATH.match(parts.path + ("?" + parts.query if parts.query else ""))
    if not match or not re.match(r"^https?:/", match.group(2), re.IGNORECASE):
        return None
    return match.group(1), _repair_scheme(match.group(2))


def original_url(url: str) -> str:
    """The original URL behind a link found in a capture (itself, unless archive-rewritten).

    A rewritten link is recognised by its ``/web/<timestamp>/http...`` path whatever its
    host, because relative rewritten links resolve against the original page's host.
    """
    split = split_capture_url(url)
    return normalize_url(split[1]) if split else url


@dataclass(frozen=True)
class Capture:
    original: str
    timestamp: str
    mimetype: str = ""

    @property
    def time(self) -> str:
        return capture_time_iso(self.timestamp)


def _cutoff(date: dt.date) -> str:
    """The last timestamp that counts as "before" the date (the date itself included)."""
    return date.strftime("%Y%m%d") + "235959"


class CaptureIndex:
    """A site's captures by page (see :func:`.crawl.page_key`)."""

    def __init__(self, complete: bool = True):
        self.complete = complete
        self._by_page: dict[str, list[Capture]] = {}

    def add(self, captures) -> None:
        for capture in captures:
            self._by_page.setdefault(page_key(normalize_url(capture.original)), []).append(capture)

    def __len__(self) -> int:
        return len(self._by_page)

    def captures(self, url: str) -> list[Capture]:
        return self._by_page.get(page_key(url), [])

    def closest(self, url: str, date: dt.date) -> tuple[Capture, bool] | None:
        """The capture closest before the date, else the closest after (``True``)."""
        captures = self.captures(url)
        cutoff = _cutoff(date)
        before = [c for c in captures if c.timestamp.ljust(14, "0") <= cutoff]
        if before:
            return max(before, key=lambda c: c.timestamp), False
        if captures:
            return min(captures, key=lambda c: c.timestamp), True
        return None

    def shallowest(self, limit: int = 3) -> list[str]:
        """The captured HTML pages nearest the site's root, to start from when its start URL was not captured."""
        html = [caps[0].original for caps in self._by_page.values() if caps[0].mimetype != "application/pdf"]
        return sorted(html, key=lambda url: (_path_depth(url), len(url)))[:limit]


def _path_depth(url: str) -> int:
    path = urlsplit(url).path.strip("/")
    return path.count("/") + 1 if path else 0


class ArchiveClient:
    """CDX queries and capture fetches against one Wayback Machine.

    Shared by every candidate gathered with the same PoliteSession, because the archive's
    limits are per caller, not per candidate.
    """

    def __init__(self, session: PoliteSession, base_url: str, options: GatherOptions):
        self.session = session
        self.base_url = base_url
        self.options = options
        self.unavailable: str | None = None
        self._lock = threading.Lock()
        self._cdx_lock = threading.Lock()
        self._cdx_next = float("-inf")
        self._consecutive_failures = 0

    @property
    def cdx_interval(self) -> float:
        return 60.0 / max(1, self.options.cdx_per_minute)

    def check_available(self) -> None:
        if self.unavailable:
            raise ArchiveError(f"{self.unavailable}; not asked again in this run")

    def _trip(self, message: str) -> ArchiveError:
        with self._lock:
            self.unavailable = self.unavailable or message
        return ArchiveError(message)

    # -- CDX ------------------------------------------------------------------------------
    def query(self, store: Store, params: list[tuple[str, str]]) -> tuple[list[Capture], int]:
        """Captures matching a CDX query, and the number of rows the server returned."""
        self.check_available()
        url = f"{self.base_url}/cdx/search/cdx?{urlencode(params)}"
        cache_key = f"wayback.cdx {url}"
        cached = None if self.options.refresh else store.get_meta(cache_key)
        if cached is not None:
            rows = json.loads(cached)
        else:
            rows = self._query_archive(url)
            store.set_meta(cache_key, json.dumps(rows))
        return _captures(rows), max(0, len(rows) - 1)

    def _send_query(self, url: str) -> FetchedResponse:
        """One CDX query, at least ``cdx_interval`` after the previous one ended (in any thread)."""
        with self._cdx_lock:
            wait = self._cdx_next - self.session.clock()
            if wait > 0:
                self.session.pause(wait)
            try:
                return self.session.fetch(
                    url, allowed_hosts=[self.base_url], any_content_type=True, retry_backoff=CDX_BACKOFF_SECONDS
                )
            finally:
                self._cdx_next = self.session.clock() + self.cdx_interval

    def _query_archive(self, url: str) -> list:
        try:
            response = self._send_query(url)
        except HTTPStatusError as exc:
            if exc.status == 429:
                raise self._trip(
                    "the Wayback Machine kept answering 429 Too Many Requests to CDX queries; stopped "
                    "so as not to be blocked — run again later to resume"
                ) from None
            if exc.status and exc.status >= 500:
                raise self._trip(
                    f"the Wayback Machine's CDX API kept failing (HTTP {exc.status}); try again later"
                ) from None
            raise ArchiveError(
                f"the Wayback Machine's CDX API refused the query (HTTP {exc.status}): {url}"
            ) from None
        except NotReachable as exc:
            raise self._trip(f"the Wayback Machine is not reachable ({exc})") from None
        except FetchError as exc:
            raise ArchiveError(f"the Wayback Machine's CDX API could not be read: {exc}") from None
        text = response.body.decode("utf-8", errors="replace").strip()
        if not text:
            return []
        try:
            rows = json.loads(text)
        except ValueError:
            raise ArchiveError(f"the Wayback Machine's CDX API did not answer JSON for {url}") from None
        if not isinstance(rows, list) or not all(isinstance(r, list) for r in rows):
            raise ArchiveError(f"the Wayback Machine's CDX API answered an unexpected shape for {url}")
        return rows

    # -- captures -------------------------------------------------------------------------
    def capture_url(self, capture: Capture) -> str:
        return f"{self.base_url}/web/{capture.timestamp}id_/{capture.original}"

    def fetch_capture(self, capture: Capture, allowed_sites: set[str]) -> FetchedResponse:
        """A raw capture; the archive's redirects are followed only to captures of ``allowed_sites``."""
        self.check_available()
        requested = capture.original

        def check_redirect(target: str) -> None:
            split = split_capture_url(target)
            if split and site_key(split[1]) not in allowed_sites:
                raise OffSite(
                    f"the archived {requested} redirects to {split[1]}, outside the candidate's sites", requested
                )

        try:
            response = self.session.fetch(
                self.capture_url(capture), allowed_hosts=[self.base_url], check_redirect=check_redirect
            )
        except HTTPStatusError as exc:
            if exc.status == 429:
                raise self._trip(
                    "the Wayback Machine kept answering 429 Too Many Requests to capture fetches; "
                    "stopped so as not to be blocked — run again later to resume"
                ) from None
            if exc.status and exc.status >= 500:
                self._count_failure(exc)
            raise
        except NotReachable as exc:
            self._count_failure(exc)
            raise
        with self._lock:
            self._consecutive_failures = 0
        return response

    def _count_failure(self, exc: FetchError) -> None:
        with self._lock:
            self._consecutive_failures += 1
            tripped = self._consecutive_failures >= MAX_CONSECUTIVE_FAILURES
        if tripped:
            raise self._trip(
                f"the Wayback Machine failed {MAX_CONSECUTIVE_FAILURES} capture fetches in a row "
                f"(last: {exc}); try again later"
            ) from None


def _captures(rows: list) -> list[Capture]:
    if not rows:
        return []
    header, data = rows[0], rows[1:]
    try:
        at = {name: header.index(name) for name in ("original", "timestamp")}
    except ValueError:
        raise ArchiveError(f"the Wayback Machine's CDX answer lacks original/timestamp fields: {header}") from None
    mime_at = header.index("mimetype") if "mimetype" in header else None
    status_at = header.index("statuscode") if "statuscode" in header else None
    captures = []
    for row in data:
        # The server filters these already; checked again so a lax server cannot feed us images.
        mimetype = row[mime_at].lower() if mime_at is not None else ""
        if mime_at is not None and mimetype not in READABLE_MIMETYPES:
            continue
        if status_at is not None and row[status_at] not in ("200", 200):
            continue
        captures.append(Capture(original=row[at["original"]], timestamp=str(row[at["timestamp"]]), mimetype=mimetype))
    return captures


_clients: weakref.WeakKeyDictionary[PoliteSession, dict[str, ArchiveClient]] = weakref.WeakKeyDictionary()
_clients_lock = threading.Lock()


def archive_client(session: PoliteSession, options: GatherOptions) -> ArchiveClient:
    """The session's client for the configured archive (one per session and archive)."""
    base = wayback_base_url()
    with _clients_lock:
        by_base = _clients.setdefault(session, {})
        if base not in by_base:
            by_base[base] = ArchiveClient(session, base, options)
        return by_base[base]


def _cdx_params(url: str, match_type: str, date: dt.date, limit: int) -> list[tuple[str, str]]:
    return [
        ("url", url),
        ("matchType", match_type),
        ("output", "json"),
        ("fl", ",".join(_CDX_FIELDS)),
        ("filter", "statuscode:200"),
        ("filter", "mimetype:text/html|application/pdf"),
        ("collapse", "digest"),
        ("from", (date - LOOKBACK).strftime("%Y%m%d")),
        ("to", (date + LOOKAHEAD).strftime("%Y%m%d")),
        ("limit", str(limit)),
    ]


class _ArchivedSite:
    """The archived copy of one source's site, as the crawl sees it."""

    def __init__(
        self, candidate: Candidate, source: Source, store: Store, options: GatherOptions, client: ArchiveClient
    ):
        self.candidate = candidate
        self.source = source
        self.store = store
        self.options = options
        self.client = client
        self.date = source.wayback
        self.start = normalize_url(source.url)
        self.allowed = {site_key(s.url) for s in candidate.sources if s.url} | {site_key(self.start)}
        self.lookups_left = options.max_pages
        self.index = CaptureIndex()

    def load_index(self) -> None:
        captures, rows = self.client.query(
            self.store, _cdx_params(site_key(self.start) + "/", "prefix", self.date, CDX_LIMIT)
        )
        self.index = CaptureIndex(complete=rows < CDX_LIMIT)
        self.index.add(captures)

    def seeds(self) -> list[str]:
        if self.index.captures(self.start):
            return [self.start]
        return self.index.shallowest()

    def has_copy(self, url: str) -> bool:
        if self.index.captures(url):
            return True
        if self.index.complete or self.lookups_left <= 0:
            return False
        self.lookups_left -= 1
        captures, _rows = self.client.query(
            self.store, _cdx_params(url.split("#", 1)[0], "exact", self.date, URL_LOOKUP_LIMIT)
        )
        self.index.add(captures)
        return bool(self.index.captures(url))

    def fetch_page(self, url: str, depth: int) -> Page:
        capture, _after = self.index.closest(url, self.date)
        response = self.client.fetch_capture(capture, self.allowed)
        timestamp, original = split_capture_url(response.final_url) or (capture.timestamp, capture.original)
        return Page(
            candidate=self.candidate.slug,
            url=normalize_url(original),
            content_type=response.content_type_with_charset,
            body=response.body,
            source_kind="wayback",
            capture_url=response.final_url,
            capture_time=capture_time_iso(timestamp),
            capture_after=timestamp.ljust(14, "0") > _cutoff(self.date),
            fetched_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
            status=response.status,
            depth=depth,
        )


def crawl_archive(
    candidate: Candidate,
    source: Source,
    store: Store,
    options: GatherOptions,
    session: PoliteSession | None = None,
) -> int:
    """Crawl a site as archived before ``source.wayback``; returns how many pages were fetched.

    Archive trouble (rate limits, outage) is recorded as one failure for the candidate with
    reason "archive unavailable"; a site the archive has no capture of is recorded as
    "not archived". Neither raises.
    """
    own_session = session is None
    session = session or PoliteSession(options)
    site = _ArchivedSite(candidate, source, store, options, archive_client(session, options))
    crawl = None
    try:
        site.load_index()
        if not len(site.index):
            store.add_failure(
                candidate.slug,
                source.url,
                NOT_ARCHIVED,
                f"the Wayback Machine has no HTML or PDF capture of {site_key(site.start)} between "
                f"{(site.date - LOOKBACK).isoformat()} and {(site.date + LOOKAHEAD).isoformat()}",
            )
            return 0
        crawl = SiteCrawl(
            candidate,
            store,
            options,
            seeds=site.seeds(),
            source_kind="wayback",
            fetch_page=site.fetch_page,
            has_copy=site.has_copy,
            map_link=original_url,
        )
        return crawl.run()
    except ArchiveError as exc:
        store.add_failure(candidate.slug, source.url, exc.reason, str(exc))
        return crawl.fetched if crawl else 0
    finally:
        if own_session:
            session.close()
