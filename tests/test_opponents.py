"""Opponents' positions are not the candidate's commitments (ANNOTATION.md §1)."""

import pytest

from analyzer.classify import feature_frame, opponent_mention, opponent_names
from analyzer.nlp import analyze_texts

OPPONENTS = opponent_names(["Marty Walsh", "John R. Connolly Jr.", "Charlotte Golar Richie"], "Marty Walsh")


def test_opponent_names_are_full_and_last_names_but_never_ones_own():
    assert OPPONENTS == ("John R. Connolly Jr.", "Connolly", "Charlotte Golar Richie", "Richie")
    # two candidates sharing a surname: the surname alone would mark the speaker too
    assert opponent_names(["Ann Walsh", "Marty Walsh"], "Marty Walsh") == ("Ann Walsh",)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("Connolly wants to close the branch library.", "Connolly"),
        ("Connolly pledged to hire 200 teachers.", "Connolly"),
        ("If elected, Connolly will close three branch libraries.", "Connolly"),  # his condition, his plan
        ("Richie's plan would cost $40 million.", "Richie"),
        ("Unlike Connolly, I will keep the branch open.", None),   # the speaker's own pledge
        ("We will hire 200 teachers, as Richie proposed.", None),
        ("As mayor, Marty will hire 200 teachers.", None),          # nobody else named
        ("The Connollyville bridge will reopen.", None),            # a longer word is not the name
        ("The city will hire 200 teachers, not the 50 Connolly proposed.", None),  # the speaker's pledge first
        ("This plan will stop Connolly's cuts to libraries.", None),
        ("Hire 200 teachers by 2015, twice what Connolly offered.", None),          # an action bullet
    ],
)
def test_opponent_mention(text, expected):
    cues = next(analyze_texts([text]))["cues"]
    assert opponent_mention(text, OPPONENTS, cues) == expected


def test_a_bullet_is_the_speakers_unless_it_opens_with_the_opponent():
    cues = next(analyze_texts(["Reverse Connolly's library cuts."]))["cues"]
    assert opponent_mention("Reverse Connolly's library cuts.", OPPONENTS, cues, bullet=True) is None
    cues = next(analyze_texts(["Connolly: close three branches."]))["cues"]
    assert opponent_mention("Connolly: close three branches.", OPPONENTS, cues, bullet=True) == "Connolly"


def test_names_as_they_are_written_on_pages():
    # curly and straight apostrophes are the same; two-letter surnames count
    names = opponent_names(["Kevin O'Rourke", "Michelle Wu"], "Marty Walsh")
    assert names == ("Kevin O'Rourke", "O'Rourke", "Michelle Wu", "Wu")
    for text, expected in [("O’Rourke wants to sell the garage.", "O’Rourke"), ("Wu would close it.", "Wu")]:
        cues = next(analyze_texts([text]))["cues"]
        assert opponent_mention(text, names, cues) == expected


def test_an_opponents_plan_is_not_a_commitment(models):
    text = "Connolly pledged to hire 200 teachers."
    plain, aware = models.predict([{"text": text}, {"text": text, "opponents": OPPONENTS}])
    assert aware.commitment_score < plain.commitment_score
    assert not aware.commitment
    assert any("about an opponent" in r for r in aware.reasons)
    own = models.predict([{"text": "Unlike Connolly, I will hire 200 teachers.", "opponents": OPPONENTS}])[0]
    assert own.commitment


def test_the_pipeline_gives_each_candidate_its_opponents(tmp_path, models):
    from analyzer.pipeline import analyze_store, opponents_by_candidate
    from analyzer.records import Candidate, Page, Source
    from analyzer.store import Store

    html = (b"<html><body><main><h2>My plan</h2><p>Connolly wants to close three branch libraries by 2015.</p>"
            b"<p>I will keep every branch library open and extend their hours to 9 p.m. by 2015.</p></main></body></html>")
    with Store(tmp_path / "analysis.sqlite") as store:
        store.add_candidates([Candidate(name="Marty Walsh", slug="walsh", sources=(Source(kind="live", url="http://w.example/"),)),
                              Candidate(name="John Connolly", slug="connolly", sources=(Source(kind="live", url="http://c.example/"),))])
        store.add_page(Page(candidate="walsh", url="http://w.example/", content_type="text/html", body=html))
        assert opponents_by_candidate(store)["walsh"] == ("John Connolly", "Connolly")
        analyze_store(store, models, 2013)
        rows = {r["text"]: r for r in store.statement_rows()}
    assert not rows["Connolly wants to close three branch libraries by 2015."]["commitment"]
    assert rows["I will keep every branch library open and extend their hours to 9 p.m. by 2015."]["commitment"]


@pytest.mark.parametrize("opponents", ["Connolly", ["Connolly"], ["Connolly", None, 3], {"Connolly"}])
def test_opponents_from_json_in_any_reasonable_shape(models, opponents):
    p = models.predict([{"text": "Connolly pledged to hire 200 teachers.", "opponents": opponents}])[0]
    assert not p.commitment


