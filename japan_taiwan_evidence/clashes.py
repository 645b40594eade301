"""Text drawn over other text in a laid-out figure (core): what save_figure refuses to publish and an
export names ("drawn over each other: ...").

Compared: the figure's furniture (titles, axis labels, figure texts with the footer, legends), the labels
inside its plots (ax.text, annotate, scale bars, credits, a map's graticule labels) and the lines that
lead from a label to its point, a figure text lying on a plot, a legend lying on a chart's bars, lines or
markers, and neighbouring tick labels or labels side by side with less than about a space between them.
"""

from __future__ import annotations

from itertools import pairwise

from matplotlib.collections import PathCollection
from matplotlib.patches import Rectangle
from matplotlib.path import Path
from matplotlib.text import Annotation, Text
from matplotlib.transforms import Bbox

from . import scaling

__all__ = ["OVERLAP_IN", "TICK_GAP_EM", "find"]

OVERLAP_IN = 0.02  # labels may touch; overlapping by more than this, across and down, is a clash
TICK_GAP_EM = 0.25  # neighbouring tick labels need about a space between them ('1950 1960', not '19501960')


def _furniture(fig) -> list[tuple[str, object]]:
    """The figure's titles, axis labels, figure texts (footer included) and legends, each once, named."""
    items, seen = [], set()

    def add(label, artist):
        if id(artist) not in seen and artist.get_visible():
            seen.add(id(artist))
            items.append((label, artist))
    if fig._suptitle is not None and fig._suptitle.get_text():
        add(f"the title {fig._suptitle.get_text()!r}", fig._suptitle)
    for ax in fig.get_axes():
        for t in (ax.title, ax._left_title, ax._right_title):
            if t.get_text():
                add(f"the title {t.get_text()!r}", t)
        for axis in (ax.xaxis, ax.yaxis):
            if axis.label.get_text() and axis.get_visible():
                add(f"the axis label {axis.label.get_text()!r}", axis.label)
        if ax.get_legend() is not None:
            add("a legend", ax.get_legend())
    for t in fig.texts:
        if t.get_text():
            add("the footer" if getattr(t, "_jte_footer", False) else f"the text {t.get_text()!r}", t)
    for leg in fig.legends:
        add("a legend", leg)
    return items


def find(fig) -> list[str]:
    """Text drawn over other text, in words (empty: none): titles, axis labels, figure texts (footer
    included), legends and the labels inside each plot, compared with each other; a figure text (a
    subtitle) lying on a plot; and neighbouring tick labels of one axis closer than a space
    ('20152016')."""
    renderer = fig.canvas.get_renderer()
    tol = OVERLAP_IN * fig.dpi
    boxes = [(label, a.get_window_extent(renderer)) for label, a in _furniture(fig)]
    out = [f"{_short(la)} and {_short(lb)}" for i, (la, a) in enumerate(boxes) for lb, b in boxes[i + 1:]
           if _overlap(a, b) > tol]
    # A label inside a plot may not lie on another label (of any plot), nor on the figure's furniture.
    labels = [t for ax in fig.get_axes() for t in _labels(ax)]
    inner = [(f"the label {t.get_text()!r}", _text_box(t, renderer)) for t in labels]
    out += [f"{_short(la)} and {_short(lb)}" for i, (la, a) in enumerate(inner)
            for lb, b in inner[i + 1:] + boxes if _overlap(a, b) > tol]
    # A label's leader line may not cross another label (its own box would take in the whole rectangle
    # the line spans, and a slanted line crosses little of it).
    for t, (la, _a) in zip(labels, inner):
        line = _leader(t)
        if line is not None:
            out += [f"the line of {_short(la)} and {_short(lb)}" for lb, b in inner + boxes
                    if lb != la and line.intersects_bbox(b.padded(-tol), filled=False)]
    # Two labels side by side on one line need about a space between them, as tick labels do (claim
    # IDs in neighbouring boxes read 'C01C04', a narrow map's graticule '121°E123°E'); lines stacked
    # into one label may touch.
    for i, (t, (la, a)) in enumerate(zip(labels, inner)):
        gap = TICK_GAP_EM * t.get_fontsize() / 72 * fig.dpi
        out += [f"{_short(la)} and {_short(lb)} (no space between them)" for lb, b in inner[i + 1:]
                if _same_line(a, b) and -gap < _overlap(a, b) <= tol]
    # A figure's own text (a subtitle) may not lie on a plot: axes are compared with the figure's texts.
    texts = [(label, a.get_window_extent(renderer)) for label, a in _furniture(fig)
             if a is fig._suptitle or a in fig.texts]
    for i, ax in enumerate(a for a in fig.get_axes() if a.get_visible() and a.axison):
        name = f"the plot {ax.get_title() or ax.get_title(loc='left') or i + 1!r}"
        out += [f"{_short(label)} and {name}" for label, t in texts if _overlap(t, ax.bbox) > tol]
    out += _legends_over_data(fig, renderer, tol)
    for name, labels in _tick_labels(fig):
        ext = [(t.get_text(), t.get_window_extent(renderer), t.get_fontsize()) for t in labels]
        out += [f"the {name} tick labels {ta!r} and {tb!r}" for (ta, a, size), (tb, b, _s) in pairwise(ext)
                if _overlap(a, b) > -TICK_GAP_EM * size / 72 * fig.dpi]
    return out


