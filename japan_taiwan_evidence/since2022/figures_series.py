"""Drawing helpers for section 2 of notebook 06: the official series of pressure on Japan.

Series with different units get their own axes; fiscal years (scrambles) and calendar years (Senkaku)
are labelled as such; floors (partial-year counts), ranges and gaps are drawn as what they are.
Each helper returns the figure and the rows it drew, with their source_id (save_figure's `data=`).
"""

from __future__ import annotations

import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import figures
from ..figures import PALETTE
from ..validate import split_ids
from . import analysis

HALO = [pe.withStroke(linewidth=2.4, foreground="white")]
COUNTRY_COLOURS = {"china": PALETTE["vermillion"], "russia": PALETTE["blue"]}
ZONE_COLOURS = {"contiguous_zone": PALETTE["blue"], "territorial_sea": PALETTE["vermillion"]}


def _flagged(df: pd.DataFrame, flag: str) -> pd.Series:
    return df["flags"].map(lambda f: flag in split_ids(f))


# Half the width of a short label over the chart in its widest language (Japanese, 6.5 pt): with the
# plot's width, how many fiscal years either side of its anchor the label covers (about 7 on the full
# axis, 3 from FY1995), whose bars and lines decide how high it sits.
LABEL_HALF_IN = 0.6


def _top_near(scr: pd.DataFrame, fy: pd.Series, lo: float, hi: float) -> float:
    """The highest total, China or Russia value drawn for fiscal years lo..hi (0 if none)."""
    near = scr[(fy >= lo) & (fy <= hi)][["total", "china", "russia"]].astype(float)
    top = near.max().max()
    return 0.0 if pd.isna(top) else float(top)


def draw_scrambles(scr: pd.DataFrame, summary: dict):
    """Total scrambles (bars) and those against Chinese and Russian aircraft (lines) by fiscal year.
    Hollow markers: unofficial or derived values; a bracket: a range only; breaks: no figure. Labels sit
    above the bars and lines near them, and the key hangs under the axis, so neither hides a year."""
    fig, ax = plt.subplots(figsize=(7.5, 4.6))
    fy = scr["fiscal_year"].astype(int)
    part = _flagged(scr, "partial_year")
    ax.bar(fy[~part], scr.loc[~part, "total"].astype(float), width=0.8, color="#CFCFCF",
           label="all scrambles (total)", zorder=2)
    if part.any():
        ax.bar(fy[part], scr.loc[part, "total"].astype(float), width=0.8, facecolor="white", edgecolor="#999999",
               hatch="////", label="total of a partial first year", zorder=2)
    any_shaky = False
    for col, label in (("china", "against Chinese aircraft"), ("russia", "against Russian aircraft")):
        values = scr[col].astype(float)  # NaN where no figure: the line breaks
        first = values.first_valid_index()
        ax.plot(fy.loc[first:], values.loc[first:], color=COUNTRY_COLOURS[col], lw=1.5, label=label, zorder=4)
        shaky = _flagged(scr, f"{col}_unofficial") | _flagged(scr, f"{col}_derived")
        any_shaky |= bool(shaky.any())
        ax.plot(fy[shaky], values[shaky], marker="o", linestyle="none", markerfacecolor="white",
                markeredgecolor=COUNTRY_COLOURS[col], markersize=4.5, zorder=5)
    peak_fy, peak = summary["peak_total_fy"], summary["peak_total"]
    # Room above the record for two rows of labels: the record's, and over it the latest year's in the
    # top right corner (translated, the two run side by side into each other).
    top = peak * 1.32
    rng = scr[scr["china_max"].notna()]
    if len(rng):
        ax.errorbar(rng["fiscal_year"].astype(int), rng["china_max"].astype(float) / 2,
                    yerr=rng["china_max"].astype(float) / 2, fmt="none", ecolor=COUNTRY_COLOURS["china"], capsize=2,
                    lw=1, zorder=5)
        at = float(rng["fiscal_year"].mean())
        plot_in = fig.get_figwidth() * ax.get_position().width
        half = LABEL_HALF_IN / plot_in * (fy.max() - fy.min() + 2)
        over = _top_near(scr, fy, at - half, at + half)
        ax.annotate(f"China 0–{int(rng['china_max'].max())} a year", xy=(at, rng["china_max"].max()),
                    xytext=(at, over + 0.04 * top), ha="center", va="bottom", fontsize=6.5,
                    color=COUNTRY_COLOURS["china"], path_effects=HALO,
                    arrowprops={"arrowstyle": "-", "lw": 0.5, "color": COUNTRY_COLOURS["china"]})
    ax.annotate(f"FY{peak_fy}: {peak:,} in all,\n{summary['peak_china']:,} against Chinese aircraft"
                if summary["peak_china_fy"] == peak_fy else f"FY{peak_fy}: {peak:,}",
                xy=(peak_fy, peak), xytext=(-12, 4), textcoords="offset points", ha="right", va="bottom",
                fontsize=7.5, arrowprops={"arrowstyle": "-", "lw": 0.6})
    # The latest year's label sits in the top right corner, above every year but the record (whose label
    # ends left of the record's bar), ending over the last bar, with its line straight down to it.
    latest = summary["latest_fy"]
    if latest != peak_fy:
        ax.annotate(f"FY{latest}: {summary['latest_total']:,}\n(China {summary['latest_china']:,})",
                    xy=(latest, summary["latest_total"]), xytext=(latest + 0.4, 0.99),
                    textcoords=("data", "axes fraction"),
                    ha="right", va="top", fontsize=7.5,
                    arrowprops={"arrowstyle": "-", "lw": 0.6, "relpos": (1.0, 0.0)})
    ax.set_xlim(fy.min() - 1, fy.max() + 1)
    ax.set_ylim(0, top)
    ax.set_xlabel("Japanese fiscal year (April to March: FY2025 = April 2025 to March 2026)")
    ax.set_ylabel("Scrambles per fiscal year")
    ax.grid(axis="x", visible=False)
    handles, _ = ax.get_legend_handles_labels()
    if any_shaky:
        handles.append(Line2D([], [], marker="o", linestyle="none", markerfacecolor="white",
                              markeredgecolor="#555555", markersize=4.5,
                              label="unofficial (before FY2001) or derived value"))
    if len(rng):
        handles.append(Line2D([], [], marker="_", color=COUNTRY_COLOURS["china"], linestyle="none", markersize=8,
                              label=f"China: only a range (0 to {int(rng['china_max'].max())}) stated"))
    # Hung under the axis: inside, the key hid the bars of the 1960s to the 1980s.
    ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=3, fontsize=7,
              bbox_transform=figures.under_axes(ax, 0.5))
    ax.set_title(f"ASDF scrambles, FY{summary['first_fy']}–FY{latest}")
    return fig, scr[["fiscal_year", "total", "china", "china_max", "russia", "flags", "source_id"]].reset_index(drop=True)


