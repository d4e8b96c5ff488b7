"""Shared helpers for the speed and memory benchmarks: a synthetic store of realistic pages.

A synthetic field is ``candidates`` × ``pages_per_candidate`` pages, stored exactly as
``analyzer gather`` stores them (``Store.add_candidates`` / ``Store.add_page``), so the
analysis reads them the way it reads a gathered field. The pages are of two kinds:

- copies of the bundled demo sites' HTML pages (``corpora/demo/``, every ``demo_every``-th
  page), with their real navigation, donate boxes, cookie banners and footers;
- campaign-platform pages rendered from the labeled corpus (``corpora/labeled/units/*.jsonl``):
  a document's units in order, under their headings, as paragraphs of one to three sentences
  or as bullet lists, inside one of three site templates (XHTML 1.0 with a sidebar, HTML5
  with ``<header>/<nav>/<main>/<aside>`` and a cookie banner, HTML 4.01 with ``<br><br>``
  paragraphs and a table layout), each with the usual nav, donate, volunteer, share,
  newsletter and "Paid for by" boilerplate.

A page mixes a window of one labeled document with a few units of another, and candidates'
names and slugs vary, so that pages differ; sentences still repeat across a large field
(the labeled corpus has ~2,800 units), which matters only for a cache keyed by text — none
is assumed here.

Large stores are built once into a cache folder (``benchmarks/.cache/`` by default, which
ignores itself in git) and copied for each run, since analysis writes into the store.
"""

from __future__ import annotations

import glob
import html
import json
import os
import random
import shutil
import sqlite3
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

GENERATOR_VERSION = 1
CACHE_DIR = Path(os.environ.get("ANALYZER_BENCH_CACHE", ROOT / "benchmarks" / ".cache"))
DEMO_DIR = ROOT / "corpora" / "demo"
UNITS_GLOB = str(ROOT / "corpora" / "labeled" / "units" / "*.jsonl")

FIRST = ["Maria", "James", "Aisha", "Robert", "Linh", "David", "Keisha", "Michael", "Sofia", "Daniel", "Priya",
         "Thomas", "Grace", "Omar", "Helen", "Victor", "Nadia", "Samuel", "Irene", "Carlos"]
LAST = ["Alvarez", "Brennan", "Chen", "Dorsey", "Okafor", "Ferreira", "Walsh", "Nguyen", "Kowalski", "Haddad",
        "Murphy", "Patel", "Rossi", "Johnson", "Lindqvist", "Osei", "Moreau", "Tanaka", "Silva", "Byrne"]
BULLET_STYLES = {"issue one-pager", "first-100-days plan", "campaign platform page", "white paper"}
PAGE_KINDS = ["issues/{topic}.html", "plan/{topic}.html", "news/{n}.html", "about.html", "index.html",
              "priorities/{topic}.html", "blog/{n}.html"]


# -- source material -------------------------------------------------------------------------
def labeled_documents() -> list[list[dict]]:
    """The labeled units grouped by document, in file order."""
    docs: dict[str, list[dict]] = {}
    for path in sorted(glob.glob(UNITS_GLOB)):
        with open(path, encoding="utf-8") as fh:
            for line in fh:
                line = line.strip()
                if not line:
                    continue
                try:
                    unit = json.loads(line)
                except json.JSONDecodeError:
                    continue  # a file being edited by someone else: skip the line
                if not unit.get("text"):
                    continue
                docs.setdefault(unit.get("doc") or unit.get("id", "?"), []).append(unit)
    return [units for units in docs.values() if units]


def demo_html_pages() -> list[tuple[str, bytes]]:
    """(relative path, bytes) of every HTML page of the demo sites."""
    out = []
    for path in sorted(DEMO_DIR.glob("*/**/*.html")):
        if "tools" in path.parts:
            continue
        out.append((path.relative_to(DEMO_DIR).as_posix(), path.read_bytes()))
    return out


# -- rendering ---------------------------------------------------------------------------------
def _e(text: str) -> str:
    return html.escape(text, quote=False)


