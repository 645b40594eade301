"""Laying a drawn figure out for a width (core): measured line wrapping, fitting, undoing.

A figure is drawn by its notebook at some size. :func:`fit_width` changes the figure's size (keeping
its height/width ratio) until everything drawn is exactly as wide as asked, with text kept at its size
in points: the plot shrinks or grows, the text does not. Grid layouts (plain subplots) are laid out
again at each size; titles that no longer fit are wrapped. :class:`Snapshot` puts the figure back as
the notebook drew it, so that one drawing can be laid out for several languages in turn.
"""

from __future__ import annotations

import re
import warnings

from matplotlib.layout_engine import PlaceHolderLayoutEngine, TightLayoutEngine
from matplotlib.text import Text
from matplotlib.textpath import text_to_path
from matplotlib.transforms import Bbox

from . import clashes, scaling

__all__ = ["PAD_IN", "Snapshot", "content_bbox", "fit_width", "is_grid", "text_width_in", "wrap_text"]

PAD_IN = 0.08  # white margin around everything drawn, inches

# Line-breaking rules for Japanese and Chinese (kinsoku): no line starts with closing punctuation or
# a small kana, none ends with an opening bracket.
_NO_START = set("、。，．,.)）」』】〉》]！？!?：:；;ー・ゃゅょっャュョッぁぃぅぇぉァィゥェォ%％")
_NO_END = set("(（「『【〈《[")
_TOKEN = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]|[^\s\u2e80-\u9fff"
                    r"\uac00-\ud7af\uf900-\ufaff\uff00-\uffef\u3000-\u303f]+|\s+")


_WIDTHS: dict[tuple, float] = {}


def text_width_in(text: str, prop) -> float:
    """Width of one line of text in inches, from the font's outlines (the same at any resolution)."""
    if not text:
        return 0.0
    key = (text, tuple(prop.get_family()), prop.get_size_in_points(), prop.get_weight(), prop.get_style())
    if key not in _WIDTHS:
        w, _h, _d = text_to_path.get_text_width_height_descent(text, prop, ismath=False)
        _WIDTHS[key] = w / 72.0  # points to inches
    return _WIDTHS[key]


def wrap_text(text: str, width_in: float, prop) -> str:
    """Break `text` into lines no wider than width_in inches when drawn with `prop` (breaks kept).

    Latin text breaks at spaces; Japanese and Chinese between any two characters, except where
    kinsoku forbids. A single word wider than the line is left whole. Widths are summed word by word
    (kerning across words is ignored, hence 1% to spare).
    """
    limit = width_in * 0.99
    out = []
    for para in text.split("\n"):
        lines, line, used = [], [], 0.0
        for tok in _TOKEN.findall(para):
            w = text_width_in(tok, prop)
            if not line or tok.isspace() or used + w <= limit:
                line.append(tok)
                used += w
                continue
            carry = []
            if tok[0] in _NO_START and len(line) > 1 and not line[-1].isspace():
                carry = [line.pop()]  # carry the last character down with it
            while len(line) > 1 and line[-1][-1] in _NO_END:
                carry.insert(0, line.pop())
            lines.append("".join(_rstrip(line)))
            line = carry + [tok]
            used = sum(text_width_in(t, prop) for t in line)
        lines.append("".join(_rstrip(line)))
        out.append("\n".join(lines))
    return "\n".join(out)


def _rstrip(tokens: list[str]) -> list[str]:
    end = len(tokens)
    while end and tokens[end - 1].isspace():
        end -= 1
    return tokens[:end]


def is_grid(fig) -> bool:
    """True when every axes sits in a subplot grid, so tight_layout can lay the figure out again
    (a figure with a constrained layout is laid out by matplotlib at each draw)."""
    axes = fig.get_axes()
    engine = fig.get_layout_engine()
    return bool(axes) and all(ax.get_subplotspec() is not None for ax in axes) and (
        engine is None or isinstance(engine, (PlaceHolderLayoutEngine, TightLayoutEngine)))


