"""From a page's bytes to its text and sections.

HTML: lxml parses the page — driven as BeautifulSoup's lxml builder drove it, so the tree is
the one the rules were tuned on (a page nested deeper than libxml2 builds trees is parsed a
second time from the parser's events) — and gives the structure: headings, list items, and the
heading path above every paragraph and bullet. Text is read as a browser lays it out: inline
markup joins the words it splits, blocks and breaks separate them, and the text around the
blocks an element holds is read in runs, each where it stands.
Boilerplate (menus, footers, donate and volunteer boxes, cookie banners, share buttons) is
removed first. The cleaned page is then serialized as a whole document and handed to
trafilatura, which parses it again and says what is the main content (favoring recall, keeping
lists and tables); short paragraphs mostly outside it (a tagline, a cookie notice that no class
name gives away) are dropped (see ``_kept_by_veto``). Headings left with nothing under them go.

PDF and plain text: lines are regrouped into headings, bullets and paragraphs.

The page text is the sections' texts joined by blank lines, so every section (and later
every statement) carries exact character offsets into it.
"""

from __future__ import annotations

import codecs
import html as html_lib
import logging
import re
import unicodedata
from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

from bs4 import UnicodeDammit
from bs4.dammit import EncodingDetector
from lxml import etree

from .records import Page, Section

__all__ = ["PageText", "page_text", "html_sections", "lines_sections", "decode_html", "MAX_TEXT_CHARS"]

MAX_TEXT_CHARS = 2_000_000  # a page's text beyond this is cut: no platform is that long

_SPACE_RE = re.compile(r"\s+")
# an em dash opening a line signs a letter or gives a quote's source ("— Grace Chen"): no bullet
_BULLET_RE = re.compile(r"^\s*(?:[•●▪■◦‣∙·\-–*✔✓➤►▸▶]|\(?\d{1,2}[.)]|\(?[a-z][.)])\s+")


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


# a str holding a surrogate holds a lone one (a pair decodes to one code point): UTF-7, UTF-16
# cut mid-pair or a "surrogatepass" codec leaves them, and they cannot be encoded back to UTF-8
_SURROGATE_RE = re.compile("[\ud800-\udfff]")


def _no_surrogates(text: str) -> str:
    """The text with every lone surrogate replaced by U+FFFD, as browsers show them."""
    return _SURROGATE_RE.sub("\ufffd", text)


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
    """An HTML page's text in the charset it declares or seems to be in; never a lone surrogate."""
    return _no_surrogates(_decode_html(body[:MAX_TEXT_CHARS * 2], content_type))


def _decode_html(body: bytes, content_type: str) -> str:
    hint = _charset(content_type)
    if _is_utf8(hint or EncodingDetector.find_declared_encoding(body, is_html=True)):
        return _decode_utf8(body)
    dammit = UnicodeDammit(body, known_definite_encodings=[hint] if hint else [], smart_quotes_to="unicode")
    if dammit.unicode_markup is None:
        return body.decode("utf-8", errors="replace")
    return dammit.unicode_markup


def decode_text(body: bytes, content_type: str = "") -> str:
    """Plain text in the charset found when it was gathered (UTF-8 when none was); never a lone surrogate."""
    hint = _charset(content_type)
    if hint and not _is_utf8(hint):
        try:
            return _no_surrogates(body.decode(hint, errors="replace"))
        except LookupError:
            pass
    return _decode_utf8(body)


_BOILERPLATE_TAGS = frozenset({"script", "style", "noscript", "template", "nav", "footer", "form", "iframe", "svg",
                               "button", "select", "input", "textarea", "object", "embed", "canvas", "head"})
_BOILERPLATE_RE = re.compile(
    r"(^|[\s_-])(nav|navbar|navigation|menu|menubar|footer|site-footer|donate|donation|contribute|volunteer|"
    r"cookie|cookies|consent|gdpr|banner-cookie|share|sharing|social|sharethis|addthis|signup|sign-up|"
    r"newsletter|subscribe|sidebar|widget|breadcrumb|breadcrumbs|skip|skip-link|masthead|site-header|"
    r"header-top|modal|popup|tweet|facebook|related|comments?|pagination|pager|copyright|disclaimer|"
    r"paid-for|legal)($|[\s_-])",
    re.I,
)
_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_SUBHEADINGS = tuple(sorted(_HEADINGS - {"h1"}))
_BLOCKS = frozenset({"p", "li", "blockquote", "dd", "dt", "td", "th", "figcaption", "pre", "address"})
_CONTAINERS = frozenset({"div", "section", "article"})
_ITEMS = frozenset({"li", "dd", "dt"})
_KEPT_WHEN_FLAGGED = frozenset({"html", "body", "main", "article"})
# an element holding one of these is the page's main wrapper whatever its class says
# (Genesis' "content-sidebar-wrap", "has-sidebar", "has-navbar-fixed-top")
_MAIN_MARKS = ("h1", "main", "article")
# The strings in these are typed (ruby annotation, script, style, template text) and left out of an
# element's text; script, style and template go with the boilerplate, ruby annotations stay.
_RUBY = frozenset({"rt", "rp"})
_TYPED_STRING_TAGS = frozenset({"rt", "rp", "script", "style", "template"})