def _content_blocks(rng: random.Random, units: list[dict], bullets: bool) -> list[str]:
    """The units as HTML blocks: an <h2> when the heading changes, paragraphs or bullet lists."""
    out: list[str] = []
    heading = None
    i = 0
    while i < len(units):
        h = units[i].get("heading") or ""
        if h and h != heading:
            out.append(f"<h2>{_e(h)}</h2>")
        heading = h
        group = [units[i]]
        i += 1
        while i < len(units) and (units[i].get("heading") or "") == h and len(group) < 6:
            group.append(units[i])
            i += 1
        if bullets and len(group) >= 2 and rng.random() < 0.6:
            out.append("<ul>\n" + "\n".join(f"  <li>{_e(u['text'])}</li>" for u in group) + "\n</ul>")
            continue
        j = 0
        while j < len(group):
            size = rng.choice((1, 1, 2, 2, 3))
            out.append("<p>" + " ".join(_e(u["text"]) for u in group[j:j + size]) + "</p>")
            j += size
    return out


def _boilerplate(name: str, slug: str) -> dict[str, str]:
    nav = "\n".join(f'<li><a href="/{p}">{t}</a></li>' for p, t in
                    [("", "Home"), ("about.html", f"Meet {name.split()[0]}"), ("issues/", "Issues"),
                     ("news/", "News"), ("events.html", "Events"), ("volunteer.html", "Get Involved"),
                     ("donate.html", "Donate")])
    return {
        "nav": nav,
        "donate": (f'<h3>Chip in $25 today!</h3><p>Every dollar helps {_e(name)} reach more voters before '
                   f'Election Day. <a href="https://secure.donations.example/{slug}">Donate now</a></p>'),
        "volunteer": ("<h3>Volunteer</h3><p>Knock doors, make calls, host a house party. "
                      "Sign up to help our campaign win.</p>"),
        "newsletter": ('<h3>Stay informed</h3><p>Get campaign updates by email.</p><input type="email" '
                       'name="email" placeholder="Email"><button>Sign up</button>'),
        "share": '<a href="#">Share on Facebook</a> <a href="#">Tweet</a> <a href="#">Email a friend</a>',
        "cookie": "We use cookies to give you the best experience on our site. By continuing you agree.",
        "footer": (f"<p>Paid for by the Committee to Elect {_e(name)}. Not authorized by any other candidate "
                   f"or committee.</p><p>&copy; 2013 {_e(name)} for Mayor. All rights reserved.</p>"),
    }


def _template_xhtml(title: str, body: str, b: dict) -> str:
    return f"""<!DOCTYPE html PUBLIC "-//W3C//DTD XHTML 1.0 Transitional//EN" "http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd">
<html xmlns="http://www.w3.org/1999/xhtml" xml:lang="en">
<head><meta http-equiv="Content-Type" content="text/html; charset=utf-8" />
<title>{_e(title)}</title><link rel="stylesheet" href="/css/style.css" type="text/css" />
<script type="text/javascript">var _gaq = _gaq || []; _gaq.push(['_trackPageview']);</script></head>
<body>
<div id="wrapper">
<div id="header"><div id="logo"><a href="/">{_e(title.split(' - ')[-1])}</a></div>
<div id="navigation"><ul class="menu">{b['nav']}</ul></div></div>
<div id="content">
<div class="post">
{body}
</div>
<div class="share-links">{b['share']}</div>
</div>
<div id="sidebar"><div class="widget donate-widget">{b['donate']}</div>
<div class="widget">{b['volunteer']}</div><div class="widget newsletter">{b['newsletter']}</div></div>
<div id="footer">{b['footer']}</div>
</div>
</body></html>
"""


def _template_html5(title: str, body: str, b: dict) -> str:
    return f"""<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>{_e(title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="stylesheet" href="/assets/site.css"><script src="/assets/site.js"></script></head>
<body>
<div class="cookie-banner" id="cookie-banner">{b['cookie']} <a href="#" class="cookie-ok">OK</a></div>
<header class="site-header"><a class="brand" href="/">{_e(title.split(' - ')[-1])}</a>
<nav class="main-nav"><ul>{b['nav']}</ul></nav></header>
<div class="container page">
<main>
<article class="entry">
{body}
<div class="sharing">{b['share']}</div>
</article>
</main>
<aside class="sidebar"><div class="donate-box">{b['donate']}</div><div class="volunteer-box">{b['volunteer']}</div>
<form class="signup">{b['newsletter']}</form></aside>
</div>
<footer class="site-footer">{b['footer']}</footer>
</body>
</html>
"""


