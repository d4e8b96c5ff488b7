"""Archived sites, against a fake Wayback Machine on a local port (DESIGN.md contract 6)."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from werkzeug import Response

from analyzer.gather import gather_candidate
from analyzer.gather.http import PoliteSession
from analyzer.gather.wayback import capture_time_iso, crawl_archive, original_url, wayback_base_url
from analyzer.records import Candidate, GatherOptions, Source
from analyzer.store import Store

from conftest import FakeClock

DATE = dt.date(2013, 9, 20)
SITE = "http://www.connolly.test"




def html(title: str, *links: str) -> bytes:
    anchors = "".join(f'<a href="{href}">{text}</a> ' for href, text in (link.split("|") for link in links))
    return f"<html><head><title>{title}</title></head><body><h1>{title}</h1>{anchors}</body></html>".encode()


def _key(url: str) -> str:
    """What the archive indexes a URL by: no scheme, www. or default port, lowercase."""
    url = re.sub(r"^https?://", "", url.lower()).replace(":80/", "/", 1)
    return url[4:] if url.startswith("www.") else url


class FakeArchive:
    """A CDX API and raw captures, as web.archive.org serves them."""

    def __init__(self, httpserver, clock: FakeClock | None = None):
        self.httpserver = httpserver
        self.clock = clock
        self.captures: dict[tuple[str, str], tuple[bytes, str]] = {}
        self.cdx_queries: list[dict] = []
        self.cdx_times: list[float] = []
        self.capture_fetches: list[str] = []
        self.cdx_failures: list[Response] = []
        self.redirects: dict[tuple[str, str], str] = {}
        httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /control/\n")
        httpserver.expect_request("/cdx/search/cdx").respond_with_handler(self.cdx)
        httpserver.expect_request(re.compile(r"^/web/.*")).respond_with_handler(self.capture)

    @property
    def base_url(self) -> str:
        return self.httpserver.url_for("/").rstrip("/")

    def add(self, timestamp: str, original: str, body: bytes, mimetype: str = "text/html") -> None:
        self.captures[(timestamp, original)] = (body, mimetype)

    def cdx(self, request):
        args = request.args
        self.cdx_queries.append({k: args.getlist(k) for k in args})
        if self.clock:
            self.cdx_times.append(self.clock.now)
        if self.cdx_failures:
            return self.cdx_failures.pop(0)
        wanted = _key(args["url"])
        exact = args.get("matchType", "exact") == "exact"
        rows = []
        in_cdx_order = sorted(self.captures.items(), key=lambda c: (_key(c[0][1]), c[0][0]))
        for (timestamp, original), (_body, mimetype) in in_cdx_order:
            key = _key(original)
            if (key != wanted) if exact else not key.startswith(wanted):
                continue
            if not args.get("from", "0") <= timestamp[: len(args.get("from", "0"))] <= args.get("to", "9"):
                continue
            rows.append([original, timestamp, mimetype, "200", "DIGEST" + timestamp])
        rows = rows[: int(args.get("limit", 10**6))]
        header = args.get("fl", "original,timestamp,mimetype,statuscode,digest").split(",")
        return Response(json.dumps([header] + rows if rows else []), content_type="text/plain")

    def capture(self, request):
        match = re.match(r"^/web/(\d{14})id_/(.+)$", request.full_path.rstrip("?"))
        if not match:
            return Response("not a raw capture", status=404)
        timestamp, original = match.groups()
        self.capture_fetches.append(f"{timestamp} {original}")
        if (timestamp, original) in self.redirects:
            return Response("", status=302, headers={"Location": self.redirects[(timestamp, original)]})
        if (timestamp, original) not in self.captures:
            return Response("no such capture", status=404)
        body, mimetype = self.captures[(timestamp, original)]
        return Response(body, content_type=mimetype)


@pytest.fixture
def clock():
    return FakeClock()


@pytest.fixture
def archive(httpserver, monkeypatch, clock):
    archive = FakeArchive(httpserver, clock)
    monkeypatch.setenv("ANALYZER_WAYBACK_URL", archive.base_url + "/")
    return archive


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "analysis.sqlite") as store:
        yield store


def session_for(options: GatherOptions, clock: FakeClock) -> PoliteSession:
    return PoliteSession(options, sleep=clock.sleep, clock=clock)


def connolly(url: str = SITE + "/", slug: str = "connolly") -> tuple[Candidate, Source]:
    source = Source(kind="wayback", url=url, wayback=DATE)
    return Candidate(name="John Connolly", slug=slug, sources=(source,)), source


def run(store, clock, session=None, slug="connolly", url=SITE + "/", **overrides) -> int:
    options = GatherOptions(**{"delay": 1.0, **overrides})
    candidate, source = connolly(url, slug)
    store.add_candidates([candidate])
    return crawl_archive(candidate, source, store, options, session=session or session_for(options, clock))


def populate(archive: FakeArchive) -> None:
    archive.add("20130601000000", SITE + "/", html("Home v1", "/issues|Issues"))
    archive.add("20130915120000", SITE + "/", html("Home v2", "/issues|Issues", "/about|About", "/donate|Donate"))
    archive.add("20131001000000", SITE + "/", html("Home v3 (after the date)"))
    # Only captured after the date: read from there, and marked so.
    archive.add(
        "20131010000000",
        SITE + "/issues",
        html(
            "Issues",
            "/web/20130801000000/http://www.connolly.test/issues/jobs|Jobs",  # an already rewritten link
            f"{archive.base_url}/web/20130801000000im_/http://www.connolly.test/issues/schools|Schools",
            "http://connolly.test/plan.pdf|Our plan (PDF)",  # the bare domain is the same site
        ),
    )
    archive.add("20130801000000", SITE + "/issues/jobs", html("Jobs"))
    archive.add("20130802000000", "http://connolly.test:80/issues/schools", html("Schools"))
    archive.add("20130901000000", "http://connolly.test/plan.pdf", b"%PDF-1.4\n%%EOF\n", "application/pdf")
    archive.add("20090101000000", SITE + "/old-race", html("2009 campaign"))  # outside the window


# -- helpers --------------------------------------------------------------------------------


def test_wayback_url_comes_from_the_environment(monkeypatch):
    monkeypatch.delenv("ANALYZER_WAYBACK_URL", raising=False)
    assert wayback_base_url() == "https://web.archive.org"
    monkeypatch.setenv("ANALYZER_WAYBACK_URL", "http://127.0.0.1:8123/")
    assert wayback_base_url() == "http://127.0.0.1:8123"


def test_original_url_unwraps_archive_links():
    assert original_url("https://web.archive.org/web/20130801000000/http://www.x.org/a?b=1") == "http://www.x.org/a?b=1"
    assert original_url("http://www.x.org/web/20130801000000im_/http://www.x.org/logo.png") == "http://www.x.org/logo.png"
    assert original_url("http://www.x.org/web/2013/about") == "http://www.x.org/web/2013/about"
    assert original_url("http://www.x.org/issues") == "http://www.x.org/issues"


def test_capture_time_is_iso_8601_utc():
    assert capture_time_iso("20130915120000") == "2013-09-15T12:00:00+00:00"


# -- crawling the archive -------------------------------------------------------------------


def test_captures_closest_before_the_date_else_after(archive, store, clock):
    populate(archive)
    assert run(store, clock) == 5
    pages = {p.url: p for p in store.pages("connolly")}
    assert set(pages) == {
        SITE + "/",
        SITE + "/issues",
        SITE + "/issues/jobs",
        "http://connolly.test/issues/schools",
        "http://connolly.test/plan.pdf",
    }
    home = pages[SITE + "/"]
    assert b"Home v2" in home.body
    assert home.source_kind == "wayback"
    assert home.capture_url == f"{archive.base_url}/web/20130915120000id_/{SITE}/"
    assert home.capture_time == "2013-09-15T12:00:00+00:00"
    assert home.capture_after is False
    issues = pages[SITE + "/issues"]
    assert issues.capture_after is True and issues.capture_time.startswith("2013-10-10")
    assert pages["http://connolly.test/plan.pdf"].content_type == "application/pdf"
    assert not any("old-race" in f or "donate" in f or "about" in f for f in archive.capture_fetches)
    assert store.failures("connolly") == []


def test_archive_redirects_are_followed_on_the_archive_and_checked_against_the_site(archive, store, clock):
    populate(archive)
    # The archive answers a raw capture with a redirect to a neighbouring timestamp...
    archive.redirects[("20130915120000", SITE + "/")] = f"/web/20130915120500id_/{SITE}/"
    archive.captures[("20130915120500", SITE + "/")] = (html("Home v2", "/issues|Issues", "/moved|Moved"), "text/html")
    # ...and an archived redirect may lead off the candidate's site.
    archive.add("20130901000000", SITE + "/moved", b"")
    archive.redirects[("20130901000000", SITE + "/moved")] = f"{archive.base_url}/web/20130901000000id_/http://squatter.test/"
    run(store, clock)
    home = next(p for p in store.pages("connolly") if p.url == SITE + "/")
    assert home.capture_url == f"{archive.base_url}/web/20130915120500id_/{SITE}/"
    assert home.capture_time == "2013-09-15T12:05:00+00:00"
    [failure] = store.failures("connolly")
    assert (failure["url"], failure["reason"]) == (SITE + "/moved", "off-site redirect")
    assert not any("squatter" in f for f in archive.capture_fetches)


def test_one_cdx_query_for_the_whole_site_within_a_window(archive, store, clock):
    populate(archive)
    run(store, clock)
    [query] = archive.cdx_queries
    assert query["url"] == ["connolly.test/"]
    assert query["matchType"] == ["prefix"]
    assert query["output"] == ["json"]
    assert query["collapse"] == ["digest"]
    assert "statuscode:200" in query["filter"]
    assert any("text/html" in f and "application/pdf" in f for f in query["filter"])
    assert query["from"][0] < "20130920" < query["to"][0]
    assert query["limit"]


def test_truncated_listing_falls_back_to_per_url_lookups(archive, store, clock, monkeypatch):
    import analyzer.gather.wayback as wayback

    populate(archive)
    monkeypatch.setattr(wayback, "CDX_LIMIT", 2)
    run(store, clock)
    exact = [q["url"][0] for q in archive.cdx_queries if q["matchType"] == ["exact"]]
    assert exact and all(url.startswith("http") for url in exact)
    assert store.page_count("connolly") == 5


def test_start_url_without_capture_starts_from_the_site_root_captured(archive, store, clock):
    populate(archive)
    run(store, clock, url=SITE + "/index.html")
    assert store.page_count("connolly") == 5


def test_a_site_the_archive_never_captured_is_reported(archive, store, clock):
    assert run(store, clock) == 0
    [failure] = store.failures("connolly")
    assert failure["reason"] == "not archived"
    assert "connolly.test" in failure["detail"]


def test_gather_candidate_with_an_archived_source(archive, store, clock):
    populate(archive)
    candidate, _source = connolly()
    store.add_candidates([candidate])
    options = GatherOptions(delay=1.0)
    result = gather_candidate(candidate, store, options, session=session_for(options, clock))
    assert (result.status, result.pages) == ("gathered", 5)


def test_resume_queries_and_fetches_nothing_twice(archive, store, clock):
    populate(archive)
    assert run(store, clock, max_pages=2) == 2
    assert run(store, clock) == 3
    assert len(archive.cdx_queries) == 1, "the CDX answer is kept in the store"
    assert len(archive.capture_fetches) == len(set(archive.capture_fetches)) == 5
    assert run(store, clock) == 0
    assert len(archive.cdx_queries) == 1 and len(archive.capture_fetches) == 5


def test_refresh_queries_and_fetches_again(archive, store, clock):
    populate(archive)
    run(store, clock)
    run(store, clock, refresh=True)
    assert len(archive.cdx_queries) == 2
    assert len(archive.capture_fetches) == 10


# -- the archive's limits -------------------------------------------------------------------


def test_cdx_queries_are_spaced_to_the_per_minute_limit(archive, store, clock):
    populate(archive)
    options = GatherOptions(delay=1.0, cdx_per_minute=24)
    session = session_for(options, clock)
    for slug in ("one", "two", "three"):
        run(store, clock, session=session, slug=slug, url=f"http://{slug}.test/", cdx_per_minute=24)
    assert len(archive.cdx_times) == 3
    gaps = [b - a for a, b in zip(archive.cdx_times, archive.cdx_times[1:])]
    assert all(gap >= 60 / 24 for gap in gaps)


def test_cdx_429_is_backed_off_then_the_crawl_goes_on(archive, store, clock):
    populate(archive)
    archive.cdx_failures.append(Response("Too Many Requests", status=429))
    assert run(store, clock) == 5
    assert len(archive.cdx_queries) == 2
    assert max(clock.sleeps) >= 10.0, "a CDX 429 without Retry-After waits at least 10 s"


def test_repeated_cdx_429_stops_with_an_archive_error(archive, store, clock):
    populate(archive)
    archive.cdx_failures.extend(Response("Too Many Requests", status=429) for _ in range(10))
    options = GatherOptions(delay=1.0, retries=3)
    session = session_for(options, clock)
    assert run(store, clock, session=session, retries=3) == 0
    assert len(archive.cdx_queries) == 4  # the first try and three retries, then no more
    [failure] = store.failures("connolly")
    assert failure["reason"] == "archive unavailable"
    assert "429" in failure["detail"] and "later" in failure["detail"]
    waits = sorted(clock.sleeps)[-3:]
    assert waits == [pytest.approx(10.0), pytest.approx(20.0), pytest.approx(40.0)]

    # Another candidate in the same run does not ask the archive again.
    assert run(store, clock, session=session, slug="walsh", url="http://martywalsh.test/") == 0
    assert len(archive.cdx_queries) == 4
    [failure] = store.failures("walsh")
    assert failure["reason"] == "archive unavailable"


def test_repeated_capture_server_errors_stop_the_crawl(archive, store, clock, httpserver):
    populate(archive)
    options = GatherOptions(delay=1.0, retries=0)
    session = session_for(options, clock)
    # Captures answer 503 (the CDX listing still works).
    httpserver.handlers.clear()
    httpserver.expect_request("/robots.txt").respond_with_data("", status=404)
    httpserver.expect_request("/cdx/search/cdx").respond_with_handler(archive.cdx)
    httpserver.expect_request(re.compile(r"^/web/.*")).respond_with_handler(
        lambda _request: Response("backend down", status=503)
    )
    slugs = ["a", "b", "c", "d"]
    for slug in slugs:
        run(store, clock, session=session, slug=slug, retries=0)
    reasons = {slug: [row["reason"] for row in store.failures(slug)] for slug in slugs}
    assert reasons == {
        "a": ["http error"],
        "b": ["http error"],
        "c": ["archive unavailable"],  # the third failure in a row: the archive is down
        "d": ["archive unavailable"],  # not asked again
    }
    assert sum(1 for r, _ in httpserver.log if r.path.startswith("/web/")) == 3


# -- the real Wayback Machine (opt-in) ------------------------------------------------------


@pytest.mark.network
def test_real_wayback_machine_has_connolly_2013(request, tmp_path, monkeypatch):
    markexpr = request.config.getoption("markexpr", "") or ""
    if "network" not in markexpr or "not network" in markexpr:
        pytest.skip("talks to web.archive.org; run with -m network")
    monkeypatch.delenv("ANALYZER_WAYBACK_URL", raising=False)
    options = GatherOptions(delay=2.0, max_pages=3, max_depth=1)
    source = Source(kind="wayback", url="http://www.connollyforboston.com/", wayback=DATE)
    candidate = Candidate(name="John Connolly", slug="connolly", sources=(source,))
    with Store(tmp_path / "analysis.sqlite") as store:
        store.add_candidates([candidate])
        crawl_archive(candidate, source, store, options)
        pages = list(store.pages("connolly"))
        assert pages, [dict(f) for f in store.failures("connolly")]
        for page in pages:
            assert page.capture_url.startswith("https://web.archive.org/web/")
            assert "id_/" in page.capture_url
            assert "connollyforboston.com" in page.url
            assert page.capture_after or page.capture_time <= "2013-09-21"
