"""A hostile web: `analyzer gather` and `analyzer run` against a field of misbehaving local sites.

One candidate per way of failing (each on its own port, so the hosts are gathered concurrently
as real candidates' sites are): a site that answers too slowly and whose robots.txt never
answers, connections reset or cut mid-body, endless redirects and an endless calendar, 429
storms with and without Retry-After, 500s, 50 MB bodies and a gzip bomb, lying Content-Types,
invalid UTF-8 and mixed encodings, and a host nobody listens on. The field is gathered once
through the command line (small timeouts and one retry, from the field's [gather] table), then
run to the scorecard. Every reachable page must be in the store; every failure must be in the
store's failures table with its reason, and on the candidate's card in scorecard.html.
No test here talks to anything but 127.0.0.1.
"""

from __future__ import annotations

import html as htmllib
import os
import sqlite3
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from misbehaving import (
    MisbehavingServer,
    after,
    closed_port,
    endless_calendar,
    endless_redirects,
    field_toml,
    first,
    gzip_bomb,
    html,
    huge,
    minimal_pdf,
    page,
    redirect,
    reset_mid_body,
    slow,
    status,
    trickle,
    truncated,
)

ROOT = Path(__file__).resolve().parent.parent

# The field's [gather] table: what a journalist would write to get through a bad night fast.
GATHER = {"delay": 0.0, "timeout": 0.5, "retries": 1, "max_pages": 12, "max_depth": 3, "max_bytes": 2_000_000}
TOTAL_TIMEOUT = 3 * GATHER["timeout"]  # the session's wall-clock cap on one response
# The slowest host needs about: robots.txt timeout (0.5) + a page timing out twice with a backoff
# of 1 s between (2.0) + a trickle cut at the total cap (1.5) = 4 s. The whole field, gathered
# concurrently, must finish well within this even on a loaded machine.
GATHER_LIMIT_SECONDS = 40

PLEDGE = "As mayor, I will publish every city contract over $25,000 online within one week of signing."


def text_page(title: str, links=(), text: str = PLEDGE):
    return page(html(title, text, links))


def _html_with_bad_utf8() -> bytes:
    # Declared UTF-8; one byte sequence in the middle is not UTF-8 at all.
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Schools</title></head><body><main>"
        "<h1>Schools for every neighborhood</h1><p>I will open the café \u2014 a parents\u2019 center"
    ).encode("utf-8") + b" \xff\xfe\xc3 " + (
        "in every district by 2015.</p><p>" + PLEDGE + "</p></main></body></html>"
    ).encode("utf-8")


def _html_with_mixed_encodings() -> bytes:
    # A template in UTF-8 with a paragraph pasted from a windows-1252 document.
    return (
        "<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Housing</title></head><body><main>"
        "<h1>Housing in Bogotá and Boston</h1><p>" + PLEDGE + "</p>"
    ).encode("utf-8") + "<p>\u201cWe will build 5,000 homes by 2017,\u201d the candidate said.</p>".encode(
        "cp1252"
    ) + b"</main></body></html>"


@dataclass
class Site:
    """One misbehaving candidate site and what gathering it must leave in the store."""

    slug: str
    name: str
    server: MisbehavingServer | None
    gathered: tuple[str, ...]  # paths whose pages must be stored
    failures: dict  # path -> (reason, words of the detail)
    never: tuple[str, ...] = ()  # paths that must never be requested
    url: str = ""


