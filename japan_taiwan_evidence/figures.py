"""House style, the palette and save_figure: every figure of the collection is written through it.

:func:`save_figure` lays the figure out for a width (170 mm by default; text keeps its size in
points), puts a short source line under it, and writes PNG (300 dpi), SVG and PDF with fixed metadata,
so that a rebuild gives identical bytes. Beside the figure it writes the full citations
(``NN_slug.sources.csv``: every source ID with publisher, title, URL and date) and, given the rows it
drew, ``figures/data/NN_slug.csv``. It records the caption in figures/index.csv (the gallery's input).

A *presentation* changes how the same drawing is written: language (en, ja, zh-Hant), width, footer
mode, resolution, formats, SVG text. `make export` passes one to a notebook through the environment
variable JTE_PRESENTATION (JSON, the fields of :class:`Presentation`); the notebook's own drawing code
then produces the figure and this module writes it under build/export/<lang>/, never into figures/.

Footer modes: ``short`` (default): "Source: <publishers, grouped>" in at most two lines, a mirror or
reprint shown under the publisher of the original (data/i18n/glossary.csv says which), plus the map
credit once; ``full``: every source ID with its publisher and year; ``none``: nothing but a map's credit.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import os
import warnings
from dataclasses import asdict, dataclass, fields
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt
import pandas as pd

from . import clashes, files, footers, i18n, layout, paths, scaling
from . import params as _params
from . import sources as _sources

# Okabe & Ito (2008): distinguishable with the common forms of colour blindness and in greyscale order.
PALETTE = {
    "black": "#000000",
    "orange": "#E69F00",
    "sky": "#56B4E9",
    "green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "purple": "#CC79A7",
    "grey": "#7F7F7F",
}
# Fixed colour per US service, so the same service looks the same in every figure.
SERVICE_COLOURS = {
    "army": PALETTE["green"],
    "navy": PALETTE["blue"],
    "marine_corps": PALETTE["vermillion"],
    "air_force": PALETTE["sky"],
    "space_force": PALETTE["purple"],
    "coast_guard": PALETTE["orange"],
}
SERVICE_LABELS = {
    "army": "Army", "navy": "Navy (incl. ship crews)", "marine_corps": "Marine Corps",
    "air_force": "Air Force", "space_force": "Space Force", "coast_guard": "Coast Guard",
}
CLAIM_COLOUR = PALETTE["vermillion"]  # the article's figure, wherever it is marked
# One colour per verdict of the claims ledger (keys are the verdict strings of claims.py). Blue/sky vs
# vermillion stay apart under the common colour-vision deficiencies; 'not tested' is an empty box.
VERDICT_COLOURS = {
    "supported": PALETTE["blue"],
    "supported with caveats": PALETTE["sky"],
    "differs": PALETTE["vermillion"],
    "not testable with this data": PALETTE["grey"],
    "not tested": "#FFFFFF",
}

STYLE = {
    "font.family": "DejaVu Sans",  # ships with matplotlib, so every machine renders the same glyphs
    "font.size": 9,
    "axes.titlesize": 11,
    "axes.titleweight": "bold",
    "axes.titlelocation": "left",
    "axes.labelsize": 9,
    "axes.spines.top": False,
    "axes.spines.right": False,
    "axes.grid": True,
    "grid.color": "#DDDDDD",
    "grid.linewidth": 0.6,
    "axes.prop_cycle": mpl.cycler(color=[PALETTE[k] for k in
                                         ("blue", "orange", "green", "vermillion", "purple", "sky",
                                          "yellow", "black")]),
    "legend.frameon": False,
    "legend.fontsize": 8,
    "figure.dpi": 100,
    "figure.figsize": (7.5, 4.2),
    "savefig.dpi": 300,
    "pdf.fonttype": 42,  # embed TrueType so text stays editable in the PDF
    "svg.fonttype": "path",
    "svg.hashsalt": "japan-taiwan-evidence",  # fixed clip-path IDs in SVG
    "image.cmap": "cividis",
    # Glyphs at their outline widths: layout measures text by its outlines, so a footer wrapped to fit
    # fits at every resolution (hinting widened 6.5 pt text by 4% at 150 dpi and 9% at 40 dpi).
    "text.hinting": "no_hinting",
}

_METADATA = {
    "png": {"Software": None},
    "svg": {"Date": None, "Creator": None},
    "pdf": {"CreationDate": None, "ModDate": None, "Creator": None, "Producer": None},
}
FORMATS = ("png", "svg", "pdf")
INDEX_FIELDS = ["figure", "notebook", "caption", "sources"]


def use_style() -> None:
    """Apply the house style (done on import; call again after changing rcParams by hand)."""
    mpl.rcParams.update(STYLE)
    i18n.register_fonts("en")  # DejaVu Sans: the pinned files, never a same-named system font


use_style()


FOOTER_MODES = ("short", "full", "none")
SVG_TEXT = {"paths": "path", "editable": "none"}  # --svg-text -> rcParams['svg.fonttype']
WIDTHS_MM = {"column": 85.0, "page": 170.0, "slide": 254.0}
DEFAULT_WIDTH_MM = WIDTHS_MM["page"]
PRESENTATION_ENV = "JTE_PRESENTATION"


def parse_width(value) -> float:
    """A width in mm from a number ('160', 160) or a preset name (column, page, slide)."""
    if isinstance(value, str) and value.strip().lower() in WIDTHS_MM:
        return WIDTHS_MM[value.strip().lower()]
    try:
        mm = float(value)
    except (TypeError, ValueError):
        raise ValueError(f"width {value!r}: expected millimetres (e.g. 160) or one of "
                         f"{', '.join(f'{k} ({v:g} mm)' for k, v in WIDTHS_MM.items())}") from None
    if not 40 <= mm <= 600:
        raise ValueError(f"width {mm:g} mm: expected between 40 and 600 mm")
    return mm


@dataclass(frozen=True)
class Presentation:
    """How save_figure writes a drawing; the defaults give the committed figures in figures/."""

    langs: tuple = ("en",)
    width_mm: float = DEFAULT_WIDTH_MM
    footer: str = "short"
    dpi: int = 300
    formats: tuple = FORMATS
    svg_text: str = "paths"
    figures: tuple | None = None  # only these figures (None: every figure)
    export_dir: str | None = None  # files go to <export_dir>/<lang>/ instead of figures/
    missing: str | None = None  # list labels without translation in this file instead of failing
    report_dir: str | None = None  # one small JSON per figure written, for the exporter's progress
    # False: lay out, footer and clash check as usual, but write no file (strict nbval compares the
    # notebooks' outputs only, so encoding images it would throw away is wasted work).
    write: bool = True

    def __post_init__(self):
        object.__setattr__(self, "langs", tuple(self.langs))
        object.__setattr__(self, "formats", tuple(self.formats))
        if self.figures is not None:
            object.__setattr__(self, "figures", tuple(self.figures))
        object.__setattr__(self, "width_mm", parse_width(self.width_mm))
        bad = [x for x in self.langs if x not in i18n.LANGS]
        if bad or not self.langs:
            raise ValueError(f"language {bad}: expected some of {list(i18n.LANGS)}")
        bad = [x for x in self.formats if x not in FORMATS]
        if bad or not self.formats:
            raise ValueError(f"format {bad}: expected some of {list(FORMATS)}")
        if self.footer not in FOOTER_MODES:
            raise ValueError(f"footer {self.footer!r}: expected one of {list(FOOTER_MODES)}")
        if self.svg_text not in SVG_TEXT:
            raise ValueError(f"svg text {self.svg_text!r}: expected one of {list(SVG_TEXT)}")
        if not 30 <= int(self.dpi) <= 1200:
            raise ValueError(f"dpi {self.dpi}: expected 30 to 1200")

    @classmethod
    def from_env(cls) -> Presentation:
        raw = os.environ.get(PRESENTATION_ENV)
        if not raw:
            return cls()
        try:
            given = json.loads(raw)
        except ValueError as e:
            raise ValueError(f"{PRESENTATION_ENV} is not JSON: {e}") from None
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(given) - known)
        if unknown:
            raise ValueError(f"{PRESENTATION_ENV}: unknown fields {unknown}; known: {sorted(known)}")
        return cls(**given)

    def to_env(self) -> str:
        return json.dumps(asdict(self), sort_keys=True)

    def is_default(self) -> bool:
        """True when it draws what figures/ holds (which figures, and where reports go, aside)."""
        keep = {"figures": None, "missing": None, "report_dir": None, "write": True}
        return Presentation(**{**asdict(self), **keep}) == Presentation()


def output_dir(lang: str, presentation: Presentation, figures_dir=None) -> Path:
    """Where a figure's files go: the one place that decides. figures/ holds only the default
    presentation; an export, or any other presentation, goes to build/export/<lang>/."""
    if presentation.export_dir is not None:
        return Path(presentation.export_dir) / lang
    if not presentation.is_default():
        return paths.BUILD / "export" / lang
    # The default presentation: figures/ for the default parameters, a variant's own folder otherwise.
    return Path(figures_dir) if figures_dir is not None else _params.output_dir()


def _lock_for(out_dir: Path) -> Path:
    """The lock file of an output folder: kept under build/ so figures/ holds only figures."""
    digest = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]
    return paths.BUILD / "locks" / f"figures-{digest}.lock"


# How long a figure write waits for another writer of the same folder before it stops with a message.
LOCK_WAIT_S = 60.0


class LayoutError(ValueError):
    """A figure's titles, labels, legends or footer are drawn over each other."""


