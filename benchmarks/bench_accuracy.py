"""Accuracy on real text: the Speech-Acts corpus (2016 Australian campaign text).

Usage: python benchmarks/bench_accuracy.py [PATH_TO_speech-acts/Dataset] [--models DIR]

Prints one JSON line per measure:
- commitment: precision, recall, F1 (commitment = Commissive-A or -O), against the keyword
  baseline ("will" or "commit" in the sentence). Each sentence is analyzed knowing the
  opponents of its party and the election's year, as a field file tells the analyzer a
  candidate's opponents and the race's date (``analyzer.labeled.SPEECH_ACTS_OPPONENTS``,
  ``SPEECH_ACTS_YEAR``); ``f1_without_opponents`` is the figure without the opponents,
  ``f1_without_field`` without either;
- concreteness: macro-F1 on Commissive-A rows with a Specificity label, against the
  "has a digit or $" baseline.
The data is read in place and never copied into the project.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DEFAULT = ROOT.parent / "shared" / "datasets" / "speech-acts" / "Dataset"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=str(DEFAULT))
    parser.add_argument("--models", default=None)
    args = parser.parse_args(argv)

    from sklearn.metrics import f1_score, precision_recall_fscore_support

    from analyzer.classify import load_models
    from analyzer.labeled import election_year_of, read_speech_acts

    units = read_speech_acts(args.path)
    models = load_models(args.models)
    start = time.perf_counter()
    year = election_year_of(units)
    predictions = models.predict(units, year, explain=False)
    seconds = time.perf_counter() - start

    gold = [u["commitment"] for u in units]
    pred = [p.commitment for p in predictions]
    keyword = [bool(re.search(r"\b(will|commit\w*)\b", u["text"], re.I)) for u in units]
    p, r, f, _ = precision_recall_fscore_support(gold, pred, average="binary", zero_division=0)
    kp, kr, kf, _ = precision_recall_fscore_support(gold, keyword, average="binary", zero_division=0)
    blind = models.predict([{k: v for k, v in u.items() if k != "opponents"} for u in units], year, explain=False)
    _, _, bf, _ = precision_recall_fscore_support(gold, [b.commitment for b in blind], average="binary", zero_division=0)
    bare = models.predict([{k: v for k, v in u.items() if k != "opponents"} for u in units], explain=False)
    _, _, nf, _ = precision_recall_fscore_support(gold, [b.commitment for b in bare], average="binary", zero_division=0)
    print(json.dumps({"benchmark": "accuracy_commitment_speech_acts", "n": len(units), "precision": round(p, 4),
                      "recall": round(r, 4), "f1": round(f, 4), "f1_without_opponents": round(bf, 4), "f1_without_field": round(nf, 4),
                      "baseline_keyword_f1": round(kf, 4),
                      "target_f1": 0.80, "model_version": models.version, "seconds": round(seconds, 2)}))

    spec = [(u, pr) for u, pr in zip(units, predictions) if u.get("concreteness")]
    gold_c = [u["concreteness"] for u, _ in spec]
    pred_c = [pr.concreteness for _, pr in spec]
    digit = ["concrete" if re.search(r"[\d$]", u["text"]) else "buzzword" for u, _ in spec]
    print(json.dumps({"benchmark": "accuracy_concreteness_speech_acts", "n": len(spec),
                      "macro_f1": round(f1_score(gold_c, pred_c, average="macro"), 4),
                      "baseline_digit_macro_f1": round(f1_score(gold_c, digit, average="macro"), 4),
                      "target_macro_f1": 0.78, "model_version": models.version}))


if __name__ == "__main__":
    main()