_DOCTYPE_RE = re.compile(r"<!doctype", re.I)
# a whole declaration: "<!doctype" in a script ("/^<!doctype/i.test(s)") or an attribute is left be
_STRAY_DOCTYPE_RE = re.compile(r"<!doctype[^<>]*>", re.I)
_LEADING_DOCTYPE_RE = re.compile(r"[ \t\n\r\f]*(?:<\?xml[^>]*>[ \t\n\r\f]*)?<!doctype", re.I)
# libxml2 stops building a tree at this depth (huge_tree); the event-driven parse has no such limit
_MAX_TREE_DEPTH = 2048
_AT_MAX_DEPTH = etree.XPath("/" + "/".join(["*"] * _MAX_TREE_DEPTH))


class _Node:
    """An element (or a marker string) of a page parsed from events, read like an lxml element."""

    __slots__ = ("tag", "attrib", "text", "tail", "children", "parent")

    def __init__(self, tag, attrib, parent, text=None):
        self.tag, self.attrib, self.parent = tag, attrib, parent
        self.text, self.tail, self.children = text, None, []

    def get(self, key, default=None):
        return self.attrib.get(key, default)

    def __iter__(self):
        return iter(self.children)

    def getparent(self):
        return self.parent

    def iterancestors(self):
        node = self.parent
        while node is not None and node.tag is not None:  # the document node has no tag
            yield node
            node = node.parent

    def iter(self, *tags):
        pending = [self]
        while pending:
            node = pending.pop()
            if node.tag in tags:
                yield node
            pending.extend(reversed(node.children))


_REMOVED = "analyzer-removed"
# the tag of a processing instruction inside a page parsed from events
_MARKER = object()


class _EventTree:
    """lxml parser target building the page from the parser's events.

    Used where libxml2 stops building its tree: past a nesting depth that events do not have.
    A processing instruction is kept as a marker: it separates the text on either side, as in
    lxml's tree. Python callbacks are slower, so other pages get lxml's tree. Plain nodes, not lxml's TreeBuilder: it refuses names and characters the parser
    lets through.
    """

    def __init__(self):
        self.document = self._current = _Node(None, {}, None)
        self._last = None  # the node whose tail takes the next text, or None for the current's text

    def _add(self, node):
        self._current.children.append(node)
        self._last = node
        return node

    def start(self, tag, attrib):
        self._current = self._add(_Node(tag, dict(attrib), self._current))
        self._last = None

    def end(self, tag):
        self._last, self._current = self._current, self._current.parent

    def data(self, data):
        if self._last is None:
            self._current.text = (self._current.text or "") + data
        else:
            self._last.tail = (self._last.tail or "") + data

    def comment(self, text):
        self._add(_Node(etree.Comment, {}, self._current, text))

    def pi(self, target, data=None):
        self._add(_Node(_MARKER, {}, self._current))

    def close(self):
        return self.document


def _parse(html: str) -> list:
    """The top-level elements of the page as libxml2 parses it.

    The parser is driven as BeautifulSoup(html, "lxml") drove it (a leading BOM dropped, the text
    fed whole), so every block read from the tree is the one the rules were tuned on. A DOCTYPE
    anywhere but at the start (two pages pasted into one, a CMS widget's whole page) becomes a
    space: libxml2 drops it silently and glued the words on either side ("readafter"), where
    BeautifulSoup had put its string ("html PUBLIC …") into the text.
    """
    if html[:1] == "\ufeff":
        html = html[1:]
    leading = _LEADING_DOCTYPE_RE.match(html)
    start = leading.end() if leading else 0
    if _DOCTYPE_RE.search(html, start):
        html = html[:start] + _STRAY_DOCTYPE_RE.sub(" ", html[start:])
    parser = etree.HTMLParser(recover=True, huge_tree=True)
    parser.feed(html)
    try:
        root = parser.close()
    except etree.LxmlError:
        root = None
    if root is None:  # not a single element in the page
        return []
    if html.count("<") < _MAX_TREE_DEPTH or not _AT_MAX_DEPTH(root):
        return [root, *root.itersiblings()]
    parser = etree.HTMLParser(target=_EventTree(), recover=True)
    parser.feed(html)
    return parser.close().children


def _headers_with_subheadings(tops) -> set:
    """The <header>s holding an h2–h6 that no boilerplate tag stands between (those are removed
    before headers are judged): a page header is boilerplate, an article's header with its
    subheadings is content. One walk up from each subheading; an element already walked through
    ends the walk, since the rest of the way up was taken then (nested headers were quadratic)."""
    return {el for el in _ancestors_once(tops, _SUBHEADINGS, set(), lambda el: el.tag in _BOILERPLATE_TAGS)
            if el.tag == "header"}


def _ancestors_once(tops, tags, walked: set, stop=None):
    """The ancestors of the elements with these tags, each once (``walked`` collects them): a walk
    up ends at an element already walked through, since the rest of the way was taken then, or
    after one that ``stop`` says ends it."""
    for top in tops:
        for mark in top.iter(*tags):
            el = mark.getparent()
            while el is not None and el.tag is not None and el not in walked:
                walked.add(el)
                yield el
                if stop is not None and stop(el):
                    break
                el = el.getparent()


def _gather_bodies(tops) -> None:
    """Move the content of every later <body> into the first. Text after ``</html>`` (a CMS that
    appends a footer script's output, two pages pasted together) becomes a second top-level
    <html> in libxml2's tree (and in a page parsed from events), and reading only the first body
    lost it."""
    bodies = [list(top.iter("body")) for top in tops]
    first = next((b[0] for b in bodies if b), None)
    if first is None:
        return
    for top, found in zip(tops, bodies):
        # in document order: a later <body>, and what stands in <html> outside any body
        strays = [child for child in top if top.tag == "html" and child.tag not in ("head", "body")
                  and isinstance(child.tag, str)]
        for source in [b for b in found if b is not first] + ([top] if not found and top is not tops[0] else []):
            _adopt(first, [child for child in source if child.tag != "head"], source.text)
        if strays:
            _adopt(first, strays, None)


