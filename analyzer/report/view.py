"""The report's view of a run: what the scorecard, the CSV files and the charts show.

Everything here is plain data (dicts, lists, strings, numbers). Text that came from the web
is passed through untouched: escaping is the template's job (jinja2 autoescape) and the CSV
writer's (formula guard). Only URLs are judged here, because whether a URL may become a link
is a decision, not an escape.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
from collections import Counter
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from ..records import AREAS, FACETS, CandidateScore
from ..score import INNOVATION_AREAS, score_candidates

__all__ = [
    "AREA_LABELS",
    "AREA_DEFINITIONS",
    "STATUS_LABELS",
    "safe_href",
    "display_url",
    "capture_date",
    "build_view",
]

AREA_LABELS = {
    "operations": "Operations",
    "capital": "Capital",
    "collaboration": "Collaboration",
    "other": "Other",
}

# From ANNOTATION.md section 2, shortened for a reader of the scorecard.
AREA_DEFINITIONS = {
    "operations": (
        "Restructure how city government itself is organized and run: new or merged offices and "
        "positions (a chief innovation, data or digital officer), performance management "
        "(CitiStat-style reviews, service dashboards), technology and data in service delivery "
        "(311, online permits, open data as a way of running departments), procurement, hiring and "
        "civil-service reform, customer service, cutting red tape, efficiency audits."
    ),
    "capital": (
        "Redirect and better leverage money toward effective, proven programs: budgeting for "
        "outcomes, funding what evidence shows works and ending what does not, pay-for-success and "
        "social impact bonds, innovation or loan funds, capital plans, leveraging federal, state or "
        "philanthropic dollars, tax incentives accountable to results."
    ),
    "collaboration": (
        "Work across boundaries for collective impact: partnerships with universities, businesses, "
        "nonprofits, foundations, labor, neighboring cities, state and federal agencies; co-design "
        "with residents; civic technology and open data for people outside government; "
        "cross-department task forces on a shared outcome."
    ),
    "other": (
        "A commitment that is not about innovation in any of the three areas: a substantive policy "
        "promise (more police officers, a new library, a tax freeze) with no new way of governing, "
        "funding or partnering."
    ),
}

FACET_LABELS = {
    "metric": "metric",
    "target": "target",
    "deadline": "deadline",
    "budget": "budget",
    "owner": "owner",
}

FACET_DEFINITIONS = {
    "metric": "names a quantity or indicator to move (response times, graduation rate)",
    "target": "a number, percentage or threshold (by 50%, 1,000 new jobs, every neighborhood)",
    "deadline": "a date or period (by 2016, in the first 100 days)",
    "budget": "an amount of money or a funding source ($5 million, from the capital budget)",
    "owner": "a named office, position, body or partner who will do it",
}

STATUS_LABELS = {
    "gathered": "gathered",
    "not checked": "not checked",
    "not reachable": "not reachable",
    "pending": "not finished",
}

STATUS_EXPLANATIONS = {
    "not checked": "No campaign sources were listed for this candidate, so nothing was read. "
    "This is not the same as having no commitments.",
    "not reachable": "Sources were listed but none of them could be read (see the failures below). "
    "Nothing is known about this candidate’s commitments.",
    "pending": "Gathering did not finish for this candidate; rerun the analyzer to complete it.",
}

# Known evaluation sets, for the methodology's accuracy table; other names are shown as given.
EVAL_SET_LABELS = {
    "corpus_test": "held-out test split of the project’s labeled corpus (US mayoral text)",
    "speech_acts": "real campaign text labeled by others (2016 Australian federal election, "
    "Subramanian, Cohn and Baldwin 2019)",
    # `analyzer train --measure us_mayoral_text=…`: the shipped models' held-out set of real US text
    "us_mayoral_text": "real US mayoral campaign text written by others (candidates’ pages, questionnaires, "
    "forums, news), labeled blind under the project’s guide; not redistributed",
}

MODEL_LABELS = {
    "commitment": "Commitment (is it a pledge?)",
    "area": "Priority area",
    "concreteness": "Concrete vs buzzword",
}

STRONGEST_PER_CARD = 5
EMPTIEST_PER_CARD = 3

_WAYBACK_TS = re.compile(r"^(\d{4})(\d{2})(\d{2})(\d{0,6})$")


# a link whose text a U+202E reverses would show the reader another address than it goes to
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def safe_href(url: object) -> str | None:
    """The URL if a reader may safely follow it (absolute http or https), else None.

    Anything else -- ``javascript:``, ``data:``, ``file:``, relative or malformed addresses, or
    ones with whitespace or control characters that browsers would silently strip -- is shown
    as text, never linked.
    """
    if not isinstance(url, str):
        return None
    url = url.strip()
    if not url or any(ch.isspace() or ord(ch) < 32 or ord(ch) == 127 or ch in _BIDI_CONTROLS for ch in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return None
    return url


def display_url(url: object, limit: int = 64) -> str:
    """A short, readable form of a URL for link text: host and path, shortened in the middle.

    A ``file:`` URL shows only the file name: the folder on the analyst's machine is nobody's
    business and would leak into a published scorecard.
    """
    if not isinstance(url, str) or not url:
        return ""
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return _shorten(url, limit)
    if parts.scheme.lower() == "file":
        name = PurePosixPath(unquote(parts.path)).name
        return f"saved file {name}" if name else "saved file"
    if parts.scheme.lower() in ("http", "https") and parts.netloc:
        host = parts.netloc.lower()
        host = host[4:] if host.startswith("www.") else host
        text = host + (parts.path if parts.path not in ("", "/") else "")
        if parts.query:
            text += "?" + parts.query
        return _shorten(text, limit)
    return _shorten(url, limit)


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = (limit - 1) * 2 // 3
    tail = limit - 1 - head
    return text[:head] + "…" + text[-tail:]


def capture_date(value: object) -> str | None:
    """A capture time as an ISO date: Wayback timestamps (``20130918123456``) and ISO strings."""
    if value is None or value == "":
        return None
    text = str(value).strip()
    m = _WAYBACK_TS.match(text)
    if m:
        return f"{m.group(1)}-{m.group(2)}-{m.group(3)}"
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text[:10]).isoformat()
    except ValueError:
        return text[:32]


def pct(value: float | None) -> str:
    return "—" if value is None else f"{round(value * 100):d}%"


def density(value: float | None) -> str:
    """Buzzword density as buzzword words per 100 words (the prediction stores a per-word share)."""
    return "—" if value is None else f"{value * 100:.1f}"


def _generated_at() -> dt.datetime:
    # SOURCE_DATE_EPOCH lets a rebuild of the same run produce byte-identical reports.
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc)
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0)


def _norm(text: str) -> str:
    return re.sub(r"\W+", " ", text.lower()).strip()


def _quote(row: dict) -> dict:
    """A commitment as the scorecard quotes it, with everything needed to check it."""
    url = row.get("url")
    capture_url = row.get("capture_url")
    facets = row.get("facets") or {}
    return {
        "id": row["id"],
        "candidate": row["candidate"],
        "candidate_name": row.get("candidate_name") or row["candidate"],
        "text": row.get("text") or "",
        "heading": row.get("heading") or "",
        "heading_path": list(row.get("heading_path") or []),
        "title": row.get("title") or "",
        "area": row.get("area") or "other",
        "area2": row.get("area2") or None,
        "area_label": AREA_LABELS.get(row.get("area") or "other", row.get("area") or ""),
        "area2_label": AREA_LABELS.get(row.get("area2") or "", row.get("area2") or ""),
        "innovation": (row.get("area") in INNOVATION_AREAS),
        "concreteness": row.get("concreteness") or "",
        "concreteness_score": float(row.get("concreteness_score") or 0.0),
        "commitment_score": float(row.get("commitment_score") or 0.0),
        "measurable": bool(row.get("measurable")),
        "facets": [f for f in FACETS if facets.get(f)],
        "needs_review": bool(row.get("needs_review")),
        "reasons": [str(r) for r in (row.get("reasons") or [])],
        "url": url or "",
        "href": safe_href(url),
        "url_text": display_url(url),
        # Print shows a link's address after it; not needed when the text already is the address.
        "url_cut": "…" in display_url(url),
        "source_kind": row.get("source_kind") or "",
        "capture_url": capture_url or "",
        "capture_href": safe_href(capture_url),
        "capture_date": capture_date(row.get("capture_time")),
        "capture_after": bool(row.get("capture_after")),
        "page_number": row.get("page_number"),
    }


def _pick(quotes: list[dict], key, limit: int) -> list[dict]:
    """The first ``limit`` quotes by ``key``, skipping repeats of the same sentence
    (a platform often repeats a pledge on its home page and its issue page)."""
    seen: set[str] = set()
    picked = []
    for q in sorted(quotes, key=key):
        norm = _norm(q["text"])
        if norm in seen:
            continue
        seen.add(norm)
        picked.append(q)
        if len(picked) == limit:
            break
    return picked


def strongest(quotes: list[dict], limit: int = STRONGEST_PER_CARD) -> list[dict]:
    """Concrete pledges, innovation areas first, then by concreteness × commitment confidence.

    Labels the models were unsure of come last: a card's quotes are what readers repeat.
    """
    concrete = [q for q in quotes if q["concreteness"] == "concrete"]
    return _pick(
        concrete,
        lambda q: (q["needs_review"], not q["innovation"], -(q["concreteness_score"] * q["commitment_score"]), q["id"]),
        limit,
    )


def emptiest(quotes: list[dict], limit: int = EMPTIEST_PER_CARD) -> list[dict]:
    """Buzzword commitments, least concrete first, unsure labels last."""
    buzz = [q for q in quotes if q["concreteness"] == "buzzword"]
    return _pick(buzz, lambda q: (q["needs_review"], q["concreteness_score"], -q["commitment_score"], q["id"]), limit)


def _sources(raw: str | None) -> list[dict]:
    try:
        items = json.loads(raw or "[]")
    except ValueError:
        items = []
    out = []
    for s in items if isinstance(items, list) else []:
        if not isinstance(s, dict):
            continue
        kind = s.get("kind") or ("local" if s.get("path") else "live")
        url = s.get("url")
        if kind == "local":
            # Only the file or folder name: the analyst's own folders stay private.
            name = PurePosixPath(str(s.get("path") or "").replace("\\", "/")).name
            saved = f"saved copy: {name}" if name else "saved copy"
            text = f"{display_url(url)} ({saved})" if url else saved
            full = f"{url} ({saved})" if url else saved
        elif kind == "wayback":
            text = f"{display_url(url)} as archived on or before {s.get('wayback') or '?'}"
            full = f"{url} (archived on or before {s.get('wayback') or '?'})"
        else:
            text, full = display_url(url), str(url or "")
        out.append({"kind": kind, "text": text, "full": full, "href": safe_href(url)})
    return out


def _page_provenance(db) -> dict[str, dict]:
    """Per candidate: how many pages of each kind, and the range of capture dates."""
    out: dict[str, dict] = {}
    rows = db.execute(
        "SELECT candidate, source_kind, capture_time, capture_after FROM pages ORDER BY id"
    ).fetchall()
    for candidate, kind, capture_time, capture_after in rows:
        info = out.setdefault(candidate, {"kinds": Counter(), "dates": [], "after": 0})
        info["kinds"][kind or "live"] += 1
        date = capture_date(capture_time)
        if date:
            info["dates"].append(date)
        if capture_after:
            info["after"] += 1
    for info in out.values():
        dates = sorted(info["dates"])
        info["first"] = dates[0] if dates else None
        info["last"] = dates[-1] if dates else None
        info["kinds"] = dict(info["kinds"])
    return out


def _failure(row) -> dict:
    url = row["url"]
    return {
        "url": url,
        "href": safe_href(url),
        "url_text": display_url(url),
        "reason": row["reason"] or "",
        "detail": row["detail"] or "",
        "at": capture_date(row["at"]),
    }


def _figures(score: CandidateScore) -> dict:
    """The comparison-table row. ``checked`` is false when figures would mislead (no pages read)."""
    checked = score.status == "gathered"
    return {
        "checked": checked,
        "commitments": score.commitments if checked else None,
        "innovation": score.innovation if checked else None,
        "per_area": {a: score.per_area.get(a, 0) for a in AREAS} if checked else None,
        "concrete": score.concrete if checked else None,
        "buzzword": (score.commitments - score.concrete) if checked else None,
        "measurable": score.measurable if checked else None,
        "share_concrete": score.share_concrete,
        "share_measurable": score.share_measurable,
        "buzzword_density": score.buzzword_density,
        "share_concrete_text": pct(score.share_concrete),
        "share_measurable_text": pct(score.share_measurable),
        "buzzword_density_text": density(score.buzzword_density),
        "pages": score.pages,
        "pages_failed": score.pages_failed,
        "statements": score.statements if checked else None,
    }


def _metric_value(value) -> str:
    if isinstance(value, bool) or value is None:
        return "not measured" if value is None else str(value).lower()
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:.2f}"
    return str(value)


# Headline metrics first; the rest as they come.
_METRIC_ORDER = ("f1", "macro_f1", "precision", "recall", "accuracy", "n")


def _trained(value) -> str | None:
    """A training time as its date: the scorecard's readers need the day, not the second."""
    if not value:
        return None
    text = str(value)
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date().isoformat()
    except ValueError:
        return text


