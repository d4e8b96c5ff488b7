"""commitments.csv and candidates.csv: the figures in a form people re-use and check.

UTF-8, one header row, booleans as ``true``/``false``, missing values as empty cells. Text from
the web is guarded against CSV formula injection: a spreadsheet would run a cell that starts
with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return before one) as a formula, so such
text cells get a leading apostrophe, which spreadsheets show as plain text.
"""

from __future__ import annotations

import csv
from pathlib import Path

from ..records import AREAS, FACETS

__all__ = ["COMMITMENT_COLUMNS", "CANDIDATE_COLUMNS", "write_commitments_csv", "write_candidates_csv", "guard"]

COMMITMENT_COLUMNS = (
    ["id", "candidate", "candidate_name", "quote", "start", "end", "page_number", "heading", "area", "area2"]
    + [f"area_score_{a}" for a in AREAS]
    + ["concreteness", "concreteness_score", "commitment_score", "measurable"]
    + [f"facet_{f}" for f in FACETS]
    + ["needs_review", "reasons", "page_title", "url", "source_kind", "capture_url", "capture_time",
       "capture_after", "model_version"]
)

CANDIDATE_COLUMNS = (
    ["slug", "name", "party", "status", "pages", "pages_failed", "statements", "commitments", "innovation"]
    + list(AREAS)
    + ["concrete", "buzzword", "measurable", "share_concrete", "share_measurable", "buzzword_density",
       "sources"]
)

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n", "\x00")


def guard(value):
    """A cell value safe to open in a spreadsheet. Numbers are left alone: they are ours."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return value
    text = str(value).replace("\x00", "")
    # spreadsheets skip leading blanks and control characters before reading "=": so do we
    if text.startswith(_FORMULA_START) or text.lstrip(" \t\r\n\x0b\x0c").startswith(_FORMULA_START):
        return "'" + text
    return text


def _published_url(url):
    """A page's URL for a published table: a saved file is named by its file name only, as on
    the scorecard — the folder on the analyst's machine is nobody's business."""
    if isinstance(url, str) and url.lower().startswith("file:"):
        from .view import display_url

        return display_url(url)
    return url


def _score(value) -> float | str:
    return "" if value is None else round(float(value), 4)


def _write(path: Path, columns: list[str], rows: list[dict]) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    # newline="" lets the csv module write \r\n row ends and keep newlines inside quoted cells intact.
    with tmp.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
        writer.writerow(columns)
        for row in rows:
            writer.writerow([guard(row.get(col)) for col in columns])
    tmp.replace(path)
    return path


def write_commitments_csv(rows: list[dict], path: Path) -> Path:
    """One row per commitment, from ``Store.statement_rows(commitments_only=True)``."""
    out = []
    for r in rows:
        facets = r.get("facets") or {}
        scores = r.get("area_scores") or {}
        d = {
            "id": r["id"],
            "candidate": r["candidate"],
            "candidate_name": r.get("candidate_name"),
            "quote": r.get("text"),
            "start": r.get("start"),
            "end": r.get("end"),
            "page_number": r.get("page_number"),
            "heading": r.get("heading"),
            "area": r.get("area"),
            "area2": r.get("area2"),
            "concreteness": r.get("concreteness"),
            "concreteness_score": _score(r.get("concreteness_score")),
            "commitment_score": _score(r.get("commitment_score")),
            "measurable": bool(r.get("measurable")),
            "needs_review": bool(r.get("needs_review")),
            "reasons": "; ".join(str(x) for x in (r.get("reasons") or [])),
            "page_title": r.get("title"),
            "url": _published_url(r.get("url")),
            "source_kind": r.get("source_kind"),
            "capture_url": r.get("capture_url"),
            "capture_time": r.get("capture_time"),
            "capture_after": bool(r.get("capture_after")),
            "model_version": r.get("model_version"),
        }
        for a in AREAS:
            d[f"area_score_{a}"] = _score(scores.get(a))
        for f in FACETS:
            d[f"facet_{f}"] = bool(facets.get(f))
        out.append(d)
    return _write(path, COMMITMENT_COLUMNS, out)


def write_candidates_csv(candidates: list[dict], path: Path) -> Path:
    """One row per candidate from the report view. Commitment figures are empty, not 0, for a
    candidate whose pages were not read (status "not checked", "not reachable" or pending)."""
    out = []
    for c in candidates:
        fig = c["figures"]
        d = {
            "slug": c["slug"],
            "name": c["name"],
            "party": c["party"],
            "status": c["status"],
            "pages": fig["pages"],
            "pages_failed": fig["pages_failed"],
            "statements": fig["statements"],
            "commitments": fig["commitments"],
            "innovation": fig["innovation"],
            "concrete": fig["concrete"],
            "buzzword": fig["buzzword"],
            "measurable": fig["measurable"],
            "share_concrete": _score(fig["share_concrete"]),
            "share_measurable": _score(fig["share_measurable"]),
            "buzzword_density": _score(fig["buzzword_density"]),
            "sources": " | ".join(s["full"] for s in c["sources"]),
        }
        for a in AREAS:
            d[a] = fig["per_area"][a] if fig["per_area"] is not None else None
        out.append(d)
    return _write(path, CANDIDATE_COLUMNS, out)