def _relayout(fig) -> bool:
    """tight_layout; False when matplotlib could not apply it (decorations wider than the figure)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", UserWarning)
        fig.tight_layout()
    return not any("not applied" in str(w.message) for w in caught)


class Snapshot:
    """The figure's size, axes positions, grid parameters, texts and the sizes of what it draws, to put
    back later."""

    def __init__(self, fig):
        self.fig = fig
        self.size, self.dpi = tuple(fig.get_size_inches()), fig.dpi
        self.params = {k: getattr(fig.subplotpars, k)
                       for k in ("left", "right", "bottom", "top", "wspace", "hspace")}
        self.positions = [(ax, ax.get_position(original=True).frozen(),
                           ax.get_position(original=False).frozen()) for ax in fig.get_axes()]
        # Titles and legends may be wrapped, and the whole drawing set smaller (fit_width's last resort).
        self.texts = [(t, t.get_text(), t.get_fontsize()) for t in fig.findobj(Text)]
        self.ticks = [(ax, _tick_sizes(ax)) for ax in fig.get_axes()]
        self.gridliners = [(gl, dict(gl.xlabel_style), dict(gl.ylabel_style), (gl.xpadding, gl.ypadding))
                           for ax in fig.get_axes() for gl in scaling.gridliners(ax)]
        self.marks = scaling.marks(fig)
        self.marks_scaled = False
        self.added: list = []

    def add(self, artist):
        self.added.append(artist)
        return artist

    def restore(self) -> None:
        for artist in self.added:
            artist.remove()
        self.added = []
        for t, text, size in self.texts:
            t.set_text(text)
            t.set_fontsize(size)
        for ax, sizes in self.ticks:
            for name, size in sizes.items():
                if size is not None:
                    ax.tick_params(axis=name, which="both", labelsize=size)
        for gl, xs, ys, (xpad, ypad) in self.gridliners:
            gl.xlabel_style, gl.ylabel_style = xs, ys
            gl.xpadding, gl.ypadding = xpad, ypad
            gl._drawn = False  # cartopy makes its labels once; draw them again in the notebook's style
        if self.marks_scaled:
            scaling.scale(self.marks, 1.0)
            self.marks_scaled = False
        self.fig.set_dpi(self.dpi)
        self.restore_geometry()

    def restore_geometry(self) -> None:
        """Size, grid parameters and axes positions only (texts stay as they are)."""
        self.fig.set_size_inches(*self.size, forward=False)
        self.fig.subplotpars.update(**self.params)
        for ax, original, active in self.positions:
            ax._set_position(original, which="original")
            ax._set_position(active, which="active")


def _tick_sizes(ax) -> dict:
    """The tick label size of each axis ({'x': points or None})."""
    out = {}
    for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
        labels = axis.get_majorticklabels()
        out[name] = labels[0].get_fontsize() if labels else None
    return out


def _scale_drawing(snap: Snapshot, k: float) -> None:
    """Every text, line, marker and tick at k times the size the notebook gave it (k = 1 puts them
    back), so that a drawing scaled down as a whole keeps its proportions."""
    for t, _text, size in snap.texts:
        if not getattr(t, "_jte_footer", False):
            t.set_fontsize(size * k)
    for ax, sizes in snap.ticks:
        for name, size in sizes.items():
            if size is not None:
                ax.tick_params(axis=name, which="both", labelsize=size * k)
    for gl, xs, ys, (xpad, ypad) in snap.gridliners:
        gl.xlabel_style = {**xs, "size": xs.get("size", 7) * k}
        gl.ylabel_style = {**ys, "size": ys.get("size", 7) * k}
        gl.xpadding, gl.ypadding = xpad * k, ypad * k  # the labels' distance from the frame, in points
        gl._drawn = False  # cartopy makes its labels once and would keep the old size
    scaling.scale(snap.marks, k)
    snap.marks_scaled = k != 1.0


def _titles(fig):
    """Texts that span the figure's width and may need wrapping: axes titles, suptitle, figure texts."""
    out = []
    for ax in fig.get_axes():
        out += [t for t in (ax.title, ax._left_title, ax._right_title) if t.get_text()]
    if fig._suptitle is not None and fig._suptitle.get_text():
        out.append(fig._suptitle)
    out += [t for t in fig.texts if t.get_text() and not getattr(t, "_jte_footer", False)]
    return out


def _fit_plot_texts(fig, renderer, originals: dict) -> bool:
    """Wrap texts that run past their plot's frame; True if any changed: texts placed in the plot's own
    coordinates (a map's credit, a caption under a panel), and a map's labels placed inside it (a zone's
    label near the map's edge). A plot narrows as the figure does while its text keeps its size: without
    this, a caption under one panel runs into the next one's, and a label off the map's edge."""
    changed = False
    for ax in fig.get_axes():
        if not ax.get_visible():
            continue
        frame = ax.bbox
        for t in ax.texts:
            in_axes = t.get_transform() is ax.transAxes
            if not t.get_visible() or not (in_axes or hasattr(ax, "projection")) or t.get_rotation():
                continue
            text = originals.setdefault(id(t), t.get_text())
            if t.get_text() != text:
                t.set_text(text)
            box = t.get_window_extent(renderer)
            ha = t.get_horizontalalignment()
            x = _anchor(box, ha)
            if not in_axes and not (frame.x0 <= x <= frame.x1 and frame.y0 <= (box.y0 + box.y1) / 2 <= frame.y1):
                continue  # a map's label set outside the map on purpose
            room = _room(box, ha, frame.x0, frame.x1)
            if room <= 0 or box.width <= room + 1.0:
                continue
            _wrap(t, text, room, fig.dpi)  # a boxed credit's padding fits in the 3% to spare
            changed = True
    return changed


