"""Field files: one election and its candidates, in TOML (DESIGN.md contract 5).

``load_field`` reads and validates a file; every problem raises one :class:`FieldError`
that names the file, the line where it can be found, and what to change.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import tomllib
from pathlib import Path
from urllib.parse import urlsplit

from .errors import FieldError
from .records import Candidate, Election, Field, GatherOptions, Source
from .text import strip_controls

__all__ = ["load_field", "DEMO_FIELD", "FIELDS_DIR"]

FIELDS_DIR = Path(__file__).resolve().parent.parent / "corpora" / "fields"
DEMO_FIELD = FIELDS_DIR / "demo.toml"

SLUG_RE = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")
MAX_FIELD_BYTES = 2_000_000

_TOP_KEYS = {"election", "gather", "candidates"}
_ELECTION_KEYS = {"city", "state", "office", "year", "dates", "fictional", "notes", "source"}
_GATHER_KEYS = {"delay", "max_pages", "max_depth", "timeout", "max_bytes", "retries", "cdx_per_minute"}
_AT_LEAST_ONE = {"max_pages", "max_bytes", "cdx_per_minute"}
_CANDIDATE_KEYS = {"name", "slug", "sources", "party", "notes", "site_note"}
_SOURCE_KEYS = {"url", "wayback", "path", "note"}


class _Locator:
    """Finds the line of a key or value in the raw text, for error messages."""

    def __init__(self, text: str):
        self.lines = text.splitlines()

    def find(self, *needles: str, after: int = 0) -> int | None:
        for needle in needles:
            for i, line in enumerate(self.lines[after:], start=after + 1):
                code = line.split("#", 1)[0] if "#" in line and needle != "#" else line
                if needle in code:
                    return i
        return None

    def key(self, key: str, after: int = 0) -> int | None:
        pattern = re.compile(rf"(^|[\s{{,])\"?{re.escape(key)}\"?\s*=")
        for i, line in enumerate(self.lines[after:], start=after + 1):
            if pattern.search(line):
                return i
        return None

    def table(self, header: str, index: int = 0) -> int | None:
        seen = -1
        for i, line in enumerate(self.lines, start=1):
            if line.strip().startswith(header):
                seen += 1
                if seen == index:
                    return i
        return None


def load_field(path: str | Path) -> Field:
    """Read a field file. Raises FieldError with the file, line and fix on any problem."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FieldError(
            "no such field file; give the path of a .toml file, e.g. corpora/fields/demo.toml", path
        ) from None
    except OSError as exc:
        raise FieldError(f"cannot read the file ({exc.strerror})", path) from None
    if len(raw) > MAX_FIELD_BYTES:
        raise FieldError(f"the file is larger than {MAX_FIELD_BYTES} bytes; is it a field file?", path)
    try:
        text = raw.decode("utf-8-sig")  # a BOM from a Windows editor is not TOML
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        raise FieldError("the file is not UTF-8 text; save it as UTF-8", path, line) from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = re.search(r"\(at line (\d+), column (\d+)\)", msg)
        line = int(m.group(1)) if m else None
        msg = re.sub(r"\s*\(at line \d+, column \d+\)", "", msg) if m else msg
        raise FieldError(f"malformed TOML: {msg}; fix the syntax on that line", path, line) from None
    return parse_field(data, path, text)


