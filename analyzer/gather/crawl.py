"""Discovery on a candidate's site: platform pages first, traps skipped, resumable.

The crawl is breadth-first within ``max_depth`` and ``max_pages``, but ordered by how
likely a link leads to the platform: links whose anchor text or URL names issues, a plan,
an agenda, priorities and the like come first, then links found on such pages (the issue
pages an "Issues" index lists) and topic or PDF links, then the rest. Donation, volunteer,
shop, login, share and calendar links are never followed: they hold no platform and some
(calendars) are endless.

Every page goes to the store as soon as it is read and every failure is recorded with its
reason. Pages already in the store are not fetched again (unless ``refresh``) but their
stored bodies are still read for links, so an interrupted crawl continues where it stopped.

:class:`SiteCrawl` is shared with :mod:`.wayback`, which supplies its own way of fetching a
page (from the archive) and of mapping links back to original URLs.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import re
from dataclasses import dataclass
from typing import Callable, Iterable
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from bs4 import BeautifulSoup

from ..errors import FetchError
from ..records import Candidate, GatherOptions, Page, Source
from ..store import Store
from .http import HTML, PoliteSession, detect_encoding, site_key

__all__ = [
    "crawl_site",
    "extract_links",
    "normalize_url",
    "page_key",
    "link_rank",
    "skip_reason",
    "is_pdf_link",
    "SiteCrawl",
    "RETRYABLE_REASONS",
]

# -- URLs ----------------------------------------------------------------------------------

_TRACKING_PARAMS = {
    "fbclid", "gclid", "dclid", "gbraid", "wbraid", "msclkid", "yclid", "igshid", "mc_cid", "mc_eid",
    "_ga", "_gl", "_hsenc", "_hsmi", "mkt_tok", "recruiter_id", "phpsessid", "jsessionid", "sessionid",
    "cfid", "cftoken",
}
_DEFAULT_PORTS = {"http": 80, "https": 443}


def _is_tracking(name: str) -> bool:
    name = name.lower()
    return name.startswith("utm_") or name in _TRACKING_PARAMS


def normalize_url(url: str) -> str:
    """A canonical form of an http(s) URL, for deduplication and the store.

    Lowercases scheme and host, drops default ports, fragments, session ids in the path and
    tracking parameters, and sorts the query by key (keeping the order of repeated keys).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".")
    try:
        port = parts.port
    except ValueError:
        port = None
    netloc = f"[{host}]" if ":" in host else host
    if parts.username:
        netloc = f"{parts.username}{':' + parts.password if parts.password else ''}@{netloc}"
    if port and port != _DEFAULT_PORTS.get(scheme):
        netloc += f":{port}"
    path = re.sub(r";jsessionid=[^/?#]*", "", parts.path, flags=re.IGNORECASE) or "/"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _is_tracking(k)]
    query.sort(key=lambda kv: kv[0])
    return urlunsplit((scheme, netloc, path, urlencode(query), ""))


def page_key(url: str) -> str:
    """The identity of a page across the forms its URL takes (scheme, www., trailing slash, case).

    Close to the archive's own URL keys, so the same key finds a page among captures too.
    """
    parts = urlsplit(url)
    path = parts.path.rstrip("/") or "/"
    return (site_key(url) + path + ("?" + parts.query if parts.query else "")).lower()


# -- links ---------------------------------------------------------------------------------

_META_REFRESH_URL = re.compile(r"url\s*=\s*['\"]?([^'\";]+)", re.IGNORECASE)
MAX_LINKS_PER_PAGE = 1000