def _models(model_info: dict | None) -> list[dict]:
    models = (model_info or {}).get("models") or {}
    out = []
    for key in ("commitment", "area", "concreteness"):
        info = models.get(key) or {}
        metrics = info.get("metrics") or {}
        sets = []
        for set_name, values in metrics.items():
            if not isinstance(values, dict) or not values:
                continue
            sets.append(
                {
                    "name": set_name,
                    "label": EVAL_SET_LABELS.get(set_name, set_name.replace("_", " ")),
                    # Scalars only: per-class breakdowns and confusion matrices belong in the model card.
                    "figures": [
                        (str(k).replace("_", " "), _metric_value(v))
                        for k, v in sorted(
                            values.items(),
                            key=lambda kv: _METRIC_ORDER.index(kv[0]) if kv[0] in _METRIC_ORDER else len(_METRIC_ORDER),
                        )
                        if v is None or isinstance(v, (int, float, str))
                    ],
                }
            )
        out.append(
            {
                "key": key,
                "label": MODEL_LABELS[key],
                "present": bool(info),
                "version": str(info.get("version") or "") or None,
                "trained": _trained(info.get("trained")),
                "sets": sets,
                # a model measured only on the project's own corpus says nothing yet about text
                # written by others, and the reader should know that (the area model, today)
                "own_corpus_only": bool(sets) and all(x["name"] == "corpus_test" for x in sets),
            }
        )
    return out


