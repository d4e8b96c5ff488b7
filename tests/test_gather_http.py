"""The polite HTTP session, against local servers only (pytest-httpserver)."""

from __future__ import annotations

import email.utils
import gzip
import threading
import time

import pytest
from werkzeug import Response

from analyzer.errors import Disallowed, HTTPStatusError, NotReachable, OffSite, Skipped, TooLarge
from analyzer.gather.http import (
    PROJECT_URL,
    PoliteSession,
    detect_encoding,
    parse_retry_after,
    site_key,
    sniff_content_type,
)
from analyzer.records import GatherOptions

from conftest import FakeClock  # noqa: F401

HTML_PAGE = b"<!DOCTYPE html><html><head><title>t</title></head><body><p>Hello</p></body></html>"




def make_session(**overrides) -> tuple[PoliteSession, FakeClock]:
    clock = FakeClock()
    options = GatherOptions(**{"delay": 1.0, "retries": 3, "timeout": 5.0, **overrides})
    return PoliteSession(options, sleep=clock.sleep, clock=clock), clock


def requests_to(httpserver, path: str) -> int:
    return sum(1 for request, _response in httpserver.log if request.path == path)


def serve_html(httpserver, path: str, body: bytes = HTML_PAGE, content_type: str = "text/html", **kwargs) -> None:
    httpserver.expect_request(path).respond_with_data(body, content_type=content_type, **kwargs)


def no_robots(httpserver) -> None:
    httpserver.expect_request("/robots.txt").respond_with_data("not found", status=404)


# -- helpers ----------------------------------------------------------------------------------


def test_site_key_treats_www_and_default_ports_as_one_site():
    assert site_key("http://www.Example.org/a") == "example.org"
    assert site_key("https://example.org:443/") == "example.org"
    assert site_key("http://localhost:8080/x") == "localhost:8080"
    assert site_key("www.example.org") == "example.org"


def test_parse_retry_after_seconds_and_http_date():
    assert parse_retry_after("120") == 120.0
    assert parse_retry_after(None) is None
    assert parse_retry_after("soon") is None
    later = email.utils.formatdate(time.time() + 30, usegmt=True)
    assert 25 < parse_retry_after(later) <= 31


def test_sniffing_trusts_bytes_over_a_lying_header():
    assert sniff_content_type("application/octet-stream", b"%PDF-1.4\n...") == "application/pdf"
    assert sniff_content_type("text/plain", b"<!DOCTYPE html><html>") == "text/html"
    assert sniff_content_type("text/plain; charset=utf-8", b"Just words.") == "text/plain"
    assert sniff_content_type("image/png", b"\x89PNG\r\n\x1a\n\x00\x00") is None
    assert sniff_content_type("application/json", b'{"a": 1}') is None


# -- requests -------------------------------------------------------------------------------


