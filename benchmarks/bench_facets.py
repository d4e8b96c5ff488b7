"""Facet rules against labeled facets: precision, recall and F1 of each facet's rule.

Usage: python benchmarks/bench_facets.py [LABELED_JSONL_OR_FOLDER] [--split test]

Reads concrete commitments with ``facets`` (ANNOTATION.md §3) — by default the project corpus —
and compares each facet the rules find (``analyzer.nlp``, ``doc._.facets``) with the label.
Prints one JSON line. On the project corpus the figure is not independent: the rules were
written while reading it; give another labeled set to measure them on unseen text.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default=None)
    parser.add_argument("--split", choices=["train", "dev", "test"], default=None,
                        help="Only the project corpus's documents of this split (without a path).")
    args = parser.parse_args(argv)

    from analyzer.labeled import CORPUS_DIR, election_year_of, load_corpus, read_labeled
    from analyzer.nlp import analyze_texts
    from analyzer.records import FACETS

    if args.path:
        units = read_labeled(Path(args.path))
    else:
        units = load_corpus(CORPUS_DIR, split=args.split)
    units = [u for u in units if u.get("concreteness") == "concrete" and isinstance(u.get("facets"), dict)]
    started = time.perf_counter()
    # units that share an election year are read as a run of that election reads them
    found = [f["facets"] for f in analyze_texts((u["text"] for u in units), election_year_of(units))]
    out = {"benchmark": "facet_rules", "data": args.path or "corpora/labeled", "split": args.split, "units": len(units)}
    for facet in FACETS:
        tp = sum(1 for u, f in zip(units, found) if u["facets"].get(facet) and f[facet])
        fp = sum(1 for u, f in zip(units, found) if not u["facets"].get(facet) and f[facet])
        fn = sum(1 for u, f in zip(units, found) if u["facets"].get(facet) and not f[facet])
        p = tp / (tp + fp) if tp + fp else 0.0
        r = tp / (tp + fn) if tp + fn else 0.0
        out[facet] = {"precision": round(p, 3), "recall": round(r, 3), "f1": round(2 * p * r / (p + r), 3) if p + r else 0.0,
                      "labeled": tp + fn}
    out["seconds"] = round(time.perf_counter() - started, 2)
    print(json.dumps(out))


if __name__ == "__main__":
    main()