def _sites() -> list[Site]:
    body = html("Long page", PLEDGE + " " + "More detail. " * 400)
    sites = [
        Site(
            "steady", "Steady Sam",
            MisbehavingServer({
                "/": text_page("Sam for Mayor", ["/issues", ("/plan.pdf", "Read the plan (PDF)"), "/about"]),
                "/issues": text_page("Issues"),
                "/plan.pdf": page(minimal_pdf(), "application/pdf"),
                "/about": text_page("About Sam", text="Sam grew up here."),
            }),
            gathered=("/", "/issues", "/plan.pdf", "/about"), failures={},
        ),
        Site(
            "slowpoke", "Slow Poke",
            MisbehavingServer(
                {
                    "/": text_page("Poke for Mayor", ["/plan", "/priorities", "/issues"]),
                    "/plan": slow(5),  # past the read timeout, every time
                    "/priorities": trickle(body, every=0.05, size=16),  # past the total cap
                    "/issues": after(0.2, text_page("Issues")),  # slow, but within the timeout
                },
                robots=slow(5),  # robots.txt that never answers: treated as absent
            ),
            gathered=("/", "/issues"),
            failures={"/plan": ("not reachable", "timed out"), "/priorities": ("not reachable", "longer than")},
        ),
        Site(
            "resetter", "Reset Rita",
            MisbehavingServer({
                "/": text_page("Rita for Mayor", ["/plan", "/issues", "/ideas", "/goals"]),
                "/plan": reset_mid_body(body),  # reset every time
                "/issues": truncated(body),  # closed early every time
                "/ideas": first(1, reset_mid_body(body), text_page("Ideas")),  # once, then fine
                "/goals": text_page("Goals"),
            }),
            gathered=("/", "/ideas", "/goals"),
            failures={"/plan": ("not reachable", "body"), "/issues": ("not reachable", "body")},
        ),
        Site(
            "loopy", "Loopy Lou",
            MisbehavingServer({
                "/": redirect("/home"),
                "/home": text_page("Lou for Mayor", [
                    "/plan0", "/issues", ("/happenings/day-1", "Happenings"), "/calendar/2013/09",
                    "/events/", ("/donate", "Donate"), "/?month=2013-10",
                ]),
                "/plan*": endless_redirects("/plan"),
                "/issues": text_page("Issues"),
                "/happenings/*": endless_calendar("/happenings/"),
            }),
            gathered=("/home", "/issues", "/happenings/day-1"),
            failures={"/plan0": ("http error", "more than 10 redirects")},
            never=("/calendar/2013/09", "/events/", "/donate", "/?month=2013-10"),
        ),
        Site(
            "stormy", "Stormy Stella",
            MisbehavingServer({
                "/": text_page("Stella for Mayor", ["/plan", "/issues", "/ideas", "/goals"]),
                "/plan": first(1, status(429, [("Retry-After", "1")]), text_page("Plan")),
                "/issues": status(429),  # a storm that does not pass, no Retry-After
                "/ideas": status(429, [("Retry-After", "3600")]),  # asks for an hour: not waited
                "/goals": first(1, status(429), text_page("Goals")),
            }),
            gathered=("/", "/plan", "/goals"),
            failures={"/issues": ("http error", "429"), "/ideas": ("http error", "3600 s")},
        ),
        Site(
            "crashy", "Crashy Cal",
            MisbehavingServer({
                "/": text_page("Cal for Mayor", ["/plan", "/issues", "/ideas"]),
                "/plan": status(500),
                "/issues": first(1, status(500), text_page("Issues")),
                "/ideas": first(1, status(503, [("Retry-After", "0")]), text_page("Ideas")),
            }),
            gathered=("/", "/issues", "/ideas"),
            failures={"/plan": ("http error", "500")},
        ),
        Site(
            "bloated", "Bloated Bo",
            MisbehavingServer({
                "/": text_page("Bo for Mayor", ["/plan", ("/platform.pdf", "Platform (PDF)"), "/issues", "/ideas"]),
                "/plan": huge(50_000_000),  # no Content-Length: cut at the cap while streaming
                "/platform.pdf": huge(50_000_000, declare_length=True, content_type="application/pdf"),
                "/issues": gzip_bomb(100_000_000),
                "/ideas": page(__import__("gzip").compress(html("Ideas", PLEDGE)), headers=[("Content-Encoding", "gzip")]),
            }),
            gathered=("/", "/ideas"),
            failures={"/plan": ("too large", "cap"), "/platform.pdf": ("too large", "50000000"),
                      "/issues": ("too large", "cap")},
        ),
        Site(
            "garbled", "Garbled Gus",
            MisbehavingServer({
                "/": text_page("Gus for Mayor", ["/issues", "/plan", "/download", "/schools", "/housing", "/noise",
                                                  "/statement.txt"]),
                "/issues": page(html("Issues", PLEDGE), "image/png"),  # HTML said to be an image
                "/plan": page(minimal_pdf(), "text/html; charset=utf-8"),  # a PDF said to be HTML
                "/download": page(b"PK\x03\x04" + bytes(range(256)) * 8, "application/zip"),
                "/schools": page(_html_with_bad_utf8(), "text/html; charset=utf-8"),
                "/housing": page(_html_with_mixed_encodings(), "text/html"),
                "/noise": page(bytes((i * 7919) % 251 for i in range(4000)), "text/html"),  # binary junk
                "/statement.txt": page("\u201cWe will cut permit times in half by 2016,\u201d she said.".encode("cp1252"),
                                       "text/plain; charset=windows-1252"),
            }),
            gathered=("/", "/issues", "/plan", "/schools", "/housing", "/noise", "/statement.txt"),
            failures={"/download": ("skipped content type", "application/zip")},
        ),
    ]
    gone = closed_port()
    sites.append(Site("gone", "Gone Gail", None, gathered=(), failures={}, url=f"http://127.0.0.1:{gone}/"))
    return sites


