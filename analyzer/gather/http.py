"""The polite HTTP session: every request the analyzer sends to the web goes through it.

Politeness is kept per host, so that candidates' sites (different hosts) are read
concurrently while each single host sees at most one request every ``delay`` seconds
(or its robots.txt ``Crawl-delay``, if longer). Redirects are followed by hand so that a
campaign site that now redirects to someone else's is reported as off-site, never read
as the candidate's. Bodies are streamed with a size and time cap, and only the kinds of
documents the analyzer reads (HTML, PDF, plain text) are kept.

``sleep`` and ``clock`` are injectable so that tests run without waiting.
"""

from __future__ import annotations

import codecs
import datetime as dt
import email.utils
import re
import threading
import time
from contextlib import closing
from dataclasses import dataclass, field
from typing import Callable, Iterable, Mapping
from urllib.parse import urljoin, urlsplit

import requests
import urllib3
from protego import Protego

from ..errors import Disallowed, HTTPStatusError, NotReachable, OffSite, Skipped, TooLarge
from ..records import GatherOptions

__all__ = [
    "Cancelled",
    "PoliteSession",
    "FetchedResponse",
    "PROJECT_URL",
    "default_user_agent",
    "detect_encoding",
    "parse_retry_after",
    "site_key",
    "sniff_content_type",
]

PROJECT_URL = "https://github.com/civic-analyzer/analyzer"
ROBOTS_AGENT = "analyzer"  # the product token robots.txt groups are matched against

HTML = "text/html"
PDF = "application/pdf"
TEXT = "text/plain"
_DECLARED_KINDS = {
    "text/html": HTML,
    "application/xhtml+xml": HTML,
    "application/pdf": PDF,
    "application/x-pdf": PDF,
    "text/plain": TEXT,
}
# Types servers put on documents they do not know the type of; the body decides.
_UNDECLARED = {"", "application/octet-stream", "binary/octet-stream", "application/unknown"}

REDIRECT_STATUSES = {301, 302, 303, 307, 308}
RETRY_STATUSES = {429, 500, 502, 503, 504}
RETRY_AFTER_STATUSES = {429, 503}
MAX_REDIRECTS = 10
MAX_RETRY_WAIT = 60.0
# A robots.txt asking for more than this between requests is in effect asking not to be
# crawled by a tool that reads a few dozen pages; we treat it so rather than ignore it.
MAX_CRAWL_DELAY = 60.0
ROBOTS_MAX_BYTES = 500_000  # RFC 9309 lets crawlers stop reading robots.txt at 500 KiB
CHUNK_BYTES = 64 * 1024
SNIFF_BYTES = 1024


def default_user_agent() -> str:
    try:
        from analyzer import __version__ as version
    except ImportError:
        version = "0.1.0"
    return f"analyzer/{version} (+{PROJECT_URL})"


def site_key(url_or_host: str) -> str:
    """The host a URL belongs to for politeness and same-site checks.

    ``www.`` and the bare domain are one site, and http/https on default ports too,
    because campaign sites routinely redirect between those forms.
    """
    parts = urlsplit(url_or_host if "//" in url_or_host else "//" + url_or_host)
    host = (parts.hostname or "").rstrip(".")
    if host.startswith("www."):
        host = host[4:]
    try:
        port = parts.port
    except ValueError:
        port = None
    if port and port not in (80, 443):
        host = f"{host}:{port}"
    return host


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc.lower()}"


@dataclass(frozen=True)
class FetchedResponse:
    """A document read from the web.

    ``content_type`` is what the body was found to be (``text/html``, ``application/pdf``
    or ``text/plain``), not necessarily what the server declared (that is in
    ``headers``); ``encoding`` is the detected charset of HTML and text, None for PDF.
    """

    url: str
    final_url: str
    status: int
    content_type: str
    body: bytes = field(repr=False)
    encoding: str | None
    headers: Mapping[str, str] = field(repr=False, default_factory=dict)

    @property
    def text(self) -> str:
        return self.body.decode(self.encoding or "utf-8", errors="replace")

    @property
    def content_type_with_charset(self) -> str:
        """The content type with the detected charset, as stored on a Page."""
        if self.encoding:
            return f"{self.content_type}; charset={self.encoding}"
        return self.content_type


# -- content types and charsets ------------------------------------------------------------


def _media_type(header: str | None) -> str:
    return (header or "").split(";", 1)[0].strip().lower()


def _looks_like_pdf(head: bytes) -> bool:
    return head[:SNIFF_BYTES].lstrip().startswith(b"%PDF-")