def _gap_runs(values: pd.Series) -> list[tuple[int, int]]:
    """Runs of consecutive years with no figure, as (first, last)."""
    runs, start = [], None
    years = list(values.index)
    for y in years:
        if pd.isna(values.loc[y]):
            start = y if start is None else start
        elif start is not None:
            runs.append((start, y - 1))
            start = None
    if start is not None:
        runs.append((start, years[-1]))
    return runs


def _mark_gap(ax, values: pd.Series, run: tuple[int, int], colour: str, bars: bool, top: float) -> None:
    """Say in the plot that a series has no figure for some years, so an empty stretch never reads as 0."""
    first, last = run
    span = f"{first}" if first == last else f"{first}–{last}"
    known = values.dropna()
    if bars:  # across the empty stretch, mid-height
        ax.text((first + last) / 2, 0.5, f"no figure in the records\nfor {span}", transform=ax.get_xaxis_transform(),
                ha="center", va="center", fontsize=7, color=colour, style="italic")
    elif first > known.index.min():  # after the last figure: beside its last point, towards the middle
        y = known[known.index < first].iloc[-1]
        upper = y > top / 2  # top: the panel's highest value
        ax.text(first - 0.6, y, f"no figure found\nfor {span}", ha="left", va="top" if upper else "bottom",
                fontsize=6.5, color=colour, style="italic")
    else:  # before the first figure
        ax.text(last + 0.6, known.iloc[0], f"no figure\nfor {span}", ha="right", va="center", fontsize=6.5,
                color=colour, style="italic")