def extract_links(html: bytes | str, base_url: str, encoding: str | None = None) -> list[tuple[str, str]]:
    """The http(s) links of an HTML page as ``[(normalized absolute URL, anchor text)]``.

    Reads ``<a>``/``<area>`` hrefs, frame sources and meta refreshes, honours ``<base href>``,
    and lists each URL once (with the first non-empty anchor text seen for it).
    """
    if isinstance(html, bytes):
        html = html.decode(encoding or detect_encoding(html), errors="replace")
    soup = BeautifulSoup(html, "lxml")
    base = base_url
    base_tag = soup.find("base", href=True)
    if base_tag:
        base = urljoin(base_url, base_tag["href"].strip())

    found: dict[str, str] = {}

    def add(href: str | None, text: str) -> None:
        if not href or len(found) >= MAX_LINKS_PER_PAGE:
            return
        href = href.strip()
        if href.startswith("#"):
            return
        try:
            absolute = urljoin(base, href)
            if urlsplit(absolute).scheme not in ("http", "https"):
                return
            url = normalize_url(absolute)
        except ValueError:  # malformed hosts such as "http://[broken/"
            return
        text = " ".join(text.split())[:200]
        if url not in found or (text and not found[url]):
            found[url] = text

    for tag in soup.find_all(["a", "area"], href=True):
        text = tag.get_text(" ", strip=True)
        if not text:
            image = tag.find("img", alt=True)
            text = (image["alt"] if image else "") or tag.get("title", "") or tag.get("alt", "")
        add(tag["href"], text)
    for tag in soup.find_all(["frame", "iframe"], src=True):
        add(tag["src"], tag.get("title", ""))
    for tag in soup.find_all("meta", attrs={"http-equiv": re.compile("^refresh$", re.IGNORECASE)}):
        match = _META_REFRESH_URL.search(tag.get("content", ""))
        if match:
            add(match.group(1), "")
    return list(found.items())


# -- what to follow and in which order -----------------------------------------------------

# Words of the pages where platforms live, matched as whole words in anchor text and URL.
_PLATFORM_WORDS = {
    "issue", "issues", "platform", "plan", "plans", "agenda", "priorities", "priority", "vision",
    "policy", "policies", "position", "positions", "idea", "ideas", "proposal", "proposals",
    "solutions", "blueprint", "roadmap", "commitments", "goals", "initiatives", "pledge", "pledges",
}
_PLATFORM_PHRASES = re.compile(
    r"\b(on the issues|where (i|he|she|we) stands?|what (i|he|she|we) will do|first 100 days|100[- ]day)\b"
)
# Topic words: an issue page is often linked only by its topic ("Schools", "Public Safety").
_TOPIC_WORDS = {
    "education", "schools", "school", "jobs", "economy", "economic", "housing", "safety", "crime",
    "police", "transportation", "transit", "environment", "budget", "neighborhoods", "health",
    "government", "reform", "development", "arts", "seniors", "youth", "families", "immigration",
    "energy", "climate", "parks", "taxes", "innovation", "equity", "accountability", "infrastructure",
}
# Words of links that never lead to platform text; some lead to endless pages.
_SKIP_WORDS = {
    "donate", "donation", "donations", "contribute", "contribution", "contributions", "volunteer",
    "volunteers", "shop", "store", "merchandise", "merch", "cart", "checkout", "login", "logout",
    "signin", "signup", "rsvp", "unsubscribe", "subscribe", "password",
}
_SKIP_PHRASES = re.compile(r"\b(log ?in|log ?out|sign ?in|sign ?up|sign-up|share on|share this|tweet this)\b")
_SKIP_SEGMENTS = {
    "calendar", "events", "event", "feed", "rss", "atom", "wp-admin", "wp-login.php", "wp-json",
    "xmlrpc.php", "trackback", "cgi-bin", "share", "sharer", "print", "search", "user", "users",
    "account", "admin", "comments",
}
_SKIP_QUERY_KEYS = {
    "month", "year", "day", "date", "week", "ical", "outlook-ical", "tribe-bar-date", "eventdisplay",
    "calendar", "share", "replytocom", "print", "s", "action", "login", "redirect_to",
}
_DATE_TAIL = re.compile(r"/(?:19|20)\d{2}(?:[/-]\d{1,2}){0,2}/?$")
_BINARY_SUFFIXES = {
    "jpg", "jpeg", "png", "gif", "bmp", "svg", "webp", "ico", "tif", "tiff", "heic", "mp4", "m4v",
    "mov", "avi", "wmv", "flv", "webm", "mpg", "mpeg", "mp3", "wav", "m4a", "ogg", "aac", "zip",
    "rar", "gz", "tgz", "bz2", "7z", "tar", "dmg", "exe", "msi", "doc", "docx", "xls", "xlsx", "ppt",
    "pptx", "odt", "ods", "odp", "rtf", "css", "js", "json", "xml", "rss", "ics", "vcf", "woff",
    "woff2", "ttf", "eot", "swf", "csv", "epub",
}
MAX_URL_LENGTH = 400


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9]+", text.lower())


