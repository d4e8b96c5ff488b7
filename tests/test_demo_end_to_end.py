"""The demo field, end to end, checked by its content."""

import csv
import json
import sqlite3

from analyzer.field import DEMO_FIELD, load_field


def read_csv(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_outputs_exist(demo_run):
    for name in ("scorecard.html", "commitments.csv", "candidates.csv", "analysis.sqlite", "metadata.json"):
        assert (demo_run.out / name).stat().st_size > 0, name
    json.loads((demo_run.out / "metadata.json").read_text(encoding="utf-8"))


def test_every_candidate_present(demo_run):
    field = load_field(DEMO_FIELD)
    rows = {r["slug"]: r for r in read_csv(demo_run.out / "candidates.csv")}
    assert set(rows) == {c.slug for c in field.candidates}
    assert rows["okafor"]["status"] == "not checked"
    html = (demo_run.out / "scorecard.html").read_text(encoding="utf-8")
    for candidate in field.candidates:
        assert candidate.name in html
    assert "fictional" in html.lower()
    assert "not checked" in html.lower()


def test_commitments_have_quotes_sources_and_labels(demo_run):
    rows = read_csv(demo_run.out / "commitments.csv")
    assert len(rows) > 50
    db = sqlite3.connect(demo_run.out / "analysis.sqlite")
    for row in rows:
        assert row["quote"] and row["url"].startswith("https://")
        assert row["area"] in ("operations", "capital", "collaboration", "other")
        assert row["concreteness"] in ("concrete", "buzzword")
        page_text = db.execute("SELECT p.text FROM pages p WHERE p.url = ? AND p.candidate = ?",
                               (row["url"], row["candidate"])).fetchone()[0]
        assert page_text[int(row["start"]):int(row["end"])] == row["quote"].lstrip("'")
    assert any(r["url"].endswith(".pdf") for r in rows), "the PDF platform contributes commitments"


def test_contrast_between_candidates(demo_run):
    rows = read_csv(demo_run.out / "commitments.csv")

    def share(slug, predicate, among=lambda r: True):
        chosen = [r for r in rows if r["candidate"] == slug and among(r)]
        return sum(1 for r in chosen if predicate(r)) / max(1, len(chosen))

    concrete = lambda r: r["concreteness"] == "concrete"  # noqa: E731
    innovation = lambda r: r["area"] != "other"  # noqa: E731
    # Alvarez: concrete and measurable; Brennan: buzzwords
    assert share("alvarez", concrete) > share("brennan", concrete) + 0.25
    # Chen: collaboration leads her innovation commitments, and more than anyone else's
    chen_collab = share("chen", lambda r: r["area"] == "collaboration", innovation)
    for other in ("alvarez", "brennan", "dorsey"):
        assert chen_collab > share(other, lambda r: r["area"] == "collaboration", innovation)
    # Dorsey: few innovation commitments
    counts = {s: sum(1 for r in rows if r["candidate"] == s and innovation(r)) for s in ("alvarez", "brennan", "chen", "dorsey")}
    assert counts["dorsey"] == min(counts.values())
    assert counts["dorsey"] * 3 < counts["alvarez"]


def test_rerun_reuses_the_store(demo_run, models):
    from analyzer.pipeline import run_field

    db = sqlite3.connect(demo_run.out / "analysis.sqlite")
    before = db.execute("SELECT group_concat(id || fetched_at) FROM pages").fetchone()[0]
    statements_before = db.execute("SELECT count(*), max(id) FROM statements").fetchone()
    db.close()
    again = run_field(None, demo_run.out, models=models)
    db = sqlite3.connect(demo_run.out / "analysis.sqlite")
    assert db.execute("SELECT group_concat(id || fetched_at) FROM pages").fetchone()[0] == before
    assert db.execute("SELECT count(*), max(id) FROM statements").fetchone() == statements_before
    assert again.commitments == demo_run.commitments
