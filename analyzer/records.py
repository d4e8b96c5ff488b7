"""The records that pass between stages.

Each is a frozen dataclass with ``as_dict()`` returning JSON-ready values. Stages are
plain functions from one record type to the next (see DESIGN.md, "The flow").
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "Source",
    "Candidate",
    "Election",
    "GatherOptions",
    "Field",
    "Page",
    "Section",
    "Statement",
    "Prediction",
    "CandidateScore",
    "FACETS",
    "AREAS",
]

AREAS = ("operations", "capital", "collaboration", "other")
FACETS = ("metric", "target", "deadline", "budget", "owner")


def _jsonable(value: Any) -> Any:
    if isinstance(value, _Record):
        return value.as_dict()
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, bytes):
        return None
    if isinstance(value, tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    return value


class _Record:
    def as_dict(self) -> dict[str, Any]:
        return {f.name: _jsonable(getattr(self, f.name)) for f in dataclasses.fields(self)}


@dataclass(frozen=True)
class Source(_Record):
    """Where a candidate's platform can be read.

    ``kind`` is ``live`` (a site on the web), ``wayback`` (a site as the Internet
    Archive captured it on or before ``wayback``) or ``local`` (a saved file or folder;
    ``url`` then says where it was saved from, if known).
    """

    kind: str
    url: str | None = None
    wayback: dt.date | None = None
    path: Path | None = None

    @property
    def label(self) -> str:
        if self.kind == "local":
            return str(self.path)
        if self.kind == "wayback":
            return f"{self.url} (archived before {self.wayback})"
        return str(self.url)


@dataclass(frozen=True)
class Candidate(_Record):
    name: str
    slug: str
    sources: tuple[Source, ...] = ()
    party: str | None = None


@dataclass(frozen=True)
class Election(_Record):
    city: str
    state: str
    office: str
    year: int
    dates: dict = field(default_factory=dict)
    fictional: bool = False

    @property
    def title(self) -> str:
        return f"{self.city}, {self.state} — {self.office} {self.year}"


@dataclass(frozen=True)
class GatherOptions(_Record):
    delay: float = 1.0
    max_pages: int = 60
    max_depth: int = 3
    timeout: float = 20.0
    max_bytes: int = 10_000_000
    retries: int = 3
    cdx_per_minute: int = 24
    refresh: bool = False


@dataclass(frozen=True)
class Field(_Record):
    """A field file: one election and its candidates."""

    election: Election
    candidates: tuple[Candidate, ...]
    gather: GatherOptions = GatherOptions()
    path: Path | None = None

    @property
    def name(self) -> str:
        return self.path.stem if self.path else "field"


@dataclass(frozen=True)
class Page(_Record):
    """One fetched document with its provenance.

    ``url`` is the page's original address (for an archived page, the URL the archive
    captured); ``capture_url`` and ``capture_time`` say which capture was read, and
    ``capture_after`` is true when no capture before the Wayback date existed.
    """

    candidate: str
    url: str
    content_type: str
    body: bytes = field(repr=False, default=b"")
    source_kind: str = "live"
    capture_url: str | None = None
    capture_time: str | None = None
    capture_after: bool = False
    fetched_at: str | None = None
    status: int | None = 200
    depth: int = 0
    id: int | None = None

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.body).hexdigest()

    def as_dict(self) -> dict[str, Any]:
        d = super().as_dict()
        d.pop("body")
        d["sha256"] = self.sha256
        d["size"] = len(self.body)
        return d


@dataclass(frozen=True)
class Section(_Record):
    """A block of a page's text: a heading, paragraph or list item.

    ``start``/``end`` are offsets into the page's extracted text; ``heading_path`` lists the
    headings above the block, outermost first. ``page_number`` is set for PDF pages.
    """

    kind: str
    text: str
    start: int
    end: int
    heading_path: tuple[str, ...] = ()
    page_number: int | None = None

    @property
    def heading(self) -> str:
        return self.heading_path[-1] if self.heading_path else ""


@dataclass(frozen=True)
class Statement(_Record):
    """A sentence or bullet: the unit that is classified.

    ``start``/``end`` are offsets into the page's extracted text, so that
    ``page_text[start:end] == text``. ``speaker`` is set when the statement lies inside a
    quotation the page attributes to someone ("…,” said Councilor Betty Ahearn).
    """

    text: str
    start: int
    end: int
    kind: str = "sentence"
    heading_path: tuple[str, ...] = ()
    page_id: int | None = None
    candidate: str | None = None
    page_number: int | None = None
    speaker: str | None = None

    @property
    def heading(self) -> str:
        return self.heading_path[-1] if self.heading_path else ""


@dataclass(frozen=True)
class Prediction(_Record):
    """What the models say of one statement (DESIGN.md contract 2)."""

    commitment: bool
    commitment_score: float
    area: str
    area2: str | None
    area_scores: dict
    concreteness: str
    concreteness_score: float
    measurable: bool
    facets: dict
    reasons: tuple[str, ...] = ()
    needs_review: bool = False
    buzzword_density: float = 0.0
    model_version: str = ""


@dataclass(frozen=True)
class CandidateScore(_Record):
    """Per-candidate figures for the scorecard and candidates.csv."""

    slug: str
    name: str
    status: str
    pages: int
    pages_failed: int
    statements: int
    commitments: int
    innovation: int
    per_area: dict
    concrete: int
    measurable: int
    share_concrete: float | None
    share_measurable: float | None
    buzzword_density: float | None
    sources: tuple[str, ...] = ()