def _suffix(path: str) -> str:
    last = path.rsplit("/", 1)[-1]
    return last.rsplit(".", 1)[-1].lower() if "." in last else ""


def is_pdf_link(url: str) -> bool:
    return _suffix(urlsplit(url).path) == "pdf"


def skip_reason(url: str, anchor_text: str = "") -> str | None:
    """Why a same-site link is not followed, or None to follow it."""
    parts = urlsplit(url)
    if len(url) > MAX_URL_LENGTH:
        return "URL too long"
    if _suffix(parts.path) in _BINARY_SUFFIXES:
        return "binary file"
    segments = [s.lower() for s in parts.path.split("/") if s]
    if any(s in _SKIP_SEGMENTS for s in segments):
        return "calendar, feed, share or account page"
    if len(segments) != len(set(segments)) and max(segments.count(s) for s in segments) > 2:
        return "repeating path (a crawler trap)"
    if _DATE_TAIL.search(parts.path):
        return "date archive or calendar page"
    query_keys = {k.lower() for k, _ in parse_qsl(parts.query, keep_blank_values=True)}
    if query_keys & _SKIP_QUERY_KEYS:
        return "calendar, share, search or login query"
    words = set(_words(parts.path)) | set(_words(anchor_text))
    if words & _SKIP_WORDS or _SKIP_PHRASES.search(anchor_text.lower()):
        return "donate, volunteer, shop or login link"
    return None


def link_rank(url: str, anchor_text: str = "") -> tuple[bool, int]:
    """``(is_platform_link, score)``: whether the link names platform pages, and how strongly."""
    path = urlsplit(url).path
    url_words = _words(path)
    text = anchor_text.lower()
    text_words = _words(text)
    strong = sum(w in _PLATFORM_WORDS for w in url_words) + sum(w in _PLATFORM_WORDS for w in text_words)
    strong += 2 * len(_PLATFORM_PHRASES.findall(text + " " + " ".join(url_words)))
    topic = sum(w in _TOPIC_WORDS for w in url_words) + sum(w in _TOPIC_WORDS for w in text_words)
    return strong > 0, 3 * strong + topic


# -- the crawl -----------------------------------------------------------------------------

PLATFORM_TIER, NEAR_PLATFORM_TIER, OTHER_TIER = 0, 1, 2
# Failures worth trying again when a run resumes; the others (404, robots, off-site, type)
# would fail the same way.
RETRYABLE_REASONS = {"not reachable", "archive unavailable"}