def _labels(ax) -> list[Text]:
    """The texts a plot draws inside or beside itself (ax.text, annotate, a map's graticule labels), as
    drawn: visible, not empty, and not clipped away."""
    if not ax.get_visible():
        return []
    out = []
    graticule = [a for gl in scaling.gridliners(ax) if gl.get_visible() for a in gl.label_artists]
    for t in graticule + ax.texts:
        if not (t.get_visible() and t.get_text().strip()):
            continue
        clip = t.get_clip_box() if t.get_clip_on() else None
        if clip is not None and _overlap(t.get_window_extent(), clip) <= 0:
            continue
        out.append(t)
    return out


def _legends_over_data(fig, renderer, tol: float) -> list[str]:
    """A legend drawn over a chart's bars, lines or markers hides data (06_scrambles' key lay on the bars
    of three decades). Maps are left out: their land and sea fill every corner, and their keys sit there
    by design."""
    out = []
    for i, ax in enumerate(a for a in fig.get_axes() if a.get_visible() and a.axison):
        if getattr(ax, "projection", None) is not None:
            continue
        name = f"the plot {ax.get_title() or ax.get_title(loc='left') or i + 1!r}"
        for leg in [ax.get_legend(), *fig.legends]:
            if leg is None or not leg.get_visible():
                continue
            # The entries themselves: without the frame's padding, and a little less.
            pad = leg.borderpad * leg.prop.get_size_in_points() / 72 * fig.dpi + tol
            box = leg.get_window_extent(renderer).padded(-pad)
            if _overlap(box, ax.bbox) <= 0:
                continue
            hidden = sorted({what for what in _data_under(ax, box, renderer)})
            if hidden:
                out.append(f"a legend and the {' and '.join(hidden)} of {_short(name)}")
    return out


def _data_under(ax, box: Bbox, renderer):
    """What of a chart's data lies under `box`: 'bars', 'lines', 'markers' (one word per item found)."""
    for p in ax.patches:
        if isinstance(p, Rectangle) and p.get_visible() and _overlap(p.get_window_extent(renderer), box) > 0:
            yield "bars"
    for line in ax.lines:
        if not line.get_visible() or len(line.get_xdata()) == 0:
            continue
        path = line.get_transform().transform_path(line.get_path())
        if line.get_linestyle() not in {"None", "none", "", " "} and path.intersects_bbox(box, filled=False):
            yield "lines"
        elif line.get_marker() not in {None, "None", "none", "", " "} and box.count_contains(path.vertices):
            yield "markers"
    for c in ax.collections:
        if (isinstance(c, PathCollection) and c.get_visible() and len(c.get_offsets())
                and box.count_contains(c.get_offset_transform().transform(c.get_offsets()))):
            yield "markers"


def _text_box(t: Text, renderer) -> Bbox:
    """The box of a label's text alone: an annotation's own extent also holds its leader line."""
    box = t.get_window_extent(renderer)  # an annotation places its text and line here
    return Text.get_window_extent(t, renderer) if isinstance(t, Annotation) else box


def _leader(t: Text) -> Path | None:
    """An annotation's drawn line (its arrow), in display coordinates; None if it has none."""
    arrow = getattr(t, "arrow_patch", None)
    if not isinstance(t, Annotation) or arrow is None or not arrow.get_visible():
        return None
    return arrow.get_transform().transform_path(arrow.get_path())


def _same_line(a: Bbox, b: Bbox) -> bool:
    """Side by side: the two boxes share at least half the height of the lower one."""
    return min(a.y1, b.y1) - max(a.y0, b.y0) >= 0.5 * min(a.height, b.height)


def _overlap(a: Bbox, b: Bbox) -> float:
    """How far two boxes overlap in the lesser of the two directions (negative: apart)."""
    return min(min(a.x1, b.x1) - max(a.x0, b.x0), min(a.y1, b.y1) - max(a.y0, b.y0))


def _tick_labels(fig) -> list[tuple[str, list]]:
    """('x' or 'y', the drawn tick labels of that axis in tick order) for each visible axis.

    Only the ticks inside the view are drawn, which matplotlib's Axis._update_ticks returns; map axes
    (cartopy) hide their tick labels and draw their own graticule labels, so they add nothing here."""
    out = []
    for ax in fig.get_axes():
        if not (ax.get_visible() and ax.axison):
            continue
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            if not axis.get_visible():
                continue
            ticks = sorted((t for t in axis._update_ticks() if t.get_visible() and t.label1.get_visible()
                            and t.label1.get_text().strip()), key=lambda t: t.get_loc())
            if len(ticks) > 1:
                out.append((name, [t.label1 for t in ticks]))
    return out


def _short(label: str) -> str:
    return label if len(label) <= 70 else label[:67] + "...'"
