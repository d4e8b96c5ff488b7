"""Reports: what a run leaves for the public and for people who check it.

``write_reports`` writes, into ``out_dir``:

- ``scorecard.html``  a self-contained, printable page (inline CSS, script and SVG charts)
- ``commitments.csv`` one row per commitment, with labels, scores and provenance
- ``candidates.csv``  one row per candidate: the scorecard's comparison table
- ``metadata.json``   for ``datasette analysis.sqlite -m metadata.json``

and readies the store itself (``analysis.sqlite``) for browsing: a full-text index on
statements and a ``commitments`` view.
"""

from __future__ import annotations

from pathlib import Path

from .datasette import prepare_database, write_metadata
from .scorecard import render_scorecard, write_scorecard
from .tables import write_candidates_csv, write_commitments_csv
from .view import build_view

__all__ = ["write_reports", "build_view", "render_scorecard"]


def write_reports(store, field, out_dir, model_info: dict | None = None) -> dict[str, Path]:
    """Write every report of a run; returns their paths by name.

    Keys: ``scorecard``, ``commitments``, ``candidates``, ``database`` (the store's own file)
    and ``metadata``. ``model_info`` is ``{"analyzer_version": ..., "models": {...}}``; any
    part may be missing, and the scorecard then says "not measured" or "not recorded".
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    prepare_database(store)
    rows = store.statement_rows(commitments_only=True)
    view = build_view(store, field, model_info or {}, rows)
    paths = {
        "scorecard": write_scorecard(view, out / "scorecard.html"),
        "commitments": write_commitments_csv(rows, out / "commitments.csv"),
        "candidates": write_candidates_csv(view["candidates"], out / "candidates.csv"),
        "database": Path(store.path),
        "metadata": write_metadata(store, field, model_info or {}, out / "metadata.json"),
    }
    return paths
