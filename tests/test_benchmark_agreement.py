"""The guide labels of Speech-Acts sentences (benchmarks/data) and the agreement benchmark that reads them."""

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
LABELS = ROOT / "benchmarks" / "data" / "speech-acts-guide-labels.jsonl"
sys.path.insert(0, str(ROOT / "benchmarks"))


def test_guide_labels_hold_ids_and_our_labels_only():
    # the dataset's license is unstated: its text and labels stay outside the project
    rows = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == len({r["id"] for r in rows}) >= 900
    for row in rows:
        assert set(row) == {"id", "commitment", "concreteness", "confidence", "sample"}
        assert isinstance(row["commitment"], bool)
        assert row["concreteness"] in ({"concrete", "buzzword", None} if row["commitment"] else {None})
        assert row["confidence"] in ("sure", "unsure")


def test_a_broken_label_line_names_the_file_and_line(tmp_path):
    from bench_agreement import read_guide_labels

    from analyzer.errors import InputError

    path = tmp_path / "labels.jsonl"
    path.write_text('{"id": "A_1/1", "commitment": true}\n{"id": "A_1/2", "commitment": "yes"}\n', encoding="utf-8")
    with pytest.raises(InputError, match=r"labels\.jsonl:2: "):
        read_guide_labels(path)


def test_agreement_benchmark_prints_one_json_line_per_measure(tmp_path):
    folder = tmp_path / "Dataset"
    folder.mkdir()
    sentences = [
        ("1", "A re-elected Coalition Government will build the Northern Road upgrade by 2019.", "Commissive-A", "Specific"),
        ("2", "Labor has no plan for the economy.", "Assertive-V", ""),
        ("3", "Our plan will deliver jobs and growth.", "Commissive-O", ""),
        ("4", "The Coalition has cut red tape by $4.8 billion.", "Assertive", ""),
    ]
    with open(folder / "Liberal_MR_1.csv", "w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(["Id", "Sentence", "Categories", "Target Party", "Specificity", "Split"])
        for id_, text, category, spec in sentences:
            writer.writerow([id_, text, category, "Liberal", spec, "train"])
    labels = tmp_path / "labels.jsonl"
    guide = [(True, "concrete"), (False, None), (True, "buzzword"), (False, None)]
    labels.write_text("".join(json.dumps({"id": f"Liberal_MR_1/{i}", "commitment": c, "concreteness": k,
                                          "confidence": "sure", "sample": "test"}) + "\n"
                              for i, (c, k) in enumerate(guide, 1)), encoding="utf-8")
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "bench_agreement.py"), str(folder), "--labels", str(labels)],
                         capture_output=True, text=True, check=True, timeout=300)
    lines = [json.loads(line) for line in out.stdout.splitlines()]
    assert [line["benchmark"] for line in lines] == ["agreement_guide_vs_speech_acts", "accuracy_against_guide"]
    # the guide agrees with every label of this folder: precision, recall and kappa are all 1
    assert lines[0]["commitment"] == {"n": 4, "precision": 1.0, "recall": 1.0, "f1": 1.0, "kappa": 1.0}
    assert lines[0]["dataset_commitments"] == lines[0]["guide_commitments"] == 2
    assert lines[1]["commitment"]["n"] == 4
