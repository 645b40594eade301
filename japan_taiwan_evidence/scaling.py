"""Scaling a drawing as a whole (core): what matplotlib sizes in points or inches besides text.

When an export is too narrow for a figure at full size, layout.fit_width lays it out for a page and sets
everything smaller by one factor. Text sizes are kept by layout.Snapshot; this module records and scales
the rest, which matplotlib fixes in points when an artist is made: line widths, marker sizes, edge widths,
label offsets, tick lengths, a legend's keys and gaps, and distances hung in inches (figures.under_axes).
"""

from __future__ import annotations

from matplotlib.artist import Artist
from matplotlib.collections import Collection
from matplotlib.lines import Line2D
from matplotlib.offsetbox import DrawingArea, OffsetBox
from matplotlib.patches import Patch
from matplotlib.text import Annotation
from matplotlib.transforms import Affine2D


def legends(fig) -> list[tuple]:
    """(legend, the axes it belongs to or None for a figure legend), for every legend of the figure."""
    return [(ax.get_legend(), ax) for ax in fig.get_axes() if ax.get_legend() is not None] + \
        [(leg, None) for leg in fig.legends]


def gridliners(ax) -> list:
    """A map's cartopy gridliners (graticules), which it keeps among its artists (cartopy 0.26)."""
    return [a for a in ax.artists if hasattr(a, "xlabel_style")]


def offset_unit(fig) -> Affine2D:
    """A unit for fixed distances set in inches or points (a legend hung under the axes): pass it before
    fig.dpi_scale_trans, and the distance is scaled with the rest when the drawing is (fit_width)."""
    unit = Affine2D()
    fig.__dict__.setdefault("_jte_offset_units", []).append(unit)
    return unit


def marks(fig) -> dict:
    """The sizes, in points, of what is drawn besides text: line widths, marker sizes (scatter sizes are
    areas), edge widths, labels' offsets, each axis's tick length, width and padding, the legends' keys
    and gaps, and the units of distances hung in inches."""
    ticks = {id(line) for ax in fig.get_axes() for axis in (ax.xaxis, ax.yaxis)
             for t in axis.get_major_ticks() + axis.get_minor_ticks() for line in (t.tick1line, t.tick2line)}
    lines = [(a, a.get_linewidth(), a.get_markersize(), a.get_markeredgewidth())
             for a in fig.findobj(Line2D) if id(a) not in ticks]
    patches = [(a, a.get_linewidth()) for a in fig.findobj(Patch)]
    collections = [(a, a.get_linewidths().copy(), a.get_sizes().copy() if hasattr(a, "get_sizes") else None)
                   for a in fig.findobj(Collection)]
    # Labels set a distance in points from what they name (annotate's offset points) keep that distance.
    offsets = [(a, tuple(a.xyann)) for a in fig.findobj(Annotation)
               if a.anncoords in ("offset points", "offset pixels")]
    boxes = [b for leg, _ax in legends(fig) for b in _offset_boxes(leg)]
    sizes = [(leg, leg._fontsize) for leg, _ax in legends(fig)]
    axes_ticks = []
    for ax in fig.get_axes():
        for name, axis in (("x", ax.xaxis), ("y", ax.yaxis)):
            for which, found in (("major", axis.get_major_ticks(1)), ("minor", axis.get_minor_ticks(1))):
                t = found[0]
                axes_ticks.append((ax, name, which, t.tick1line.get_markersize(),
                                   t.tick1line.get_markeredgewidth(), t.get_pad()))
    return {"lines": lines, "patches": patches, "collections": collections, "offsets": offsets,
            "ticks": axes_ticks, "legends": sizes, "boxes": boxes,
            "units": list(getattr(fig, "_jte_offset_units", []))}


def _offset_boxes(leg) -> list[tuple]:
    """A legend's packing in points, made when the legend was: the gaps of its packers, and each key's
    box with the transforms of what is drawn in it (so that the keys can be set smaller as a whole).
    Artist.get_transform: a patch's own get_transform adds its shape's transform, set_transform not."""
    out, todo = [], [leg._legend_box]
    while todo:
        box = todo.pop()
        if isinstance(box, DrawingArea):
            out.append((box, (box.width, box.height, box.xdescent, box.ydescent),
                        [(a, Artist.get_transform(a), isinstance(a, Collection) and a.get_offset_transform())
                         for a in box.get_children()]))
        else:
            if hasattr(box, "sep"):
                out.append((box, (box.pad, box.sep), None))
            todo += [c for c in box.get_children() if isinstance(c, OffsetBox)]
    return out


def scale(marks: dict, k: float) -> None:
    """Set every size in `marks` to k times its value there (k = 1 puts them back)."""
    for a, lw, ms, mew in marks["lines"]:
        a.set_linewidth(lw * k)
        a.set_markersize(ms * k)
        a.set_markeredgewidth(mew * k)
    for a, lw in marks["patches"]:
        a.set_linewidth(lw * k)
    for a, lws, sizes in marks["collections"]:
        a.set_linewidths(lws * k)
        if sizes is not None and len(sizes):
            a.set_sizes(sizes * k * k)
    for a, (dx, dy) in marks["offsets"]:
        a.xyann = (dx * k, dy * k)
    for ax, name, which, length, width, pad in marks["ticks"]:
        ax.tick_params(axis=name, which=which, length=length * k, width=width * k, pad=pad * k)
    for unit in marks["units"]:
        unit.clear().scale(k)
    for leg, size in marks["legends"]:
        leg._fontsize = size * k  # the frame's padding and the distance to the axes follow it
    for box, sizes, drawn in marks["boxes"]:
        if drawn is None:
            box.pad, box.sep = (v * k for v in sizes)
            continue
        box.width, box.height, box.xdescent, box.ydescent = (v * k for v in sizes)
        scale = Affine2D().scale(k)
        for a, transform, offsets in drawn:
            if offsets:  # a collection's items sit at offsets; their size is scaled with the markers
                a.set_offset_transform(offsets if k == 1.0 else scale + offsets)
            else:
                a.set_transform(transform if k == 1.0 else scale + transform)