def _adopt(body, children: list, text: str | None) -> None:
    """Append a <div> holding ``text`` and ``children`` (moved from where they stood) to ``body``."""
    if isinstance(body, _Node):
        holder = _Node("div", {}, body, text)
        moved = {id(child) for child in children}
        for parent in {id(child.parent): child.parent for child in children}.values():
            parent.children = [c for c in parent.children if id(c) not in moved]
        for child in children:
            child.parent = holder
        holder.children = children
        body.children.append(holder)
        return
    holder = etree.SubElement(body, "div")
    holder.text = text
    holder.extend(children)


def _main_wrappers(tops) -> set:
    """The elements holding an h1, a main or an article, found in one pass up from each mark
    (an ancestor already seen ends the walk, so every element is visited once), and those
    holding more than half the page's text under a class that only describes a layout
    ("has-sidebar", "share-this-enabled" on the wrapper of the whole post): they are the page."""
    wrappers = set(_ancestors_once(tops, _MAIN_MARKS, set()))
    wrappers |= {el for el in _text_holders(tops) if _layout_only(el)}
    return wrappers


_LAYOUT_TOKEN_RE = re.compile(r"^(?:has|with|no|is)-|-(?:wrap|wrapper|enabled|container|layout|inner)$", re.I)


def _layout_only(el) -> bool:
    """Whether every class or id token that names boilerplate is a layout modifier ("has-sidebar",
    "content-sidebar-wrap", "share-this-enabled"), not the name of a boilerplate block ("sidebar")."""
    tokens = f"{el.get('id') or ''} {el.get('class') or ''}".split()
    flagged = [t for t in tokens if _BOILERPLATE_RE.search(t)]
    return bool(flagged) and all(_LAYOUT_TOKEN_RE.search(t) for t in flagged)


def _text_holders(tops) -> set:
    """The elements under which more than half of the page's text stands, in one pass."""
    if not tops or not hasattr(tops[0], "itersiblings"):
        return set()  # a page parsed from events (a stray DOCTYPE, extreme nesting): the marks suffice
    order = [el for top in tops for el in top.iter()]
    size: dict = {}
    for el in reversed(order):  # children before their parents
        own = len((el.text or "").strip()) if isinstance(el.tag, str) else 0
        size[el] = own + sum(size.get(child, 0) + len((child.tail or "").strip()) for child in el)
    total = sum(size[top] for top in tops)
    return {el for el in order if isinstance(el.tag, str) and total and 2 * size[el] > total}


def _removed(el, wrappers=frozenset(), headed=frozenset()) -> bool:
    """Whether cleaning removes this element, and all it holds, from the page.

    ``wrappers`` (from ``_main_wrappers``) are never removed for their class, id or role;
    ``headed`` (from ``_headers_with_subheadings``) are the headers kept.
    """
    tag = el.tag
    if tag in _BOILERPLATE_TAGS:
        return True
    if tag == "header" and el not in headed:
        return True
    ident, classes, role = el.get("id"), el.get("class"), el.get("role")
    if ident or classes or role:
        attrs = f"{ident or ''} {classes or ''} {role or ''}"
        if attrs.strip() and _BOILERPLATE_RE.search(attrs):
            # a main container whose class merely mentions "content-sidebar" etc. must not vanish whole
            return tag not in _KEPT_WHEN_FLAGGED and el not in wrappers
    return el.get("aria-hidden") == "true" or el.get("hidden") is not None


def _removed_or_ruby(wrappers, headed):
    return lambda el: el.tag in _RUBY or _removed(el, wrappers, headed)


def _typed(el) -> bool:
    return el.tag in _TYPED_STRING_TAGS


# no real heading is longer, nor made of more nodes (elements, comments): an unclosed heading
# holds the rest of the page, and reading it whole for each of thousands of unclosed headings
# took minutes ("<h3><span>x" * 20000: 505 s)
_MAX_HEADING_CHARS = 1_000
_MAX_HEADING_NODES = 100


# elements a browser lays out as blocks, breaks, table cells or boxes: the text on either side
# of one is two words; inline markup (<b>, <a>, <span>, <wbr>, a comment) joins what it splits,
# as in "Sun<wbr>days", "<b>2</b>,000", "City Hall</a>'s"
_BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "br", "caption", "center", "dd", "details", "dialog", "div",
    "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6",
    "header", "hgroup", "hr", "legend", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary",
    "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
    # replaced and form elements take room on the line: an icon, an input box, a picture
    "audio", "button", "canvas", "embed", "iframe", "img", "input", "object", "select", "svg", "textarea", "video",
    "menu", "dir", "listing", "xmp", "marquee", "meter", "progress", "math", "frameset", "frame", "map"})


def _joins_when_left_out(el) -> bool:
    """Whether the words on either side of a left-out element touch: it is not shown (a script,
    a ruby annotation, a ``hidden`` element); a removed menu or share link is shown on the page,
    so it separates them."""
    return el.tag in _TYPED_STRING_TAGS or el.get("hidden") is not None


def _text(el, skip, max_chars: int | None = None) -> str:
    """The text under an element as a browser lays it out; ``skip`` elements left out.

    Inline markup joins the text it splits; a block, a break, a table cell or a removed element
    separates words, and so do two elements side by side whose words would otherwise touch
    ("<strong>Jane Smith</strong><span>Mayor</span>", laid out apart by a style sheet). With
    ``max_chars``, reading stops once that many characters are read or ``_MAX_HEADING_NODES``
    nodes visited (the text may then end mid-word), so the element's whole subtree is not walked.
    """
    return _read(el, skip, frozenset(), max_chars)[0][1]


