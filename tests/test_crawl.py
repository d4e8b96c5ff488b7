"""Discovery on live sites, against a local server only (pytest-httpserver)."""

from __future__ import annotations


import pytest

from analyzer.gather import gather_candidate
from analyzer.gather.crawl import crawl_site, extract_links, link_rank, normalize_url, page_key, skip_reason
from analyzer.gather.http import PoliteSession
from analyzer.records import Candidate, GatherOptions, Source
from analyzer.store import Store

from conftest import FakeClock  # noqa: E402

PDF_BODY = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def fast_session(options: GatherOptions) -> PoliteSession:
    clock = FakeClock()
    return PoliteSession(options, sleep=clock.sleep, clock=clock)


def page(title: str, *links: tuple[str, str], extra: str = "") -> bytes:
    anchors = "".join(f'<li><a href="{href}">{text}</a></li>' for href, text in links)
    return (
        f"<!DOCTYPE html><html><head><title>{title}</title></head><body><h1>{title}</h1>"
        f"<ul>{anchors}</ul>{extra}</body></html>"
    ).encode()


NAV = (("/", "Home"), ("/about", "About"), ("/news", "News"), ("/donate", "Donate"), ("/volunteer", "Volunteer"))

SITE = {
    "/": page(
        "Jane Doe for Mayor",
        *NAV,
        ("/issues", "On the Issues"),
        ("/events/2013-09-20", "Town hall"),
        ("/calendar?month=2013-09", "Calendar"),
        ("/2013/09/", "September archive"),
        ("/get-involved?share=twitter", "Tweet"),
        ("/logo.jpg", "Logo"),
        ("/flyer.docx", "Flyer"),
        ("/shop", "Campaign store"),
        ("/wp-login.php", "Log in"),
        ("mailto:jane@example.org", "Email"),
        ("tel:+15555550100", "Call"),
        ("javascript:void(0)", "Menu"),
        ("http://elsewhere.example/", "A friend's site"),
        ("/about?utm_source=newsletter&utm_medium=email", "About Jane"),
        ("/issues#top", "Issues again"),
    ),
    "/about": page("About", *NAV),
    "/news": page("News", *NAV, ("/news/older", "Older posts")),
    "/news/older": page("Older news", *NAV),
    "/issues": page(
        "The Plan",
        *NAV,
        ("/issues/schools", "Schools"),
        ("/issues/budget", "Budget"),
        ("/docs/full-plan.pdf", "Download the full plan (PDF)"),
    ),
    "/issues/schools": page("Schools", *NAV, ("/issues/schools/details", "Details")),
    "/issues/schools/details": page("School details", *NAV),
    "/issues/budget": page("Budget", *NAV),
}
NEVER = {
    "/donate", "/volunteer", "/events/2013-09-20", "/calendar", "/2013/09/", "/get-involved", "/logo.jpg",
    "/flyer.docx", "/shop", "/wp-login.php",
}


def serve_site(httpserver, site=SITE, pdf_path="/docs/full-plan.pdf") -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nDisallow: /private\n")
    for path, body in site.items():
        httpserver.expect_request(path).respond_with_data(body, content_type="text/html; charset=utf-8")
    if pdf_path:
        httpserver.expect_request(pdf_path).respond_with_data(PDF_BODY, content_type="application/pdf")
    for path in NEVER:
        httpserver.expect_request(path).respond_with_data(page("should not be fetched"), content_type="text/html")


def page_requests(httpserver) -> list[str]:
    return [request.path for request, _ in httpserver.log if request.path != "/robots.txt"]


@pytest.fixture
def store(tmp_path):
    with Store(tmp_path / "analysis.sqlite") as store:
        yield store


def candidate_for(httpserver, slug="doe") -> tuple[Candidate, Source]:
    source = Source(kind="live", url=httpserver.url_for("/"))
    return Candidate(name="Jane Doe", slug=slug, sources=(source,)), source