def _check_name(name: str) -> None:
    if not (len(name) > 3 and name[:2].isdigit() and name[2] == "_"):
        raise ValueError(f"figure name {name!r} must look like 'NN_slug'")


# ---------------------------------------------------------------------------------------------
# Sources: which IDs a figure cites, and how its footer names them
# ---------------------------------------------------------------------------------------------

def _cited(name: str, data, sources, method_sources, data_dir) -> list[tuple[str, str, int]]:
    """(source ID, used for, rows citing it) in order: the data's IDs, then sources, then methods."""
    found: dict[str, list] = {}
    if data is not None:
        if "source_id" not in data.columns:
            raise ValueError(f"figure {name}: `data` needs a source_id column (the rows drawn and the "
                             f"sources of each)")
        for cell in data["source_id"]:
            ids = _sources._ids([cell]) if isinstance(cell, str) and cell.strip() else []
            if not ids:
                raise ValueError(f"figure {name}: a row of `data` has no source_id")
            for sid in ids:
                found.setdefault(sid, ["data", 0])[1] += 1
    for role, ids in (("cited", sources), ("method", method_sources)):
        for sid in _sources._ids(ids or []):
            found.setdefault(sid, [role, 0])
    if not found:
        raise ValueError("a figure needs at least one source ID")
    known = _sources.registry(data_dir).index
    missing = [s for s in found if s not in known]
    if missing:
        raise KeyError(f"unknown source ID {missing[0]!r}: add it to data/sources.csv")
    return [(sid, role, n) for sid, (role, n) in found.items()]


