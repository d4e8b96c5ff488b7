"""Exceptions raised by the analyzer.

Every error a user can cause or fix is an :class:`AnalyzerError`; the CLI turns
one into a single ``Error: …`` line and exit status 1. The tree::

    AnalyzerError
    ├── FieldError          a field file is malformed or invalid (names the file and line)
    ├── InputError          an input file (JSONL, labeled data, document) cannot be read
    ├── ModelError          a model file is missing, corrupted or not this project's
    ├── StoreError          the run's SQLite store is unusable
    └── GatherError         gathering failed as a whole (not one page: pages fail quietly
        │                   into the store's failure table)
        ├── FetchError      one request failed; carries the reason recorded in the store
        │   ├── NotReachable      DNS, connection, timeout, reset
        │   ├── HTTPStatusError   a 4xx/5xx after retries
        │   ├── TooLarge          the body passed the size cap
        │   ├── Disallowed        robots.txt forbids the URL
        │   ├── OffSite           a redirect left the candidate's sites
        │   └── Skipped           a content type the analyzer does not read
        └── ArchiveError    the Wayback Machine refused or rate-limited us beyond retrying
"""

from __future__ import annotations

__all__ = [
    "AnalyzerError",
    "FieldError",
    "InputError",
    "ModelError",
    "StoreError",
    "GatherError",
    "FetchError",
    "NotReachable",
    "HTTPStatusError",
    "TooLarge",
    "Disallowed",
    "OffSite",
    "Skipped",
    "ArchiveError",
]


class AnalyzerError(Exception):
    """Base class of every error the analyzer raises on purpose."""


class FieldError(AnalyzerError):
    """A field file cannot be used. The message names the file, the line and the fix."""

    def __init__(self, message: str, path=None, line: int | None = None):
        self.path = path
        self.line = line
        where = ""
        if path is not None:
            where = f"{path}"
            if line:
                where += f", line {line}"
            where += ": "
        super().__init__(where + message)


class InputError(AnalyzerError):
    """An input file cannot be read or parsed."""


class ModelError(AnalyzerError):
    """A model file is missing, corrupted or was not written by this project."""


class StoreError(AnalyzerError):
    """The run store cannot be opened or written."""


class GatherError(AnalyzerError):
    """Gathering could not proceed at all."""


class FetchError(GatherError):
    """One request failed. ``reason`` is the short code stored in the failures table."""

    reason = "error"

    def __init__(self, message: str, url: str | None = None):
        self.url = url
        super().__init__(message)


class NotReachable(FetchError):
    reason = "not reachable"


class HTTPStatusError(FetchError):
    reason = "http error"

    def __init__(self, message: str, url: str | None = None, status: int | None = None):
        self.status = status
        super().__init__(message, url)


class TooLarge(FetchError):
    reason = "too large"


class Disallowed(FetchError):
    reason = "disallowed by robots.txt"


class OffSite(FetchError):
    reason = "off-site redirect"


class Skipped(FetchError):
    reason = "skipped content type"


class ArchiveError(GatherError):
    """The Wayback Machine could not be used (rate limit, outage)."""

    reason = "archive unavailable"
