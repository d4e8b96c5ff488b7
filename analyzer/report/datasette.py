"""analysis.sqlite made ready for browsing: full-text search, a `commitments` view, and the
metadata.json that `datasette analysis.sqlite -m metadata.json` reads.

The store is the database: these functions add to it in place and never touch its tables'
contents. The FTS index keeps itself current through triggers, so a later rerun that replaces a
page's statements also updates the search index.
"""

from __future__ import annotations

import json
from pathlib import Path

import sqlite_utils

from ..records import AREAS, FACETS

__all__ = ["prepare_database", "write_metadata", "COMMITMENTS_VIEW"]

_FACET_COLUMNS = ",\n    ".join(
    f"CASE WHEN json_extract(pr.facets, '$.{f}') THEN 1 ELSE 0 END AS facet_{f}" for f in FACETS
)
_AREA_SCORE_COLUMNS = ",\n    ".join(f"json_extract(pr.area_scores, '$.{a}') AS area_score_{a}" for a in AREAS)

COMMITMENTS_VIEW = f"""
CREATE VIEW commitments AS
SELECT
    s.id AS statement_id,
    s.candidate AS candidate,
    c.name AS candidate_name,
    c.party AS party,
    s.text AS quote,
    s.heading AS heading,
    s.start AS start,
    s."end" AS "end",
    s.page_number AS page_number,
    pr.area AS area,
    pr.area2 AS area2,
    {_AREA_SCORE_COLUMNS},
    pr.concreteness AS concreteness,
    pr.concreteness_score AS concreteness_score,
    pr.commitment_score AS commitment_score,
    pr.measurable AS measurable,
    {_FACET_COLUMNS},
    pr.needs_review AS needs_review,
    pr.buzzword_density AS buzzword_density,
    pr.reasons AS reasons,
    p.title AS page_title,
    p.url AS url,
    p.source_kind AS source_kind,
    p.capture_url AS capture_url,
    p.capture_time AS capture_time,
    p.capture_after AS capture_after,
    pr.model_version AS model_version
FROM statements s
JOIN predictions pr ON pr.statement_id = s.id
JOIN pages p ON p.id = s.page_id
JOIN candidates c ON c.slug = s.candidate
WHERE pr.commitment = 1
ORDER BY c.rowid, p.id, s.ordinal
"""


