"""From a page's bytes to its text and sections.

HTML: trafilatura decides what is the main content (favoring recall, keeping lists and
tables); BeautifulSoup gives the structure trafilatura drops — headings, list items, and the
heading path above every paragraph and bullet. Boilerplate (menus, footers, donate and
volunteer boxes, cookie banners, share buttons) is removed before either sees the page.

PDF and plain text: lines are regrouped into headings, bullets and paragraphs.

The page text is the sections' texts joined by blank lines, so every section (and later
every statement) carries exact character offsets into it.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import BeautifulSoup, Comment, NavigableString, UnicodeDammit
from bs4.dammit import EncodingDetector

from .records import Page, Section

__all__ = ["PageText", "page_text", "html_sections", "lines_sections", "decode_html", "MAX_TEXT_CHARS"]

MAX_TEXT_CHARS = 2_000_000  # a page's text beyond this is cut: no platform is that long

_BOILERPLATE_TAGS = ["script", "style", "noscript", "template", "nav", "footer", "form", "iframe", "svg",
                     "button", "select", "input", "textarea", "object", "embed", "canvas", "head"]
_BOILERPLATE_RE = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|menubar|footer|site-footer|donate|donation|contribute|volunteer|"
    r"cookie|cookies|consent|gdpr|banner-cookie|share|sharing|social|sharethis|addthis|signup|sign-up|"
    r"newsletter|subscribe|sidebar|widget|breadcrumb|breadcrumbs|skip|skip-link|masthead|site-header|"
    r"header-top|modal|popup|tweet|facebook|related|comments?|pagination|pager|copyright|disclaimer|"
    r"paid-for|legal)($|[\s_-])",
    re.I,
)
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre", "address"}
_BLOCKS_OR_HEADINGS = frozenset(_BLOCKS | _HEADINGS)
_READ_TAGS = sorted(_HEADINGS | _BLOCKS | {"div", "section", "article"})


def _has_block_inside(el) -> bool:
    # walking the descendants is ~20x cheaper than el.find([...]), which builds a matcher per call
    return any(getattr(d, "name", None) in _BLOCKS_OR_HEADINGS for d in el.descendants)


def _own_text(el) -> str:
    """The text sitting directly in an element, not in its child elements."""
    return clean(" ".join(c for c in el.children if isinstance(c, NavigableString)))
_SPACE_RE = re.compile(r"\s+")
_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·\-–—*]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


@dataclass(frozen=True)
class PageText:
    text: str
    title: str | None
    sections: tuple[Section, ...]


# C0 controls (a NUL in a page) and the bidirectional overrides and isolates: in quoted text a
# U+202E would reverse what follows it on the reader's screen, the source URL included
_CONTROL_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\u202a-\u202e\u2066-\u2069]")


def strip_controls(text: str) -> str:
    """Text without control characters that no reader should receive (tabs and newlines stay)."""
    return _CONTROL_RE.sub("", text)


def clean(text: str) -> str:
    text = unicodedata.normalize("NFC", strip_controls(text.replace("\u00ad", "").replace("\u200b", "")))
    return _SPACE_RE.sub(" ", text).strip()


def _charset(content_type: str) -> str | None:
    m = re.search(r"charset=([\w.:-]+)", content_type or "", re.I)
    return m.group(1) if m else None


def _is_utf8(label: str | bytes | None) -> bool:
    if isinstance(label, bytes):
        label = label.decode("ascii", errors="ignore")
    try:
        return bool(label) and codecs.lookup(label).name == "utf-8"
    except LookupError:
        return False


def _decode_utf8(body: bytes) -> str:
    """UTF-8 as browsers read it: a few bad bytes do not make the whole page another encoding.

    Windows-1252 pasted into a UTF-8 page (curly quotes from a word processor) is repaired;
    any other invalid byte becomes U+FFFD.
    """
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return UnicodeDammit.detwingle(body).decode("utf-8-sig", errors="replace")


def decode_html(body: bytes, content_type: str = "") -> str:
    body = body[:MAX_TEXT_CHARS * 2]
    hint = _charset(content_type)
    if _is_utf8(hint or EncodingDetector.find_declared_encoding(body, is_html=True)):
        return _decode_utf8(body)
    dammit = UnicodeDammit(body, known_definite_encodings=[hint] if hint else [], smart_quotes_to="unicode")
    if dammit.unicode_markup is None:
        return body.decode("utf-8", errors="replace")
    return dammit.unicode_markup


def decode_text(body: bytes, content_type: str = "") -> str:
    """Plain text in the charset found when it was gathered (UTF-8 when none was)."""
    hint = _charset(content_type)
    if hint and not _is_utf8(hint):
        try:
            return body.decode(hint, errors="replace")
        except LookupError:
            pass
    return _decode_utf8(body)


def _is_boilerplate(tag) -> bool:
    if tag.name in ("header",) and tag.find(_HEADINGS - {"h1"}) is None:
        return True
    attrs = " ".join([tag.get("id") or ""] + list(tag.get("class") or []) + [tag.get("role") or ""])
    if attrs.strip() and _BOILERPLATE_RE.search(attrs):
        # a main container whose class merely mentions "content-sidebar" etc. must not vanish whole
        if tag.name in ("body", "main", "article"):
            return False
        return True
    if (tag.get("aria-hidden") == "true") or tag.get("hidden") is not None:
        return True
    return False


def _norm_key(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "", text.lower())


def html_sections(html: str) -> tuple[str | None, list[tuple[str, str, tuple[str, ...]]]]:
    """Return the title and the content blocks ``(kind, text, heading_path)`` of an HTML page."""
    soup = BeautifulSoup(html, "lxml")
    title = clean(soup.title.get_text()) if soup.title else None
    for comment in soup.find_all(string=lambda s: isinstance(s, Comment)):
        comment.extract()
    for tag in soup.find_all(_BOILERPLATE_TAGS):
        tag.decompose()
    for tag in list(soup.find_all(True)):
        if tag.parent is not None and tag.attrs is not None and _is_boilerplate(tag):
            tag.decompose()
    body = soup.body or soup
    main_text = _main_text(str(body))
    blocks: list[tuple[str, str, tuple[str, ...]]] = []
    stack: list[tuple[int, str]] = []
    seen_in_main = set()
    for el in body.find_all(_READ_TAGS):
        name = el.name
        if name in _HEADINGS:
            text = clean(el.get_text(" "))
            if not text:
                continue
            level = int(name[1])
            while stack and stack[-1][0] >= level:
                stack.pop()
            blocks.append(("heading", text, tuple(h for _, h in stack)))
            stack.append((level, text))
            continue
        if name in ("div", "section", "article"):
            # text sitting directly in a div (no <p>) is common on old campaign sites
            own = _own_text(el)
            if not own or len(own) < 25:
                continue
            text = own
            kind = "paragraph"
        else:
            if _has_block_inside(el):
                # a container of blocks: its children are read on their own
                nested_text = _own_text(el)
                if not nested_text:
                    continue
                text = nested_text
            else:
                text = clean(el.get_text(" "))
            kind = "item" if name in ("li", "dd", "dt") else "paragraph"
        if not text:
            continue
        if main_text is not None:
            key = _norm_key(text)
            if key and key not in main_text and kind != "heading":
                continue
            seen_in_main.add(key)
        blocks.append((kind, text, tuple(h for _, h in stack)))
    # headings with nothing under them (a menu title left behind) are dropped
    kept = []
    for i, block in enumerate(blocks):
        if block[0] == "heading":
            following = blocks[i + 1] if i + 1 < len(blocks) else None
            if following is None:
                continue
        kept.append(block)
    return title, kept


def _main_text(html: str) -> str | None:
    """trafilatura's view of the main content, normalised for containment checks; None if it finds none."""
    try:
        import trafilatura

        text = trafilatura.extract(
            html, favor_recall=True, include_lists=True, include_tables=True, include_comments=False,
            include_formatting=False, deduplicate=False, with_metadata=False,
        )
    except Exception:
        return None
    if not text or len(text) < 200:
        return None
    return _norm_key(text)