def _cli(*args: str, timeout: float = 120) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "analyzer", *args], capture_output=True, text=True,
                          timeout=timeout, cwd=ROOT, env=env)


@pytest.fixture(scope="module")
def hostile_field(tmp_path_factory):
    root = tmp_path_factory.mktemp("hostile-web")
    sites = _sites()
    for site in sites:
        if site.server is not None:
            site.server.start()
            site.url = site.server.url("/")
    field = root / "hostile.toml"
    field.write_text(field_toml([(s.name, s.slug, [s.url]) for s in sites], GATHER), encoding="utf-8")
    out = root / "out"
    started = time.monotonic()
    gathered = _cli("gather", str(field), "--out", str(out))
    elapsed = time.monotonic() - started
    hits_after_gather = {s.slug: dict(s.server.counts) for s in sites if s.server}
    yield {"sites": {s.slug: s for s in sites}, "field": field, "out": out, "gather": gathered,
           "elapsed": elapsed, "hits": hits_after_gather}
    for site in sites:
        if site.server is not None:
            site.server.stop()


@pytest.fixture(scope="module")
def store(hostile_field):
    db = sqlite3.connect(hostile_field["out"] / "analysis.sqlite")
    db.row_factory = sqlite3.Row
    yield db
    db.close()


@pytest.fixture(scope="module")
def hostile_run(hostile_field):
    """`analyzer run` on the gathered store: resumes, analyzes, writes the scorecard."""
    db = sqlite3.connect(hostile_field["out"] / "analysis.sqlite")
    db.row_factory = sqlite3.Row
    stored_before = {slug: set(_stored(db, slug)) for slug in hostile_field["sites"]}
    failed_before = {slug: _failures(db, slug) for slug in hostile_field["sites"]}
    db.close()
    for site in hostile_field["sites"].values():
        if site.server:
            site.server.reset_counts()
    result = _cli("--quiet", "run", str(hostile_field["field"]), "--out", str(hostile_field["out"]), timeout=300)
    hits = {s.slug: dict(s.server.counts) for s in hostile_field["sites"].values() if s.server}
    return {"result": result, "hits": hits, "stored_before": stored_before, "failed_before": failed_before}


def _path(url: str) -> str:
    parts = urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")


def _stored(store, slug: str) -> dict[str, sqlite3.Row]:
    return {_path(r["url"]): r for r in store.execute("SELECT * FROM pages WHERE candidate = ?", (slug,))}


def _failures(store, slug: str) -> dict[str, sqlite3.Row]:
    return {_path(r["url"]): r for r in store.execute("SELECT * FROM failures WHERE candidate = ?", (slug,))}


# -- gathering -------------------------------------------------------------------------------------


