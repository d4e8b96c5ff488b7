"""The scorecard in a real browser: headless Chromium (Debian's /usr/bin/chromium) driven by
Playwright. It checks what a reader sees and does: the tables, charts and cards render, the
filters and sorting work (also from the keyboard), nothing is requested from the network, the
console stays clean, and hostile text runs nothing.

Skipped when Chromium or Playwright is missing, unless ANALYZER_REQUIRE_BROWSER=1 (CI), where
that is a failure. Saves test-artifacts/scorecard.png for a person to look at.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ANALYZER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def _unavailable(reason: str):
    if os.environ.get("ANALYZER_REQUIRE_BROWSER") == "1":
        pytest.fail(f"{reason} (ANALYZER_REQUIRE_BROWSER=1 requires the browser test to run)")
    pytest.skip(reason)


def _report_helpers():
    """test_report.py's hand-made store, loaded by path so that any pytest import mode works."""
    spec = importlib.util.spec_from_file_location("_report_helpers", Path(__file__).with_name("test_report.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def expect(browser):  # through browser: skipped (or failed) with it when Playwright is missing
    from playwright.sync_api import expect as playwright_expect

    return playwright_expect


@pytest.fixture(scope="module")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _unavailable("the playwright package is not installed (pip install playwright)")
    if not (Path(CHROMIUM).is_file() and os.access(CHROMIUM, os.X_OK)) and not shutil.which(CHROMIUM):
        _unavailable(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    with sync_playwright() as pw:
        try:
            b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as exc:  # a broken install is as good as a missing one, with its reason
            _unavailable(f"Chromium at {CHROMIUM} did not start: {exc}")
        yield b
        b.close()


@pytest.fixture(scope="module")
def scorecard(tmp_path_factory):
    helpers = _report_helpers()
    from analyzer.report import write_reports

    tmp = tmp_path_factory.mktemp("browser")
    store, field = helpers.sample_run(tmp)
    files = write_reports(store, field, tmp / "out", helpers.MODEL_INFO)
    store.close()
    return files["scorecard"]


class Watch:
    """Everything a page asks of the network, says on its console, or pops up."""

    def __init__(self, page, allowed_url: str):
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.allowed = allowed_url

        def route(r):
            url = r.request.url
            if url.split("#")[0] == self.allowed:
                r.continue_()
            else:
                self.requests.append(url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda req: None if req.url.split("#")[0] == self.allowed else self.requests.append(req.url))
        page.on("console", lambda msg: self.errors.append(msg.text) if msg.type in ("error", "warning") else None)
        page.on("pageerror", lambda exc: self.errors.append(str(exc)))

        def dialog(d):
            self.dialogs.append(d.message)
            d.dismiss()

        page.on("dialog", dialog)


@pytest.fixture()
def page(browser, scorecard):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.set_default_timeout(15_000)
    watch = Watch(pg, scorecard.as_uri())
    pg.goto(scorecard.as_uri())
    pg.wait_for_load_state("load")
    yield pg, watch
    context.close()


def visible_rows(pg) -> list[dict]:
    return pg.eval_on_selector_all(
        "#commitments-table tbody tr",
        "rows => rows.filter(r => r.getClientRects().length > 0).map(r => ({"
        "candidate: r.dataset.candidate, area: r.dataset.area, concreteness: r.dataset.concreteness,"
        "text: r.cells[1].textContent, score: parseFloat(r.cells[5].dataset.value)}))",
    )


def test_page_renders(page):
    pg, watch = page
    assert pg.title().startswith("Innovation commitments scorecard")
    assert pg.locator("h1").inner_text() == "Port Aurelia, ZZ — Mayor 2013"
    assert pg.locator(".fictional").is_visible()

    table = pg.locator("table.field-table")
    assert table.is_visible()
    assert table.locator("tbody tr").count() == 5
    assert "Not checked" in table.locator("tbody tr").nth(4).inner_text()
    assert "Not reachable" in table.locator("tbody tr").nth(3).inner_text()

    charts = pg.locator("svg.chart")
    assert charts.count() == 2
    for i in range(2):
        chart = charts.nth(i)
        assert chart.is_visible()
        box = chart.bounding_box()
        assert box["width"] > 300 and box["height"] > 150
        assert chart.locator("rect").count() > 4
        assert chart.locator("title").first.text_content()

    cards = pg.locator("article.card")
    assert cards.count() == 5
    for i in range(5):
        card = cards.nth(i)
        assert card.is_visible()
        assert card.bounding_box()["height"] > 80
        assert card.inner_text().strip()
    assert "Chief Performance Officer" in pg.locator("#candidate-alvarez").inner_text()

    assert pg.locator("#filters").is_visible()  # the script ran under the CSP
    assert len(visible_rows(pg)) == 19

    ARTIFACTS.mkdir(exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / "scorecard.png"), full_page=True)
    assert (ARTIFACTS / "scorecard.png").stat().st_size > 10_000

    assert watch.requests == [], watch.requests
    assert watch.errors == [], watch.errors
    assert watch.dialogs == [], watch.dialogs


def test_filters_change_visible_rows(page, expect):
    pg, watch = page
    status = pg.locator("#filter-status")

    pg.select_option("#f-candidate", "brennan")
    rows = visible_rows(pg)
    assert len(rows) == 7 and {r["candidate"] for r in rows} == {"brennan"}
    assert status.inner_text() == "Showing 7 of 19 commitments."

    pg.select_option("#f-area", "collaboration")
    rows = visible_rows(pg)
    assert len(rows) == 2 and {r["area"] for r in rows} == {"collaboration"}

    pg.select_option("#f-candidate", "")
    pg.select_option("#f-area", "capital")
    assert [r["candidate"] for r in visible_rows(pg)] == ["alvarez"]

    pg.select_option("#f-area", "innovation")
    assert {r["area"] for r in visible_rows(pg)} == {"operations", "capital", "collaboration"}

    pg.select_option("#f-area", "")
    pg.select_option("#f-concreteness", "buzzword")
    rows = visible_rows(pg)
    assert rows and {r["concreteness"] for r in rows} == {"buzzword"}

    pg.select_option("#f-concreteness", "")
    pg.fill("#f-q", "permit")
    rows = visible_rows(pg)
    assert len(rows) == 2 and all("permit" in r["text"].lower() for r in rows)
    pg.fill("#f-q", "PERMIT 2016")  # every word, any case
    assert len(visible_rows(pg)) == 1
    pg.fill("#f-q", "serving better")  # the heading counts
    assert [r["text"].startswith("We need to make") for r in visible_rows(pg)] == [True]
    pg.fill("#f-q", "alvarez2013")  # the address does not
    assert visible_rows(pg) == []
    pg.fill("#f-q", "no such words anywhere")
    assert visible_rows(pg) == [] and status.inner_text() == "Showing 0 of 19 commitments."

    pg.click("#filters button[type=reset]")
    # The form resets first and the script re-filters on the next tick: poll, don't race.
    # (expect polls from Playwright's own world; wait_for_function would need eval, which
    # the scorecard's Content-Security-Policy rightly forbids.)
    expect(status).to_have_text("19 commitments.")
    assert len(visible_rows(pg)) == 19
    assert watch.errors == [] and watch.requests == []


def test_filters_work_from_the_keyboard(page):
    pg, _ = page
    pg.focus("#f-q")
    pg.keyboard.type("university")
    rows = visible_rows(pg)
    assert len(rows) == 1 and "University" in rows[0]["text"]
    pg.keyboard.press("Shift+Tab")  # to the concreteness select
    assert pg.evaluate("document.activeElement.id") == "f-concreteness"


def test_sorting(page):
    pg, watch = page
    header = pg.locator("#commitments-table thead th").nth(5)
    button = header.locator("button.sort")
    assert button.is_visible()

    button.click()
    assert header.get_attribute("aria-sort") == "ascending"
    scores = [r["score"] for r in visible_rows(pg)]
    assert scores == sorted(scores)

    button.click()
    assert header.get_attribute("aria-sort") == "descending"
    scores = [r["score"] for r in visible_rows(pg)]
    assert scores == sorted(scores, reverse=True)

    # From the keyboard: focus the Candidate heading's button and press Enter.
    cand_header = pg.locator("#commitments-table thead th").nth(0)
    cand_header.locator("button.sort").focus()
    pg.keyboard.press("Enter")
    assert cand_header.get_attribute("aria-sort") == "ascending"
    assert header.get_attribute("aria-sort") is None
    names = [r["candidate"] for r in visible_rows(pg)]
    assert names == sorted(names)

    # Sorting keeps the filter.
    pg.select_option("#f-candidate", "alvarez")
    button.click()
    assert {r["candidate"] for r in visible_rows(pg)} == {"alvarez"}
    assert watch.errors == []


def test_hostile_text_runs_nothing(page):
    pg, watch = page
    assert pg.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert pg.evaluate("document.scripts.length") == 1
    assert pg.get_by_text('<script>alert("x")</script>').count() >= 1  # shown as text
    hrefs = pg.eval_on_selector_all("a[href]", "as => as.map(a => a.getAttribute('href'))")
    assert all(h.startswith(("#", "http://", "https://")) for h in hrefs)
    pg.get_by_text("onmouseover=alert(2)").first.hover()  # the heading that tried an event handler
    assert watch.dialogs == [] and watch.requests == []


def test_print_layout(page):
    pg, _ = page
    pg.select_option("#f-candidate", "brennan")
    pg.emulate_media(media="print")
    assert not pg.locator("#filters").is_visible()
    assert not pg.locator("nav.toc").is_visible()
    # A filtered screen still prints every commitment.
    assert len(visible_rows(pg)) == 19
    after = pg.evaluate(
        "getComputedStyle(document.querySelector('.card-foot a[href^=\"http\"]'), '::after').content"
    )
    assert "http" in after
    assert pg.evaluate("getComputedStyle(document.querySelector('.card')).breakInside") == "avoid"


def test_works_without_javascript(browser, scorecard):
    context = browser.new_context(java_script_enabled=False)
    pg = context.new_page()
    pg.goto(scorecard.as_uri())
    assert not pg.locator("#filters").is_visible()
    assert len(visible_rows(pg)) == 19
    assert pg.locator("svg.chart").count() == 2 and pg.locator("svg.chart").first.is_visible()
    context.close()


def test_the_watch_sees_requests_and_errors(browser, tmp_path):
    """The network and console checks above are not vacuous: a page that asks for an image
    (aborted here, so it never leaves the machine) and throws is caught."""
    leaky = tmp_path / "leaky.html"
    leaky.write_text(
        '<!DOCTYPE html><html lang="en"><body><img src="http://127.0.0.1:9/pixel.png" alt="">'
        "<script>throw new Error('boom')</script></body></html>",
        encoding="utf-8",
    )
    context = browser.new_context()
    pg = context.new_page()
    watch = Watch(pg, leaky.as_uri())
    pg.goto(leaky.as_uri())
    pg.wait_for_load_state("load")
    assert any("127.0.0.1:9" in url for url in watch.requests)
    assert any("boom" in e for e in watch.errors)
    context.close()