def lines_sections(text: str, page_number: int | None = None) -> list[tuple[str, str, tuple[str, ...], int | None]]:
    """Regroup the lines of a PDF page or a plain-text file into headings, bullets and paragraphs."""
    blocks: list[tuple[str, str, tuple[str, ...], int | None]] = []
    heading_path: tuple[str, ...] = ()
    paragraph: list[str] = []
    item: list[str] = []

    def flush():
        nonlocal paragraph, item
        if paragraph:
            blocks.append(("paragraph", clean(" ".join(paragraph)), heading_path, page_number))
        if item:
            blocks.append(("item", clean(" ".join(item)), heading_path, page_number))
        paragraph, item = [], []

    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            flush()
            continue
        md = re.match(r"^#{1,6}\s+(.*)", line)
        if md or _looks_like_heading(line, paragraph or item):
            flush()
            heading = clean(md.group(1) if md else line)
            blocks.append(("heading", heading, heading_path[:1] if heading_path else (), page_number))
            heading_path = (heading_path[:1] + (heading,)) if (heading_path and not md) else (heading,)
            continue
        bullet = _BULLET_RE.match(line)
        if bullet:
            flush()
            item = [line[bullet.end():]]
            continue
        if item:
            item.append(line)
        else:
            paragraph.append(line)
            if line.endswith((".", "!", "?", ":")) and len(line) < 60:
                flush()
    flush()
    return [b for b in blocks if b[1]]