def build_view(store, field, model_info: dict | None, rows: list[dict] | None = None) -> dict:
    """Everything the reports show, computed once. ``rows`` are the store's commitment rows,
    if the caller already has them."""
    election = field.election
    scores = score_candidates(store)
    if rows is None:
        rows = store.statement_rows(commitments_only=True)
    statements_total = store.db.execute("SELECT count(*) FROM statements").fetchone()[0]
    provenance = _page_provenance(store.db)
    cand_rows = {c["slug"]: c for c in store.candidates()}

    quotes_by: dict[str, list[dict]] = {}
    commitments = []
    for row in rows:
        q = _quote(row)
        quotes_by.setdefault(q["candidate"], []).append(q)
        commitments.append(q)

    candidates = []
    for score in scores:
        cand = cand_rows.get(score.slug)
        quotes = quotes_by.get(score.slug, [])
        candidates.append(
            {
                "slug": score.slug,
                "name": score.name,
                "party": (cand["party"] if cand is not None else None) or "",
                "status": score.status,
                "status_label": STATUS_LABELS.get(score.status, score.status),
                "status_explanation": STATUS_EXPLANATIONS.get(score.status, ""),
                "figures": _figures(score),
                "score": score,
                "sources": _sources(cand["sources"] if cand is not None else "[]"),
                "provenance": provenance.get(score.slug),
                "failures": [_failure(f) for f in store.failures(score.slug)],
                "strongest": strongest(quotes),
                "emptiest": emptiest(quotes),
                "needs_review": sum(1 for q in quotes if q["needs_review"]),
            }
        )

    checked = [c for c in candidates if c["figures"]["checked"]]
    n_commit = sum(c["figures"]["commitments"] for c in checked)
    n_concrete = sum(c["figures"]["concrete"] for c in checked)
    n_measurable = sum(c["figures"]["measurable"] for c in checked)
    n_innovation = sum(c["figures"]["innovation"] for c in checked)
    all_dates = sorted(
        d for p in provenance.values() for d in (p["first"], p["last"]) if d
    )
    generated = _generated_at()
    return {
        "election": election,
        "title": election.title,
        "fictional": bool(election.fictional),
        "dates": [(name.replace("_", " "), _date_text(value)) for name, value in (election.dates or {}).items()],
        "generated": generated.date().isoformat(),
        "generated_at": generated.isoformat(),
        "analyzer_version": str((model_info or {}).get("analyzer_version") or "unknown"),
        "models": _models(model_info),
        "candidates": candidates,
        "commitments": commitments,
        "areas": [{"key": a, "label": AREA_LABELS[a], "definition": AREA_DEFINITIONS[a]} for a in AREAS],
        "innovation_areas": list(INNOVATION_AREAS),
        "facets": [{"key": f, "label": FACET_LABELS[f], "definition": FACET_DEFINITIONS[f]} for f in FACETS],
        "totals": {
            "candidates": len(candidates),
            "checked": len(checked),
            "not_checked": sum(1 for c in candidates if c["status"] == "not checked"),
            "not_reachable": sum(1 for c in candidates if c["status"] == "not reachable"),
            "pending": sum(1 for c in candidates if c["status"] == "pending"),
            "statements": statements_total,
            "commitments": n_commit,
            "innovation": n_innovation,
            "concrete": n_concrete,
            "share_concrete": pct(n_concrete / n_commit) if n_commit else "—",
            "share_measurable": pct(n_measurable / n_commit) if n_commit else "—",
            "pages": sum(c["figures"]["pages"] for c in candidates),
            "pages_failed": sum(c["figures"]["pages_failed"] for c in candidates),
            "needs_review": sum(1 for q in commitments if q["needs_review"]),
            "first_capture": all_dates[0] if all_dates else None,
            "last_capture": all_dates[-1] if all_dates else None,
        },
    }


def _date_text(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)