@dataclass(order=True, frozen=True)
class _Entry:
    tier: int
    depth: int
    neg_score: int
    seq: int
    url: str
    is_platform: bool


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class SiteCrawl:
    """One site's crawl for one candidate.

    ``fetch_page(url, depth)`` returns the Page to store (or raises a FetchError);
    ``has_copy(url)`` says whether there is anything to fetch at the URL (the archive may
    have no capture); ``map_link(url)`` turns a link as found into the URL to crawl, or None.
    """

    def __init__(
        self,
        candidate: Candidate,
        store: Store,
        options: GatherOptions,
        *,
        seeds: Iterable[str],
        source_kind: str,
        fetch_page: Callable[[str, int], Page],
        has_copy: Callable[[str], bool] = lambda url: True,
        map_link: Callable[[str], str | None] = lambda url: url,
    ):
        self.candidate = candidate
        self.store = store
        self.options = options
        self.seeds = [normalize_url(s) for s in seeds]
        self.source_kind = source_kind
        self.fetch_page = fetch_page
        self.has_copy = has_copy
        self.map_link = map_link
        self.sites = {site_key(s) for s in self.seeds}
        self._heap: list[_Entry] = []
        self._queued: dict[str, tuple[int, int]] = {}
        self._seq = itertools.count()
        self.fetched = 0

    def _push(self, url: str, depth: int, tier: int, score: int, is_platform: bool) -> None:
        key = page_key(url)
        rank = (tier, depth)
        if key in self._queued and self._queued[key] <= rank:
            return
        self._queued[key] = rank
        heapq.heappush(self._heap, _Entry(tier, depth, -score, next(self._seq), url, is_platform))

    def _stored_pages(self) -> dict[str, int]:
        """Stored pages by key, including the keys of URLs that redirected to them."""
        if self.options.refresh:
            return {}
        stored = {
            page_key(p.url): p.id
            for p in self.store.pages(self.candidate.slug, with_body=False)
            if p.source_kind == self.source_kind
        }
        for requested, target in self.store.redirects(self.candidate.slug).items():
            page_id = stored.get(page_key(target))
            if page_id is not None:
                stored.setdefault(page_key(requested), page_id)
        return stored

    def _failed_for_good(self) -> set[str]:
        if self.options.refresh:
            return set()
        return {
            page_key(row["url"])
            for row in self.store.failures(self.candidate.slug)
            if row["reason"] not in RETRYABLE_REASONS
        }

    def run(self) -> int:
        """Crawl; returns how many pages were fetched (pages reused from the store not counted)."""
        stored = self._stored_pages()
        failed = self._failed_for_good()
        for seed in self.seeds:
            self._push(seed, 0, PLATFORM_TIER, 0, link_rank(seed)[0])
        done: set[str] = set()
        used = 0
        while self._heap and used < self.options.max_pages:
            entry = heapq.heappop(self._heap)
            key = page_key(entry.url)
            if key in done:
                continue
            done.add(key)
            if key in stored:
                page = self.store.page(stored[key])
            elif key in failed or not self.has_copy(entry.url):
                continue
            else:
                try:
                    page = self.fetch_page(entry.url, entry.depth)
                except FetchError as exc:
                    used += 1
                    self.store.add_failure(self.candidate.slug, entry.url, exc.reason, str(exc))
                    continue
                self.store.add_page(page, requested_url=entry.url)
                self.fetched += 1
            used += 1
            done.add(page_key(page.url))
            if entry.depth == 0:
                # A start page that redirected to another of the candidate's domains moved
                # the site there: follow its links on that domain too.
                self.sites.add(site_key(page.url))
            if entry.depth < self.options.max_depth and page.content_type.startswith(HTML):
                self._follow_links(page, entry)
        return self.fetched

    def _follow_links(self, page: Page, parent: _Entry) -> None:
        encoding = None
        match = re.search(r"charset=([^\s;]+)", page.content_type)
        if match:
            encoding = match.group(1)
        for link, text in extract_links(page.body, page.url, encoding=encoding):
            url = self.map_link(link)
            if url is None or site_key(url) not in self.sites:
                continue
            if skip_reason(url, text):
                continue
            is_platform, score = link_rank(url, text)
            pdf = is_pdf_link(url)
            if is_platform or (pdf and parent.is_platform):
                tier = PLATFORM_TIER
            elif parent.is_platform or pdf or score > 0:
                tier = NEAR_PLATFORM_TIER
            else:
                tier = OTHER_TIER
            self._push(url, parent.depth + 1, tier, score, is_platform)


def _candidate_sites(candidate: Candidate, source: Source) -> set[str]:
    urls = [s.url for s in candidate.sources if s.url] + [source.url]
    return {site_key(u) for u in urls if u}


def crawl_site(
    candidate: Candidate,
    source: Source,
    store: Store,
    options: GatherOptions,
    session: PoliteSession | None = None,
) -> int:
    """Crawl a live site into the store; returns how many pages were fetched.

    Redirects may move between the candidate's own sites (all the hosts of its sources);
    anywhere else they are recorded as off-site failures.
    """
    own_session = session is None
    session = session or PoliteSession(options)
    allowed = _candidate_sites(candidate, source)

    def fetch_page(url: str, depth: int) -> Page:
        response = session.fetch(url, allowed_hosts=allowed)
        return Page(
            candidate=candidate.slug,
            url=normalize_url(response.final_url),
            content_type=response.content_type_with_charset,
            body=response.body,
            source_kind="live",
            fetched_at=_now(),
            status=response.status,
            depth=depth,
        )

    try:
        crawl = SiteCrawl(candidate, store, options, seeds=[source.url], source_kind="live", fetch_page=fetch_page)
        return crawl.run()
    finally:
        if own_session:
            session.close()