def _csv_text(rows: list[dict], fieldnames: list[str]) -> str:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fieldnames, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    return buf.getvalue()



# ---------------------------------------------------------------------------------------------
# Writing
# ---------------------------------------------------------------------------------------------

def _render(fig, name, lang, pres, cited, note, attribution, credit_on_map, map_credit, data_dir,
            on_missing, start=None):
    """The figure in one language, laid out for the presentation's width: ({format: bytes}, info)."""
    snap = layout.Snapshot(fig)
    undo = i18n.translate_figure(fig, lang, figure=name, on_missing=on_missing, data_dir=data_dir)
    fig._jte_restore = (snap, undo)
    gloss = i18n.glossary(data_dir)

    def tr(text):
        try:
            return gloss.translate(text, lang, name)
        except i18n.MissingTranslation:
            if on_missing is None:
                raise
            on_missing(i18n.normalise(text))
            return text

    rc = {"font.family": i18n.families(lang), "svg.fonttype": SVG_TEXT[pres.svg_text]}
    with mpl.rc_context(rc), warnings.catch_warnings():
        # A character no pinned font has would be drawn as an empty box: stop instead.
        warnings.filterwarnings("error", message=i18n.GLYPH_MISSING, category=UserWarning)
        width_in = pres.width_mm / 25.4
        fig.set_dpi(pres.dpi)  # measure text at the resolution it is drawn at (hinting widens small text)
        box, text_scale = layout.fit_width(fig, width_in - 2 * layout.PAD_IN, start=start, snap=snap)
        start = fig.get_size_inches()[0]
        parts, credit = [], None
        if attribution and not credit_on_map:
            credit = tr(attribution)
        if note and pres.footer != "none":
            parts.append(("note", tr(note), None))
        reg = _sources.registry(data_dir)
        if pres.footer == "short":
            names = footers.publishers(cited, reg, lang, gloss, name, map_credit, on_missing)
            parts.append(("sources", names, footers.SOURCE_LINES - (1 if credit else 0)))
        elif pres.footer == "full":
            items = [f"[{sid}] {footers.shown_as(reg.loc[sid, 'publisher'], lang, gloss, name, on_missing)} "
                     f"({footers.year(reg.loc[sid, 'published']) or gloss.value('n.d.', lang)})"
                     for sid, _role, _n in cited]
            parts.append(("sources", gloss.phrase("Sources: {list}", lang,
                                                  list=i18n.list_sep(lang).join(items)), None))
        counts = footers.draw_footer(fig, snap, name, lang, parts, credit, box, width_in - 2 * layout.PAD_IN,
                              data_dir)
        full = layout.content_bbox(fig)
        clash = clashes.find(fig)
        if clash and pres.is_default():  # what figures/ publishes must be readable; an export says so
            raise LayoutError(f"figure {name}: " + "; ".join(clash) + " are drawn over each other. "
                              "Move or shorten one of them in the notebook (figures/ is left as it was).")
        pad = layout.PAD_IN
        # Across: the drawing (the footer is wrapped to its width by the fonts' outlines; the screen
        # measure of small text runs a little wider); the right margin may shrink within fit_width's
        # tolerance, never below 0.02 in. Down: everything, footer included.
        x0 = box.x0 - pad
        bbox = mpl.transforms.Bbox.from_extents(x0, full.y0 - pad, max(x0 + width_in, box.x1 + 0.02),
                                                full.y1 + pad)
        blobs = {}
        # The layout is done: without this, savefig draws once more for a layout engine that a
        # notebook's tight_layout() leaves behind as a placeholder.
        engine, fig._layout_engine = fig._layout_engine, None
        try:
            for fmt in pres.formats if pres.write else ():
                buf = io.BytesIO()
                fig.savefig(buf, format=fmt, dpi=pres.dpi, metadata=_METADATA[fmt], bbox_inches=bbox,
                            facecolor="white")
                blobs[fmt] = buf.getvalue()
        finally:
            fig._layout_engine = engine
    info = {"figure": name, "lang": lang, "width_mm": round(bbox.width * 25.4, 1), "clashes": clash,
            "height_mm": round(bbox.height * 25.4, 1), "asked_mm": pres.width_mm,
            "text_scale": round(text_scale, 2),
            **counts}
    return blobs, info, start


