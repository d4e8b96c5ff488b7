"""Local sources: a saved file, or a folder of saved HTML, PDF and text files."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, urljoin

from ..records import Candidate, GatherOptions, Page, Source
from ..store import Store
from .http import SNIFF_BYTES, sniff_content_type

__all__ = ["gather_local", "content_type_of", "READABLE_SUFFIXES"]

READABLE_SUFFIXES = {".html": "text/html", ".htm": "text/html", ".pdf": "application/pdf", ".txt": "text/plain", ".md": "text/plain"}


def content_type_of(path: Path) -> str | None:
    return READABLE_SUFFIXES.get(path.suffix.lower())


def _files(root: Path) -> list[Path]:
    if root.is_file():
        return [root]
    files = [p for p in root.rglob("*") if p.is_file() and p.suffix.lower() in READABLE_SUFFIXES]
    # index pages first, then by depth and name, so that page limits keep the site's top.
    return sorted(files, key=lambda p: (len(p.relative_to(root).parts), p.name not in ("index.html", "index.htm"), str(p)))


def page_url(root: Path, file: Path, source: Source) -> str:
    """The address a saved file stands for: under its source's ``url`` if known, else a file: URL."""
    if source.url:
        relative = file.relative_to(root).as_posix() if root.is_dir() else ""
        if relative in ("index.html", "index.htm"):
            relative = ""
        base = source.url if source.url.endswith("/") or not root.is_dir() else source.url + "/"
        # quoted: a file named "javascript:x.html" must stay a path under the site, not become a scheme
        return urljoin(base, quote(relative)) if relative else base
    return file.resolve().as_uri()


def gather_local(candidate: Candidate, source: Source, store: Store, options: GatherOptions) -> int:
    """Store the readable files of a local source; returns how many pages were stored."""
    root = Path(source.path)
    stored = 0
    files = _files(root)
    if not files:
        store.add_failure(candidate.slug, root.as_uri(), "empty source", "no HTML, PDF or text files found")
        return 0
    for file in files[: options.max_pages]:
        url = page_url(root, file, source)
        if store.has_page(candidate.slug, url) and not options.refresh:
            continue
        try:
            size = file.stat().st_size
            if size > options.max_bytes:
                store.add_failure(candidate.slug, url, "too large", f"{size} bytes > cap {options.max_bytes}")
                continue
            body = file.read_bytes()
        except OSError as exc:
            store.add_failure(candidate.slug, url, "unreadable", str(exc))
            continue
        # A file named by its own path (a folder only yields readable suffixes) may be anything:
        # its bytes decide, and a photo or a Word file is recorded, not read as text.
        content_type = content_type_of(file) or sniff_content_type(None, body[:SNIFF_BYTES])
        if content_type is None:
            store.add_failure(candidate.slug, url, "skipped content type",
                              f"{file.name}: not HTML, PDF or text (save it as one of those)")
            continue
        depth = len(file.relative_to(root).parts) - 1 if root.is_dir() else 0
        page = Page(
            candidate=candidate.slug,
            url=url,
            content_type=content_type,
            body=body,
            source_kind="local",
            depth=depth,
        )
        store.add_page(page)
        stored += 1
    return stored