_HTML_MARKERS = (b"<!doctype html", b"<html", b"<head", b"<body", b"<title", b"<frameset")


def _looks_like_html(head: bytes) -> bool:
    start = head[:SNIFF_BYTES].lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    return any(marker in start for marker in _HTML_MARKERS)


def _looks_like_text(head: bytes) -> bool:
    return bool(head) and b"\x00" not in head[:SNIFF_BYTES]


def sniff_content_type(declared: str | None, head: bytes) -> str | None:
    """What a body is, from the declared type and its first bytes; None if not readable.

    The bytes win over the header where they are unambiguous, because campaign sites
    (and archived copies of them) often serve PDFs as octet-stream and HTML as text/plain.
    """
    declared_type = _media_type(declared)
    if _looks_like_pdf(head):
        return PDF
    kind = _DECLARED_KINDS.get(declared_type)
    if kind == HTML:
        return HTML
    if _looks_like_html(head):
        return HTML
    if kind is not None:
        return kind
    if declared_type in _UNDECLARED and _looks_like_text(head):
        return TEXT
    return None


# Browsers decode these labels as windows-1252 (WHATWG Encoding Standard), and pages of the
# 2000s that declare them routinely contain its curly quotes and dashes.
_WINDOWS_1252_ALIASES = {"iso8859-1", "latin-1", "ascii"}
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)""", re.IGNORECASE)
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _codec_name(label: str | bytes | None) -> str | None:
    if not label:
        return None
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _WINDOWS_1252_ALIASES else name


def detect_encoding(body: bytes, content_type: str | None = None) -> str:
    """The charset of an HTML or text body: BOM, HTTP header, <meta>, then by its bytes."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name
    header = re.search(r"charset\s*=\s*[\"']?([^\s;\"']+)", content_type or "", re.IGNORECASE)
    name = _codec_name(header.group(1)) if header else None
    if name:
        return name
    meta = _META_CHARSET.search(body[:4096])
    name = _codec_name(meta.group(1)) if meta else None
    if name:
        return name
    try:
        body.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(body[:200_000]).best()
    return _codec_name(best.encoding if best else None) or "utf-8"


def parse_retry_after(value: str | None, now: dt.datetime | None = None) -> float | None:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP-date); None if absent."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    now = now or dt.datetime.now(dt.timezone.utc)
    return max(0.0, (when - now).total_seconds())


# -- the session -------------------------------------------------------------------------


class Cancelled(BaseException):
    """The session was cancelled (the run is being interrupted): no further request is sent.

    A BaseException, like ``KeyboardInterrupt`` and ``asyncio.CancelledError``, so that no
    handler of fetch errors records it as a page's failure.
    """


class _HostSlot:
    """When the next request to one host may start. Its lock queues that host's requests."""

    def __init__(self, delay: float):
        self.lock = threading.Lock()
        self.delay = delay
        self.next_start = float("-inf")


@dataclass(frozen=True)
class _Exchange:
    status: int
    headers: Mapping[str, str]
    body: bytes = b""
    kind: str | None = None


@dataclass(frozen=True)
class _Retry:
    error: NotReachable | HTTPStatusError
    wait: float | None = None  # what the server asked for in Retry-After, if anything


def _asked_delay(rules: Protego) -> float | None:
    """The seconds between requests a robots.txt asks of us (Crawl-delay or Request-rate)."""
    asked = rules.crawl_delay(ROBOTS_AGENT)
    rate = rules.request_rate(ROBOTS_AGENT)
    if rate is not None and rate.requests:
        asked = max(asked or 0.0, rate.seconds / rate.requests)
    return float(asked) if asked else None


def _retry_for_status(response: requests.Response, url: str) -> _Retry:
    status = response.status_code
    said = " ".join(filter(None, ("HTTP", str(status), response.reason)))
    wait = parse_retry_after(response.headers.get("Retry-After")) if status in RETRY_AFTER_STATUSES else None
    if wait is not None and wait > MAX_RETRY_WAIT:
        # Retrying sooner than asked is what gets a crawler blocked; give up instead.
        raise HTTPStatusError(
            f"{said} for {url}: the server asks to wait {wait:.0f} s before retrying, more than the "
            f"{MAX_RETRY_WAIT:.0f} s the analyzer waits",
            url,
            status,
        )
    return _Retry(HTTPStatusError(f"{said} for {url}", url, status), wait)