def parse_field(data: dict, path: Path | None = None, text: str = "") -> Field:
    loc = _Locator(text)
    base = path.parent if path else Path.cwd()

    def fail(message: str, line: int | None = None):
        raise FieldError(message, path, line)

    _unknown(data, _TOP_KEYS, "the top level", loc, fail)

    election_data = data.get("election")
    if not isinstance(election_data, dict):
        fail("missing [election] table; add one with city, state, office and year", None)
    eline = loc.table("[election]")
    _unknown(election_data, _ELECTION_KEYS, "[election]", loc, fail)
    for key in ("city", "state", "office"):
        value = election_data.get(key)
        if not isinstance(value, str) or not value.strip():
            fail(f'[election] needs {key} = "…" (a non-empty string)', loc.key(key) or eline)
    year = election_data.get("year")
    if not isinstance(year, int) or not 1800 <= year <= 2200:
        fail("[election] needs year = YYYY (an integer such as 2013)", loc.key("year") or eline)
    dates = election_data.get("dates", {})
    if not isinstance(dates, dict):
        fail("dates must be a table such as { general = 2013-11-05 }", loc.key("dates"))
    for name, value in dates.items():
        if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
            fail(f"dates.{name} must be a date written YYYY-MM-DD without quotes", loc.key("dates") or loc.key(name))
    fictional = election_data.get("fictional", False)
    if not isinstance(fictional, bool):
        fail("fictional must be true or false", loc.key("fictional"))
    election = Election(
        city=election_data["city"].strip(),
        state=election_data["state"].strip(),
        office=election_data["office"].strip(),
        year=year,
        dates=dict(dates),
        fictional=fictional,
    )

    gather_data = data.get("gather", {})
    if not isinstance(gather_data, dict):
        fail("[gather] must be a table", loc.table("[gather]"))
    _unknown(gather_data, _GATHER_KEYS, "[gather]", loc, fail)
    gather_kwargs = {}
    for key, value in gather_data.items():
        expected = int if key in {"max_pages", "max_depth", "max_bytes", "retries", "cdx_per_minute"} else (int, float)
        if isinstance(value, bool) or not isinstance(value, expected) or not math.isfinite(value) or value < 0:
            fail(f"[gather] {key} must be a non-negative number", loc.key(key))
        if key in _AT_LEAST_ONE and value < 1:
            fail(f"[gather] {key} must be at least 1", loc.key(key))
        if key == "timeout" and value <= 0:
            fail("[gather] timeout must be more than 0 seconds", loc.key(key))
        gather_kwargs[key] = value
    gather = GatherOptions(**gather_kwargs)

    raw_candidates = data.get("candidates", [])
    if not isinstance(raw_candidates, list) or not all(isinstance(c, dict) for c in raw_candidates):
        fail("candidates must be written as [[candidates]] tables", loc.find("candidates"))
    if not raw_candidates:
        fail("the field has no candidates; add a [[candidates]] table for each", None)
    candidates = []
    seen: dict[str, int] = {}
    for index, raw in enumerate(raw_candidates):
        cline = loc.table("[[candidates]]", index)
        _unknown(raw, _CANDIDATE_KEYS, f"candidate #{index + 1}", loc, fail, after=(cline or 1) - 1)
        name = raw.get("name")
        if not isinstance(name, str) or not name.strip():
            fail(f'candidate #{index + 1} needs name = "…"', cline)
        slug = raw.get("slug")
        sline = loc.find(f'"{slug}"', after=(cline or 1) - 1) if isinstance(slug, str) else cline
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            fail(
                f"candidate {name!r}: slug {slug!r} is not valid; use lowercase letters, digits and "
                "hyphens only (e.g. \"connolly\")",
                sline or cline,
            )
        if slug in seen:
            fail(f"duplicate slug {slug!r} (first used by candidate #{seen[slug] + 1}); slugs must be unique", sline)
        seen[slug] = index
        sources_raw = raw.get("sources", [])
        if not isinstance(sources_raw, list):
            fail(f"candidate {slug}: sources must be a list of tables", loc.key("sources", after=(cline or 1) - 1))
        sources = []
        for sraw in sources_raw:
            sources.append(_source(sraw, slug, base, loc, fail, cline))
        party = raw.get("party")
        candidates.append(Candidate(name=strip_controls(name).strip(), slug=slug, sources=tuple(sources),
                                    party=strip_controls(party).strip() if isinstance(party, str) else party))

    return Field(election=election, candidates=tuple(candidates), gather=gather, path=path)


def _source(sraw, slug, base: Path, loc: _Locator, fail, cline) -> Source:
    after = (cline or 1) - 1
    if not isinstance(sraw, dict):
        fail(f"candidate {slug}: each source must be a table like {{ url = \"https://…\" }}", loc.key("sources", after=after))
    unknown = set(sraw) - _SOURCE_KEYS
    if unknown:
        key = sorted(unknown)[0]
        fail(
            f"candidate {slug}: unknown source key {key!r}; a source has url, wayback, path (and note)",
            loc.key(key, after=after),
        )
    url, path, wayback = sraw.get("url"), sraw.get("path"), sraw.get("wayback")
    if url is None and path is None:
        fail(f"candidate {slug}: a source needs url = \"https://…\" or path = \"…\"", loc.key("sources", after=after))
    if url is not None:
        if not isinstance(url, str):
            fail(f"candidate {slug}: url must be a string", loc.key("url", after=after))
        parts = urlsplit(url.strip())
        if parts.scheme not in ("http", "https") or not parts.netloc:
            fail(
                f"candidate {slug}: {url!r} is not an http(s) URL; write it as http://… or https://…"
                " (use path = \"…\" for a saved file)",
                loc.find(url, after=after),
            )
        url = url.strip()
    if wayback is not None:
        if isinstance(wayback, str):
            try:
                wayback = dt.date.fromisoformat(wayback)
            except ValueError:
                wayback = None
        if isinstance(wayback, dt.datetime):
            wayback = wayback.date()
        if not isinstance(wayback, dt.date):
            fail(f"candidate {slug}: wayback must be a date written YYYY-MM-DD", loc.key("wayback", after=after))
        if url is None or path is not None:
            fail(f"candidate {slug}: a wayback source needs url = \"…\" and no path", loc.key("wayback", after=after))
        return Source(kind="wayback", url=url, wayback=wayback)
    if path is not None:
        if not isinstance(path, str) or not path.strip():
            fail(f"candidate {slug}: path must be a non-empty string", loc.key("path", after=after))
        resolved = (base / path).resolve()
        if not resolved.exists():
            fail(
                f"candidate {slug}: {path!r} does not exist (paths are relative to the field file)",
                loc.find(path, after=after),
            )
        return Source(kind="local", url=url, path=resolved)
    return Source(kind="live", url=url)


def _unknown(table: dict, allowed: set, where: str, loc: _Locator, fail, after: int = 0) -> None:
    unknown = sorted(set(table) - allowed)
    if unknown:
        key = unknown[0]
        fail(
            f"unknown key {key!r} in {where}; allowed keys are: {', '.join(sorted(allowed))}",
            loc.key(key, after=after) or loc.find(f"[{key}", after=after),
        )