def _series_panel(ax, series: dict, measure: str, years: range, bars: bool = False):
    keys = [k for k in series if k[1] == measure]
    width = 0.8 / max(len(keys), 1)
    top = max(float(series[k]["value"].max()) for k in keys)
    for i, key in enumerate(keys):
        s = series[key]
        colour = ZONE_COLOURS[key[0]]
        x = np.array(list(s.index), dtype=float)
        v = s["value"].astype(float).to_numpy()
        floor = (s["qualifier"] == "at_least").to_numpy()
        label = analysis.ZONE_LABELS[key[0]]
        if bars:
            xs = x + (i - (len(keys) - 1) / 2) * width
            ax.bar(xs[~floor], v[~floor], width=width * 0.95, color=colour, label=label, zorder=3)
            ax.bar(xs[floor], v[floor], width=width * 0.95, facecolor="white", edgecolor=colour, hatch="////",
                   zorder=3)
        else:
            exact = np.where(floor, np.nan, v)
            ax.plot(x, exact, color=colour, marker="o", markersize=3, lw=1.4, label=label, zorder=3)
            ax.plot(x[floor], v[floor], marker="^", markersize=6, linestyle="none", markerfacecolor="white",
                    markeredgecolor=colour, zorder=4)
        shift = (i - (len(keys) - 1) / 2) * width if bars else 0.0
        for year, r in s[s["qualifier"] == "at_least"].iterrows():  # a floor says when it was counted to
            x_at, y_at, ha = year + shift, float(r["value"]), "center"
            if bars:
                # Above the taller neighbour too (a translated date is wider than a bar), and the last
                # year's label ends at its bar rather than past the axis.
                y_at = float(s["value"].reindex([year - 1, year, year + 1]).astype(float).max())
                if year == s.index.max():
                    x_at, ha = year + shift + width * 0.475, "right"
            ax.annotate(f"to {pd.Timestamp(r['as_of']):%d %b}", xy=(x_at, y_at), xytext=(0, 5),
                        textcoords="offset points", ha=ha, va="bottom", fontsize=6, color=colour)
        for run in _gap_runs(s["value"]):
            _mark_gap(ax, s["value"], run, colour, bars, top)
    ax.set_ylabel(analysis.SENKAKU_UNITS[measure])
    ax.set_xlim(years.start - 0.6, years.stop - 0.4)
    ax.set_ylim(bottom=0)
    ax.grid(axis="x", visible=False)


def draw_senkaku(ccg: pd.DataFrame):
    """Chinese government ships around the Senkakus by calendar year, one panel per unit: days with a
    ship present, ship-days, and territorial-sea incursion incidents. Triangles and hatched bars are
    partial-year counts (floors); years with no figure are named in the plot, never drawn as 0."""
    series = analysis.senkaku_series(ccg)
    years = range(int(ccg["year"].min()), int(ccg["year"].max()) + 1)
    fig, axes = plt.subplots(3, 1, figsize=(7.5, 6.4), sharex=True, height_ratios=[1.1, 1.1, 0.8])
    titles = {"days": "Days with at least one ship present", "ship_days": "Ship-days (a ship on 3 days counts 3)",
              "incidents": "Incursion incidents into the territorial sea"}
    for ax, measure in zip(axes, ("days", "ship_days", "incidents")):
        _series_panel(ax, series, measure, years, bars=measure == "incidents")
        ax.set_title(titles[measure], fontsize=9, loc="left")
    axes[-1].set_xticks(list(years)[::2])
    axes[-1].set_xlabel("Calendar year (January to December)")
    handles = [Line2D([], [], color=c, marker="o", markersize=3, label=analysis.ZONE_LABELS[z])
               for z, c in ZONE_COLOURS.items()]
    handles += [Line2D([], [], marker="^", linestyle="none", markerfacecolor="white", markeredgecolor="#555555",
                       markersize=6, label="partial year: at least this many (floor)"),
                Patch(facecolor="white", edgecolor="#555555", hatch="////", label="partial year (floor), bars"),
                Line2D([], [], linestyle="none", label="gaps: years with no figure are named in italics")]
    # Hung a fixed distance under the bottom panel, clear of its axis label at any size of the figure.
    fig.legend(handles=handles, loc="upper center", ncol=3, fontsize=7, bbox_to_anchor=(0.5, 0.0),
               bbox_transform=figures.under_axes(axes[-1]))
    fig.suptitle(f"Chinese government ships around the Senkaku Islands, {years.start}–{years.stop - 1}",
                 x=0.02, ha="left", fontweight="bold", fontsize=11)
    fig.tight_layout()
    drawn = ccg[ccg["measure"].isin(titles)]
    return fig, drawn[["year", "zone", "measure", "value", "qualifier", "as_of", "flags", "source_id"]].reset_index(drop=True)
