"""Drawing helpers for section 1 of notebook 06: the exercise timeline and the two zone maps.

Each returns the figure and the rows it drew (with their source_id: save_figure's `data=`); the notebook
saves it with figures.save_figure. Only zones with published vertices are drawn (analysis.zones_by_exercise).
"""

from __future__ import annotations

import cartopy.crs as ccrs
import matplotlib.dates as mdates
import matplotlib.patheffects as pe
import matplotlib.pyplot as plt
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .. import geo, maps, missiles
from ..figures import PALETTE, layers
from . import analysis

HALO = [pe.withStroke(linewidth=2.4, foreground="white")]
LIVE_FIRE_MARKERS = {"yes": ("*", "live fire reported"), "no": ("X", "no live fire (inferred, not stated)"),
                     "unknown": ("o", "live fire not confirmed")}
FLAG_TEXT = {"no_coordinates_found": "no zone coordinates found",
             "schematic_map_only": "schematic map only, no coordinates",
             "closure_area_without_coordinates": "a closure area existed; coordinates not found"}


def _dates(start: pd.Timestamp, end: pd.Timestamp) -> str:
    if start == end:
        return f"{start.day} {start:%b %Y}"
    if start.month == end.month:
        return f"{start.day}–{end.day} {end:%b %Y}"
    return f"{start.day} {start:%b}–{end.day} {end:%b %Y}"


def _zones_text(r) -> str:
    if r["zones_published"]:
        return f"{r['zones']} zones with published coordinates"
    flags = [FLAG_TEXT[f] for f in r["flags"].split(";") if f in FLAG_TEXT]
    return flags[0] if flags else "no zone coordinates found"


def short_name(name: str) -> str:
    """The exercise's name without its parenthesised gloss."""
    return name.split(" (")[0]


def draw_exercise_timeline(timeline: pd.DataFrame, article_end: pd.Timestamp, coverage: pd.Timestamp):
    """One row per exercise: its dates, live fire (marker shape) and whether zones with coordinates were
    published (filled, vermillion) or not (hollow, grey), with the article's date and the end of the
    records marked; the right-hand column says what was published."""
    fig = plt.figure(figsize=(7.5, 3.5))
    ax = fig.add_axes([0.02, 0.3, 0.4, 0.6])
    rows = timeline.iloc[::-1].reset_index(drop=True)
    for y, r in rows.iterrows():
        marker, _ = LIVE_FIRE_MARKERS[r["live_fire"]]
        colour = PALETTE["vermillion"] if r["zones_published"] else PALETTE["grey"]
        ax.plot(r["start"], y, marker=marker, markersize=12 if marker == "*" else 8, linestyle="none",
                markerfacecolor=colour if r["zones_published"] else "white", markeredgecolor=colour,
                markeredgewidth=1.3, zorder=5)
        ax.text(1.03, y, f"{short_name(r['name'])}, {_dates(r['start'], r['end'])}", transform=ax.get_yaxis_transform(),
                va="bottom", ha="left", fontsize=7.5, fontweight="bold")
        ax.text(1.03, y, _zones_text(r), transform=ax.get_yaxis_transform(), va="top", ha="left", fontsize=7.5,
                color=colour if r["zones_published"] else "#444444")
    for when, text in ((article_end, "article"), (coverage, "records end")):
        ax.axvline(when, color=PALETTE["black"], lw=0.8, linestyle=":")
        ax.text(when, -1.05, f" {text}\n {when.day} {when:%b %Y}", fontsize=6.5, va="bottom", ha="left")
    ax.set_ylim(-1.1, len(rows) - 0.4)
    ax.set_xlim(timeline["start"].min() - pd.Timedelta(days=90), coverage + pd.Timedelta(days=90))
    ax.set_yticks([])
    ax.spines["left"].set_visible(False)
    ax.grid(axis="y", visible=False)
    ax.xaxis.set_major_locator(mdates.YearLocator())
    ax.xaxis.set_major_formatter(mdates.DateFormatter("%Y"))
    handles = [Line2D([], [], marker=m, linestyle="none", color=PALETTE["black"], markerfacecolor="white",
                      markersize=8 if m != "*" else 10, label=text) for m, text in LIVE_FIRE_MARKERS.values()]
    handles += [Line2D([], [], marker="s", linestyle="none", color=PALETTE["vermillion"], markersize=8,
                       label="zone coordinates published (on the map)"),
                Line2D([], [], marker="s", linestyle="none", color=PALETTE["grey"], markerfacecolor="white",
                       markersize=8, label="none published or found (not drawn)")]
    fig.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.02, 0.0), ncol=2, fontsize=7)
    ax.set_title("PLA exercises around Taiwan since August 2022", loc="left")
    drawn = timeline[["exercise_id", "name", "start", "end", "live_fire", "zones_published", "zones", "flags",
                      "source_id"]]
    return fig, drawn.reset_index(drop=True)