def _read(el, skip, apart: frozenset, max_chars: int | None = None) -> list[tuple[object, str]]:
    """The text under an element in runs, split where a descendant whose tag is in ``apart``
    stands (that descendant is left out: it is read on its own): ``[(the descendant a run
    follows, or None for the first, raw text)]``. Iterative: broken markup nests thousands deep."""
    runs: list[tuple[object, str]] = []
    after = None
    out = [el.text] if el.text else []
    if max_chars is None:
        max_chars, max_nodes = float("inf"), float("inf")
    else:
        max_nodes = _MAX_HEADING_NODES
    size = len(el.text or "")
    nodes = 0
    glued = False  # the last thing read was the end of an element, with no text after it

    def add(text: str) -> None:
        nonlocal glued, size
        if glued and text[:1].isalnum() and out and out[-1][-1:].isalnum():
            out.append(" ")  # "<strong>Jane Smith</strong><span>Mayor</span>"
        out.append(text)
        size += len(text)
        glued = False

    stack = [(iter(el), None)]
    while stack:
        children, owner = stack[-1]
        for child in children:
            nodes += 1
            if size >= max_chars or nodes > max_nodes:
                runs.append((after, "".join(out)[:max_chars]))
                return runs
            tag = child.tag
            if isinstance(tag, str):
                if not skip(child):
                    if tag in apart:
                        runs.append((after, "".join(out)))
                        after, out, glued = child, [], False
                    else:
                        if tag in _BREAKING:
                            out.append(" ")
                        if child.text:
                            add(child.text)
                        stack.append((iter(child), child))
                        break
                elif tag in _BREAKING or not _joins_when_left_out(child):
                    out.append(" ")  # a removed menu or share link still separates words
            if child.tail:
                add(child.tail)
            elif isinstance(tag, str):
                glued = True
        else:
            stack.pop()
            if owner is not None:
                if owner.tag in _BREAKING:
                    out.append(" ")
                if owner.tail:
                    add(owner.tail)
                else:
                    glued = True
    text = "".join(out)
    runs.append((after, text[:max_chars] if size > max_chars else text))
    return runs


_READ_APART = _HEADINGS | _BLOCKS | _CONTAINERS
# text outside blocks (in a div, a <font>, <body>) shorter than this is a widget's label ("Share", "Menu")
_MIN_LOOSE_TEXT = 25


def _a_widgets_label(text: str) -> bool:
    """Whether loose text is a widget's label: short, and no end of a sentence ("by 2015." ends one)."""
    return len(text) < _MIN_LOOSE_TEXT and not text.endswith((".", "!", "?"))


def _holding(tops, removed) -> set:
    """The elements holding one the walk reads on its own (a heading, block or container), not
    counting those in removed elements: their own text is read in runs around it. One pass, from
    the leaves up."""
    order = []
    pending = list(tops)
    while pending:
        el = pending.pop()
        order.append(el)
        pending.extend(child for child in el if isinstance(child.tag, str))
    holding: set = set()
    for el in reversed(order):  # children before their parents
        for child in el:
            if isinstance(child.tag, str) and (child.tag in _READ_APART or child in holding) and not removed(child):
                holding.add(el)
                break
    return holding


def _runs(el, skip) -> list[tuple[object, str]]:
    """The text of an element outside the headings, blocks and containers under it (read on their
    own), in runs: ``(the element a run follows, or None for the first, text)``. Inline children's
    text is part of a run, and so is the text of a wrapper holding blocks (a <font>, <center> or
    <a> around paragraphs), split where its blocks stand."""
    return [(child, text) for child, text in ((c, clean(t)) for c, t in _read(el, skip, _READ_APART)) if text]


