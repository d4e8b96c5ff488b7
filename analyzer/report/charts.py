"""Inline SVG charts, drawn in Python so the scorecard needs no script or library to show them.

Every string that reaches the SVG goes through ``markupsafe.escape``: candidate names come from
field files and must not be able to open a tag. Each chart carries a <title> and a <desc> that
says in words what the bars show; the scorecard puts a data table beside it.
"""

from __future__ import annotations

import math

from markupsafe import Markup, escape

from ..records import AREAS

__all__ = ["AREA_COLORS", "CONCRETE_COLORS", "area_chart", "concreteness_chart"]

# Fill and the text colour drawn on it; each pair has a contrast ratio of at least 4.5:1,
# and the hues stay distinguishable with the common colour-vision deficiencies.
AREA_COLORS = {
    "operations": ("#2458a0", "#ffffff"),
    "capital": ("#9c4a00", "#ffffff"),
    "collaboration": ("#1e7050", "#ffffff"),
    "other": ("#cdd3dc", "#1f2933"),
}
CONCRETE_COLORS = {
    "concrete": ("#1d6363", "#ffffff"),
    "buzzword": ("#f0c24b", "#2a2000"),
}
INK = "#1f2933"
MUTED = "#52606d"
GRID = "#e4e7eb"

WIDTH = 760
LABEL_X = 8
BAR_X = 196
ROW = 34
BAR_H = 20
NAME_CHARS = 26


def _name(name: str) -> str:
    return name if len(name) <= NAME_CHARS else name[: NAME_CHARS - 1].rstrip() + "…"


