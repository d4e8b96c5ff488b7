from analyzer.nlp import split_statements
from analyzer.records import Page
from analyzer.text import lines_sections, page_text

from conftest import FIXTURES, ROOT


def _page(name, ctype="text/html"):
    return Page(candidate="t", url=f"https://t.example/{name}", content_type=ctype, body=(FIXTURES / name).read_bytes())


def test_platform_page_structure_and_boilerplate():
    extracted = page_text(_page("platform.html"))
    text = extracted.text
    assert extracted.title == "The Plan | Dana Ruiz for Mayor"
    for boilerplate in ("cookies", "Donate $25", "Tweet this", "Volunteer with us", "Paid for by", "do not read me", "Home"):
        assert boilerplate not in text
    bullets = [s for s in extracted.sections if s.kind == "item"]
    assert [b.text for b in bullets] == ["Create a 24-hour online permitting portal.", "Cut permit wait times in half by 2016."]
    assert bullets[0].heading_path == ("My Plan for a City Hall That Works", "Permits and licenses")
    universities = next(s for s in extracted.sections if "universities to study" in s.text)
    assert universities.heading_path[-2:] == ("Working together", "With our universities")
    for section in extracted.sections:
        assert text[section.start:section.end] == section.text


def test_statements_keep_offsets_and_abbreviations():
    extracted = page_text(_page("platform.html"))
    statements = split_statements(extracted.sections, extracted.text)
    texts = [s.text for s in statements]
    assert "As mayor, I will appoint a Chief Innovation Officer in my first 100 days." in texts
    assert any(t.startswith("We'll publish every department's budget online by Jan. 1, 2015, at 9 a.m.") and t.endswith("St. Paul.") for t in texts)
    assert "Create a 24-hour online permitting portal." in texts
    for s in statements:
        assert extracted.text[s.start:s.end] == s.text
    kinds = {s.text: s.kind for s in statements}
    assert kinds["Create a 24-hour online permitting portal."] == "bullet"
    assert kinds["Permits and licenses"] == "heading"


def test_qa_and_bio_pages():
    qa = page_text(_page("qa.html"))
    assert any("open data executive order" in s.text for s in qa.sections)
    assert "Home | Issues" not in qa.text
    bio = page_text(_page("bio.html"))
    assert "bus driver" in bio.text and "Paid for by" not in bio.text


def test_pdf_pages_have_numbers():
    pdf = ROOT / "corpora" / "demo" / "chen" / "chen-platform.pdf"
    extracted = page_text(Page(candidate="c", url="x.pdf", content_type="application/pdf", body=pdf.read_bytes()))
    assert {s.page_number for s in extracted.sections} >= {1, 2}
    assert any(s.kind == "item" for s in extracted.sections)
    assert any(s.kind == "heading" for s in extracted.sections)


def test_plain_text_lines():
    blocks = lines_sections("# My Plan\n\nWe will do this. And that.\n\n- Create a fund.\n- Hire staff.\n")
    assert [b[0] for b in blocks] == ["heading", "paragraph", "item", "item"]
    assert blocks[2][2] == ("My Plan",)


def _demo_page(path):
    return Page(candidate="t", url=f"https://t.example/{path}", content_type="text/html",
                body=(ROOT / "corpora" / "demo" / path).read_bytes())


def test_main_content_vetoes_short_boilerplate_the_class_rules_miss():
    # <div id="cookienotice"> and <p class="tagline"> match no boilerplate rule; trafilatura's
    # view of the main content leaves them out, and the pledges stay
    taxes = page_text(_demo_page("dorsey/issues/taxes.html")).text
    assert "This website uses cookies" not in taxes
    assert "Freeze residential property taxes for four years." in taxes
    assert "I’ll put the city’s checkbook online so every taxpayer can see where the money goes." in taxes
    schools = page_text(_demo_page("alvarez/issues/schools.html")).text
    assert "Results you can measure." not in schools


def test_the_main_content_call_runs():
    # it once passed an argument trafilatura does not take, and the TypeError was swallowed
    from analyzer.text import _main_text

    html = (ROOT / "corpora" / "demo" / "dorsey" / "issues" / "taxes.html").read_text(encoding="utf-8")
    main = _main_text(html)
    assert main is not None and "freezeresidentialpropertytaxesforfouryears" in main


def test_a_reported_pledge_on_a_news_page_is_kept():
    news = page_text(_demo_page("alvarez/news.html")).text
    assert "She said she would also ask the Council to approve a $5 million pay-for-success fund" in news


def test_pages_trafilatura_cannot_judge_log_nothing(caplog):
    tiny = Page(candidate="t", url="https://t.example/", content_type="text/html",
                body=b"<html><body><p>Vote Tuesday.</p></body></html>")
    odd = Page(candidate="t", url="https://t.example/", content_type="text/html",
               body=("<html><body>" + "<p>We will fix the roads in every ward this year.</p>" * 8 + "</body></html>").encode())
    with caplog.at_level("DEBUG"):
        assert [s.text for s in page_text(tiny).sections] == ["Vote Tuesday."]
        assert len(page_text(odd).sections) == 8
    assert not [r for r in caplog.records if r.name.startswith("trafilatura") and r.levelno >= 30]