ADDED_STYLE = {"facecolor": "none", "edgecolor": PALETTE["purple"], "hatch": "////", "linewidth": 1.0,
               "linestyle": "--", "zorder": 4.2}  # notebook 03's style for the area Taiwan's MPB added in 2022


def eez_summary(table: pd.DataFrame) -> str:
    """A sentence on an exercise's zones: which lie partly inside the constructed EEZ, or how far the
    nearest one stays from it (the layout wraps it to its panel at the width exported)."""
    inside = table[table["share_in_eez"] > 0].sort_values("share_in_eez", ascending=False)
    if len(inside):
        parts = ", ".join(f"{s:.0%} of {z.split('-')[-1]}" for z, s in zip(inside["zone_id"], inside["share_in_eez"]))
        return f"Share inside Japan's claimed EEZ: {parts}; the other {len(table) - len(inside)} zones 0%"
    near = table.loc[table["eez_gap_km"].idxmin()]
    return (f"None of the {len(table)} zones reaches Japan's claimed EEZ; the nearest, "
            f"{near['zone_id'].split('-')[-1]}, stays {near['eez_gap_km']:.0f} km outside it")


def _panel(ax, eez, polys, table: pd.DataFrame, places: pd.DataFrame, nearest: pd.DataFrame, title: str):
    S = maps.STYLES
    maps.make_map("taiwan_ryukyu", ax=ax, country_labels={"TWN": "TAIWAN", "CHN": "CHINA"}, scale_bar=False,
                  attribution=False)
    maps.add_geometries(ax, eez.zone, **S["eez"])
    maps.add_geometries(ax, eez.median_line, **S["median_line"])
    maps.add_geometries(ax, eez.limit_line, **S["eez_limit"])
    t = table.set_index("zone_id")
    for zid, poly in polys.items():
        added = t.loc[zid, "flag"] == "added_danger_area"
        maps.add_geometries(ax, poly, **(ADDED_STYLE if added else S["zone"]))
        if added:  # beside its west edge, so it does not sit on the zone it overlaps
            x, y = poly.bounds[0] - 0.05, poly.centroid.y
        else:
            x, y = poly.representative_point().coords[0]
        ax.text(x, y, zid.split("-")[-1], transform=ccrs.PlateCarree(), ha="right" if added else "center",
                va="center", fontsize=7, color=PALETTE["purple"] if added else PALETTE["vermillion"],
                fontweight="bold", path_effects=HALO, zorder=9)
    dist = {}
    for r in nearest.itertuples():
        p = places.loc[r.place_id]
        near = geo.nearest((p["lon"], p["lat"]), polys[r.zone_id])
        ax.plot([near.a[0], near.b[0]], [near.a[1], near.b[1]], transform=ccrs.Geodetic(), color=PALETTE["black"],
                lw=0.8, zorder=8)
        dist[r.place_id] = f"{r.km:.0f} km to {r.zone_id.split('-')[-1]}"
    # Layout: a label west of the westernmost place, east of the others, so neighbours do not collide.
    west = places["lon"].idxmin()
    labelled = places.assign(label=[f"{lab}\n{dist[pid]}" if pid in dist else lab
                                    for pid, lab in zip(places.index, places["label"])],
                             dx=[-5 if pid == west else 5 for pid in places.index], dy=1,
                             ha=["right" if pid == west else "left" for pid in places.index])
    for t_ in maps.add_places(ax, labelled, fontsize=6.5):
        t_.set_path_effects(HALO)
    ax.set_title(title, fontsize=9)
    ax.text(0.0, -0.09, eez_summary(table), transform=ax.transAxes, ha="left", va="top", fontsize=7)