def crawl(httpserver, store, **overrides) -> int:
    options = GatherOptions(**{"delay": 1.0, **overrides})
    candidate, source = candidate_for(httpserver)
    store.add_candidates([candidate])
    return crawl_site(candidate, source, store, options, session=fast_session(options))


# -- URLs and links -------------------------------------------------------------------------


def test_normalize_url_drops_fragments_and_tracking_and_sorts_the_query():
    assert normalize_url("HTTP://WWW.Example.ORG:80/Issues?b=2&utm_source=x&a=1#top") == (
        "http://www.example.org/Issues?a=1&b=2"
    )
    assert normalize_url("https://example.org") == "https://example.org/"
    assert normalize_url("https://example.org/a;jsessionid=ABC?fbclid=1") == "https://example.org/a"


def test_page_key_joins_the_forms_of_one_page():
    assert page_key("http://www.example.org/issues/") == page_key("https://example.org/issues")
    assert page_key("http://example.org/") == page_key("https://www.example.org")
    assert page_key("http://example.org/a") != page_key("http://example.org/b")


def test_extract_links_resolves_and_labels_links():
    html = b"""<html><head><base href="http://example.org/sub/"><meta http-equiv="Refresh"
    content="0; URL=/moved"></head><body>
    <a href="plan.html">Our  <b>Plan</b></a> <a href="/x#frag"><img src="i.png" alt="Jobs"></a>
    <a href="mailto:a@b.c">mail</a> <a href="javascript:go()">js</a> <a href="#top">top</a>
    <a href="plan.html">again</a> <frame src="/frame.html" title="Frame"></body></html>"""
    links = dict(extract_links(html, "http://example.org/index.html"))
    assert links == {
        "http://example.org/sub/plan.html": "Our Plan",
        "http://example.org/x": "Jobs",
        "http://example.org/frame.html": "Frame",
        "http://example.org/moved": "",
    }


def test_platform_links_rank_above_others():
    assert link_rank("http://x.org/issues", "On the Issues") > link_rank("http://x.org/about", "About")
    assert link_rank("http://x.org/p/123", "Our plan for schools")[0]
    assert not link_rank("http://x.org/planet", "Planet")[0]
    assert link_rank("http://x.org/schools", "Schools") == (False, 2)


@pytest.mark.parametrize(
    "url, text",
    [
        ("http://x.org/donate", ""),
        ("http://x.org/p/5", "Contribute today"),
        ("http://x.org/volunteer-signup", ""),
        ("http://x.org/events/town-hall", ""),
        ("http://x.org/calendar/2013/09/", ""),
        ("http://x.org/2013/09/", ""),
        ("http://x.org/2013-09-20", ""),
        ("http://x.org/whatever?month=2013-09", ""),
        ("http://x.org/post?share=facebook", ""),
        ("http://x.org/shop/hats", ""),
        ("http://x.org/wp-login.php", ""),
        ("http://x.org/p", "Log in"),
        ("http://x.org/yard-sign.JPG", ""),
        ("http://x.org/a/b/a/b/a/b/a", ""),
    ],
)
def test_traps_and_unreadable_links_are_skipped(url, text):
    assert skip_reason(url, text)


@pytest.mark.parametrize(
    "url", ["http://x.org/2013/09/connolly-unveils-schools-plan/", "http://x.org/restore-trust", "http://x.org/plan.pdf"]
)
def test_ordinary_pages_are_followed(url):
    assert skip_reason(url) is None


# -- crawling -------------------------------------------------------------------------------


def test_crawl_skips_traps_and_reads_platform_pages_first(httpserver, store):
    serve_site(httpserver)
    fetched = crawl(httpserver, store)
    requested = page_requests(httpserver)
    assert not NEVER & set(requested)
    assert "/private" not in requested
    assert requested[:2] == ["/", "/issues"]
    platform = {"/issues/schools", "/issues/budget", "/docs/full-plan.pdf"}
    assert set(requested[2:5]) == platform, "the platform's pages come before About and News"
    assert requested.index("/issues/schools/details") < requested.index("/about")
    assert len(requested) == len(set(requested)) == fetched == 9
    assert store.page_count("doe") == 9