def test_gather_finishes_within_its_limits_and_says_what_happened(hostile_field):
    result = hostile_field["gather"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert hostile_field["elapsed"] < GATHER_LIMIT_SECONDS
    lines = dict(line.split("\t", 1) for line in result.stdout.strip().splitlines())
    assert set(lines) == set(hostile_field["sites"])
    assert lines["gone"].startswith("not reachable")
    for slug in set(lines) - {"gone"}:
        assert lines[slug].startswith("gathered"), (slug, lines[slug])


def test_every_reachable_page_is_stored(hostile_field, store):
    for site in hostile_field["sites"].values():
        stored = _stored(store, site.slug)
        missing = [p for p in site.gathered if p not in stored]
        assert not missing, (site.slug, missing, sorted(stored))


def test_every_failure_is_recorded_with_its_reason(hostile_field, store):
    for site in hostile_field["sites"].values():
        failures = _failures(store, site.slug)
        for path, (reason, words) in site.failures.items():
            assert path in failures, (site.slug, path, sorted(failures))
            row = failures[path]
            assert row["reason"] == reason, (site.slug, path, row["reason"], row["detail"])
            assert words in row["detail"], (site.slug, path, row["detail"])
        # nothing recorded as failed that was in fact stored
        assert not set(failures) & set(_stored(store, site.slug))


def test_a_host_nobody_listens_on_is_not_reachable_not_empty(store):
    row = store.execute("SELECT status FROM candidates WHERE slug = 'gone'").fetchone()
    assert row["status"] == "not reachable"
    failures = list(store.execute("SELECT reason, detail FROM failures WHERE candidate = 'gone'"))
    assert [f["reason"] for f in failures] == ["not reachable"]
    assert "refused" in failures[0]["detail"]


def test_robots_txt_that_times_out_is_asked_once_and_treated_as_absent(hostile_field, store):
    assert hostile_field["hits"]["slowpoke"]["/robots.txt"] == 1
    assert "/" in _stored(store, "slowpoke")


def test_retries_are_bounded(hostile_field):
    """One retry (the field's retries = 1): never more than two requests per page, per host."""
    for slug, hits in hostile_field["hits"].items():
        for path, count in hits.items():
            assert count <= 2, (slug, path, count)
    stormy = hostile_field["hits"]["stormy"]
    assert stormy["/ideas"] == 1  # Retry-After: 3600 is beyond the cap: not retried early
    assert stormy["/issues"] == 2 and stormy["/plan"] == 2 and stormy["/goals"] == 2


def test_endless_redirects_and_calendars_stop_within_the_limits(hostile_field, store):
    hits = hostile_field["hits"]["loopy"]
    redirects = sum(n for p, n in hits.items() if p.startswith("/plan"))
    assert redirects == 11  # the first request and ten redirects, not retried
    calendar = sum(n for p, n in hits.items() if p.startswith("/happenings/"))
    assert 1 <= calendar <= GATHER["max_pages"]
    assert len(_stored(store, "loopy")) + len(_failures(store, "loopy")) <= GATHER["max_pages"]
    for path in hostile_field["sites"]["loopy"].never:
        assert path not in hits, path


def test_huge_bodies_are_cut_at_the_cap_and_nothing_large_is_stored(store):
    sizes = [r["size"] for r in store.execute("SELECT size FROM pages")]
    assert max(sizes) <= GATHER["max_bytes"]


def test_lying_content_types_and_broken_encodings_are_read_for_what_they_are(store):
    stored = _stored(store, "garbled")
    assert stored["/issues"]["content_type"].startswith("text/html")  # not an image
    assert stored["/plan"]["content_type"] == "application/pdf"  # not HTML
    assert stored["/schools"]["content_type"].startswith("text/html")
    assert stored["/housing"]["content_type"].startswith("text/html")


# -- the run: resume, analyze, report --------------------------------------------------------------


def test_run_resumes_without_fetching_stored_pages_again(hostile_field, hostile_run, store):
    result = hostile_run["result"]
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    for slug, hits in hostile_run["hits"].items():
        stored = hostile_run["stored_before"][slug]
        again = {p: n for p, n in hits.items() if p in stored}
        assert not again, (slug, again)
        if "/home" in stored:  # the start page redirected there: not followed again
            assert "/" not in hits, slug
        # failures that cannot heal (404-like, too large, wrong type, redirect loops) are not retried
        for path, row in hostile_run["failed_before"][slug].items():
            if row["reason"] not in ("not reachable",):
                assert path not in hits, (slug, path, row["reason"])


def test_broken_encodings_survive_to_the_text(hostile_run, store):
    text = {p: r["text"] or "" for p, r in _stored(store, "garbled").items()}
    assert "café" in text["/schools"] and "every district by 2015" in text["/schools"]
    assert "Bogotá" in text["/housing"] and "5,000 homes by 2017" in text["/housing"]
    assert "\u201cWe will build 5,000 homes by 2017,\u201d" in text["/housing"]  # the pasted windows-1252, repaired
    assert "\u201cWe will cut permit times in half by 2016,\u201d" in text["/statement.txt"]
    assert "Ã" not in text["/schools"] + text["/housing"]  # no mojibake of the UTF-8 parts
    assert "publish every city contract" in text["/plan"]  # the PDF served as HTML was read as a PDF


def test_scorecard_lists_each_candidates_failures_on_its_card(hostile_field, hostile_run, store):
    scorecard = (hostile_field["out"] / "scorecard.html").read_text(encoding="utf-8")
    for site in hostile_field["sites"].values():
        start = scorecard.index(f'id="candidate-{site.slug}"')
        card = htmllib.unescape(scorecard[start: scorecard.index("</article>", start)])
        rows = list(store.execute("SELECT url, reason, detail FROM failures WHERE candidate = ?", (site.slug,)))
        if not rows:
            assert "Could not be read" not in card, site.slug
            continue
        assert f"Could not be read ({len(rows)})" in card, site.slug
        for row in rows:
            assert row["url"] in card and row["reason"] in card and row["detail"] in card, (site.slug, dict(row))
    gone = htmllib.unescape(scorecard[scorecard.index('id="candidate-gone"'):])
    assert "not reachable" in gone[:3000]
