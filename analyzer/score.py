"""Per-candidate and field figures, from the store's statements and predictions."""

from __future__ import annotations

import json
from collections import Counter

from .records import AREAS, CandidateScore
from .store import Store

__all__ = ["score_candidates", "INNOVATION_AREAS"]

INNOVATION_AREAS = ("operations", "capital", "collaboration")


def score_candidates(store: Store) -> list[CandidateScore]:
    """One CandidateScore per candidate, in field order.

    A candidate with no sources is "not checked" and one whose sources all failed is "not
    reachable": their figures are None rather than zero, so that a scorecard never reads
    "nothing found" where nothing was looked at.
    """
    rows = store.statement_rows()
    by_candidate: dict[str, list[dict]] = {}
    for row in rows:
        by_candidate.setdefault(row["candidate"], []).append(row)
    scores = []
    for cand in store.candidates():
        slug = cand["slug"]
        statements = by_candidate.get(slug, [])
        commitments = [r for r in statements if r["commitment"]]
        per_area = Counter(r["area"] for r in commitments)
        concrete = sum(1 for r in commitments if r["concreteness"] == "concrete")
        measurable = sum(1 for r in commitments if r["measurable"])
        n = len(commitments)
        checked = cand["status"] == "gathered"
        scores.append(
            CandidateScore(
                slug=slug,
                name=cand["name"],
                status=cand["status"],
                pages=store.page_count(slug),
                pages_failed=len(store.failures(slug)),
                statements=len(statements),
                commitments=n,
                innovation=sum(per_area[a] for a in INNOVATION_AREAS),
                per_area={a: per_area.get(a, 0) for a in AREAS},
                concrete=concrete,
                measurable=measurable,
                share_concrete=(concrete / n) if checked and n else None,
                share_measurable=(measurable / n) if checked and n else None,
                buzzword_density=(sum(r["buzzword_density"] or 0 for r in commitments) / n) if checked and n else None,
                sources=tuple(s.get("url") or s.get("path") or "" for s in json.loads(cand["sources"])),
            )
        )
    return scores