def _template_html4(title: str, body: str, b: dict) -> str:
    # an old table layout: paragraphs as text with <br><br> inside a div, headings as <h3>/<b>
    body = body.replace("<p>", "").replace("</p>", "<br><br>\n").replace("<h2>", "<h3>").replace("</h2>", "</h3>")
    return f"""<!DOCTYPE HTML PUBLIC "-//W3C//DTD HTML 4.01 Transitional//EN" "http://www.w3.org/TR/html4/loose.dtd">
<html><head><meta http-equiv="Content-Type" content="text/html; charset=utf-8">
<title>{_e(title)}</title></head>
<body bgcolor="#ffffff">
<table width="900" border="0" cellpadding="0" cellspacing="0">
<tr><td colspan="2" class="masthead"><font size="6">{_e(title.split(' - ')[-1])}</font></td></tr>
<tr><td width="180" valign="top" class="menu"><ul>{b['nav']}</ul><div class="donate">{b['donate']}</div></td>
<td valign="top"><div class="maintext">
{body}
</div></td></tr>
<tr><td colspan="2" class="copyright">{b['footer']}</td></tr>
</table>
</body></html>
"""


TEMPLATES = (_template_xhtml, _template_html5, _template_html4)


def render_page(rng: random.Random, docs: list[list[dict]], name: str, slug: str) -> tuple[str, bytes]:
    """One platform-like page: (title, utf-8 bytes)."""
    doc = docs[rng.randrange(len(docs))]
    size = rng.randint(8, 30)
    start = rng.randrange(max(1, len(doc) - size + 1))
    units = doc[start:start + size]
    if rng.random() < 0.5:  # a few units of another document, as pages mix topics
        other = docs[rng.randrange(len(docs))]
        k = rng.randint(2, 6)
        s2 = rng.randrange(max(1, len(other) - k + 1))
        units = units + other[s2:s2 + k]
    bullets = (units[0].get("style") in BULLET_STYLES) or rng.random() < 0.3
    page_title = next((u.get("heading") for u in units if u.get("heading")), None) or units[0]["text"][:60]
    # the page's own title is its <h1>; units that merely repeat it are not rendered twice
    units = [u for u in units if u["text"] != page_title] or units
    blocks = _content_blocks(rng, units, bullets)
    blocks = [b for b in blocks if b != f"<h2>{_e(page_title)}</h2>"]
    body = f"<h1>{_e(page_title)}</h1>\n" + "\n".join(blocks)
    title = f"{page_title[:70]} - {name} for Mayor"
    template = TEMPLATES[rng.randrange(len(TEMPLATES))]
    return title, template(title, body, _boilerplate(name, slug)).encode("utf-8")


# -- stores ------------------------------------------------------------------------------------
def candidate_name(i: int) -> tuple[str, str]:
    name = f"{FIRST[i % len(FIRST)]} {LAST[(i // len(FIRST)) % len(LAST)]}"
    return name, f"c{i:05d}"


def build_store(path: str | Path, candidates: int, pages_per_candidate: int, seed: int = 0,
                demo_every: int = 10, progress: bool = False) -> Path:
    """Write a new store at ``path`` with ``candidates`` × ``pages_per_candidate`` pages."""
    from analyzer.records import Candidate, Page, Source
    from analyzer.store import Store

    path = Path(path)
    for suffix in ("", "-wal", "-shm"):
        Path(str(path) + suffix).unlink(missing_ok=True)
    rng = random.Random(seed)
    docs = labeled_documents()
    demo = demo_html_pages() if demo_every else []
    topics = ["budget", "jobs", "schools", "housing", "innovation", "transit", "safety", "parks", "health",
              "open-government", "neighborhoods", "environment"]
    started = time.perf_counter()
    with Store(path) as store:
        cands = []
        for i in range(candidates):
            name, slug = candidate_name(i)
            cands.append(Candidate(name=name, slug=slug, sources=(Source(kind="live", url=f"https://{slug}.example/"),)))
        store.add_candidates(cands)
        n = 0
        for cand in cands:
            for j in range(pages_per_candidate):
                kind = PAGE_KINDS[j % len(PAGE_KINDS)] if j else "index.html"
                url_path = kind.format(topic=topics[rng.randrange(len(topics))], n=j)
                url = f"https://{cand.slug}.example/{url_path}" if j else f"https://{cand.slug}.example/"
                if store.has_page(cand.slug, url):
                    url = f"https://{cand.slug}.example/p{j}/{url_path}"
                n += 1
                if demo and n % demo_every == 0:
                    rel, body = demo[rng.randrange(len(demo))]
                    ctype = "text/html"  # as a saved file is gathered: no charset
                else:
                    _, body = render_page(rng, docs, cand.name, cand.slug)
                    ctype = "text/html; charset=utf-8"
                store.add_page(Page(candidate=cand.slug, url=url, content_type=ctype, body=body,
                                    source_kind="live", depth=min(j, 3)))
            store.set_status(cand.slug, "gathered")
            if progress and (cands.index(cand) + 1) % 50 == 0:
                print(f"  built {n} pages in {time.perf_counter() - started:.0f}s", file=sys.stderr)
        store.set_meta("synthetic", json.dumps({"candidates": candidates, "pages_per_candidate": pages_per_candidate,
                                                 "seed": seed, "generator": GENERATOR_VERSION}))
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return path