def draw_zone_maps(zones: dict, table: pd.DataFrame, eez, places=analysis.PLACES, titles: dict | None = None,
                   data_dir=None):
    """The zones of each exercise side by side on the same map: the constructed EEZ, the median line, and
    the nearest distance from each place to that exercise's nearest zone. Returns the figure, the rows
    drawn (layers: zone vertices, zones with their EEZ share and gap, places, nearest distances) and the
    map's credit line (basemap and projection). The EEZ is constructed from the basemap: its sources are
    the method's (MAP_METHOD_SOURCES), and the dispute note's are missiles.EEZ_CAVEAT_SOURCES."""
    pl = missiles.load_places(data_dir).loc[list(places)]
    pl = pl.assign(label=pl["name"].str.split(" ").str[0])
    near = analysis.nearest_zones(table, places)
    proj = maps.PRESETS["taiwan_ryukyu"].projection()
    # Room under the maps for each panel's summary (wrapped to its panel at any width) above the key.
    fig = plt.figure(figsize=(7.5, 4.8))
    vertex_rows = []
    width = 0.94 / len(zones)
    for i, (ex, vertices) in enumerate(zones.items()):
        ax = fig.add_axes([0.02 + i * (width + 0.04), 0.31, width - 0.02, 0.62], projection=proj)
        _panel(ax, eez, missiles.zone_polygons(vertices), table[table["exercise_id"] == ex], pl,
               near[near["exercise_id"] == ex], (titles or {}).get(ex, ex))
        vertex_rows.append(vertices[["zone_id", "vertex_order", "lat", "lon", "flag", "source_id"]]
                           .assign(exercise_id=ex))
    S = maps.STYLES
    handles = [Patch(facecolor=S["zone"]["facecolor"], edgecolor=S["zone"]["edgecolor"],
                     label="zone as published (vertices joined in order)"),
               Patch(facecolor="none", edgecolor=PALETTE["purple"], hatch="////", linestyle="--",
                     label="danger area added by Taiwan's MPB (2022)"),
               Patch(facecolor=S["eez"]["facecolor"], edgecolor="none", label="Japan's claimed EEZ, constructed"),
               Line2D([], [], color=PALETTE["blue"], lw=1.2, linestyle=(0, (4, 2)), label="median line"),
               Line2D([], [], color=PALETTE["blue"], lw=0.8, linestyle="--", label="200 nmi from Japanese land"),
               Line2D([], [], color=PALETTE["black"], lw=0.8, label="nearest distance, island to zone")]
    fig.legend(handles=handles, loc="lower center", bbox_to_anchor=(0.5, 0.0), ncol=2, fontsize=7)
    credit = f"{maps.attribution('detail')}. {maps.projection_note(proj)}."
    # The credit goes on the map (the last panel), as on notebook 03's map, so the footer keeps to its
    # short source line; save_figure finds it there and does not repeat it.
    maps.add_attribution(ax, credit.replace(". Projection", ".\nProjection"), fontsize=5.0)
    drawn_table = table[table["exercise_id"].isin(list(zones))]
    zone_src = drawn_table.set_index(["exercise_id", "zone_id"])["source_id"]
    nearest = near.assign(source_id=[";".join(analysis.ids_of(pl.loc[r.place_id, "source_id"],
                                                               zone_src.loc[(r.exercise_id, r.zone_id)]))
                                     for r in near.itertuples()])
    vertices = pd.concat(vertex_rows, ignore_index=True)
    # Computed values rounded as the notebook shows them: the last digits of a geodesic computation are
    # not evidence, and would make the data file differ between machines.
    data = layers(zone_vertex=vertices[["exercise_id"] + [c for c in vertices.columns if c != "exercise_id"]],
                  zone=drawn_table[["exercise_id", "zone_id", "flag", "area_km2", "share_in_eez", "eez_gap_km",
                                    "source_id"]].round({"area_km2": 0, "share_in_eez": 3, "eez_gap_km": 1}),
                  place=pl.assign(place_id=pl.index)[["place_id", "name", "lat", "lon", "source_id"]],
                  nearest_distance=nearest[["exercise_id", "place_id", "zone_id", "km", "source_id"]].round({"km": 1}))
    return fig, data, credit


MAP_METHOD_SOURCES = missiles.BASEMAP_SOURCES  # the basemap the coast, the EEZ and the land are drawn from