def _restore(fig) -> None:
    """Put a figure back as its notebook drew it (undo the last save's language, size and footer)."""
    state = getattr(fig, "_jte_restore", None)
    if state is not None:
        snap, undo = state
        snap.restore()
        undo()
        fig._jte_restore = None


def save_figure(fig, name: str, sources=(), caption: str = "", attribution: str | None = None,
                note: str | None = None, figures_dir: Path | None = None, data_dir=None, *,
                data: pd.DataFrame | None = None, method_sources=(),
                presentation: Presentation | None = None) -> list[str]:
    """Write the figure `name` ('NN_slug') with its footer, sidecar, data file and index entry.

    data: the rows drawn, with a source_id column (';' separates several IDs); written to
    figures/data/NN_slug.csv and cited. sources: further source IDs the figure cites (e.g. the claim
    under test). method_sources: IDs behind the method rather than the rows (basemap, range
    definitions). Unknown IDs raise KeyError. attribution: the map credit (shown once: not repeated
    when the map already carries it). note: a line such as 'Hollow markers are floors ("over N")'.
    presentation: how to write it (default: from JTE_PRESENTATION, else the committed figures).
    Returns the written paths, relative to the repository (none if the presentation writes nothing).
    """
    _check_name(name)
    pres = presentation or Presentation.from_env()
    if pres.figures is not None and name not in pres.figures:
        return []
    _restore(fig)
    run = _params.active()
    if run is not None and run.is_variant:  # a variant's footer says what it changed
        note = f"Variant with changed parameters: {run.describe_changes()}." + (f" {note}" if note else "")
    dpi = fig.dpi  # layout measures at the output resolution; the notebook's display keeps its own
    cited = _cited(name, data, sources, method_sources, data_dir)
    credit_on_map = bool(attribution) and footers.has_text(fig, attribution)
    # A map credit (on the map or in the footer) names the basemap: its sources are not listed again.
    map_credit = bool(attribution) or footers.has_text(fig, "OpenStreetMap contributors", "Natural Earth")
    missing: set = set()
    on_missing = missing.add if pres.missing else None
    sidecar = _csv_text(footers.sidecar_rows(cited, data_dir), footers.SIDECAR_FIELDS)
    written = []
    start = None  # the figure width found for the first language: where the next one starts
    for i, lang in enumerate(pres.langs):
        if i:
            _restore(fig)
        blobs, info, start = _render(fig, name, lang, pres, cited, note, attribution, credit_on_map,
                                     map_credit, data_dir, on_missing, start)
        out = output_dir(lang, pres, figures_dir)
        if not pres.write:
            continue
        # One writer of a folder at a time (a build, or a notebook run in JupyterLab); each file atomic.
        with files.build_lock(_lock_for(out), wait_s=LOCK_WAIT_S, what="another run"):
            for fmt, blob in blobs.items():
                written.append(files.write_bytes(out / f"{name}.{fmt}", blob))
            written.append(files.write_text(out / f"{name}.sources.csv", sidecar))
        if pres.report_dir:
            info["files"] = [paths.relative(p) for p in written[-len(blobs) - 1:]]
            files.write_text(Path(pres.report_dir) / f"{name}.{lang}.json", json.dumps(info, sort_keys=True))
    if pres.export_dir is not None or not pres.is_default():
        _restore(fig)  # an export leaves the notebook's figure as it was drawn
    else:
        fig.set_dpi(dpi)  # the notebook shows the figure as saved (footer included), at screen size
        out = output_dir("en", pres, figures_dir)
        if pres.write:
            with files.build_lock(_lock_for(out), wait_s=LOCK_WAIT_S, what="another run"):
                if data is not None:
                    written.append(files.write_text(out / "data" / f"{name}.csv", _data_csv(data)))
                _record(out / "index.csv", name, caption, [sid for sid, _r, _n in cited])
        extra = f", {name}.sources.csv" + (f", data/{name}.csv" if data is not None else "")
        # A build stages figures elsewhere (JTE_FIGURES_DIR) and publishes them into figures/ afterwards.
        shown = "figures" if out.resolve() == paths.FIGURES.resolve() else paths.relative(out)
        # Unwritten, the line says so (tests/nbval_sanitize.cfg reads "checked" as "saved").
        print(f"{'saved' if pres.write else 'checked'} {shown}/{name}.{{{','.join(pres.formats)}}}{extra}")
    if missing:
        with open(pres.missing, "a", encoding="utf-8") as fh:
            fh.writelines(f"{name}\t{label}\n" for label in sorted(missing))
    return [paths.relative(p) if figures_dir is None else f"figures/{Path(p).name}" for p in written]


