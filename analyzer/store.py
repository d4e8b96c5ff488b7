"""The run store: one SQLite file per run (``analysis.sqlite``).

It is both the output database and the cache: pages are stored with their raw bytes and
provenance as soon as they are fetched (one transaction each, WAL journal), so that an
interrupted run resumes without fetching anything twice, and analysis results are keyed
by the analyzer version so that a rerun recomputes nothing that is current.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from pathlib import Path
from typing import Iterable, Iterator

from .errors import StoreError
from .records import Candidate, Page, Prediction, Statement

__all__ = ["Store"]

SCHEMA_VERSION = 1

SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS candidates (
    slug TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    party TEXT,
    sources TEXT NOT NULL,          -- JSON list of source descriptions
    status TEXT NOT NULL DEFAULT 'pending'   -- pending | gathered | not checked | not reachable
);
CREATE TABLE IF NOT EXISTS pages (
    id INTEGER PRIMARY KEY,
    candidate TEXT NOT NULL REFERENCES candidates(slug),
    url TEXT NOT NULL,
    source_kind TEXT NOT NULL,
    capture_url TEXT,
    capture_time TEXT,
    capture_after INTEGER NOT NULL DEFAULT 0,
    content_type TEXT NOT NULL,
    status INTEGER,
    depth INTEGER NOT NULL DEFAULT 0,
    fetched_at TEXT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    body BLOB NOT NULL,
    title TEXT,
    text TEXT,                      -- extracted text; statements' offsets point into it
    analyzed_with TEXT,             -- analyzer/model version that produced its statements
    UNIQUE (candidate, url)
);
CREATE TABLE IF NOT EXISTS failures (
    id INTEGER PRIMARY KEY,
    candidate TEXT NOT NULL,
    url TEXT NOT NULL,
    reason TEXT NOT NULL,
    detail TEXT,
    at TEXT NOT NULL,
    UNIQUE (candidate, url)
);
CREATE TABLE IF NOT EXISTS redirects (
    candidate TEXT NOT NULL,
    url TEXT NOT NULL,              -- a URL the crawl asked for
    page_url TEXT NOT NULL,         -- the stored page it redirected to
    PRIMARY KEY (candidate, url)
);
CREATE TABLE IF NOT EXISTS statements (
    id INTEGER PRIMARY KEY,
    page_id INTEGER NOT NULL REFERENCES pages(id),
    candidate TEXT NOT NULL,
    ordinal INTEGER NOT NULL,
    text TEXT NOT NULL,
    heading TEXT,
    heading_path TEXT,
    kind TEXT,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page_number INTEGER
);
CREATE INDEX IF NOT EXISTS statements_page ON statements(page_id);
CREATE TABLE IF NOT EXISTS predictions (
    statement_id INTEGER PRIMARY KEY REFERENCES statements(id),
    commitment INTEGER NOT NULL,
    commitment_score REAL NOT NULL,
    area TEXT, area2 TEXT, area_scores TEXT,
    concreteness TEXT, concreteness_score REAL, measurable INTEGER,
    facets TEXT, reasons TEXT, needs_review INTEGER, buzzword_density REAL,
    model_version TEXT
);
"""


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class Store:
    """A run's SQLite database. Safe to share between threads (one lock around writes)."""

    def __init__(self, path: str | Path):
        self.path = Path(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite3.connect(self.path, check_same_thread=False, isolation_level=None, timeout=30)
            self.db.row_factory = sqlite3.Row
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.executescript(SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise StoreError(
                f"{self.path}: not a usable analyzer store ({exc}); delete it or choose another --out folder"
            ) from None
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot create the store here ({exc.strerror}); choose another --out folder") from None
        self._lock = threading.RLock()
        version = self.get_meta("schema_version")
        if version is None:
            self.set_meta("schema_version", str(SCHEMA_VERSION))

    # -- plumbing -------------------------------------------------------------------
    class _Tx:
        def __init__(self, store):
            self.store = store

        def __enter__(self):
            lock = getattr(self.store, "_lock", None)
            if lock:
                lock.acquire()
            self.store.db.execute("BEGIN IMMEDIATE")
            return self.store.db

        def __exit__(self, exc_type, exc, tb):
            try:
                self.store.db.execute("ROLLBACK" if exc_type else "COMMIT")
            finally:
                lock = getattr(self.store, "_lock", None)
                if lock:
                    lock.release()
            return False

    def _tx(self):
        return Store._Tx(self)

    def close(self) -> None:
        # Under the write lock: a gatherer thread still finishing a page after an interrupt
        # completes its transaction first (and fails cleanly on the closed store after).
        with self._lock:
            self.db.close()

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def get_meta(self, key: str) -> str | None:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._tx() as db:
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)", (key, value))

    # -- candidates -----------------------------------------------------------------
    def add_candidates(self, candidates: Iterable[Candidate]) -> None:
        with self._tx() as db:
            for c in candidates:
                sources = json.dumps([s.as_dict() for s in c.sources])
                db.execute(
                    "INSERT INTO candidates (slug, name, party, sources, status) VALUES (?, ?, ?, ?, ?) "
                    "ON CONFLICT(slug) DO UPDATE SET name = excluded.name, party = excluded.party, "
                    "sources = excluded.sources",
                    (c.slug, c.name, c.party, sources, "not checked" if not c.sources else "pending"),
                )

    def set_status(self, slug: str, status: str) -> None:
        with self._tx() as db:
            db.execute("UPDATE candidates SET status = ? WHERE slug = ?", (status, slug))

    def candidates(self) -> list[sqlite3.Row]:
        return self.db.execute("SELECT * FROM candidates ORDER BY rowid").fetchall()

    # -- pages ----------------------------------------------------------------------
    def has_page(self, candidate: str, url: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM pages WHERE candidate = ? AND url = ?", (candidate, url)
        ).fetchone() is not None

    def add_page(self, page: Page, title: str | None = None, requested_url: str | None = None) -> int:
        """Store a fetched page (replacing an earlier copy) and clear its failure, in one transaction.

        ``requested_url`` is the URL that was asked for, when it redirected to ``page.url``: it is
        remembered so that a resumed crawl that finds the link again does not fetch it twice.
        """
        with self._tx() as db:
            if requested_url and requested_url != page.url:
                db.execute(
                    "INSERT OR REPLACE INTO redirects (candidate, url, page_url) VALUES (?, ?, ?)",
                    (page.candidate, requested_url, page.url),
                )
                db.execute("DELETE FROM failures WHERE candidate = ? AND url = ?", (page.candidate, requested_url))
            old = db.execute("SELECT id FROM pages WHERE candidate = ? AND url = ?", (page.candidate, page.url)).fetchone()
            if old:
                self._forget_analysis(db, [old[0]])
                db.execute("DELETE FROM pages WHERE id = ?", (old[0],))
            cur = db.execute(
                "INSERT INTO pages (candidate, url, source_kind, capture_url, capture_time, capture_after, "
                "content_type, status, depth, fetched_at, sha256, size, body, title) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    page.candidate, page.url, page.source_kind, page.capture_url, page.capture_time,
                    int(page.capture_after), page.content_type, page.status, page.depth,
                    page.fetched_at or _now(), page.sha256, len(page.body), page.body, title,
                ),
            )
            db.execute("DELETE FROM failures WHERE candidate = ? AND url = ?", (page.candidate, page.url))
            return cur.lastrowid

    def pages(self, candidate: str | None = None, with_body: bool = True) -> Iterator[Page]:
        """Iterate pages one at a time (bodies are not all held in memory)."""
        cols = "id, candidate, url, source_kind, capture_url, capture_time, capture_after, content_type, status, depth, fetched_at"
        if with_body:
            cols += ", body"
        where, args = (" WHERE candidate = ?", (candidate,)) if candidate else ("", ())
        ids = [r[0] for r in self.db.execute(f"SELECT id FROM pages{where} ORDER BY id", args)]
        for page_id in ids:
            row = self.db.execute(f"SELECT {cols} FROM pages WHERE id = ?", (page_id,)).fetchone()
            yield self._page(row, with_body)

    def page(self, page_id: int) -> Page:
        row = self.db.execute(
            "SELECT id, candidate, url, source_kind, capture_url, capture_time, capture_after, content_type, "
            "status, depth, fetched_at, body FROM pages WHERE id = ?", (page_id,)
        ).fetchone()
        return self._page(row, True)

    @staticmethod
    def _page(row, with_body: bool) -> Page:
        return Page(
            id=row["id"], candidate=row["candidate"], url=row["url"], source_kind=row["source_kind"],
            capture_url=row["capture_url"], capture_time=row["capture_time"],
            capture_after=bool(row["capture_after"]), content_type=row["content_type"],
            status=row["status"], depth=row["depth"], fetched_at=row["fetched_at"],
            body=bytes(row["body"]) if with_body else b"",
        )

    def redirects(self, candidate: str) -> dict[str, str]:
        """``{requested URL: stored page URL}`` of the candidate's redirected requests."""
        rows = self.db.execute("SELECT url, page_url FROM redirects WHERE candidate = ?", (candidate,))
        return {r[0]: r[1] for r in rows}

    def page_count(self, candidate: str | None = None) -> int:
        if candidate:
            return self.db.execute("SELECT count(*) FROM pages WHERE candidate = ?", (candidate,)).fetchone()[0]
        return self.db.execute("SELECT count(*) FROM pages").fetchone()[0]

    # -- failures -------------------------------------------------------------------
    def add_failure(self, candidate: str, url: str, reason: str, detail: str = "") -> None:
        with self._tx() as db:
            db.execute(
                "INSERT INTO failures (candidate, url, reason, detail, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT(candidate, url) DO UPDATE SET reason = excluded.reason, detail = excluded.detail, at = excluded.at",
                (candidate, url, reason, detail[:500], _now()),
            )

    def failures(self, candidate: str | None = None) -> list[sqlite3.Row]:
        if candidate:
            return self.db.execute("SELECT * FROM failures WHERE candidate = ? ORDER BY id", (candidate,)).fetchall()
        return self.db.execute("SELECT * FROM failures ORDER BY id").fetchall()

    def has_failure(self, candidate: str, url: str) -> bool:
        return self.db.execute(
            "SELECT 1 FROM failures WHERE candidate = ? AND url = ?", (candidate, url)
        ).fetchone() is not None

    # -- analysis -------------------------------------------------------------------
    def pages_to_analyze(self, version: str) -> list[int]:
        rows = self.db.execute(
            "SELECT id FROM pages WHERE analyzed_with IS NULL OR analyzed_with != ? ORDER BY id", (version,)
        )
        return [r[0] for r in rows]

    @staticmethod
    def _forget_analysis(db, page_ids: list[int]) -> None:
        for pid in page_ids:
            db.execute("DELETE FROM predictions WHERE statement_id IN (SELECT id FROM statements WHERE page_id = ?)", (pid,))
            db.execute("DELETE FROM statements WHERE page_id = ?", (pid,))

    def save_analysis(
        self,
        page_id: int,
        text: str,
        title: str | None,
        statements: list[Statement],
        predictions: list[Prediction],
        version: str,
    ) -> None:
        """Replace one page's statements and predictions, atomically."""
        with self._tx() as db:
            self._forget_analysis(db, [page_id])
            candidate = db.execute("SELECT candidate FROM pages WHERE id = ?", (page_id,)).fetchone()[0]
            for ordinal, (st, pr) in enumerate(zip(statements, predictions)):
                cur = db.execute(
                    'INSERT INTO statements (page_id, candidate, ordinal, text, heading, heading_path, kind, start, "end", page_number) '
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (page_id, candidate, ordinal, st.text, st.heading, json.dumps(list(st.heading_path)),
                     st.kind, st.start, st.end, st.page_number),
                )
                db.execute(
                    "INSERT INTO predictions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (cur.lastrowid, int(pr.commitment), pr.commitment_score, pr.area, pr.area2,
                     json.dumps(pr.area_scores), pr.concreteness, pr.concreteness_score, int(pr.measurable),
                     json.dumps(pr.facets), json.dumps(list(pr.reasons)), int(pr.needs_review),
                     pr.buzzword_density, pr.model_version),
                )
            db.execute("UPDATE pages SET text = ?, title = COALESCE(?, title), analyzed_with = ? WHERE id = ?",
                       (text, title, version, page_id))

    def commitments(self) -> list[dict]:
        """Every statement judged a commitment, joined with its page's provenance."""
        return self.statement_rows(commitments_only=True)

    def statement_rows(self, commitments_only: bool = False) -> list[dict]:
        sql = (
            'SELECT s.id, s.candidate, c.name AS candidate_name, s.text, s.heading, s.heading_path, s.kind, s.start, s."end", '
            "s.page_number, p.url, p.title, p.source_kind, p.capture_url, p.capture_time, p.capture_after, "
            "pr.commitment, pr.commitment_score, pr.area, pr.area2, pr.area_scores, pr.concreteness, "
            "pr.concreteness_score, pr.measurable, pr.facets, pr.reasons, pr.needs_review, pr.buzzword_density, pr.model_version "
            "FROM statements s JOIN pages p ON p.id = s.page_id JOIN predictions pr ON pr.statement_id = s.id "
            "JOIN candidates c ON c.slug = s.candidate"
        )
        if commitments_only:
            sql += " WHERE pr.commitment = 1"
        sql += " ORDER BY c.rowid, p.id, s.ordinal"
        rows = []
        for r in self.db.execute(sql):
            d = dict(r)
            for key in ("area_scores", "facets", "reasons", "heading_path"):
                d[key] = json.loads(d[key]) if d[key] else ({} if key in ("area_scores", "facets") else [])
            for key in ("commitment", "measurable", "needs_review", "capture_after"):
                d[key] = bool(d[key])
            rows.append(d)
        return rows