def html_sections(html: str) -> tuple[str | None, list[tuple[str, str, tuple[str, ...]]]]:
    """Return the title and the content blocks ``(kind, text, heading_path)`` of an HTML page."""
    tops = _parse(_no_surrogates(html))
    title = None
    title_el = next((t for top in tops for t in top.iter("title")), None)
    if title_el is not None:
        typed = any(a.tag in _TYPED_STRING_TAGS for a in title_el.iterancestors())
        title = clean("" if typed else _text(title_el, _typed))

    _gather_bodies(tops)
    wrappers = _main_wrappers(tops)
    headed = _headers_with_subheadings(tops)
    removed_or_ruby = _removed_or_ruby(wrappers, headed)
    body = next((b for top in tops for b in top.iter("body")
                 if not any(_removed(a, wrappers, headed) for a in (b, *b.iterancestors()))), None)
    blocks: list = []
    stack: list[tuple[int, str]] = []
    removed: list = []
    holding = _holding(tops, lambda el: _removed(el, wrappers, headed))
    # the runs of an element's own text that come after one of its children, read on its own
    pending: dict = {}

    def read_runs(el, kind: str, loose: bool, path: tuple, ruby: bool) -> str:
        """Emit an element's text around the blocks it holds, each run where it stands; return
        the first run. ``loose`` text (in a div, a wrapper, <body>) is left out when it is a
        widget's label ("Share", "Menu"): short, and no end of a sentence."""
        runs = [] if ruby else _runs(el, removed_or_ruby)
        first = ""
        for after, text in runs:
            if loose and _a_widgets_label(text):
                continue
            if after is None:
                first = text
                if kind != "heading":
                    blocks.append((kind, text, path))
            else:
                pending.setdefault(after, []).append(("paragraph" if kind == "heading" else kind, text))
        return first

    # text outside any heading, block or container: in <body> itself (a page of <br>-separated
    # lines) or in wrappers (a table layout's <font> and <center>)
    for root in ([body] if body is not None else []):  # (with no body, <html> holds <head>'s title)
        if root in holding:
            read_runs(root, "paragraph", True, (), False)
        else:
            text = clean(_text(root, removed_or_ruby))
            if not _a_widgets_label(text):
                blocks.append(("paragraph", text, ()))
    # each frame: [children left to read, element, its block's slot or -1, ruby?]
    frames = [[iter(tops if body is None else body), body, -1, False]]
    while frames:
        frame = frames[-1]
        for el in frame[0]:
            tag = el.tag
            if not isinstance(tag, str):
                continue
            if _removed(el, wrappers, headed):
                removed.append(el)
                continue
            ruby = frame[3] or tag in _RUBY
            slot = -1
            path = tuple(h for _, h in stack)
            if tag in _HEADINGS:
                # ruby annotations are typed text, which get_text-style reading leaves out; a block
                # inside a heading is read on its own, not twice
                if ruby:
                    text = ""
                elif el in holding:
                    text = read_runs(el, "heading", False, path, ruby)[:_MAX_HEADING_CHARS]
                else:
                    text = clean(_text(el, removed_or_ruby, _MAX_HEADING_CHARS))
                if text:
                    level = int(tag[1])
                    while stack and stack[-1][0] >= level:
                        stack.pop()
                    blocks.append(("heading", text, tuple(h for _, h in stack)))
                    stack.append((level, text))
            elif el in holding and (tag in _BLOCKS or tag in _CONTAINERS):
                # its blocks are read on their own; its text around them is read in runs, each
                # where it stands ("<li>Expand <b>pre-K</b> to every child<ul>…</ul></li>")
                read_runs(el, "item" if tag in _ITEMS else "paragraph", tag in _CONTAINERS, path, ruby)
            elif tag in _BLOCKS:
                slot = len(blocks)
                blocks.append(None)  # the block, once read: it is read whole when its frame ends
            elif tag in _CONTAINERS:
                # text sitting directly in a div (no <p>) is common on old campaign sites
                text = "" if ruby else clean(_text(el, removed_or_ruby))
                if not _a_widgets_label(text):
                    blocks.append(("paragraph", text, path))
            frames.append([iter(el), el, slot, ruby])
            break
        else:
            frames.pop()
            _, el, slot, ruby = frame
            if slot >= 0:
                text = "" if ruby else clean(_text(el, removed_or_ruby))
                kind = "item" if el.tag in _ITEMS else "paragraph"
                blocks[slot] = (kind, text, tuple(h for _, h in stack)) if text else None
            for kind, text in pending.pop(el, ()):
                blocks.append((kind, text, tuple(h for _, h in stack)))
    blocks = [b for b in blocks if b is not None]

    # a page with less text than trafilatura needs to judge is taken whole (and not sent to it), and
    # so is a page of more blocks than the veto is worth (a ward-by-ward results table)
    # and a page with no paragraph short enough for the veto is not sent either: it would keep every block
    if (len(blocks) <= _VETO_MAX_BLOCKS and sum(len(b[1]) for b in blocks) >= _MIN_PAGE_CHARS_TO_JUDGE
            and any(_vetoable(kind, text) for kind, text, _ in blocks)):
        main = _main_text(_cleaned_html(body if body is not None else tops, removed))
        if main is not None:
            blocks = _veto(blocks, main)
    return title, _without_empty_headings(blocks)


def _without_empty_headings(blocks: list) -> list:
    """The blocks without the headings that have nothing under them (a menu or widget title left
    behind by the cleaning, the veto or the page's end): a heading stays only when the next
    block that is not a heading lies under it, its heading path extending the heading's own."""
    kept = []
    below = None  # the heading path of the next non-heading block, reading backwards
    for block in reversed(blocks):
        kind, text, path = block
        if kind != "heading":
            below = path
        elif below is None or below[len(path):len(path) + 1] != (text,) or below[:len(path)] != path:
            continue
        else:
            below = path  # the heading it stands under is found: an earlier one at its level is not it
        kept.append(block)
    kept.reverse()
    return kept


_WORD_RE = re.compile(r"\w+")

# trafilatura is trusted to veto short paragraphs (a tagline, "Read the plan »", a cookie notice,
# the amounts of a donate box) that survive the boilerplate rules. It is not trusted with:
# - a longer paragraph, since on the table layouts of old campaign sites it drops real
#   paragraphs (a reported pledge on a news page, text between <br>s in a div);
# - a list item (li, dd, dt): pledge lists are lists, often of links under a plan heading, which
#   it drops as link lists; menus are lists too, but the nav and class rules remove those;
# - headings, which go only when nothing stays under them.
_VETO_MAX_WORDS = 20
# a page whose blocks hold less text than this is taken whole: too little for trafilatura to judge
_MIN_PAGE_CHARS_TO_JUDGE = 200
# trafilatura's main text shorter than this is not trusted as a view of the page (it found no article)
_MIN_MAIN_TEXT_CHARS = 200
# the bound on the veto's cost: a page with more blocks than this keeps every block and is not sent
# to trafilatura at all. The check itself is linear (an index of the main text's word n-grams), but
# trafilatura's extraction of a page of tens of thousands of cells takes seconds, and a page that
# long is a table or a list, not a page of taglines
_VETO_MAX_BLOCKS = 5_000


def _words(text: str) -> list[str]:
    """Lowercase words (runs of letters and digits), as compared between a block and the main text."""
    return _WORD_RE.findall(clean(text).lower())


