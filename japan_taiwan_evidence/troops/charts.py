"""Notebook 01's long-run personnel chart, drawn from the rows of one run (its years and its data).

The chart is built here rather than in the notebook because its rule matters and is tested: a line
joins only consecutive reports that cover the same territory (:func:`analysis.line_runs`), and every
title, range, note and footer source comes from the rows actually drawn.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import matplotlib.pyplot as plt
import pandas as pd

from .. import figures
from ..validate import split_ids
from . import analysis

__all__ = ["GEOGRAPHY_STYLE", "Chart", "personnel_chart"]

P = figures.PALETTE
# How each territory's DMDC rows are drawn. Before Okinawa's reversion the reports listed the Ryukyu
# Islands apart from Japan and the transcription kept one of the two rows a year, so the two kinds of
# row are different series and never share a line.
GEOGRAPHY_STYLE = {
    "japan_incl_okinawa": {"color": P["blue"], "ls": "-", "marker": "", "mfc": P["blue"],
                           "label": "DMDC reports: Japan including Okinawa"},
    "japan_as_listed": {"color": P["blue"], "ls": "--", "marker": "s", "mfc": "white",
                        "label": "DMDC: only the Japan row survives (Ryukyus listed apart)"},
    "ryukyu_islands": {"color": P["green"], "ls": "-", "marker": "^", "mfc": P["green"],
                       "label": "DMDC: only the Ryukyu Islands row survives"},
}
ANNUAL_STYLE = {"color": P["orange"], "ls": "-", "marker": "", "mfc": P["orange"],
                "label": "troopdata annual (Kane, then DMDC-based)"}


@dataclass
class Chart:
    """A drawn chart and what it drew: the figure, the rows drawn, the footer sources, title and note."""
    fig: object
    drawn: pd.DataFrame
    sources: list[str]
    title: str
    note: str
    lines: list = field(default_factory=list)  # (geography, Line2D) of every line joining reports


def _year_span(drawn: pd.DataFrame) -> tuple[int, int]:
    return int(drawn["year"].min()), int(drawn["year"].max())


def personnel_chart(personnel: pd.DataFrame, base_counts: pd.DataFrame, claimed: float, claim_source: str,
                    first_year=None, last_year=None) -> Chart:
    """US personnel in Japan by report, from first_year to last_year (None: the data's own ends).

    claimed/claim_source: the article's figure (C13) and its source, drawn as a dashed line.
    Returns a :class:`Chart`; its `sources` are the source IDs of the rows drawn, of the reversion date
    (when the reversion falls in the period) and of the claim.
    """
    totals = analysis.in_years(analysis.headline_totals(personnel), first_year, last_year)
    drawn = totals[totals["personnel"].notna()]
    if drawn.empty:
        raise ValueError(f"no personnel report from {first_year} to {last_year}: nothing to draw")
    y0, y1 = _year_span(drawn)
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    lines = []
    # The annual series (one territory throughout) and the DMDC rows, each territory on its own lines.
    for series, styles in (("troopdata_annual", None), ("dmdc_reports", GEOGRAPHY_STYLE)):
        shown = set()
        for run in analysis.line_runs(totals[totals["series"] == series]):
            geo = run["geography"].iloc[0]
            style = ANNUAL_STYLE if styles is None else styles[geo]
            label = None if (series, geo) in shown else style["label"]
            shown.add((series, geo))
            (line,) = ax.plot(run["date"], run["personnel"] / 1000, color=style["color"], ls=style["ls"], lw=1.4,
                              marker=style["marker"], ms=3.5, mfc=style["mfc"], mec=style["color"], label=label)
            lines.append((geo, line))
    interp = drawn[drawn["qualifier"] == "interpolated"]
    if len(interp):
        ax.plot(interp["date"], interp["personnel"] / 1000, "o", mfc="white", mec=P["orange"], ms=4,
                label=f"interpolated ({_years_text(interp)})")
    swing = drawn[drawn["flags"].fillna("").str.contains("navy_swing")]
    if len(swing):
        ax.plot(swing["date"], swing["personnel"] / 1000, "x", color=P["black"], ms=3.5,
                label=f"Navy count swings ({_years_text(swing)})")
    ids = split_ids(";".join(drawn["source_id"]))
    reversion, reversion_source = analysis.reversion_date(base_counts)
    top = max(drawn["personnel"].max(), claimed) / 1000 * 1.12
    if y0 <= reversion.year <= y1:
        ax.axvline(reversion, color=P["grey"], lw=0.8)
        # Half-way up, right of the line: clear of the legend (upper right) and of the early peak (left).
        ax.annotate(f"Okinawa reverts\nto Japan, {reversion:%Y}", (reversion, top * 0.5), xytext=(4, 0),
                    textcoords="offset points", fontsize=7.5, color="#444444", va="center")
        ids += split_ids(reversion_source)
    figures.mark_claim(ax, claimed / 1000, f"article: about {claimed:,.0f}", at=0.6)
    ids += split_ids(claim_source)
    ax.set_ylim(0, top)
    ax.set_ylabel("US military personnel in Japan (thousands)")
    title = f"US military personnel in Japan, {y0} to {y1}"
    ax.set_title(title)
    ax.legend(loc="upper right", ncol=1, fontsize=7)
    notes = []
    if totals["personnel"].isna().any():
        notes.append("Gaps are reports with no Japan row.")
    split = drawn[(drawn["series"] == "dmdc_reports") & drawn["geography"].isin(["japan_as_listed", "ryukyu_islands"])]
    if len(split):
        notes.append(f"DMDC {_years_text(split)}: each report kept either the Japan row or the Ryukyu row, never "
                     "both; lines join only rows of the same territory.")
    return Chart(fig, drawn, list(dict.fromkeys(ids)), title, " ".join(notes), lines)


def _years_text(rows: pd.DataFrame) -> str:
    a, b = int(rows["year"].min()), int(rows["year"].max())
    return str(a) if a == b else f"{a}–{b}"
