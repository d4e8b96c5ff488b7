"""scorecard.html: one self-contained, printable page for the public.

The page loads nothing: CSS, the filter/sort script and the SVG charts are inline, and a
Content-Security-Policy forbids every other source, so even a tag that slipped through escaping
could fetch or run nothing. The script is allowed by its SHA-256 hash, not by 'unsafe-inline'.
Page text never enters the script: rows carry data attributes the script reads.
"""

from __future__ import annotations

import base64
import hashlib
from importlib import resources
from pathlib import Path

import jinja2
from markupsafe import Markup

from . import charts

__all__ = ["render_scorecard", "write_scorecard", "script_hash"]

_PACKAGE = __package__  # "analyzer.report"


def _asset(name: str) -> str:
    return resources.files(_PACKAGE).joinpath("templates", name).read_text(encoding="utf-8")


def script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "sha256-" + base64.b64encode(digest).decode("ascii")


def _environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader(_PACKAGE, "templates"),
        # Autoescape everything this module renders, whatever the template's file name.
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    return env


def render_scorecard(view: dict) -> str:
    script = _asset("scorecard.js")
    if "</script" in script.lower():  # our own file; guard against an edit that would end the tag
        raise ValueError("scorecard.js must not contain '</script'")
    css = _asset("scorecard.css")
    csp = "; ".join(
        [
            "default-src 'none'",
            "style-src 'unsafe-inline'",
            f"script-src '{script_hash(script)}'",
            "img-src data:",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )
    template = _environment().get_template("scorecard.html.j2")
    html = template.render(
        v=view,
        csp=csp,
        # Markup: these are our own static files, inserted verbatim (escaping would break them).
        css=Markup(css),
        script=Markup(script),
        area_chart=charts.area_chart(view["candidates"]),
        concreteness_chart=charts.concreteness_chart(view["candidates"]),
    )
    # The macros above <!DOCTYPE> leave blank lines; the doctype should open the file.
    return html.lstrip()


def write_scorecard(view: dict, path: Path) -> Path:
    html = render_scorecard(view)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(html, encoding="utf-8")
    tmp.replace(path)
    return path
