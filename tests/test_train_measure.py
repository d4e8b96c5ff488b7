"""`analyzer train --measure NAME=PATH`: labeled data of one's own, measured and recorded in the cards."""
import json
import shutil
from pathlib import Path

from analyzer.classify import load_models
from analyzer.cli import cli
from click.testing import CliRunner

UNITS = Path(__file__).resolve().parent.parent / "corpora" / "labeled" / "units"


def test_train_records_each_measured_set_in_the_cards_and_never_trains_on_it(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    for path in sorted(UNITS.glob("a-0*.jsonl")):
        shutil.copy(path, data)
    mine = UNITS / "b-01.jsonl"
    result = CliRunner().invoke(cli, ["--quiet", "train", "--data", str(data), "--out", str(tmp_path / "m"), "--no-compare",
                                      "--measure", f"held_out_mine={mine}"])
    assert result.exit_code == 0, result.output
    assert "commitment\theld_out_mine\tmacro-F1" in result.stdout
    card = json.loads((tmp_path / "m" / "commitment" / "card.json").read_text(encoding="utf-8"))
    measured = card["metrics"]["held_out_mine"]
    assert measured["n"] == sum(1 for line in mine.open(encoding="utf-8") if line.strip())
    assert card["data"]["units"] == sum(1 for p in data.glob("*.jsonl") for line in p.open(encoding="utf-8") if line.strip())
    area = json.loads((tmp_path / "m" / "area" / "card.json").read_text(encoding="utf-8"))
    assert "held_out_mine" in area["metrics"]  # the set labels areas, so the area model is measured on it too
    assert load_models(tmp_path / "m").predict([{"text": "I will fix every pothole."}])[0].commitment