def test_user_agent_names_the_project(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/")
    session, _clock = make_session()
    session.fetch(httpserver.url_for("/"))
    request = next(r for r, _ in httpserver.log if r.path == "/")
    assert request.headers["User-Agent"].startswith("analyzer/")
    assert PROJECT_URL in request.headers["User-Agent"]


def test_robots_disallow_is_honoured_and_robots_read_once(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data(
        "User-agent: *\nDisallow: /private\nDisallow: /*?tag=\n", content_type="text/plain"
    )
    serve_html(httpserver, "/private/plan")
    serve_html(httpserver, "/blog")
    serve_html(httpserver, "/public")
    session, _clock = make_session()
    with pytest.raises(Disallowed) as info:
        session.fetch(httpserver.url_for("/private/plan"))
    assert info.value.reason == "disallowed by robots.txt"
    with pytest.raises(Disallowed):
        session.fetch(httpserver.url_for("/blog") + "?tag=x")
    assert session.fetch(httpserver.url_for("/public")).status == 200
    assert requests_to(httpserver, "/private/plan") == 0
    assert requests_to(httpserver, "/blog") == 0
    assert requests_to(httpserver, "/robots.txt") == 1


def test_robots_crawl_delay_spaces_requests(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 5\n")
    serve_html(httpserver, "/a")
    serve_html(httpserver, "/b")
    session, clock = make_session(delay=1.0)
    session.fetch(httpserver.url_for("/a"))
    before = clock.now
    session.fetch(httpserver.url_for("/b"))
    assert clock.now - before >= 5.0
    assert session.host_delay(httpserver.url_for("/")) == 5.0


def test_a_crawl_delay_beyond_the_cap_means_do_not_crawl(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 3600\n")
    serve_html(httpserver, "/")
    session, _clock = make_session()
    with pytest.raises(Disallowed, match="3600"):
        session.fetch(httpserver.url_for("/"))
    assert requests_to(httpserver, "/") == 0


def test_a_long_delay_chosen_by_the_user_is_not_a_refusal(httpserver):
    httpserver.expect_request("/robots.txt").respond_with_data("User-agent: *\nCrawl-delay: 2\n")
    serve_html(httpserver, "/a")
    serve_html(httpserver, "/b")
    session, clock = make_session(delay=90.0)
    session.fetch(httpserver.url_for("/a"))
    session.fetch(httpserver.url_for("/b"))
    assert clock.sleeps == [pytest.approx(90.0), pytest.approx(90.0)]


@pytest.mark.parametrize("status", [404, 403, 500])
def test_missing_or_broken_robots_allows_everything(httpserver, status):
    httpserver.expect_request("/robots.txt").respond_with_data("nope", status=status)
    serve_html(httpserver, "/")
    session, _clock = make_session()
    assert session.fetch(httpserver.url_for("/")).status == 200
    assert requests_to(httpserver, "/robots.txt") == 1


def test_robots_that_times_out_allows_everything(httpserver):
    def slow_robots(_request):
        time.sleep(0.5)
        return Response("User-agent: *\nDisallow: /\n")

    httpserver.expect_request("/robots.txt").respond_with_handler(slow_robots)
    serve_html(httpserver, "/")
    session, _clock = make_session(timeout=0.2)
    assert session.fetch(httpserver.url_for("/")).status == 200


def test_per_host_delay_applies_within_a_host_not_across_hosts(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/a")
    session, clock = make_session(delay=2.0)
    local = httpserver.url_for("/a")
    other_host = local.replace("localhost", "127.0.0.1")
    session.fetch(local)
    clock.sleeps.clear()
    session.fetch(other_host)
    # Only the other host's own robots.txt-to-page spacing; a shared slot would wait twice.
    assert clock.sleeps == [pytest.approx(2.0)]
    clock.sleeps.clear()
    session.fetch(local)
    assert clock.sleeps == []  # the first host's delay ran out while the other was read


def test_different_hosts_are_fetched_concurrently(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/page")
    delay = 0.3
    session = PoliteSession(GatherOptions(delay=delay, timeout=5.0))
    hosts = [httpserver.url_for("/page"), httpserver.url_for("/page").replace("localhost", "127.0.0.1")]

    def three_pages(url):
        for _ in range(3):
            session.fetch(url)

    started = time.monotonic()
    threads = [threading.Thread(target=three_pages, args=(url,)) for url in hosts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - started
    # Each host needs robots.txt + 3 pages = 3 delays; one after the other would take 6.
    assert 3 * delay <= elapsed < 4.5 * delay


def test_429_with_retry_after_is_waited_out(httpserver):
    no_robots(httpserver)
    httpserver.expect_oneshot_request("/busy").respond_with_data("slow down", status=429, headers={"Retry-After": "7"})
    serve_html(httpserver, "/busy")
    session, clock = make_session()
    response = session.fetch(httpserver.url_for("/busy"))
    assert response.status == 200
    assert clock.sleeps[-1] == pytest.approx(7.0)
    assert requests_to(httpserver, "/busy") == 2


def test_503_with_http_date_retry_after(httpserver):
    no_robots(httpserver)
    later = email.utils.formatdate(time.time() + 20, usegmt=True)
    httpserver.expect_oneshot_request("/x").respond_with_data("down", status=503, headers={"Retry-After": later})
    serve_html(httpserver, "/x")
    session, clock = make_session()
    assert session.fetch(httpserver.url_for("/x")).status == 200
    assert 15 < clock.sleeps[-1] <= 21


def test_retry_after_beyond_the_cap_is_not_retried_early(httpserver):
    no_robots(httpserver)
    httpserver.expect_request("/x").respond_with_data("later", status=429, headers={"Retry-After": "3600"})
    session, _clock = make_session()
    with pytest.raises(HTTPStatusError, match="3600") as info:
        session.fetch(httpserver.url_for("/x"))
    assert info.value.status == 429
    assert requests_to(httpserver, "/x") == 1


def test_500_then_success_backs_off(httpserver):
    no_robots(httpserver)
    httpserver.expect_oneshot_request("/flaky").respond_with_data("oops", status=500)
    serve_html(httpserver, "/flaky")
    session, clock = make_session(delay=0.0)
    assert session.fetch(httpserver.url_for("/flaky")).status == 200
    assert clock.sleeps == [pytest.approx(1.0)]


def test_persistent_502_gives_up_after_retries_with_exponential_backoff(httpserver):
    no_robots(httpserver)
    httpserver.expect_request("/down").respond_with_data("bad gateway", status=502)
    session, clock = make_session(delay=0.0, retries=3)
    with pytest.raises(HTTPStatusError) as info:
        session.fetch(httpserver.url_for("/down"))
    assert info.value.status == 502 and info.value.reason == "http error"
    assert requests_to(httpserver, "/down") == 4
    assert clock.sleeps == [pytest.approx(1.0), pytest.approx(2.0), pytest.approx(4.0)]


def test_404_is_not_retried(httpserver):
    no_robots(httpserver)
    httpserver.expect_request("/gone").respond_with_data("gone", status=404)
    session, _clock = make_session()
    with pytest.raises(HTTPStatusError) as info:
        session.fetch(httpserver.url_for("/gone"))
    assert info.value.status == 404
    assert requests_to(httpserver, "/gone") == 1


def test_read_timeout_is_not_reachable(httpserver):
    no_robots(httpserver)

    def slow(_request):
        time.sleep(0.6)
        return Response(HTML_PAGE, content_type="text/html")

    httpserver.expect_request("/slow").respond_with_handler(slow)
    session, _clock = make_session(timeout=0.2, retries=0)
    with pytest.raises(NotReachable, match="timed out") as info:
        session.fetch(httpserver.url_for("/slow"))
    assert info.value.reason == "not reachable"


def test_a_trickling_response_hits_the_total_time_cap(httpserver):
    no_robots(httpserver)

    def trickle(_request):
        def chunks():
            yield b"<html><body>" + b" " * 2000
            for _ in range(30):
                time.sleep(0.05)
                yield b"<p>more</p>"

        return Response(chunks(), content_type="text/html", direct_passthrough=True)

    httpserver.expect_request("/trickle").respond_with_handler(trickle)
    session = PoliteSession(GatherOptions(delay=0.0, retries=0, timeout=5.0), total_timeout=0.3)
    with pytest.raises(NotReachable, match="longer than"):
        session.fetch(httpserver.url_for("/trickle"))


def test_connection_refused_is_not_reachable():
    session, clock = make_session(retries=2)
    with pytest.raises(NotReachable, match="refused|connection"):
        session.fetch("http://127.0.0.1:9/")
    assert len(clock.sleeps) >= 2  # retried with backoff


def test_redirect_within_the_site_is_followed(httpserver):
    no_robots(httpserver)
    httpserver.expect_request("/old").respond_with_data("", status=301, headers={"Location": "/new"})
    serve_html(httpserver, "/new")
    session, _clock = make_session()
    response = session.fetch(httpserver.url_for("/old"), allowed_hosts=[httpserver.url_for("/")])
    assert response.final_url == httpserver.url_for("/new")
    assert response.url == httpserver.url_for("/old")


def test_off_site_redirect_is_refused_without_fetching_the_target(httpserver):
    no_robots(httpserver)
    elsewhere = httpserver.url_for("/elsewhere").replace("localhost", "127.0.0.1")
    httpserver.expect_request("/go").respond_with_data("", status=302, headers={"Location": elsewhere})
    serve_html(httpserver, "/elsewhere")
    session, _clock = make_session()
    with pytest.raises(OffSite) as info:
        session.fetch(httpserver.url_for("/go"), allowed_hosts=[f"localhost:{httpserver.port}"])
    assert info.value.reason == "off-site redirect"
    assert requests_to(httpserver, "/elsewhere") == 0


def test_redirect_loops_stop_after_ten_hops(httpserver):
    no_robots(httpserver)
    httpserver.expect_request("/loop").respond_with_data("", status=302, headers={"Location": "/loop"})
    session, _clock = make_session(delay=0.0)
    with pytest.raises(HTTPStatusError, match="redirects"):
        session.fetch(httpserver.url_for("/loop"))
    assert requests_to(httpserver, "/loop") == 11


def test_declared_length_over_the_cap_is_refused(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/big", b"<html>" + b"x" * 5000)
    session, _clock = make_session(max_bytes=1000)
    with pytest.raises(TooLarge) as info:
        session.fetch(httpserver.url_for("/big"))
    assert info.value.reason == "too large"


def test_streamed_body_over_the_cap_is_refused(httpserver):
    no_robots(httpserver)

    def endless(_request):
        def chunks():
            for _ in range(100):
                yield b"<p>" + b"x" * 1000 + b"</p>"

        return Response(chunks(), content_type="text/html", direct_passthrough=True)

    httpserver.expect_request("/stream").respond_with_handler(endless)
    session, _clock = make_session(max_bytes=20_000)
    with pytest.raises(TooLarge):
        session.fetch(httpserver.url_for("/stream"))


def test_gzip_bomb_is_capped_on_its_decompressed_size(httpserver):
    no_robots(httpserver)
    bomb = gzip.compress(b"<html>" + b" " * 20_000_000, compresslevel=9)
    assert len(bomb) < 100_000
    serve_html(httpserver, "/bomb", bomb, headers={"Content-Encoding": "gzip"})
    session, _clock = make_session(max_bytes=1_000_000)
    with pytest.raises(TooLarge):
        session.fetch(httpserver.url_for("/bomb"))


def test_gzip_body_under_the_cap_is_decompressed(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/z", gzip.compress(HTML_PAGE), headers={"Content-Encoding": "gzip"})
    session, _clock = make_session()
    assert session.fetch(httpserver.url_for("/z")).body == HTML_PAGE


def test_unreadable_content_types_are_skipped(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/logo", b"\x89PNG\r\n\x1a\n" + b"\x00" * 2000, content_type="image/png")
    serve_html(httpserver, "/data", b'{"a": 1}', content_type="application/json")
    session, _clock = make_session()
    with pytest.raises(Skipped) as info:
        session.fetch(httpserver.url_for("/logo"))
    assert info.value.reason == "skipped content type"
    with pytest.raises(Skipped):
        session.fetch(httpserver.url_for("/data"))
    assert session.fetch(httpserver.url_for("/data"), any_content_type=True).body == b'{"a": 1}'


def test_pdf_text_and_mislabelled_documents_are_kept(httpserver):
    no_robots(httpserver)
    serve_html(httpserver, "/plan", b"%PDF-1.4\n%fake\n", content_type="application/octet-stream")
    serve_html(httpserver, "/notes", b"Plain words.", content_type="text/plain")
    serve_html(httpserver, "/page", HTML_PAGE, content_type="text/plain")
    session, _clock = make_session(delay=0.0)
    pdf = session.fetch(httpserver.url_for("/plan"))
    assert (pdf.content_type, pdf.encoding) == ("application/pdf", None)
    assert session.fetch(httpserver.url_for("/notes")).content_type == "text/plain"
    page = session.fetch(httpserver.url_for("/page"))
    assert page.content_type == "text/html"
    assert page.content_type_with_charset == "text/html; charset=utf-8"


# -- charsets -------------------------------------------------------------------------------


def test_charset_from_the_header(httpserver):
    no_robots(httpserver)
    body = "<html><body>Café “quoted”</body></html>".encode("cp1252")
    serve_html(httpserver, "/h", body, content_type="text/html; charset=windows-1252")
    session, _clock = make_session()
    response = session.fetch(httpserver.url_for("/h"))
    assert response.encoding == "cp1252"
    assert "Café “quoted”" in response.text


def test_charset_from_meta_and_latin1_read_as_windows_1252(httpserver):
    no_robots(httpserver)
    body = '<html><head><meta charset="iso-8859-1"></head><body>Café “x”</body></html>'.encode("cp1252")
    serve_html(httpserver, "/m", body, content_type="text/html")
    session, _clock = make_session()
    response = session.fetch(httpserver.url_for("/m"))
    assert response.encoding == "cp1252"
    assert "Café “x”" in response.text


def test_charset_detected_from_the_bytes_when_undeclared():
    text = (
        "<html><body><p>Our plan for the city’s schools: we will open “community schools” in every "
        "neighborhood, hire 200 new teachers and publish results every year. Café owners agree.</p></body></html>"
    )
    assert detect_encoding(text.encode("utf-8")) == "utf-8"
    body = text.encode("cp1252")
    encoding = detect_encoding(body)
    assert "city’s schools" in body.decode(encoding) and "Café" in body.decode(encoding)


def test_byte_order_mark_wins():
    assert detect_encoding("\ufeff<html>é</html>".encode("utf-8"), "text/html; charset=iso-8859-1") == "utf-8"