def _data_csv(data: pd.DataFrame) -> str:
    """The rows drawn as CSV: dates as ISO dates, no index, '\\n' line ends (byte-stable)."""
    df = data.copy()
    for col in df.columns:
        if pd.api.types.is_datetime64_any_dtype(df[col]):
            df[col] = df[col].dt.strftime("%Y-%m-%d")
    cols = [c for c in df.columns if c != "source_id"] + ["source_id"]
    return df[cols].to_csv(index=False, lineterminator="\n")


def _record(index: Path, name: str, caption: str, ids: list[str]) -> None:
    rows = {}
    current = files.read_current(index)
    if current is not None:
        rows = {r["figure"]: r for r in csv.DictReader(io.StringIO(current.decode("utf-8")))}
    rows[name] = {"figure": name, "notebook": _notebook_for(name), "caption": caption,
                  "sources": "; ".join(ids)}
    files.write_text(index, _csv_text([rows[k] for k in sorted(rows)], INDEX_FIELDS))


def _notebook_for(name: str) -> str:
    prefix = name[:2] + "_"
    found = sorted(p.name for p in paths.NOTEBOOKS.glob(prefix + "*.ipynb"))
    return found[0] if found else ""


def mark_claim(ax, value: float, label: str, axis: str = "y", at: float = 1.0) -> None:
    """Draw the article's figure as a dashed line in the claim colour, labelled at `at` (axes fraction)."""
    if axis == "y":
        ax.axhline(value, color=CLAIM_COLOUR, linestyle="--", linewidth=1.1, zorder=1)
        ax.annotate(label, xy=(at, value), xycoords=("axes fraction", "data"), xytext=(-2, 3),
                    textcoords="offset points", ha="right", va="bottom", color=CLAIM_COLOUR, fontsize=8)
    else:
        ax.axvline(value, color=CLAIM_COLOUR, linestyle="--", linewidth=1.1, zorder=1)
        ax.annotate(label, xy=(value, 1.0), xycoords=("data", "axes fraction"), xytext=(3, -2),
                    textcoords="offset points", ha="left", va="top", color=CLAIM_COLOUR, fontsize=8)


def under_axes(ax, inches: float = 0.45):
    """Where to hang a legend under `ax`: pass as bbox_transform with bbox_to_anchor=(x, 0) and loc 'upper
    ...'. A fixed distance in inches clears the tick labels and the axis label at any figure height (an
    axes fraction does not)."""
    return ax.transAxes + offset_down(ax.figure, inches)


def offset_down(fig, inches: float):
    """A shift `inches` down, to add to a transform (a subtitle hung under the title). A figure scaled down
    as a whole for a narrow export scales the distance too (scaling.offset_unit)."""
    return mpl.transforms.ScaledTranslation(0, -inches, scaling.offset_unit(fig) + fig.dpi_scale_trans)


def close(fig) -> None:
    plt.close(fig)


def layers(**frames) -> pd.DataFrame:
    """Several tables drawn in one figure as one table for `data=`, a `layer` column first.

    layers(zone=zones[[...]], place=places[[...]]): each keyword names its rows' layer ('_' as space).
    """
    parts = [df.reset_index(drop=True).assign(layer=name.replace("_", " ")) for name, df in frames.items()]
    out = pd.concat(parts, ignore_index=True, sort=False)
    return out[["layer"] + [c for c in out.columns if c != "layer"]]
