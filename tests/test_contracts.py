"""DESIGN.md contracts 2 and 3, exactly: other tools rely on them."""

import json

from click.testing import CliRunner

from analyzer.cli import cli

from conftest import FIXTURES

PREDICTION_FIELDS = {"commitment", "commitment_score", "area", "area_scores", "concreteness", "concreteness_score",
                     "measurable", "facets", "reasons"}
UNITS = [
    {"id": "u1", "text": "As mayor, I will appoint a Chief Innovation Officer in my first 100 days.", "heading": "My plan"},
    {"id": "u2", "text": "Too many families wait weeks for a building permit."},
    {"text": "Bring 21st-century innovation to City Hall.", "extra": {"kept": [1, 2]}},
    {"id": 4, "text": "Create a $5 million fund for pay-for-success contracts.", "heading": "Budget"},
    {"id": "u5", "text": ""},
]


def check_prediction(row):
    assert PREDICTION_FIELDS <= set(row)
    assert isinstance(row["commitment"], bool)
    assert 0.0 <= row["commitment_score"] <= 1.0
    assert row["area"] in ("operations", "capital", "collaboration", "other")
    assert set(row["area_scores"]) == {"operations", "capital", "collaboration", "other"}
    assert abs(sum(row["area_scores"].values()) - 1.0) < 0.01
    assert row["concreteness"] in ("concrete", "buzzword")
    assert 0.0 <= row["concreteness_score"] <= 1.0
    assert isinstance(row["measurable"], bool)
    assert set(row["facets"]) == {"metric", "target", "deadline", "budget", "owner"}
    assert all(isinstance(v, bool) for v in row["facets"].values())
    assert isinstance(row["reasons"], list) and all(isinstance(r, str) for r in row["reasons"])


def test_classify_contract(tmp_path):
    src, dst = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(u) + "\n" for u in UNITS), encoding="utf-8")
    result = CliRunner().invoke(cli, ["classify", str(src), "-o", str(dst)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in dst.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len(UNITS)
    for unit, row in zip(UNITS, rows):
        for key, value in unit.items():
            assert row[key] == value  # input fields kept, in order
        check_prediction(row)
    assert rows[0]["commitment"] is True and rows[1]["commitment"] is False
    assert rows[3]["facets"]["budget"] is True


def test_classify_reads_stdin_and_writes_stdout():
    payload = "".join(json.dumps(u) + "\n" for u in UNITS[:2])
    result = CliRunner().invoke(cli, ["classify", "-"], input=payload)
    assert result.exit_code == 0
    rows = [json.loads(line) for line in result.output.splitlines()]
    assert [r["id"] for r in rows] == ["u1", "u2"]


def test_extract_contract(tmp_path):
    out = tmp_path / "statements.jsonl"
    result = CliRunner().invoke(cli, ["extract", str(FIXTURES / "platform.html"), "-o", str(out)])
    assert result.exit_code == 0, result.output
    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert rows
    for row in rows:
        assert {"text", "heading", "start", "end"} <= set(row)
        assert row["end"] - row["start"] == len(row["text"])
        check_prediction(row)
    bullet = next(r for r in rows if r["text"] == "Create a 24-hour online permitting portal.")
    assert bullet["heading"] == "Permits and licenses"
    assert bullet["commitment"] is True
