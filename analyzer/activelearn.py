"""Labeling next what the models are least sure of."""

from __future__ import annotations

import json
from pathlib import Path

from .classify import load_models
from .errors import InputError
from .labeled import read_jsonl, read_labeled

__all__ = ["export_uncertain", "import_labeled"]


def _units_from(path: Path) -> list[dict]:
    if path.suffix == ".sqlite":
        from .store import Store

        with Store(path) as store:
            return [{"id": f"{r['candidate']}/{r['id']}", "doc": f"{r['candidate']}/{r['url']}", "text": r["text"],
                     "heading": r["heading"] or "", "kind": r["kind"], "source": r["url"]} for r in store.statement_rows()]
    units = read_jsonl(path)
    for u in units:
        u.pop("_line", None)
    return units


def export_uncertain(path: str | Path, n: int, models_dir=None) -> list[dict]:
    """The ``n`` units with the least certain commitment (then concreteness) predictions.

    ``models_dir`` is a model folder or an already loaded :class:`~analyzer.classify.Models`."""
    path = Path(path)
    units = _units_from(path)
    if not units:
        raise InputError(f"{path}: no units to choose from")
    models = models_dir if hasattr(models_dir, "predict") else load_models(models_dir)
    predictions = models.predict(units, explain=False)

    def margin(p):
        m = abs(p.commitment_score - 0.5)
        if p.commitment:
            m = min(m, abs(p.concreteness_score - 0.5) + 0.05)
        return m

    ranked = sorted(zip(units, predictions), key=lambda up: margin(up[1]))[:n]
    rows = []
    for unit, p in ranked:
        rows.append({
            "id": unit.get("id"), "doc": unit.get("doc"), "text": unit["text"], "heading": unit.get("heading", ""),
            "commitment": p.commitment, "area": p.area if p.commitment else None, "area2": None,
            "concreteness": p.concreteness if p.commitment else None,
            "facets": p.facets if p.commitment else None,
            "source": unit.get("source", ""), "note": "",
            "model_guess": {"commitment_score": p.commitment_score, "concreteness_score": p.concreteness_score},
        })
    return rows


def import_labeled(path: Path, into: Path, name: str | None = None) -> tuple[Path, int]:
    """Validate a labeled batch (ANNOTATION.md §6) and copy it into the corpus folder."""
    units = read_labeled(path)
    for unit in units:
        unit.pop("model_guess", None)
        if not unit["commitment"]:
            unit.update(area=None, area2=None, concreteness=None, facets=None)
    into.mkdir(parents=True, exist_ok=True)
    target = into / (name or path.name)
    if target.suffix != ".jsonl":
        target = target.with_suffix(".jsonl")
    if target.exists():
        raise InputError(f"{target}: already exists; choose another --name")
    with open(target, "w", encoding="utf-8") as handle:
        for unit in units:
            handle.write(json.dumps(unit, ensure_ascii=False) + "\n")
    return target, len(units)