def test_adding_a_candidate_to_the_field_reanalyzes_the_pages(tmp_path, models):
    """Who is in the race changes how a page reads, so it is part of the analysis version."""
    from analyzer.pipeline import analyze_store
    from analyzer.records import Candidate, Page, Source
    from analyzer.store import Store

    walsh = Candidate(name="Marty Walsh", slug="walsh", sources=(Source(kind="live", url="http://w.example/"),))
    connolly = Candidate(name="John Connolly", slug="connolly", sources=(Source(kind="live", url="http://c.example/"),))
    html = b"<html><body><main><p>Connolly pledged to hire 200 teachers by 2015.</p></main></body></html>"
    with Store(tmp_path / "analysis.sqlite") as store:
        store.add_candidates([walsh])
        store.set_meta("field_candidates", '["walsh"]')
        store.add_page(Page(candidate="walsh", url="http://w.example/", content_type="text/html", body=html))
        assert analyze_store(store, models, 2013) == 1
        assert store.statement_rows()[0]["commitment"]  # nobody else in the field: read as a pledge
        assert analyze_store(store, models, 2013) == 0
        store.add_candidates([connolly])
        store.set_meta("field_candidates", '["walsh", "connolly"]')
        assert analyze_store(store, models, 2013) == 1
        assert not store.statement_rows()[0]["commitment"]
        # dropped from the field again: no longer an opponent, though still in the store
        store.set_meta("field_candidates", '["walsh"]')
        assert analyze_store(store, models, 2013) == 1
        assert store.statement_rows()[0]["commitment"]


def test_a_page_that_breaks_the_analysis_keeps_the_pages_before_it(tmp_path, models, monkeypatch):
    import analyzer.pipeline as pipeline
    from analyzer.records import Candidate, Page, Source
    from analyzer.store import Store

    real = pipeline.page_text

    def page_text(page):
        if page.url.endswith("/3"):
            raise RuntimeError("boom")
        return real(page)

    monkeypatch.setattr(pipeline, "page_text", page_text)
    with Store(tmp_path / "analysis.sqlite") as store:
        store.add_candidates([Candidate(name="Marty Walsh", slug="walsh", sources=(Source(kind="live", url="http://w.example/"),))])
        for i in range(1, 5):
            store.add_page(Page(candidate="walsh", url=f"http://w.example/{i}", content_type="text/html",
                                body=b"<html><body><p>I will fix every pothole on Main Street by 2015.</p></body></html>"))
        with pytest.raises(RuntimeError):
            pipeline.analyze_store(store, models, 2013)
        assert len(store.pages_to_analyze(pipeline.analysis_version(models, pipeline.opponents_by_candidate(store), pipeline.candidate_names(store)))) == 2


def test_an_opponent_whose_name_is_a_verb_opens_no_action_bullet():
    # "Shorten" opens the sentence as a name, not as the imperative "shorten the wait"
    opponents = opponent_names(["Dana Shorten", "Marty Walsh"], "Marty Walsh")
    text = "Shorten delivered more unfunded promises and higher fees."
    cues = next(analyze_texts([text]))["cues"]
    assert cues.get("VERB_FIRST") == "Shorten"
    assert opponent_mention(text, opponents, cues) == "Shorten"
    frame, feats = feature_frame([{"text": text, "opponents": opponents}])
    assert "OPPONENT" in feats[0]["cues"] and "VERB_FIRST" not in feats[0]["cues"]
    # the imperative stays the speaker's, even with the name beside it
    for text in ("Shorten the wait for permits that Shorten let grow.", "Shorten wait times for building permits to 30 days.",
                 "Shorten your commute: ride the new express bus.", "Shorten 311 hold times to one minute.",
                 "Shorten lines at City Hall."):
        assert opponent_mention(text, opponents, next(analyze_texts([text]))["cues"]) is None, text
    for text in ("Shorten’s plan would cost $40 million.", "Shorten needs to explain the cuts.", "Shorten, the incumbent, said no."):
        assert opponent_mention(text, opponents, next(analyze_texts([text]))["cues"]) == "Shorten", text


def test_a_vetoed_statement_is_no_commitment_and_its_reasons_say_why(models):
    from analyzer.classify import REVIEW_BAND, VETO_CEILING

    opponents = opponent_names(["Marty Walsh", "John Connolly"], "Marty Walsh")
    [p] = models.predict([{"text": "Connolly pledged to hire 200 teachers by 2015.", "opponents": opponents}])
    assert not p.commitment and p.commitment_score <= VETO_CEILING < REVIEW_BAND[0]
    assert p.reasons[0].startswith("rule: about an opponent")
    # the terms shown are those against a commitment, as the label is
    assert not any(r.startswith("commitment terms") for r in p.reasons)


def test_a_scenario_under_the_opponent_is_no_pledge_of_the_speaker():
    # "we would…" after "Under Connolly," is what the speaker says the rival's rule would bring
    opponents = ("Connolly",)
    frame, feats = feature_frame([{"text": "Under Connolly, we would lose 3,000 jobs.", "opponents": opponents},
                                  {"text": "If Connolly wins, families will pay more for trash pickup.", "opponents": opponents},
                                  {"text": "Unlike Connolly, I will hire 50 officers.", "opponents": opponents}])
    assert feats[0]["cues"].get("OPPONENT") == "Connolly" and "FUT_1P" not in feats[0]["cues"]
    assert feats[1]["cues"].get("OPPONENT") == "Connolly"
    assert "OPPONENT" not in feats[2]["cues"] and "FUT_1P" in feats[2]["cues"]