def prepare_database(store) -> None:
    """Add the FTS index and the `commitments` view to the store's database, and checkpoint
    the write-ahead log so that analysis.sqlite alone holds everything (people copy that one
    file, and Datasette may open it read-only)."""
    db = sqlite_utils.Database(store.db, recursive_triggers=False, execute_plugins=False)
    # replace=True rebuilds the index (and its triggers) on every run: cheap, and never stale.
    db["statements"].enable_fts(["text", "heading"], fts_version="FTS5", create_triggers=True, replace=True)
    store.db.execute("DROP VIEW IF EXISTS commitments")
    store.db.execute(COMMITMENTS_VIEW)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _column_docs() -> dict[str, dict[str, str]]:
    facet_docs = {
        "metric": "names a quantity or indicator to move",
        "target": "names a number, percentage or threshold",
        "deadline": "names a date or period",
        "budget": "names an amount of money or a funding source",
        "owner": "names an office, position, body or partner who will do it",
    }
    commitments = {
        "statement_id": "The statement's id in the statements table",
        "candidate": "Candidate slug (candidates.slug)",
        "candidate_name": "Candidate's name",
        "party": "Candidate's party, if the field file gives one",
        "quote": "The sentence or bullet, exactly as extracted from the page",
        "heading": "The nearest heading above it on the page",
        "start": "Character offset of the quote in the page's extracted text (pages.text)",
        "end": "Character offset just past the quote in pages.text",
        "page_number": "PDF page number, for PDF sources",
        "area": "Priority area: operations, capital, collaboration or other (see ANNOTATION.md)",
        "area2": "Second area when the commitment fits two, else null",
        "concreteness": "concrete (checkable at the end of the term) or buzzword",
        "concreteness_score": "Model confidence that the commitment is concrete, 0 to 1",
        "commitment_score": "Model confidence that the statement is a commitment, 0 to 1",
        "measurable": "1 when it has metric and target, or a deadline, or a budget",
        "needs_review": "1 when the models were unsure and a person should check the labels",
        "buzzword_density": "Share of the statement's words found in the buzzword lexicon",
        "reasons": "JSON list of the cues, terms and spans behind the labels",
        "page_title": "Title of the page the quote is on",
        "url": "The page's original address (for an archived page, the URL the archive captured)",
        "source_kind": "live (read from the web), wayback (an Internet Archive capture) or local (a saved file)",
        "capture_url": "The archived capture that was read, for wayback pages",
        "capture_time": "When the archive captured the page (Wayback timestamp)",
        "capture_after": "1 when no capture before the requested date existed and a later one was used",
        "model_version": "Version of the models that labeled it",
    }
    for a in AREAS:
        commitments[f"area_score_{a}"] = f"Model score for the {a} area, 0 to 1"
    for f in FACETS:
        commitments[f"facet_{f}"] = f"1 when the commitment {facet_docs[f]}"
    return {
        "commitments": commitments,
        "candidates": {
            "slug": "Short identifier of the candidate, unique in the field",
            "name": "Candidate's name",
            "party": "Party, if the field file gives one",
            "sources": "JSON list of the sources the field file lists (live URL, Wayback URL and date, or local file)",
            "status": "gathered; not checked (no sources listed); not reachable (every source failed); "
            "pending (gathering did not finish)",
        },
        "pages": {
            "id": "Page id",
            "candidate": "Candidate slug",
            "url": "The page's original address",
            "source_kind": "live, wayback or local",
            "capture_url": "The archived capture that was read, for wayback pages",
            "capture_time": "When the archive captured the page",
            "capture_after": "1 when the capture is later than the requested date",
            "content_type": "MIME type of the body",
            "status": "HTTP status of the response",
            "depth": "Link depth from the source's start page",
            "fetched_at": "When the analyzer read the page (UTC)",
            "sha256": "SHA-256 of the body",
            "size": "Size of the body in bytes",
            "body": "The raw bytes as fetched",
            "title": "The page's title",
            "text": "The extracted text; statements' start/end offsets point into it",
            "analyzed_with": "Analyzer and model version that produced its statements",
        },
        "statements": {
            "id": "Statement id",
            "page_id": "The page it comes from (pages.id)",
            "candidate": "Candidate slug",
            "ordinal": "Position on the page",
            "text": "The sentence or bullet",
            "heading": "The nearest heading above it",
            "heading_path": "JSON list of the headings above it, outermost first",
            "kind": "sentence, bullet or heading",
            "start": "Character offset in pages.text",
            "end": "Character offset just past it in pages.text",
            "page_number": "PDF page number, for PDF sources",
        },
        "predictions": {
            "statement_id": "The statement (statements.id)",
            "commitment": "1 when the model judges it a commitment",
            "commitment_score": "Model confidence that it is a commitment, 0 to 1",
            "area": "Priority area, given for every statement as if it were a commitment",
            "area2": "Second area, or null",
            "area_scores": "JSON object: the model's score for each of the four areas",
            "concreteness": "concrete or buzzword, given as if it were a commitment",
            "concreteness_score": "Model confidence that it is concrete, 0 to 1",
            "measurable": "1 when it has metric and target, or a deadline, or a budget",
            "facets": "JSON object of metric, target, deadline, budget, owner -> true/false",
            "reasons": "JSON list of the cues, terms and spans behind the labels",
            "needs_review": "1 when a person should check the labels",
            "buzzword_density": "Share of the statement's words found in the buzzword lexicon",
            "model_version": "Version of the models that labeled it",
        },
        "failures": {
            "candidate": "Candidate slug",
            "url": "The address that could not be read",
            "reason": "Short reason (not reachable, http error, too large, disallowed by robots.txt, ...)",
            "detail": "The error's detail",
            "at": "When it failed (UTC)",
        },
        "redirects": {
            "candidate": "Candidate slug",
            "url": "An address the crawl asked for",
            "page_url": "The stored page it redirected to",
        },
        "meta": {"key": "Setting name", "value": "Setting value"},
    }


