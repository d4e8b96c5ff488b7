"""Golden tests: realistic pages with the statements and commitments a reader would mark."""

import pytest

from analyzer.pipeline import analyze_page
from analyzer.records import Page

from conftest import FIXTURES, ROOT

# (page, {statement text: is it a commitment?}) — every statement listed must be found, with that label
GOLDEN = {
    "platform.html": {
        "My Plan for a City Hall That Works": False,                      # a topic heading
        "Too many families wait weeks for a building permit.": False,     # a problem
        "As a city councilor, I created the city's first open-data ordinance in 2009.": False,  # a record
        "As mayor, I will appoint a Chief Innovation Officer in my first 100 days.": True,
        "Create a 24-hour online permitting portal.": True,               # imperative bullet under a plan heading
        "Cut permit wait times in half by 2016.": True,
        "Permits and licenses": False,
        "I will partner with local universities to study what works.": True,
    },
    "qa.html": {
        "Encourage open data?": False,                                   # a questionnaire title
        "Q: Would you support an open data ordinance?": False,           # the interviewer's question
        "I'd sign an open data executive order in my first week and ask the council to make it law within a year.": True,
        "My opponent wants to raise fees on every family.": False,       # someone else's position
        "I believe every child deserves a great school.": False,         # a value
    },
    "bio.html": {
        "Dana Ruiz grew up in East Harbor, the daughter of a bus driver and a school nurse.": False,
        "She served two terms on the city council, where she chaired the budget committee.": False,
        "In 2011 she led the fight to keep the Oak Street library open.": False,
    },
}


def _analyze(name, ctype, models):
    page = Page(candidate="t", url=f"https://t.example/{name}", content_type=ctype, body=(FIXTURES / name).read_bytes())
    extracted, statements, predictions = analyze_page(page, models, reference_year=2013)
    return extracted, {s.text: (s, p) for s, p in zip(statements, predictions)}


@pytest.mark.parametrize("name", sorted(GOLDEN))
def test_golden_page(name, models):
    extracted, found = _analyze(name, "text/html", models)
    for text, expected in GOLDEN[name].items():
        assert text in found, f"statement not found: {text!r}"
        statement, prediction = found[text]
        assert prediction.commitment is expected, (text, prediction.commitment_score, prediction.reasons)
        assert extracted.text[statement.start:statement.end] == text


def test_golden_area_and_concreteness(models):
    _, found = _analyze("platform.html", "text/html", models)
    cio = found["As mayor, I will appoint a Chief Innovation Officer in my first 100 days."][1]
    assert cio.area == "operations" and cio.concreteness == "concrete" and cio.measurable
    assert cio.facets["deadline"] and cio.facets["owner"]
    universities = found["I will partner with local universities to study what works."][1]
    assert universities.area == "collaboration"


def test_golden_pdf_platform(models):
    pdf = ROOT / "corpora" / "demo" / "chen" / "chen-platform.pdf"
    page = Page(candidate="chen", url="https://chen.example/chen-platform.pdf", content_type="application/pdf",
                body=pdf.read_bytes())
    _, statements, predictions = analyze_page(page, models, reference_year=2013)
    commitments = [(s, p) for s, p in zip(statements, predictions) if p.commitment]
    assert len(commitments) >= 15
    assert all(s.page_number for s, _ in commitments)
    collaboration = sum(1 for _, p in commitments if p.area == "collaboration")
    assert collaboration > len(commitments) / 3, "Chen's plan is mostly about working with partners"
