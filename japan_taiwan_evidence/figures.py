"""House style, the palette and save_figure.

Every figure in the collection goes through :func:`save_figure`, which stamps the sources under the
plot and writes PNG (300 dpi), SVG and PDF with fixed metadata, so a rebuild gives identical bytes.
It also records the figure's caption and sources in figures/index.csv, from which the gallery
(figures/README.md) is built.
"""

from __future__ import annotations

import csv
import hashlib
import io
import textwrap
from pathlib import Path

import matplotlib as mpl
import matplotlib.pyplot as plt

from . import files as _files
from . import params as _params
from . import paths
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


use_style()


def _footer(fig, lines: list[str]) -> None:
    """Put the footer under everything drawn, aligned with the left edge of the saved image."""
    fig.canvas.draw()  # the tight box needs laid-out text
    box = fig.get_tightbbox(fig.canvas.get_renderer())  # inches
    width_in, height_in = fig.get_size_inches()
    chars = max(60, int(box.width * 19))  # about 19 characters per inch at 6.5 pt
    text = "\n".join(textwrap.fill(line, chars) for line in lines)
    fig.text(box.x0 / width_in, box.y0 / height_in - 0.012, text, ha="left", va="top", fontsize=6.5,
             color="#444444", transform=fig.transFigure, linespacing=1.3)


def save_figure(fig, name: str, sources: list[str] | str, caption: str = "",
                attribution: str | None = None, note: str | None = None,
                figures_dir: Path | None = None, data_dir=None) -> list[str]:
    """Write <name>.png|svg|pdf with a source footer and byte-stable metadata, atomically.

    name: 'NN_slug', where NN is the notebook number. sources: source IDs from data/sources.csv
    (unknown IDs raise KeyError). attribution: extra credit line (basemaps). note: a line such as
    'Hollow markers are floors ("over N")'. The files go to figures/ for a run with the default
    parameters and to the variant folder otherwise (params.output_dir); a variant's footer names the
    parameters that differ. Returns the written paths, relative to the repository.
    """
    if not (len(name) > 3 and name[:2].isdigit() and name[2] == "_"):
        raise ValueError(f"figure name {name!r} must look like 'NN_slug'")
    out_dir = Path(figures_dir) if figures_dir is not None else _params.output_dir()
    sources_text = _sources.cite(sources, data_dir)
    lines = [sources_text]
    if attribution:
        lines.append(attribution)
    if note:
        lines.insert(0, note)
    run = _params.active()
    if run is not None and run.is_variant:
        lines.insert(0, f"Variant with changed parameters: {run.describe_changes()}.")
    _footer(fig, lines)
    images = {}
    for fmt in FORMATS:
        buf = io.BytesIO()
        fig.savefig(buf, format=fmt, metadata=_METADATA[fmt], bbox_inches="tight", pad_inches=0.08,
                    facecolor="white")
        images[fmt] = buf.getvalue()
    # Interactive runs write straight into the folder: one writer at a time (a build, or JupyterLab).
    with _files.build_lock(_lock_for(out_dir), wait_s=LOCK_WAIT_S, what="another run"):
        for fmt, data in images.items():
            _files.write_bytes(out_dir / f"{name}.{fmt}", data)
        _record(out_dir / "index.csv", name, caption, sources_text)
    # A build stages figures elsewhere (JTE_FIGURES_DIR) and publishes them into figures/ afterwards.
    shown = "figures" if out_dir.resolve() == paths.FIGURES.resolve() else paths.relative(out_dir)
    print(f"saved {shown}/{name}.{{png,svg,pdf}}")
    return [f"{shown}/{name}.{fmt}" for fmt in FORMATS]


# How long a figure write waits for another writer of the same folder before it stops with a message.
LOCK_WAIT_S = 60.0


def _lock_for(out_dir: Path) -> Path:
    """The lock file of an output folder: kept under build/ so figures/ holds only figures."""
    digest = hashlib.sha256(str(Path(out_dir).resolve()).encode()).hexdigest()[:16]
    return paths.BUILD / "locks" / f"figures-{digest}.lock"


def _record(index: Path, name: str, caption: str, sources_text: str) -> None:
    rows = {}
    if index.exists():
        with open(index, encoding="utf-8", newline="") as fh:
            rows = {r["figure"]: r for r in csv.DictReader(fh)}
    rows[name] = {"figure": name, "notebook": _notebook_for(name), "caption": caption,
                  "sources": sources_text.removeprefix("Sources: ")}
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=INDEX_FIELDS, lineterminator="\n")
    w.writeheader()
    w.writerows(rows[k] for k in sorted(rows))
    _files.write_text(index, buf.getvalue())


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


def close(fig) -> None:
    plt.close(fig)
