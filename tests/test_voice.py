"""Quotations and their speakers: an endorser's words on a candidate's page are not the candidate's pledge."""

import pytest

from analyzer.records import Page
from analyzer.voice import is_someone_else, quotations, quoted_speaker


def speakers(text):
    return [(text[q.start:q.end], q.speaker) for q in quotations(text)]


@pytest.mark.parametrize(
    "text, speaker",
    [
        ("“Nurses measure everything,” said association president Janelle Okonkwo-Price.",
         "association president Janelle Okonkwo-Price"),
        ("“I will hire 200 teachers,” Alvarez said.", "Alvarez"),
        ("“I will hire 200 teachers,” Alvarez said in a statement.", "Alvarez"),
        ("“When Frank says he’ll do something, he does it.” — Councilor Betty Ahearn, District 7", "Councilor Betty Ahearn"),
        ("Alvarez said: “I will publish response times for every neighborhood.”", "Alvarez"),
        ('Walsh told reporters, "I will keep every branch open."', "Walsh"),
        ("“We will win,” she said.", "she"),
        ("I will end the “pay-to-play” culture at City Hall.", None),          # a phrase in quotes, no one's line
        ("Critics say the plan “will change nothing,” according to the Globe.", None),
        # a colon binds a speaker to the quotation it opens, not to the one before
        ("Alvarez said: “I will appoint a Chief Innovation Officer.” Smith said: “I will cut taxes.”", "Alvarez"),
        ("At the forum, “We will fix every road,” Alvarez promised. “That’s a gimmick,” said Tom Smith.", "Alvarez"),
        ("“We will win,” said Mayor Walsh at the forum.", "Mayor Walsh"),
    ],
)
def test_a_quotation_is_attributed_as_news_copy_writes_it(text, speaker):
    assert speakers(text)[0][1] == speaker


def test_an_unattributed_quotation_continues_the_speaker_before_it():
    text = ("The nurses endorsed Elena Alvarez. “Nurses measure everything,” said president Janelle Price. "
            "“Elena is the candidate who will bring that discipline to City Hall.”")
    assert [s for _, s in speakers(text)] == ["president Janelle Price", "president Janelle Price"]
    second = text.index("“Elena")
    assert quoted_speaker(quotations(text), second, len(text)) == "president Janelle Price"
    assert quoted_speaker(quotations(text), 0, text.index("“Nurses")) is None  # the narration is nobody's quote


@pytest.mark.parametrize(
    "speaker, own, other",
    [("Councilor Betty Ahearn", "Frank Dorsey", True), ("Mayor Frank Dorsey", "Frank Dorsey", False),
     ("O'Brien", "Kevin O’Brien", False), ("Elena", "Elena Álvarez", False), ("We have always", "Elena Alvarez", False),
     ("Dorsey", "Frank Dorsey", False), ("she", "Elena Alvarez", False), (None, "Elena Alvarez", False)],
)
def test_the_candidate_is_never_someone_else(speaker, own, other):
    assert is_someone_else(speaker, own) is other


ENDORSEMENT = """<html><body><main><h1>News</h1>
<p>The Harbor Nurses Association today endorsed Elena Alvarez for mayor. “Nurses measure everything, because
lives depend on it,” said association president Janelle Okonkwo-Price. “Elena is the candidate who will bring that
same discipline to City Hall, and she will publish ambulance response times for every neighborhood.”</p>
<p>“I will publish ambulance response times for every neighborhood within my first year,” Alvarez said.</p>
</main></body></html>"""


def test_an_endorsers_promise_is_theirs_and_the_candidates_own_quote_is_hers(models):
    from analyzer.pipeline import analyze_page

    page = Page(candidate="alvarez", url="https://example.org/news", content_type="text/html",
                body=ENDORSEMENT.encode("utf-8"))
    _, statements, predictions = analyze_page(page, models, own_name="Elena Alvarez")
    by_text = {s.text: (s, p) for s, p in zip(statements, predictions)}
    endorser = next(v for k, v in by_text.items() if k.startswith("“Elena is the candidate"))
    own = next(v for k, v in by_text.items() if k.startswith("“I will publish"))
    assert endorser[0].speaker == "association president Janelle Okonkwo-Price"
    assert not endorser[1].commitment and endorser[1].reasons[0].startswith("rule: quoting association president")
    assert own[0].speaker == "Alvarez" and own[1].commitment
    # without the candidate's name nothing is taken for someone else's: the speaker could be her
    _, _, unknown = analyze_page(page, models)
    assert not any(r.startswith("rule: quoting") for p in unknown for r in p.reasons)


def test_extract_names_the_speaker_and_reads_quotes_as_theirs_given_the_candidate(tmp_path):
    import json

    from click.testing import CliRunner

    from analyzer.cli import cli

    page = tmp_path / "news.html"
    page.write_text(ENDORSEMENT, encoding="utf-8")
    out = tmp_path / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(page), "--candidate", "Elena Alvarez", "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    endorser = next(r for r in rows if r["text"].startswith("“Elena is the candidate"))
    own = next(r for r in rows if r["text"].startswith("“I will publish"))
    assert endorser["speaker"] == "association president Janelle Okonkwo-Price" and endorser["commitment"] is False
    assert own["speaker"] == "Alvarez" and own["commitment"] is True


def test_an_unattributed_quotation_never_takes_a_later_speaker_or_crosses_narration():
    later = "She has a plan. “I will fix every road.” Her endorsers agree: “Elena delivers,” said Jane Roe."
    assert [q.speaker for q in quotations(later)] == [None, "Jane Roe"]
    narration = "“Nurses measure everything,” said Jane Roe. Alvarez thanked the nurses. “I will publish response times.”"
    assert [q.speaker for q in quotations(narration)] == ["Jane Roe", None]


def test_a_sentence_of_a_quotation_and_its_attribution_is_the_speakers():
    text = "“Elena will fix our roads,” said Janelle Okonkwo-Price, president of the Dorchester Nurses Association."
    assert quoted_speaker(quotations(text), 0, len(text)) == "Janelle Okonkwo-Price"


def test_many_quoted_sentences_cost_their_number():
    from analyzer.nlp import split_statements
    from analyzer.records import Section

    text = "“We will win.” said Ann Lee. " * 4000
    statements = split_statements([Section(kind="paragraph", text=text, start=0, end=len(text))], text)
    assert len(statements) == 8000 and all(s.speaker == "Ann Lee" for s in statements[:2])


def test_each_quotation_of_a_debate_paragraph_has_its_own_speaker():
    text = "Alvarez said: “I will appoint a Chief Innovation Officer.” Smith said: “I will cut taxes.”"
    assert [q.speaker for q in quotations(text)] == ["Alvarez", "Smith"]


def test_a_stored_analysis_depends_on_the_candidates_names(models):
    from analyzer.pipeline import analysis_version

    opponents = {"alvarez": ()}
    assert analysis_version(models, opponents, {"alvarez": "Elena Alvarez"}) != \
        analysis_version(models, opponents, {"alvarez": "Elena Álvarez-Ruiz"})