TABLE_DESCRIPTIONS = {
    "commitments": "Every statement the models judged a commitment, with its labels, its page and the "
    "archived capture it was read from. A view over statements, predictions, pages and candidates.",
    "candidates": "The candidates of the field file, with the sources it lists and whether they were read.",
    "pages": "Every page read, with its provenance (live site, Internet Archive capture or saved file) "
    "and its extracted text.",
    "statements": "Every sentence and bullet extracted from the pages, with offsets into the page's text. "
    "Full-text search covers text and heading.",
    "predictions": "The models' labels for every statement (commitment, area, concreteness, facets).",
    "failures": "Pages that could not be read, and why.",
    "redirects": "Addresses that redirected to a stored page, so that a resumed crawl does not fetch them again.",
    "meta": "Settings of the run's store.",
}


def metadata(store, field, model_info: dict | None) -> dict:
    election = field.election
    database = Path(store.path).stem
    columns = _column_docs()
    existing = {
        row[0]
        for row in store.db.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
    }
    tables = {}
    for name, description in TABLE_DESCRIPTIONS.items():
        if name not in existing:
            continue
        present = {row[1] for row in store.db.execute(f'PRAGMA table_info("{name}")')}
        entry = {
            "description": description,
            "columns": {c: d for c, d in columns.get(name, {}).items() if c in present},
        }
        if name == "commitments":
            # A view has no FTS of its own: point Datasette's search box at the statements index.
            entry.update(
                facets=["candidate_name", "area", "concreteness", "measurable"],
                fts_table="statements_fts",
                fts_pk="statement_id",
            )
        if name == "statements":
            entry["fts_table"] = "statements_fts"
        tables[name] = entry
    version = (model_info or {}).get("analyzer_version") or "unknown"
    fictional = " This is a fictional election made for demonstration." if election.fictional else ""
    return {
        "title": f"Innovation commitments: {election.title}",
        "description": (
            f"Campaign platform statements of the candidates for {election.office} of {election.city}, "
            f"{election.state} ({election.year}), labeled by the mayoral platform analyzer {version}: "
            "is each a commitment, which priority area (operations, capital, collaboration, other), and "
            "concrete or buzzword. Labels are automated and can be wrong; every quote links to its page "
            "and archived capture so that it can be checked." + fictional
        ),
        "source": "The candidates' campaign websites, read live or as captured by the Internet Archive's "
        "Wayback Machine, and saved copies",
        "license": "Code: MIT. Data: campaign text quoted for commentary and analysis; the quoted text "
        "belongs to its authors",
        "license_url": "https://opensource.org/licenses/MIT",
        "databases": {
            database: {
                "description": "The run's store: pages with provenance, statements, labels and failures.",
                "tables": tables,
                "queries": {
                    "innovation_commitments": {
                        "title": "Innovation commitments (operations, capital, collaboration)",
                        "sql": "SELECT candidate_name, quote, heading, area, concreteness, measurable, url, "
                        "capture_url FROM commitments WHERE area IN ('operations', 'capital', 'collaboration') "
                        "ORDER BY candidate_name, area",
                    },
                    "search_commitments": {
                        "title": "Search commitments",
                        "sql": "SELECT c.candidate_name, c.quote, c.heading, c.area, c.concreteness, c.url "
                        "FROM commitments c JOIN statements_fts f ON f.rowid = c.statement_id "
                        "WHERE statements_fts MATCH :q ORDER BY f.rank",
                    },
                },
            }
        },
    }


def write_metadata(store, field, model_info: dict | None, path: Path) -> Path:
    data = metadata(store, field, model_info)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    tmp.replace(path)
    return path