def _ticks(maximum: int) -> list[int]:
    """Round tick values from 0 to at least ``maximum``, about five of them."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / 5
    mag = 10 ** math.floor(math.log10(raw)) if raw >= 1 else 1
    step = next(s * mag for s in (1, 2, 2.5, 5, 10) if s * mag >= raw)
    step = max(1, int(round(step)))
    top = step * math.ceil(maximum / step)
    return list(range(0, top + 1, step))


def _open(chart_id: str, title: str, desc: str, height: int) -> list[str]:
    return [
        f'<svg class="chart" id="{escape(chart_id)}" viewBox="0 0 {WIDTH} {height}" '
        f'width="{WIDTH}" height="{height}" role="img" '
        f'aria-labelledby="{escape(chart_id)}-title {escape(chart_id)}-desc" '
        f'xmlns="http://www.w3.org/2000/svg" preserveAspectRatio="xMinYMin meet">',
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(desc)}</desc>',
    ]


def _legend(items: list[tuple[str, str]], y: int) -> list[str]:
    out = ['<g class="legend" aria-hidden="true">']
    x = BAR_X
    for label, fill in items:
        out.append(f'<rect x="{x}" y="{y - 11}" width="14" height="14" rx="2" fill="{fill}"/>')
        out.append(f'<text x="{x + 20}" y="{y}" fill="{INK}" font-size="13">{escape(label)}</text>')
        x += 30 + int(len(label) * 7.4)
    out.append("</g>")
    return out


def _row_label(name: str, y: int) -> str:
    return (
        f'<text x="{LABEL_X}" y="{y + BAR_H / 2 + 5:.0f}" fill="{INK}" font-size="14" '
        f'font-weight="600">{escape(_name(name))}<title>{escape(name)}</title></text>'
    )


def _status_note(text: str, y: int) -> str:
    return (
        f'<text x="{BAR_X + 2}" y="{y + BAR_H / 2 + 5:.0f}" fill="{MUTED}" font-size="13" '
        f'font-style="italic">{escape(text)}</text>'
    )


def _segment(x: float, y: int, w: float, fill: str, ink: str, label: str, tip: str, min_w: float) -> list[str]:
    out = [
        f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{BAR_H}" fill="{fill}">'
        f"<title>{escape(tip)}</title></rect>"
    ]
    if label and w >= min_w:
        out.append(
            f'<text x="{x + w / 2:.1f}" y="{y + BAR_H / 2 + 4.5:.1f}" fill="{ink}" font-size="12.5" '
            f'font-weight="600" text-anchor="middle" aria-hidden="true">{escape(label)}</text>'
        )
    return out


def _not_shown(candidate: dict) -> str | None:
    """Why a candidate has no bar, in the words the comparison table uses."""
    fig = candidate["figures"]
    if not fig["checked"]:
        return candidate["status_label"]
    if not fig["commitments"]:
        return "no commitments found"
    return None


def area_chart(candidates: list[dict], chart_id: str = "chart-areas") -> Markup:
    """Commitments per candidate, stacked by priority area (innovation areas first, `other` last)."""
    width_avail = WIDTH - BAR_X - 56
    maximum = max((c["figures"]["commitments"] or 0 for c in candidates), default=0)
    ticks = _ticks(maximum)
    scale = width_avail / ticks[-1]
    top = 40
    height = top + ROW * max(len(candidates), 1) + 28

    parts_desc = []
    for c in candidates:
        why = _not_shown(c)
        if why:
            parts_desc.append(f"{c['name']}: {why}.")
        else:
            per = c["figures"]["per_area"]
            parts_desc.append(
                f"{c['name']}: {c['figures']['commitments']} commitments ("
                + ", ".join(f"{per[a]} {a}" for a in AREAS)
                + ")."
            )
    out = _open(
        chart_id,
        "Commitments by priority area, per candidate",
        "Horizontal stacked bars. " + " ".join(parts_desc),
        height,
    )
    out += _legend([(a.capitalize(), AREA_COLORS[a][0]) for a in AREAS], 18)

    out.extend(_grid([(BAR_X + t * scale, str(t)) for t in ticks], top, len(candidates)))

    for i, c in enumerate(candidates):
        y = top + i * ROW
        out.append(f'<g class="row" data-candidate="{escape(c["slug"])}">')
        out.append(_row_label(c["name"], y))
        why = _not_shown(c)
        if why:
            out.append(_status_note(why, y))
        else:
            x = float(BAR_X)
            per = c["figures"]["per_area"]
            for a in AREAS:
                n = per[a]
                if not n:
                    continue
                w = n * scale
                fill, ink = AREA_COLORS[a]
                out += _segment(x, y, w, fill, ink, str(n), f"{c['name']} — {a}: {n}", 20)
                x += w
            out.append(
                f'<text x="{x + 6:.1f}" y="{y + BAR_H / 2 + 5:.0f}" fill="{INK}" font-size="13" '
                f'aria-hidden="true">{c["figures"]["commitments"]}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def concreteness_chart(candidates: list[dict], chart_id: str = "chart-concreteness") -> Markup:
    """Each candidate's commitments split into concrete and buzzword, as shares of 100%."""
    width_avail = WIDTH - BAR_X - 64
    top = 40
    height = top + ROW * max(len(candidates), 1) + 28

    parts_desc = []
    for c in candidates:
        why = _not_shown(c)
        fig = c["figures"]
        if why:
            parts_desc.append(f"{c['name']}: {why}.")
        else:
            parts_desc.append(
                f"{c['name']}: {fig['concrete']} concrete and {fig['buzzword']} buzzword "
                f"of {fig['commitments']} commitments ({fig['share_concrete_text']} concrete)."
            )
    out = _open(
        chart_id,
        "Concrete and buzzword commitments, per candidate",
        "Horizontal bars, each 100% of the candidate's commitments. " + " ".join(parts_desc),
        height,
    )
    out += _legend([("Concrete", CONCRETE_COLORS["concrete"][0]), ("Buzzword", CONCRETE_COLORS["buzzword"][0])], 18)

    out.extend(_grid([(BAR_X + width_avail * t / 100, f"{t}%") for t in (0, 25, 50, 75, 100)], top, len(candidates)))

    for i, c in enumerate(candidates):
        y = top + i * ROW
        out.append(f'<g class="row" data-candidate="{escape(c["slug"])}">')
        out.append(_row_label(c["name"], y))
        why = _not_shown(c)
        fig = c["figures"]
        if why:
            out.append(_status_note(why, y))
        else:
            total = fig["commitments"]
            x = float(BAR_X)
            for kind, n in (("concrete", fig["concrete"]), ("buzzword", fig["buzzword"])):
                if not n:
                    continue
                w = width_avail * n / total
                fill, ink = CONCRETE_COLORS[kind]
                share = round(100 * n / total)
                label = f"{n} {kind} ({share}%)" if w >= 150 else str(n)
                out += _segment(x, y, w, fill, ink, label, f"{c['name']} — {kind}: {n} ({share}%)", 20)
                x += w
            out.append(
                f'<text x="{BAR_X + width_avail + 6}" y="{y + BAR_H / 2 + 5:.0f}" fill="{MUTED}" '
                f'font-size="12.5" aria-hidden="true">n={total}</text>'
            )
        out.append("</g>")
    out.append("</svg>")
    return Markup("\n".join(out))


def _grid(ticks: list[tuple[float, str]], top: int, rows: int) -> list[str]:
    """Vertical grid lines with their labels under the bars, for ``(x, label)`` ticks."""
    grid_bottom = top + ROW * rows - (ROW - BAR_H) // 2
    out = ['<g class="grid" aria-hidden="true">']
    for x, label in ticks:
        out.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{grid_bottom}" stroke="{GRID}"/>')
        out.append(
            f'<text x="{x:.1f}" y="{grid_bottom + 16}" fill="{MUTED}" font-size="12" text-anchor="middle">{label}</text>'
        )
    out.append("</g>")
    return out