def _anchor(box: Bbox, ha: str) -> float:
    """Where a text is anchored across: its start (left), end (right) or centre."""
    return {"left": box.x0, "right": box.x1}.get(ha, (box.x0 + box.x1) / 2)


def _room(box: Bbox, ha: str, x0: float, x1: float) -> float:
    """The width a text aligned `ha` has between x0 and x1 from where it is anchored (display units)."""
    at = min(max(_anchor(box, ha), x0), x1)
    return {"left": x1 - at, "right": at - x0}.get(ha, 2 * min(at - x0, x1 - at))


def _wrap(t: Text, text: str, room: float, dpi: float) -> None:
    # 3% to spare: small text drawn at screen resolution runs a little wider than its outlines.
    t.set_text(wrap_text(text, room * 0.97 / dpi, t.get_fontproperties()))


def _fit_titles(fig, renderer, originals: dict) -> bool:
    """Wrap titles wider than the room they have; True if any changed."""
    fig_w = fig.bbox.width
    margin = 2.0
    changed = False
    for t in _titles(fig):
        text = originals.setdefault(id(t), t.get_text())
        if t.get_text() != text:
            t.set_text(text)
        box = t.get_window_extent(renderer)
        ha = t.get_horizontalalignment()
        if box.x0 >= -margin and box.x1 <= fig_w + margin:
            continue
        _wrap(t, text, max(_room(box, ha, 0.0, fig_w) - margin, fig_w * 0.3), fig.dpi)
        changed = True
    return changed


def content_bbox(fig) -> Bbox:
    """Everything drawn, in inches (what savefig's bbox_inches='tight' would keep)."""
    return fig.get_tightbbox(fig.canvas.get_renderer())


def _fit_legends(fig, renderer, originals: dict) -> bool:
    """Wrap the entries of a legend wider than its axes (or the figure); True if any changed.

    A translated legend is often wider than the English one; inside a plot it would cover the data,
    and in a grid layout it would squeeze its axes to nothing.
    """
    changed = False
    for leg, ax in scaling.legends(fig):
        texts = leg.get_texts()
        for t in texts:
            t.set_text(originals.setdefault(id(t), t.get_text()))
        area = ax.bbox if ax is not None else fig.bbox
        box = leg.get_window_extent(renderer)
        excess = max(box.width - (area.width - 4.0), box.x1 - (area.x1 - 2.0), (area.x0 + 2.0) - box.x0)
        if excess <= 0 or not texts:
            continue
        widest = max(t.get_window_extent(renderer).width for t in texts)
        room = max(widest - excess / max(getattr(leg, "_ncols", 1), 1), widest * 0.4)
        for t in texts:
            if t.get_window_extent(renderer).width > room:
                t.set_text(wrap_text(t.get_text(), room / fig.dpi, t.get_fontproperties()))
                changed = True
    return changed


def _at_width(fig, w: float, ratio: float, grid: bool, originals: dict) -> Bbox:
    fig.set_size_inches(w, w * ratio, forward=False)
    renderer = fig.canvas.get_renderer()
    if grid:
        # Lay the axes out without their legends first, so that an over-wide legend is wrapped to its
        # axes rather than shrinking them; then again with the legends as they will be drawn.
        legends = [leg for leg, _ax in scaling.legends(fig)]
        kept = [leg.get_in_layout() for leg in legends]
        for leg in legends:
            leg.set_in_layout(False)
        _relayout(fig)
        for leg, k in zip(legends, kept):
            leg.set_in_layout(k)
    content_bbox(fig)  # lays out titles and ticks as a draw would, without rasterising
    _fit_titles(fig, renderer, originals)
    _fit_legends(fig, renderer, originals)
    _fit_plot_texts(fig, renderer, originals)
    fig._jte_layout_ok = _relayout(fig) if grid else True
    return content_bbox(fig)


