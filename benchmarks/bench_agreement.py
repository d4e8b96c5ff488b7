"""How far Speech-Acts' labels are from this project's annotation guide, and the model from both.

Usage: python benchmarks/bench_agreement.py [PATH_TO_speech-acts/Dataset] [--models DIR] [--labels FILE]

``bench_accuracy.py`` scores the models against Speech-Acts' own labels, which were made for
another scheme (speech acts of a national campaign: a ``Commissive`` is a promise of an action or
an outcome). This benchmark asks how far that scheme is from ours. ``data/speech-acts-guide-labels.jsonl``
holds a second labeling of 920 of its sentences, drawn at random, made by the team's annotators
reading ``ANNOTATION.md`` and each sentence alone, blind to the dataset's labels and to the
models (two samples: 320 sentences drawn from all 3,907, then 600 from those in neither it nor
an earlier sample of 260 sentences chosen among the dataset's commissives; so the 920 hold fewer
commitments, 18%, than the dataset, 23%). The file holds sentence ids
and our labels only, never the dataset's text or labels: they are read in place.

Prints one JSON line per measure, on the labeled sentences:
- ``agreement_guide_vs_speech_acts``: precision, recall, F1 and Cohen's kappa of the guide's
  commitment labels against the dataset's (the dataset as the reference), on all sentences and on
  those the annotator marked ``sure``; the same for concreteness where both give one;
- ``accuracy_against_guide``: the models' commitment precision, recall and F1 against the guide's
  labels, beside their F1 against the dataset's labels on the same sentences.
A model judged against labels that its own guide reaches only at some F1 cannot be asked to exceed
that F1 without learning the other scheme: the first line is that ceiling.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "datasets" / "speech-acts" / "Dataset"
LABELS = Path(__file__).resolve().parent / "data" / "speech-acts-guide-labels.jsonl"


def read_guide_labels(path: Path) -> list[dict]:
    from analyzer.errors import InputError

    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row.get("id"), str) or not isinstance(row.get("commitment"), bool):
                raise ValueError("needs a string id and a true/false commitment")
        except ValueError as exc:
            raise InputError(f"{path}:{number}: {exc}") from None
        rows.append(row)
    return rows


def _binary(reference: list[bool], predicted: list[bool]) -> dict:
    from sklearn.metrics import cohen_kappa_score, precision_recall_fscore_support

    p, r, f, _ = precision_recall_fscore_support(reference, predicted, average="binary", zero_division=0)
    return {"n": len(reference), "precision": round(float(p), 4), "recall": round(float(r), 4), "f1": round(float(f), 4),
            "kappa": round(float(cohen_kappa_score(reference, predicted)), 4)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--models", default=None)
    parser.add_argument("--labels", default=str(LABELS))
    args = parser.parse_args(argv)

    from sklearn.metrics import f1_score

    from analyzer.classify import load_models
    from analyzer.labeled import election_year_of, read_speech_acts

    units = read_speech_acts(args.path)
    by_id = {u["id"]: u for u in units}
    guide = [g for g in read_guide_labels(Path(args.labels)) if g["id"] in by_id]
    if not guide:
        raise SystemExit(f"Error: none of the ids in {args.labels} is a sentence of {args.path}")
    sample = [by_id[g["id"]] for g in guide]
    dataset = [u["commitment"] for u in sample]
    ours = [g["commitment"] for g in guide]
    sure = [i for i, g in enumerate(guide) if g.get("confidence") == "sure"]
    both = [(u["concreteness"], g["concreteness"]) for u, g in zip(sample, guide) if u["concreteness"] and g.get("concreteness")]
    print(json.dumps({
        "benchmark": "agreement_guide_vs_speech_acts",
        "dataset_commitments": sum(dataset), "guide_commitments": sum(ours),
        "commitment": _binary(dataset, ours),
        "commitment_sure_only": _binary([dataset[i] for i in sure], [ours[i] for i in sure]),
        "concreteness": {"n": len(both), "macro_f1": round(float(f1_score([a for a, _ in both], [b for _, b in both],
                                                                             average="macro")), 4) if both else None},
    }))

    models = load_models(args.models)
    predictions = models.predict(sample, election_year_of(units), explain=False)
    predicted = [p.commitment for p in predictions]
    conc = [(g["concreteness"], p.concreteness) for g, p in zip(guide, predictions)
            if g["commitment"] and g.get("concreteness") and p.commitment]
    print(json.dumps({
        "benchmark": "accuracy_against_guide",
        "models": str(models.folder), "version": models.version,
        "commitment": _binary(ours, predicted),
        "commitment_against_dataset_same_sentences": _binary(dataset, predicted),
        "concreteness": {"n": len(conc), "macro_f1": round(float(f1_score([a for a, _ in conc], [b for _, b in conc],
                                                                             average="macro")), 4) if conc else None},
    }))


if __name__ == "__main__":
    main()