class PoliteSession:
    """A requests-based session that is polite per host and safe to share between threads.

    ``fetch`` returns a :class:`FetchedResponse` or raises one of the FetchError children
    (NotReachable, HTTPStatusError, TooLarge, Disallowed, OffSite, Skipped).
    """

    def __init__(
        self,
        options: GatherOptions | None = None,
        user_agent: str | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        total_timeout: float | None = None,
        backoff: float = 1.0,
    ):
        self.options = options or GatherOptions()
        self.user_agent = user_agent or default_user_agent()
        self.sleep = sleep
        self.clock = clock
        # A server that trickles bytes never trips the read timeout, so one response also
        # has a wall-clock cap.
        self.total_timeout = total_timeout if total_timeout is not None else 3 * self.options.timeout
        self.backoff = backoff
        self._slots: dict[str, _HostSlot] = {}
        self._slots_lock = threading.Lock()
        self._robots: dict[str, Protego | None] = {}
        self._robots_locks: dict[str, threading.Lock] = {}
        self._robots_guard = threading.Lock()
        # requests.Session is not documented as thread-safe: one per thread.
        self._local = threading.local()
        self._http_sessions: list[requests.Session] = []
        self._http_lock = threading.Lock()
        self._cancelled = threading.Event()

    # -- plumbing ---------------------------------------------------------------------------
    def close(self) -> None:
        with self._http_lock:
            for session in self._http_sessions:
                session.close()
            self._http_sessions.clear()

    def __enter__(self) -> PoliteSession:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _http(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = requests.Session()
            session.headers.update(
                {
                    "User-Agent": self.user_agent,
                    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,text/plain;q=0.8,*/*;q=0.1",
                }
            )
            self._local.session = session
            with self._http_lock:
                self._http_sessions.append(session)
        return session

    @property
    def _timeouts(self) -> tuple[float, float]:
        return (min(10.0, self.options.timeout), self.options.timeout)

    def _slot(self, url: str) -> _HostSlot:
        key = site_key(url)
        with self._slots_lock:
            slot = self._slots.get(key)
            if slot is None:
                slot = self._slots[key] = _HostSlot(self.options.delay)
            return slot

    def cancel(self) -> None:
        """Stop: every thread's next request (or wait for its turn) raises :class:`Cancelled`.

        A request already on the wire finishes (within its timeouts) and is returned.
        """
        self._cancelled.set()

    @property
    def cancelled(self) -> bool:
        return self._cancelled.is_set()

    def pause(self, seconds: float) -> None:
        """Sleep, but wake up (raising :class:`Cancelled`) as soon as the session is cancelled."""
        if self._cancelled.is_set():
            raise Cancelled()
        if self.sleep is time.sleep:
            self._cancelled.wait(seconds)
        else:
            self.sleep(seconds)
        if self._cancelled.is_set():
            raise Cancelled()

    def _wait_turn(self, url: str) -> None:
        slot = self._slot(url)
        with slot.lock:
            wait = slot.next_start - self.clock()
            if wait > 0:
                self.pause(wait)
            elif self._cancelled.is_set():
                raise Cancelled()
            slot.next_start = self.clock() + slot.delay

    def _defer_host(self, url: str, seconds: float) -> None:
        """Hold every request to the host, from any thread, for ``seconds`` from now."""
        slot = self._slot(url)
        with slot.lock:
            slot.next_start = max(slot.next_start, self.clock() + seconds)

    def host_delay(self, url: str) -> float:
        """The seconds kept between two requests to the URL's host."""
        return self._slot(url).delay

    # -- robots.txt -----------------------------------------------------------------------
    def _robots_for(self, url: str) -> Protego | None:
        origin = _origin(url)
        with self._robots_guard:
            lock = self._robots_locks.setdefault(origin, threading.Lock())
        with lock:
            if origin not in self._robots:
                rules = self._load_robots(origin)
                self._robots[origin] = rules
                if rules is not None:
                    self._apply_crawl_delay(url, rules)
            return self._robots[origin]

    def _load_robots(self, origin: str) -> Protego | None:
        """The origin's rules; None (everything allowed) when it has no usable robots.txt.

        A missing robots.txt (4xx) allows everything (RFC 9309). A server error or timeout
        is treated the same, so that a flaky robots.txt does not hide a candidate's site;
        the pages themselves are then fetched with the usual retries.
        """
        robots_url = origin + "/robots.txt"
        self._wait_turn(robots_url)
        try:
            response = self._http().get(robots_url, stream=True, timeout=self._timeouts)
            with closing(response):
                if response.status_code != 200:
                    return None
                data = b""
                for chunk in _body_chunks(response):
                    data += chunk
                    if len(data) >= ROBOTS_MAX_BYTES:
                        break
        except _TRANSPORT_ERRORS:
            return None
        try:
            return Protego.parse(data[:ROBOTS_MAX_BYTES].decode("utf-8", errors="replace"))
        except Exception:  # a robots.txt the parser chokes on is no robots.txt
            return None

    def _apply_crawl_delay(self, url: str, rules: Protego) -> None:
        asked = _asked_delay(rules)
        if asked:
            slot = self._slot(url)
            with slot.lock:
                slot.delay = max(slot.delay, asked)

    def _check_robots(self, url: str) -> None:
        rules = self._robots_for(url)
        if rules is None:
            return
        if not rules.can_fetch(url, ROBOTS_AGENT):
            raise Disallowed(f"robots.txt of {_origin(url)} disallows {url}", url)
        asked = _asked_delay(rules)
        if asked and asked > MAX_CRAWL_DELAY:
            raise Disallowed(
                f"robots.txt of {_origin(url)} asks for {asked:g} s between requests, more than the "
                f"{MAX_CRAWL_DELAY:g} s the analyzer will wait; not crawling it",
                url,
            )

    # -- fetching -------------------------------------------------------------------------
    def fetch(
        self,
        url: str,
        allowed_hosts: Iterable[str] | None = None,
        *,
        max_bytes: int | None = None,
        any_content_type: bool = False,
        retry_backoff: float | None = None,
        check_redirect: Callable[[str], None] | None = None,
    ) -> FetchedResponse:
        """GET a document, following redirects only within ``allowed_hosts``.

        ``allowed_hosts`` holds hosts or URLs (compared with :func:`site_key`); None allows
        any host. ``any_content_type`` keeps bodies of every type (for APIs such as the
        Wayback CDX server). ``retry_backoff`` overrides the first backoff wait in seconds.
        ``check_redirect(target)`` is called before each redirect is followed and may raise
        (the archive uses it to refuse archived redirects that leave the candidate's site).
        """
        allowed = None if allowed_hosts is None else {site_key(h) for h in allowed_hosts}
        max_bytes = self.options.max_bytes if max_bytes is None else max_bytes
        current = url
        for _hop in range(MAX_REDIRECTS + 1):
            if urlsplit(current).scheme not in ("http", "https"):
                raise Skipped(f"{current}: not an http(s) URL", url)
            if allowed is not None and site_key(current) not in allowed:
                if current == url:
                    raise OffSite(f"{url} is not on the candidate's sites ({', '.join(sorted(allowed))})", url)
                raise OffSite(f"{url} redirects to {current}, outside the candidate's sites", url)
            self._check_robots(current)
            exchange = self._exchange(current, max_bytes, any_content_type, retry_backoff)
            location = exchange.headers.get("Location")
            if exchange.status in REDIRECT_STATUSES and location:
                current = urljoin(current, location.strip()).split("#", 1)[0]
                if check_redirect is not None:
                    check_redirect(current)
                continue
            if exchange.status >= 300:
                raise HTTPStatusError(f"HTTP {exchange.status} for {current}", url, exchange.status)
            encoding = None
            if exchange.kind in (HTML, TEXT):
                encoding = detect_encoding(exchange.body, exchange.headers.get("Content-Type"))
            return FetchedResponse(
                url=url,
                final_url=current,
                status=exchange.status,
                content_type=exchange.kind or _media_type(exchange.headers.get("Content-Type")),
                body=exchange.body,
                encoding=encoding,
                headers=dict(exchange.headers),
            )
        raise HTTPStatusError(f"{url}: more than {MAX_REDIRECTS} redirects", url, exchange.status)

    def _backoff_wait(self, attempt: int, base: float | None) -> float:
        return min(MAX_RETRY_WAIT, (self.backoff if base is None else base) * 2**attempt)

    def _exchange(
        self, url: str, max_bytes: int, any_content_type: bool, retry_backoff: float | None
    ) -> _Exchange:
        """One request/response, retried on connection errors, 429 and 5xx."""
        attempts = max(1, self.options.retries + 1)
        for attempt in range(attempts):
            outcome = self._attempt(url, max_bytes, any_content_type)
            if isinstance(outcome, _Exchange):
                return outcome
            if attempt == attempts - 1:
                raise outcome.error
            wait = outcome.wait if outcome.wait is not None else self._backoff_wait(attempt, retry_backoff)
            self._defer_host(url, wait)
        raise AssertionError("unreachable")  # pragma: no cover

    def _attempt(self, url: str, max_bytes: int, any_content_type: bool) -> _Exchange | _Retry:
        """One request: its exchange (body read for 2xx only), or what to retry after.

        Raises what retrying cannot fix (a bad URL, a body too large or of the wrong type).
        """
        self._wait_turn(url)
        try:
            response = self._http().get(url, stream=True, allow_redirects=False, timeout=self._timeouts)
        except _INVALID_URL_ERRORS as exc:
            raise NotReachable(f"{url}: not a valid URL ({exc})", url) from None
        except requests.RequestException as exc:
            reason = _describe(exc)
            if reason == "host name not found":
                # a name that does not resolve will not resolve in a few seconds: retrying only
                # makes a journalist offline, or a dead domain, wait minutes for the same answer
                raise NotReachable(f"{url}: {reason}", url) from None
            return _Retry(NotReachable(f"{url}: {reason}", url))
        with closing(response):
            status = response.status_code
            if status in RETRY_STATUSES:
                return _retry_for_status(response, url)
            if not 200 <= status < 300:
                return _Exchange(status, response.headers)
            try:
                body, kind = self._read_body(response, url, max_bytes, any_content_type)
            except _TRANSPORT_ERRORS as exc:
                return _Retry(NotReachable(f"{url}: {_describe(exc)} while reading the body", url))
            return _Exchange(status, response.headers, body, kind)

    def _read_body(
        self, response: requests.Response, url: str, max_bytes: int, any_content_type: bool
    ) -> tuple[bytes, str | None]:
        declared = response.headers.get("Content-Type")
        length = response.headers.get("Content-Length", "")
        if length.isdigit() and int(length) > max_bytes:
            raise TooLarge(f"{url}: {int(length)} bytes, more than the cap of {max_bytes}", url)
        started = self.clock()
        chunks: list[bytes] = []
        size = 0
        kind: str | None = None
        sniffed = False
        for chunk in _body_chunks(response):
            size += len(chunk)
            if size > max_bytes:
                raise TooLarge(f"{url}: more than the cap of {max_bytes} bytes", url)
            chunks.append(chunk)
            if not sniffed and size >= SNIFF_BYTES:
                kind = self._kind_or_skip(declared, b"".join(chunks), url, any_content_type)
                sniffed = True
            if self.clock() - started > self.total_timeout:
                raise NotReachable(f"{url}: the response took longer than {self.total_timeout:g} s", url)
        body = b"".join(chunks)
        if not sniffed:
            kind = self._kind_or_skip(declared, body, url, any_content_type)
        return body, kind

    @staticmethod
    def _kind_or_skip(declared: str | None, head: bytes, url: str, any_content_type: bool) -> str | None:
        kind = sniff_content_type(declared, head)
        if kind is None and not any_content_type:
            raise Skipped(f"{url}: {_media_type(declared) or 'unknown type'} is not HTML, PDF or text", url)
        return kind


_INVALID_URL_ERRORS = (
    requests.exceptions.InvalidURL,
    requests.exceptions.InvalidSchema,
    requests.exceptions.MissingSchema,
)
# Reading a streamed body raises urllib3's and the socket's errors unwrapped.
_TRANSPORT_ERRORS = (requests.RequestException, urllib3.exceptions.HTTPError, OSError)


def _body_chunks(response: requests.Response):
    """The decoded body, chunk by chunk, each as soon as the network delivers it.

    ``read1`` returns after one read from the socket, so the caller's wall-clock cap is
    checked even against a server that trickles a few bytes at a time (``iter_content``
    would block until a whole chunk had arrived). urllib3 decompresses at most the amount
    asked for per call, so counting these chunks caps the decompressed size too: a gzip
    bomb stops at the cap instead of filling memory.
    """
    while True:
        chunk = response.raw.read1(CHUNK_BYTES, decode_content=True)
        if not chunk:
            return
        yield chunk


def _describe(exc: BaseException) -> str:
    if isinstance(exc, (requests.Timeout, urllib3.exceptions.TimeoutError, TimeoutError)):
        return "timed out"
    if isinstance(exc, _TRANSPORT_ERRORS):
        text = str(exc)
        for needle, said in (
            ("Name or service not known", "host name not found"),
            ("nodename nor servname", "host name not found"),
            ("Failed to resolve", "host name not found"),
            ("Connection refused", "connection refused"),
            ("Connection reset", "connection reset"),
            ("timed out", "timed out"),
            ("IncompleteRead", "connection cut short"),
            ("RemoteDisconnected", "the server closed the connection without answering"),
            ("Connection aborted", "connection aborted"),
            ("Connection broken", "connection broken"),
        ):
            if needle in text:
                return said
        return "connection failed"
    return type(exc).__name__