def cached_store(candidates: int, pages_per_candidate: int, seed: int = 0, cache_dir: str | Path | None = None,
                 progress: bool = True) -> Path:
    """The pristine synthetic store for these sizes, built once into the cache folder."""
    cache = Path(cache_dir or CACHE_DIR)
    cache.mkdir(parents=True, exist_ok=True)
    ignore = cache / ".gitignore"
    if not ignore.exists():
        ignore.write_text("*\n", encoding="utf-8")
    path = cache / f"synthetic-g{GENERATOR_VERSION}-{candidates}x{pages_per_candidate}-s{seed}.sqlite"
    if path.exists() and _complete(path, candidates * pages_per_candidate):
        return path
    if progress:
        print(f"building {path.name} ({candidates * pages_per_candidate} pages) once ...", file=sys.stderr)
    tmp = path.with_suffix(".building")
    build_store(tmp, candidates, pages_per_candidate, seed, progress=progress)
    for suffix in ("-wal", "-shm"):
        Path(str(tmp) + suffix).unlink(missing_ok=True)
    os.replace(tmp, path)
    return path


def _complete(path: Path, pages: int) -> bool:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro&immutable=1", uri=True)  # leaves no -wal/-shm behind
        try:
            return db.execute("SELECT count(*) FROM pages").fetchone()[0] == pages
        finally:
            db.close()
    except sqlite3.DatabaseError:
        return False


def working_copy(source: str | Path, folder: str | Path, name: str = "analysis.sqlite") -> Path:
    """A fresh copy of a pristine store to analyze (analysis writes into the store)."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    dest = folder / name
    for suffix in ("", "-wal", "-shm"):
        Path(str(dest) + suffix).unlink(missing_ok=True)
    shutil.copyfile(source, dest)
    return dest


def demo_store(path: str | Path) -> Path:
    """The bundled demo field gathered (offline) into a new store at ``path``."""
    from analyzer.field import DEMO_FIELD, load_field
    from analyzer.pipeline import gather
    from analyzer.store import Store

    field = DEMO_FIELD if not isinstance(DEMO_FIELD, (str, Path)) else load_field(DEMO_FIELD)
    with Store(path) as store:
        gather(field, store)
        store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return Path(path)


def add_pages_from(source: str | Path, dest: str | Path) -> None:
    """Copy the candidates and pages of one store into another (ids renumbered)."""
    src = sqlite3.connect(source)
    dst = sqlite3.connect(dest)
    try:
        with dst:
            for row in src.execute("SELECT slug, name, party, sources, status FROM candidates"):
                dst.execute("INSERT OR IGNORE INTO candidates (slug, name, party, sources, status) VALUES (?, ?, ?, ?, ?)", row)
            cols = ("candidate, url, source_kind, capture_url, capture_time, capture_after, content_type, status, depth, "
                    "fetched_at, sha256, size, body, title")
            for row in src.execute(f"SELECT {cols} FROM pages ORDER BY id"):
                dst.execute(f"INSERT OR IGNORE INTO pages ({cols}) VALUES ({', '.join('?' * 14)})", row)
    finally:
        src.close()
        dst.close()