def _looks_like_heading(line: str, open_block: list[str]) -> bool:
    if open_block and not open_block[-1].rstrip().endswith((".", "!", "?", ":")):
        return False
    words = line.split()
    if not 1 <= len(words) <= 10 or line.endswith((".", ",", ";")) or len(line) > 80:
        return False
    if line.isupper() and any(c.isalpha() for c in line):
        return True
    small = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "our", "&", "—", "-"}
    capitalised = [w for w in words if w.lower() not in small]
    return bool(capitalised) and all(w[:1].isupper() or not w[:1].isalpha() for w in capitalised)


def _assemble(title, blocks) -> PageText:
    parts: list[str] = []
    sections: list[Section] = []
    offset = 0
    for block in blocks:
        kind, text, path = block[0], block[1], block[2]
        page_number = block[3] if len(block) > 3 else None
        if offset + len(text) > MAX_TEXT_CHARS:
            break
        if parts:
            offset += 2
        sections.append(Section(kind=kind, text=text, start=offset, end=offset + len(text),
                                heading_path=tuple(path), page_number=page_number))
        parts.append(text)
        offset += len(text)
    return PageText(text="\n\n".join(parts), title=title, sections=tuple(sections))


def page_text(page: Page) -> PageText:
    """Extract a page's text and sections, whatever its type."""
    ctype = (page.content_type or "").lower()
    body = page.body
    from .gather.pdf import is_pdf, pdf_pages

    if "pdf" in ctype or is_pdf(body):
        blocks = []
        # A saved file is named by its file name only: the message becomes the failure's detail,
        # shown in the published scorecard, where the analyst's folders have no business.
        name = PurePosixPath(unquote(urlsplit(page.url).path)).name if page.url.startswith("file:") else page.url
        for number, text in pdf_pages(body, name or page.url):
            blocks.extend(lines_sections(text, number))
        return _assemble(None, blocks)
    if "html" in ctype or body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        title, blocks = html_sections(decode_html(body, page.content_type))
        return _assemble(title, blocks)
    return _assemble(None, lines_sections(decode_text(body, page.content_type)))