def test_pdf_linked_from_the_platform_is_stored_as_pdf(httpserver, store):
    serve_site(httpserver)
    crawl(httpserver, store)
    pages = {p.url: p for p in store.pages("doe")}
    pdf = pages[httpserver.url_for("/docs/full-plan.pdf")]
    assert pdf.content_type == "application/pdf"
    assert pdf.body == PDF_BODY
    assert pdf.depth == 2
    home = pages[httpserver.url_for("/")]
    assert home.content_type == "text/html; charset=utf-8" and home.source_kind == "live"


def test_max_pages_and_max_depth_are_kept(httpserver, store):
    serve_site(httpserver)
    assert crawl(httpserver, store, max_pages=4) == 4
    assert page_requests(httpserver) == ["/", "/issues", *page_requests(httpserver)[2:4]]

    httpserver.clear_log()
    with Store(store.path.with_name("depth.sqlite")) as other:
        crawl(httpserver, other, max_depth=1)
    assert set(page_requests(httpserver)) == {"/", "/issues", "/about", "/news"}


def test_resume_after_interruption_fetches_nothing_twice(httpserver, store):
    serve_site(httpserver)
    assert crawl(httpserver, store, max_pages=3) == 3  # the run is "interrupted" after 3 pages
    assert crawl(httpserver, store) == 6  # a new run: the stored three are read, not fetched
    requested = page_requests(httpserver)
    assert len(requested) == len(set(requested)) == 9
    assert store.page_count("doe") == 9
    assert crawl(httpserver, store) == 0
    assert len(page_requests(httpserver)) == 9


def test_resume_does_not_retry_permanent_failures(httpserver, store):
    site = dict(SITE)
    site["/"] = page("Home", ("/issues", "Issues"), ("/missing", "Missing page"))
    serve_site(httpserver, site)
    httpserver.expect_request("/missing").respond_with_data("no", status=404)
    crawl(httpserver, store)
    assert [row["reason"] for row in store.failures("doe")] == ["http error"]
    crawl(httpserver, store)
    assert page_requests(httpserver).count("/missing") == 1


def test_refresh_fetches_everything_again(httpserver, store):
    serve_site(httpserver)
    crawl(httpserver, store)
    crawl(httpserver, store, refresh=True)
    requested = page_requests(httpserver)
    assert len(requested) == 18
    assert all(requested.count(path) == 2 for path in set(requested))
    assert store.page_count("doe") == 9


def test_off_site_redirect_is_recorded_not_followed(httpserver, store):
    site = {"/": page("Home", ("/issues", "Issues")), "/issues": b""}
    serve_site(httpserver, {"/": site["/"]}, pdf_path=None)
    elsewhere = httpserver.url_for("/squatter").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/issues").respond_with_data("", status=302, headers={"Location": elsewhere})
    crawl(httpserver, store)
    [failure] = store.failures("doe")
    assert failure["reason"] == "off-site redirect"
    assert failure["url"] == httpserver.url_for("/issues")
    assert "/squatter" not in page_requests(httpserver)


def test_unreachable_start_url_leaves_a_failure_and_not_reachable_status(store):
    source = Source(kind="live", url="http://127.0.0.1:9/")
    candidate = Candidate(name="Gone", slug="gone", sources=(source,))
    options = GatherOptions(retries=1)
    store.add_candidates([candidate])
    result = gather_candidate(candidate, store, options, session=fast_session(options))
    assert result.status == "not reachable"
    [failure] = store.failures("gone")
    assert failure["reason"] == "not reachable"
    assert failure["url"] == "http://127.0.0.1:9/"
    assert store.page_count("gone") == 0


def test_start_url_404_is_recorded(httpserver, store):
    httpserver.expect_request("/").respond_with_data("not here", status=404)
    assert crawl(httpserver, store) == 0
    [failure] = store.failures("doe")
    assert failure["reason"] == "http error" and "404" in failure["detail"]
