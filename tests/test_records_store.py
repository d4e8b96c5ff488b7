import json

from analyzer.records import Page, Prediction, Section, Statement
from analyzer.store import Store
from analyzer.field import load_field, DEMO_FIELD


def test_records_as_dict_are_json_ready():
    page = Page(candidate="a", url="https://x.example/", content_type="text/html", body=b"<p>hi</p>")
    section = Section(kind="item", text="Create a portal.", start=0, end=16, heading_path=("Plan",))
    statement = Statement(text="Create a portal.", start=0, end=16, kind="bullet", heading_path=("Plan",))
    prediction = Prediction(commitment=True, commitment_score=0.9, area="operations", area2=None,
                            area_scores={"operations": 0.9}, concreteness="concrete", concreteness_score=0.8,
                            measurable=False, facets={"metric": False}, reasons=("x",))
    for record in (page, section, statement, prediction, load_field(DEMO_FIELD)):
        json.dumps(record.as_dict())
    assert "body" not in page.as_dict() and page.as_dict()["size"] == 9
    assert statement.heading == "Plan"


def test_store_pages_failures_and_resume(tmp_path):
    field = load_field(DEMO_FIELD)
    with Store(tmp_path / "s.sqlite") as store:
        store.add_candidates(field.candidates)
        pid = store.add_page(Page(candidate="alvarez", url="https://a.example/", content_type="text/html", body=b"x"))
        store.add_failure("alvarez", "https://a.example/dead", "not reachable", "timeout")
        assert store.has_page("alvarez", "https://a.example/")
        assert store.page(pid).body == b"x"
    with Store(tmp_path / "s.sqlite") as store:  # reopened: everything is still there
        assert store.page_count() == 1
        assert [f["reason"] for f in store.failures()] == ["not reachable"]
        assert {c["slug"]: c["status"] for c in store.candidates()}["okafor"] == "not checked"
        assert store.pages_to_analyze("v1") == [pid]
        store.save_analysis(pid, "Create a portal.", "T", [Statement(text="Create a portal.", start=0, end=16)],
                            [Prediction(True, 0.9, "operations", None, {}, "concrete", 0.8, False, {})], "v1")
        assert store.pages_to_analyze("v1") == []
        assert store.commitments()[0]["text"] == "Create a portal."