class _MainText:
    """trafilatura's main text indexed for word-bounded lookups: the set of every run of one, two
    and three consecutive words in it. Built in time linear in its length, so
    checking all of a page's blocks is linear too (a substring search per block was quadratic)."""

    __slots__ = ("text", "grams")

    def __init__(self, text: str):
        self.text = text
        # across its lines: it breaks a line at a <br> or a <q> inside a paragraph
        words = _words(text)
        grams = set(words)
        for n in (2, 3):
            grams.update(" ".join(words[i:i + n]) for i in range(len(words) - n + 1))
        self.grams = grams

    def covered(self, words: list[str]) -> int:
        """How many of these words (a block's, in order) lie in a run of them found in the main text:
        runs of three (of all of them, for a block of fewer words)."""
        n = min(3, len(words))
        covered = [False] * len(words)
        for i in range(len(words) - n + 1):
            if " ".join(words[i:i + n]) in self.grams:
                covered[i:i + n] = [True] * n
        return sum(covered)

    def holds_most_of(self, text: str) -> bool:
        """Whether most of a text's words lie in runs found in the main text."""
        words = _words(text)
        return bool(words) and 2 * self.covered(words) >= len(words)


def _veto(blocks: list, main: _MainText) -> list:
    """The blocks trafilatura's veto keeps: those ``_kept_by_veto`` keeps, and a short paragraph
    standing alone between two paragraphs of the main text (a callout: "Freeze property taxes."
    in a div of its own amid the plan's prose, which trafilatura drops). Its neighbours must be
    in trafilatura's main text, not merely kept for their length or kind, so a widget's lines
    (a heading, then several short lines) and a tagline at the top of the page still go."""
    kept = [_kept_by_veto(kind, text, main) for kind, text, _ in blocks]
    for i in range(1, len(blocks) - 1):
        if not kept[i] and _in_main_prose(blocks[i - 1], main) and _in_main_prose(blocks[i + 1], main):
            kept[i] = True
    return [b for b, k in zip(blocks, kept) if k]


def _in_main_prose(block, main: _MainText) -> bool:
    """Whether a block is a paragraph most of whose words trafilatura's main text holds."""
    return block[0] == "paragraph" and main.holds_most_of(block[1])


def _kept_by_veto(kind: str, text: str, main: _MainText) -> bool:
    """Whether a block survives trafilatura's veto: headings, list items and paragraphs of more
    than ``_VETO_MAX_WORDS`` words always do; a shorter paragraph goes only when most of its words
    are missing from the main text. Words are compared whole and in order (runs of three), so a
    paragraph is not kept for its letters turning up inside other words, and a word joined or
    split differently by trafilatura (a footnote mark, a soft hyphen) costs only the runs it is in;
    a div's own text (the pieces around its child blocks, which trafilatura gives apart) is held
    when its pieces are."""
    return not _vetoable(kind, text) or main.holds_most_of(text)


def _vetoable(kind: str, text: str) -> bool:
    """Whether trafilatura's veto may drop a block: a paragraph of at most ``_VETO_MAX_WORDS`` words."""
    return kind == "paragraph" and len(text.split()) <= _VETO_MAX_WORDS and bool(_words(text))


def _cleaned_html(top, removed: list) -> str:
    """The page's body (or, without one, the whole page) as an HTML document, the removed elements
    left out. Always a document (``<html>…``): trafilatura takes input without "html" in its first
    50 characters for dubious, rejects it when it parses to fewer than two elements, and falls back
    on justext, which is quadratic in a page's blocks and finds nothing on such input."""
    gone = {id(el) for el in removed}
    tops = top if isinstance(top, list) else [top]
    if tops and isinstance(tops[0], _Node):
        html = _node_html(tops, gone)
    else:
        # strip_elements keeps the text after each element; setting that text from Python would
        # refuse the control characters a page may hold
        for el in removed:
            el.tag = _REMOVED
        kept = [t for t in tops if id(t) not in gone]
        for t in kept:
            etree.strip_elements(t, _REMOVED, with_tail=False)
        html = "".join(etree.tostring(t, method="html", encoding="unicode", with_tail=False) for t in kept)
    return html if html[:5].lower() == "<html" else f"<html>{html}</html>"


def _node_html(nodes: list, gone: set) -> str:
    """A page parsed from events as HTML (comments and markers left out, as trafilatura drops them)."""
    out: list[str] = []
    stack = [(iter(nodes), None)]
    while stack:
        children, owner = stack[-1]
        for node in children:
            if isinstance(node.tag, str) and id(node) not in gone:
                attrs = "".join(f' {k}="{html_lib.escape(v or "")}"' for k, v in node.attrib.items())
                out.append(f"<{node.tag}{attrs}>{html_lib.escape(node.text or '', quote=False)}")
                stack.append((iter(node), node))
                break
            if node.tail and len(stack) > 1:
                out.append(html_lib.escape(node.tail, quote=False))
        else:
            stack.pop()
            if owner is not None:
                out.append(f"</{owner.tag}>")
                if owner.tail and len(stack) > 1:
                    out.append(html_lib.escape(owner.tail, quote=False))
    return "".join(out)


_trafilatura_module = None


def _trafilatura():
    """trafilatura, imported on first use (it is slow to import), its logger quieted once: it logs
    an ERROR for every page it cannot read, and a page it cannot read keeps all its blocks."""
    global _trafilatura_module
    if _trafilatura_module is None:
        import trafilatura

        logging.getLogger("trafilatura").setLevel(logging.CRITICAL)
        _trafilatura_module = trafilatura
    return _trafilatura_module


