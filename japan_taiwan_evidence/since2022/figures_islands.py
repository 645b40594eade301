"""Drawing helpers for sections 3 and 4 of notebook 06: Japan's units on the south-western islands, the
Sakishima evacuation plan, and the weeks after PM Takaichi's remark with monthly visitors from China.
Each returns the figure and the rows it drew, with their source_id (save_figure's `data=`).
"""

from __future__ import annotations

import matplotlib.dates as mdates
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.lines import Line2D
from matplotlib.transforms import blended_transform_factory

from ..figures import PALETTE, layers, under_axes
from ..layout import wrap_text
from ..validate import split_ids
from . import analysis

STATUS_STYLE = {  # marker, filled, colour, words
    "in_place": ("o", True, PALETTE["blue"], "in place"),
    "announced": ("D", False, PALETTE["orange"], "announced"),
    "decided": ("D", False, PALETTE["orange"], "decided"),
    "planned": ("s", False, PALETTE["grey"], "planned"),
    "strength": ("o", False, PALETTE["blue"], "head count"),
}
TOPIC_COLOURS = {"takaichi_china": PALETTE["vermillion"], "pla_near_japan": PALETTE["black"],
                 "pla_exercise": PALETTE["orange"]}
JAPAN_COLOUR = PALETTE["blue"]
# The rows' text, right of the time axis, is wrapped to this width: a long row takes two lines
# instead of pushing the figure wider (which the layout would pay for by squeezing the time axis).
POSTURE_TEXT_IN = 3.6
POSTURE_TEXT_PT = 7


def _posture_text(r) -> str:
    words = STATUS_STYLE[r["status"]][3]
    text = f"{r['when']:%b %Y}, {words}: {r['unit']}"
    if pd.notna(r["personnel"]):
        n = f"{'about ' if r['personnel_qualifier'] == 'about' else ''}{int(r['personnel']):,}"
        text += f", {n} personnel"
        if "personnel_conflict" in split_ids(r["flags"]):  # one row per report; they disagree
            text += f" ({r['source_id']})"
    if pd.notna(r["fiscal_year_planned"]):
        text += f", for FY{int(r['fiscal_year_planned'])}"
    return text


def draw_posture(timeline: pd.DataFrame, article_end: pd.Timestamp):
    """Japan's units island by island (west to east): what was in place (filled), announced or decided
    (hollow diamond) and planned (hollow square), with personnel where sourced."""
    n = len(timeline)
    # Room below the axis for the year labels and the legend, which must not overlap them.
    # Each row has room for two lines of text.
    fig, ax = plt.subplots(figsize=(7.5, 0.36 * n + 2.4))
    fig.subplots_adjust(left=0.15, right=0.45, bottom=0.3, top=0.92)
    prop = FontProperties(size=POSTURE_TEXT_PT)
    ys = list(range(n))[::-1]
    for y, (_, r) in zip(ys, timeline.iterrows()):
        marker, filled, colour, _ = STATUS_STYLE[r["status"]]
        ax.plot(r["when"], y, marker=marker, markersize=7, linestyle="none", markeredgecolor=colour,
                markerfacecolor=colour if filled else "white", markeredgewidth=1.3, zorder=4)
        # A translation matches the text with its line breaks as spaces (and is drawn on one line).
        ax.text(1.03, y, wrap_text(_posture_text(r), POSTURE_TEXT_IN, prop), transform=ax.get_yaxis_transform(),
                va="center", ha="left", fontsize=POSTURE_TEXT_PT, linespacing=1.15,
                color="#666666" if "before_article" in split_ids(r["flags"]) else "black")
    ticks, labels = [], []
    for island, grp in timeline.groupby("lane", sort=True):
        rows = [ys[i] for i in grp.index]
        ticks.append(sum(rows) / len(rows))
        labels.append(analysis.ISLAND_LABELS[grp["island"].iloc[0]])
        ax.axhline(min(rows) - 0.5, color="#BBBBBB", lw=0.6)
    ax.set_yticks(ticks, labels, fontsize=8.5, fontweight="bold")
    ax.tick_params(axis="y", length=0)
    ax.axvline(article_end, color=PALETTE["black"], lw=0.8, linestyle=":")
    ax.text(article_end, n - 0.45, " article", fontsize=6.5, va="bottom", ha="left")
    ax.set_ylim(-0.8, n + 0.2)
    pad = pd.Timedelta(days=400)  # the first and last markers clear of the axis ends (the axis is narrow)
    ax.set_xlim(timeline["when"].min() - pad, timeline["when"].max() + pad)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator(4))  # the axis is narrow: every fourth year
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Line2D([], [], marker=m, linestyle="none", markeredgecolor=c, markerfacecolor=c if f else "white",
                      markersize=7, label=w) for m, f, c, w in
               [STATUS_STYLE["in_place"], STATUS_STYLE["decided"][:3] + ("announced or decided",),
                STATUS_STYLE["planned"], STATUS_STYLE["strength"][:3] + ("a garrison's head count",)]]
    handles.append(Line2D([], [], linestyle="none", label="grey: before the article; a source ID in brackets:"
                                                          " reports that disagree"))
    # Hung from the axis' bottom edge (clear of the year labels) and from the figure's left margin, so a
    # re-layout for another width keeps it under the plot instead of over the years.
    ax.legend(handles=handles, loc="upper left", ncol=2, fontsize=7, frameon=False, borderaxespad=0,
              bbox_to_anchor=(0.02, -0.045), bbox_transform=blended_transform_factory(fig.transFigure, ax.transAxes))
    ax.tick_params(axis="x", labelsize=7)
    ax.set_title("Japan's units on its south-western islands", loc="left", x=-0.28)
    drawn = timeline[["island", "when", "status", "unit", "personnel", "personnel_qualifier", "fiscal_year_planned",
                      "flags", "source_id"]]
    return fig, drawn.reset_index(drop=True)