def _sane(fig, widths: dict, scale: float, least: float = 1 / 3) -> bool:
    """The layout applied, and no axes squeezed below `least` of the width plain scaling gives it."""
    return getattr(fig, "_jte_layout_ok", True) and all(
        ax.bbox.width / fig.dpi >= widths[ax] * scale * least for ax in fig.get_axes() if ax in widths)


FALLBACK_IN = 170 / 25.4 - 2 * PAD_IN  # a page: every figure of the collection can be laid out there
WIDER_STEPS = 3  # layouts tried between the width asked and a page before the page itself


def _wider(width_in: float) -> list[float]:
    """Widths to lay a figure out at when it does not fit the one asked: evenly spaced up to a page."""
    page = max(FALLBACK_IN, width_in)
    step = (page - width_in) / (WIDER_STEPS + 1)
    return [width_in + step * i for i in range(1, WIDER_STEPS + 1) if step > 0.05] + [page]


def fit_width(fig, width_in: float, start: float | None = None, snap: Snapshot | None = None,
              max_steps: int = 6) -> tuple[Bbox, float]:
    """Resize `fig` so that what it draws is `width_in` wide (margins excluded); returns that box and
    the scale of its text (1.0: every text at the size the notebook gave it).

    The width of what is drawn grows with the figure's width, but not in proportion (text keeps its
    size), so the size is found by the secant method from two measurements. A result up to 0.05 in
    narrower or 0.03 in wider (into the margin) is close enough. A drawing that cannot be laid out
    that narrow with its text at full size (long tick labels in an 85 mm column), or whose labels would
    then be drawn over each other (four panels of year labels), is laid out at the narrowest of a few
    wider widths (up to a page) where it fits without clashes, and scaled down as a whole, text, lines
    and ticks included: the scale is returned so that the exporter can say so. `start`: a figure width to try first (the one found for another language).
    """
    w0, h0 = fig.get_size_inches()
    ratio = h0 / w0
    grid = is_grid(fig)
    natural = content_bbox(fig).width
    widths = {ax: ax.bbox.width / fig.dpi for ax in fig.get_axes()}
    texts = [(t, t.get_text()) for t in fig.findobj(Text)]  # translated, not yet wrapped
    box = _fit(fig, width_in, start or w0, ratio, grid, max_steps)
    if snap is None or (box.width <= width_in + 0.03 and _sane(fig, widths, width_in / natural)
                        and not clashes.find(fig)):
        return box, 1.0
    # The narrowest layout that works, so that the text is scaled down as little as it can be: a few
    # widths from the one asked up to a page (where every figure of the collection fits). A layout
    # between the two must keep its plots near their shape on a page, and no clash once scaled.
    for target in _wider(width_in):
        for t, text in texts:
            t.set_text(text)
        _scale_drawing(snap, 1.0)
        snap.restore_geometry()
        base = _fit(fig, target, w0, ratio, grid, max_steps)
        last = target >= FALLBACK_IN
        if not (last or (base.width <= target + 0.03 and _sane(fig, widths, target / natural, 0.8))):
            continue
        k = width_in / base.width
        w = fig.get_size_inches()[0] * k
        fig.set_size_inches(w, w * ratio, forward=False)
        _scale_drawing(snap, k)
        # No new layout: the axes positions, scaled with everything else, keep what fitted there (a
        # layout run now would squeeze the axes around whatever is not scaled, such as a legend's keys).
        box = content_bbox(fig)
        if last or not clashes.find(fig):
            return box, k
    raise AssertionError("unreachable: the last width tried is a page")


def _fit(fig, width_in, w0, ratio, grid, max_steps) -> Bbox:
    originals: dict = {}  # each title's and legend entry's text before any wrapping

    def at(w):
        return _at_width(fig, w, ratio, grid, originals)

    def good(c):
        return -0.05 <= c - width_in <= 0.03

    def score(c):
        return abs(c - width_in) if c <= width_in + 0.03 else 1e9 + c

    box = at(w0)
    w_a, c_a = w0, box.width
    if good(c_a):
        return box
    w_b = w0 * width_in / c_a if c_a > 0 else width_in
    box = at(w_b)
    best = (score(box.width), w_b)
    for _ in range(max_steps):
        if good(box.width):
            return box
        slope = (box.width - c_a) / (w_b - w_a) if abs(w_b - w_a) > 1e-6 else 1.0
        slope = min(max(slope, 0.2), 5.0)
        w_a, c_a = w_b, box.width
        w_b = max(w_b + (width_in - box.width) / slope, 0.5)
        box = at(w_b)
        best = min(best, (score(box.width), w_b))
    return box if abs(best[1] - w_b) < 1e-9 else at(best[1])