# how the main text is asked of trafilatura (see ``_main_text``); the throughput benchmark times the same call
_TRAFILATURA_OPTIONS = {"fast": True, "favor_recall": True, "include_tables": True, "include_comments": False,
                       "include_formatting": False, "deduplicate": False, "with_metadata": False}


def _main_text(html: str) -> _MainText | None:
    """trafilatura's view of the main content, indexed for the veto; None if it finds none.

    Lists are part of trafilatura's output by default (2.x has no ``include_lists``). ``fast=True``
    skips its fallback extractors: 6x cheaper on the demo pages, and what it leaves out beyond the
    full extraction is short and never a pledge (on the demo and 800 synthetic pages: the dates,
    event notices and "the full plan is available…" lines of news pages; no labeled unit).
    """
    try:
        text = _trafilatura().extract(html, **_TRAFILATURA_OPTIONS)
    except Exception:
        return None
    if not text or len(text) < _MIN_MAIN_TEXT_CHARS:
        return None
    return _MainText(text)


_BULLET_GLYPH_RE = re.compile(r"^[•●▪■◦‣∙·\-–*✔✓➤►▸▶]$")
_NUMBERED_RE = re.compile(r"^\(?(\d{1,2})[.)]\s+")
_EM_DASH_ITEM_RE = re.compile(r"^—\s+")
# "Page 2", "3 of 12", "- 4 -": a PDF page's furniture, not its text
_PAGE_NUMBER_RE = re.compile(r"^[-–—\s]*(?:page\s+)?\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?[-–—\s]*$", re.I)
_ENDS_SENTENCE = (".", "!", "?", ":")
# a line ending in one of these goes on: "…including Dr." / "Jane Smith", "U.S." / "Department"
_ABBREVIATION_END_RE = re.compile(
    r"(?:^|[\s(])(?:[A-Z]\.|(?:[A-Z]\.){2,}|Dr|Mr|Mrs|Ms|St|Sen|Rep|Gov|Prof|Jr|Sr|No|Dept|Ave|Mt|Rev|Capt|Lt|Sgt|Gen|Hon|"
    r"vs|Co|Inc|Corp|Jan|Feb|Aug|Sept|Oct|Nov|Dec)\.?$")


def _ends_sentence(line: str) -> bool:
    """Whether a line ends a sentence: "…a mayor who listens.”" does, "…including Dr." does not."""
    bare = line.rstrip("\"”’')]")
    return bare.endswith(_ENDS_SENTENCE) and not _ABBREVIATION_END_RE.search(bare)