def draw_evacuation(summary: dict, plan_date: pd.Timestamp):
    """Residents each host prefecture is to take in under the plan, with the plan's headline figures.
    The rows drawn are the plan's table (summary['rows']): the hosts as bars, the rest in the text box."""
    hosts = summary["hosts"].iloc[::-1]
    fig, ax = plt.subplots(figsize=(7.5, 3.8))
    ax.barh(hosts["host_prefecture"], hosts["value"], color=PALETTE["blue"], height=0.65)
    for y, v in enumerate(hosts["value"]):
        ax.text(v, y, f" {v:,}", va="center", ha="left", fontsize=7.5)
    q = summary["qualifiers"]

    def about(m):
        return ("about " if q[m] == "about" else "") + f"{summary[m]:,}"
    ax.set_title(f"Sakishima evacuation plan of {plan_date.day} {plan_date:%B %Y}: residents hosted, by prefecture",
                 fontsize=10)
    more = summary["hosted_minus_residents"]
    lines = [f"{about('people_total')} people ({about('residents')} residents, {about('tourists')} tourists)",
             (f"from {summary['origin_municipalities']} municipalities, {summary['people_per_day']:,} a day "
              f"over {summary['days']} days,"),
             f"to {summary['host_municipalities']} municipalities in {summary['host_prefectures']} prefectures.",
             f"The hosts' figures add up to {summary['hosted_sum']:,} (derived),",
             (f"{abs(more):,} {'more' if more > 0 else 'fewer'} than the plan's '{about('residents')}' "
              "residents.")]
    ax.text(0.98, 0.05, "\n".join(lines), transform=ax.transAxes, ha="right", va="bottom", fontsize=7.5,
            bbox={"facecolor": "white", "edgecolor": "#BBBBBB", "pad": 4})
    ax.set_xlabel("Residents to be hosted (people)")
    ax.xaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v:,.0f}"))
    ax.set_xlim(0, hosts["value"].max() * 1.15)
    ax.grid(axis="y", visible=False)
    return fig, summary["rows"]


VALUE_PT, VALUE_MIN_PT = 6.5, 4.5  # the visitors' value labels: their size, and the least it may shrink to
MONTH_SHARE = 0.75  # of a month's width at the drawn size: the page layout narrows the plot, and a gap


def _fit_to_month(labels: list, ax, months: pd.Series) -> None:
    """Set the value labels smaller when the widest is wider than its share of a month, so that a month
    added to visitors.csv (the time axis then holds more of them) does not run neighbouring labels
    together; never below VALUE_MIN_PT."""
    if not labels:
        return
    renderer = ax.figure.canvas.get_renderer()
    widest = max(t.get_window_extent(renderer).width for t in labels)
    x0 = mdates.date2num(months.iloc[0])
    month = ax.transData.transform((x0 + 30.44, 0))[0] - ax.transData.transform((x0, 0))[0]
    size = min(VALUE_PT, max(VALUE_MIN_PT, VALUE_PT * MONTH_SHARE * month / widest))
    for t in labels:
        t.set_fontsize(size)


def draw_after_remark(events: pd.DataFrame, months: pd.DataFrame, remark: pd.Timestamp):
    """Top: the remark, China's measures and PLA activity near Japan, dated. Bottom: mainland-Chinese
    visitors to Japan per month (JNTO estimates), months without a figure in the records named as such.
    The panels share the time axis; their units differ, so they never share a y axis."""
    fig, (top, bottom) = plt.subplots(2, 1, figsize=(7.5, 6.0), sharex=True, height_ratios=[1.25, 1])
    n = len(events)
    for y, r in zip(range(n)[::-1], events.itertuples()):
        japan = r.topic == "takaichi_china" and r.kind in ("statement", "trade_resumption")
        colour = JAPAN_COLOUR if japan else TOPIC_COLOURS[r.topic]
        top.plot(r.when, y, marker="o", markersize=5, color=colour, zorder=4)
        top.text(r.when - pd.Timedelta(days=4), y, f"{r.when.day} {r.when:%b}  {r.label}", ha="right", va="center",
                 fontsize=7, color=colour)
    top.set_ylim(-0.8, n - 0.2)
    top.set_yticks([])
    top.spines["left"].set_visible(False)
    top.grid(axis="y", visible=False)
    handles = [Line2D([], [], marker="o", linestyle="none", color=c, label=t) for c, t in
               ((JAPAN_COLOUR, "Japan"), (TOPIC_COLOURS["takaichi_china"], "China's measures"),
                (TOPIC_COLOURS["pla_near_japan"], "PLA activity near Japan"),
                (TOPIC_COLOURS["pla_exercise"], "PLA exercise around Taiwan"))]
    # The key hangs under the time axis, clear of the event labels, which reach further left as months
    # are added to the visitors below.
    bottom.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.0), ncol=4, fontsize=7,
                  bbox_transform=under_axes(bottom, 0.5))
    top.set_title(f"After PM Takaichi's remark of {remark.day} {remark:%B %Y}", loc="left")

    mid = pd.to_datetime(months["month"]) + pd.Timedelta(days=14)
    have = months["sourced"].to_numpy()
    bottom.bar(mid[have], months.loc[have, "visitors"].astype(float), width=22, color=PALETTE["sky"])
    values = []
    for x, r in zip(mid[have], months[have].itertuples()):
        # Three lines (count, change, 'y/y'), so that neighbouring months' labels stay within their bars.
        change = f"{r.yoy_change_pct:+.1f}".replace("-", "\u2212")  # a true minus sign, as on the axes
        label = f"{int(r.visitors):,}" + (f"\n{change}%\ny/y" if pd.notna(r.yoy_change_pct) else "")
        values.append(bottom.text(x, r.visitors, label, ha="center", va="bottom", fontsize=VALUE_PT))
    gap = mid[~have]
    if len(gap):
        first, last = months.loc[~have, "month"].iloc[0], months.loc[~have, "month"].iloc[-1]
        span = pd.Period(first).strftime("%b %Y") + ("" if first == last else "–" + pd.Period(last).strftime("%b %Y"))
        bottom.text(gap.iloc[len(gap) // 2], 0.45, f"no monthly figure in the records\n{span}",
                    transform=bottom.get_xaxis_transform(), ha="center", va="center", fontsize=7, style="italic",
                    color="#555555")
    bottom.set_ylabel("visitors per month")
    bottom.set_ylim(0, months["visitors"].max() * 1.25)
    bottom.yaxis.set_major_formatter(plt.FuncFormatter(lambda v, _: f"{v / 1000:,.0f}k"))
    bottom.set_title("Visitors from mainland China to Japan (JNTO monthly estimates)", loc="left", fontsize=9)
    bottom.grid(axis="x", visible=False)
    for ax in (top, bottom):
        ax.axvline(remark, color="#888888", lw=0.8, linestyle=":", zorder=0)
    bottom.xaxis.set_major_locator(mdates.MonthLocator(bymonth=[1, 4, 7, 10]))
    bottom.xaxis.set_major_formatter(mdates.DateFormatter("%b\n%Y"))
    fig.tight_layout()
    _fit_to_month(values, bottom, mid)
    data = layers(event=events[["when", "topic", "kind", "label", "source_id"]],
                  visitors=months.loc[have, ["month", "visitors", "qualifier", "yoy_change_pct", "flags", "source_id"]])
    return fig, data