def _running_lines(pages: list[tuple[int, str]]) -> frozenset:
    """The lines at the top or foot of most pages of a PDF (a running header, the campaign's
    disclaimer, "Page 2 of 3"), digits aside: the pages' furniture, which would otherwise become
    a heading on every page and take the place of the section that goes on there."""
    if len(pages) < 2:
        return frozenset()
    seen: dict[str, int] = {}
    for _, text in pages:
        filled = [line.strip() for line in text.splitlines() if line.strip()]
        for key in {_DIGITS_RE.sub("#", line) for line in filled[:2] + filled[-2:]}:
            seen[key] = seen.get(key, 0) + 1
    return frozenset(key for key, count in seen.items() if count >= max(2, (len(pages) + 1) // 2))


_DIGITS_RE = re.compile(r"\d+")


def lines_sections(text: str, page_number: int | None = None, heading_path: tuple[str, ...] = (),
                   running: frozenset = frozenset()) -> list[tuple[str, str, tuple[str, ...], int | None]]:
    """Regroup the lines of a PDF page or a plain-text file into headings, bullets and paragraphs.

    A line wraps only when it is full, so a line well short of the page's full width ends its
    block: a sentence ending there (or before a line that does not go on in lower case) closes the
    paragraph or bullet, and so does a short line before a full one that a capital opens; a
    short line with no closing punctuation that a capital opens, standing between blocks, is a
    heading ("A letter from Grace", "1. Partnerships with our anchor institutions" when it does
    not go on a numbered list). A bullet glyph alone on its line (as PDF text extraction gives
    them) opens the item written on the lines after it; an em dash opens an item only in a list
    of them ("— Grace Chen" signs a letter). Page numbers go from the top and foot of a PDF page.
    ``heading_path`` is where the previous page left off; ``running`` holds the lines (digits as
    "#") that stand at the top or foot of most of the document's pages, which are left out there.
    """
    blocks: list[tuple[str, str, tuple[str, ...], int | None]] = []
    paragraph: list[str] = []
    item: list[str] = []
    lines = [raw.strip() for raw in text.splitlines()]
    lengths = sorted(len(line) for line in lines if line)
    # the width of a full line, where there are enough lines to tell
    full = lengths[int(0.9 * (len(lengths) - 1))] if len(lengths) >= 8 else 0
    # a wrapped line is filled to within a word of the full width
    short = max(40, 0.85 * full) if full else 60
    filled = [i for i, line in enumerate(lines) if line]
    furniture = set(filled[:2] + filled[-2:]) if page_number is not None else set()
    in_numbered_list = False
    after_salutation = 0  # lines since "Sincerely," (a signature follows: no headings)

    def flush():
        nonlocal paragraph, item
        if paragraph:
            blocks.append(("paragraph", clean(" ".join(paragraph)), heading_path, page_number))
        if item:
            blocks.append(("item", clean(" ".join(item)), heading_path, page_number))
        paragraph, item = [], []

    # the next and the previous non-empty line of each line, found in one pass each way
    following = [""] * len(lines)
    for i in range(len(lines) - 2, -1, -1):
        following[i] = lines[i + 1] or following[i + 1]
    preceding = [""] * len(lines)
    for i in range(1, len(lines)):
        preceding[i] = lines[i - 1] or preceding[i - 1]

    def open_block() -> bool:
        """Whether the block being read goes on: its last line neither ends a sentence nor
        stops short, or it is a bullet still waiting for its text."""
        block = paragraph or item
        if not block:
            return False
        last = block[-1]
        return not last or not (_ends_sentence(last) or (full and len(last) < 0.6 * full))

    for i, line in enumerate(lines):
        if not line:
            if item != [""]:  # a glyph's text may stand after a blank line
                flush()
            continue
        if i in furniture and (_PAGE_NUMBER_RE.match(line) or _DIGITS_RE.sub("#", line) in running):
            continue
        if _BULLET_GLYPH_RE.match(line):
            flush()
            item = [""]  # its text is on the next lines
            continue
        after_salutation = after_salutation - 1 if after_salutation else 0
        md = re.match(r"^(?:#{1,6}\s+(.*)|\*\*([^*]+)\*\*)$", line)
        numbered = _NUMBERED_RE.match(line)
        if numbered:
            # a numbered section heading, not an item of a numbered list: no numbered line goes
            # on from it, and it goes on from none
            title = line[numbered.end():]
            heading = (not in_numbered_list and not _NUMBERED_RE.match(following[i]) and len(line) < short
                       and title[:1].isupper() and not title.endswith(_ENDS_SENTENCE + (",", ";"))
                       and len(title.split()) <= 10 and not open_block())
        else:
            heading = bool(md) or (not after_salutation and not open_block()
                                   and _looks_like_heading(line, full, following[i]))
        if heading:
            flush()
            text = clean(next(g for g in md.groups() if g) if md else line)
            if md:
                parent: tuple[str, ...] = ()
            elif numbered and heading_path and _NUMBERED_RE.match(heading_path[-1]):
                parent = heading_path[:-1]  # "2. Transit" follows "1. Housing", not under it
            else:
                parent = heading_path[:1]
            blocks.append(("heading", text, parent, page_number))
            heading_path = parent + (text,)
            in_numbered_list = False
            continue
        bullet = _BULLET_RE.match(line)
        if bullet is None and _EM_DASH_ITEM_RE.match(line) and (
                _EM_DASH_ITEM_RE.match(following[i]) or _EM_DASH_ITEM_RE.match(preceding[i])):
            bullet = _EM_DASH_ITEM_RE.match(line)
        block = paragraph or item
        if (bullet is None and block and block[-1] and full and len(block[-1]) < 0.6 * full
                and len(line) >= short and line[:1].isupper()):
            # "A health worker in every development" / "The city will pay for these programs…":
            # a short line before a full one that a capital opens ends its bullet or paragraph
            flush()
        if bullet:
            flush()
            item = [line[bullet.end():]]
            in_numbered_list = bool(numbered)
        elif item:
            item.append(line)
        else:
            if not paragraph:
                in_numbered_list = False
            paragraph.append(line)
        if line.endswith(","):
            after_salutation = 3 if len(line) < 30 else 0  # "Sincerely," then the signature
        if _ends_sentence(line) and (len(line) < short or not following[i][:1].islower()):
            # a sentence ends the line and the next begins a new one: a paragraph after a bullet
            # list starts on the next line of PDF text, as often as a bullet goes on there
            flush()
    flush()
    return [b for b in blocks if b[1]]


def _looks_like_heading(line: str, full: float = 0, following: str = "") -> bool:
    """A short line that reads as a title: in capitals, or capitalised words ("Open & Inclusive
    Government", "$15 Minimum Wage"), or — where the page's full line width is known — a
    sentence-case line well short of it, with no closing punctuation, before a new sentence."""
    words = line.split()
    if not 1 <= len(words) <= 10 or line.endswith((".", ",", ";")) or len(line) > 80:
        return False
    if not (line[:1].isalnum() or line[:1] in "\"“'‘$€£#") or not any(c.isalpha() for c in line):
        return False  # "— Grace Chen" signs a letter; "•" and "2013" are no titles
    if line.isupper():
        return True
    small = {"a", "an", "and", "the", "of", "for", "to", "in", "on", "at", "by", "with", "our", "&", "—", "-"}
    capitalised = [w for w in words if w.lower() not in small]
    if capitalised and all(w[:1].isupper() or not w[:1].isalpha() for w in capitalised):
        return True
    return (bool(full) and len(line) < full * 0.6 and line[:1].isupper() and not line.endswith(_ENDS_SENTENCE)
            and len(words) <= 8 and bool(following) and (following[:1].isupper() or bool(_BULLET_GLYPH_RE.match(following))))


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
        path: tuple[str, ...] = ()
        pages = pdf_pages(body, name or page.url)
        running = _running_lines(pages)
        for number, text in pages:
            page_blocks = lines_sections(text, number, path, running)
            if page_blocks:  # a section goes on from one page to the next
                kind, last, above = page_blocks[-1][:3]
                path = above[:1] + (last,) if kind == "heading" and above else (last,) if kind == "heading" else above
            blocks.extend(page_blocks)
        return _assemble(None, blocks)
    if "html" in ctype or body[:512].lstrip().lower().startswith((b"<!doctype html", b"<html")):
        title, blocks = html_sections(decode_html(body, page.content_type))
        return _assemble(title, blocks)
    return _assemble(None, lines_sections(decode_text(body, page.content_type)))
