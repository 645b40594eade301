"""Map factory: cartopy maps drawn only from the committed basemap (data/basemap/), never downloading.

    fig, ax = maps.make_map("taiwan_ryukyu")          # land by country, graticule, scale bar, credits
    maps.add_geometries(ax, [zone_polygon], **maps.STYLES["zone"])
    maps.add_places(ax, places_df)                      # columns name, lon, lat (optional dx, dy)

Land comes from data/basemap/*.geojson through ``cartopy.feature.ShapelyFeature``: the geometries are
clipped to the map's extent and projected with pyproj once, so cartopy has nothing to fetch or
reproject (this is also what makes the detailed map fast; see tools/bench_map.py). Importing this
module turns ``cartopy.io.DownloadWarning`` into an error, and every public function re-asserts that
filter (pytest and notebooks may reset warning filters), so an accidental Natural Earth feature
fails loudly instead of downloading. Every map states its projection and carries the basemap's
attribution (OpenStreetMap contributors, ODbL; Natural Earth).
"""

from __future__ import annotations

import json
import warnings
from dataclasses import dataclass
from functools import lru_cache

import cartopy.crs as ccrs
import cartopy.io
import matplotlib.pyplot as plt
import numpy as np
import pyproj
import shapely
from cartopy.feature import ShapelyFeature
from matplotlib.transforms import offset_copy
from shapely.geometry import box

from . import basemap, geo
from .figures import PALETTE

__all__ = [
    "ATTRIBUTION",
    "LAND_COLOURS",
    "PRESETS",
    "STYLES",
    "Preset",
    "add_attribution",
    "add_country_labels",
    "add_geometries",
    "add_graticule",
    "add_land",
    "add_places",
    "add_scale_bar",
    "attribution",
    "forbid_downloads",
    "make_map",
    "nice_length_km",
    "projection_note",
    "tint",
]


def forbid_downloads() -> None:
    """Make any cartopy download an error (cartopy warns with DownloadWarning before it fetches)."""
    warnings.filterwarnings("error", category=cartopy.io.DownloadWarning)


forbid_downloads()


def _tint(hex_colour: str, weight: float) -> str:
    """Mix a colour with white: weight 1 = the colour, 0 = white (pale land fills under overlays)."""
    rgb = np.array([int(hex_colour[i:i + 2], 16) for i in (1, 3, 5)], float)
    mixed = 255 - weight * (255 - rgb)
    return "#" + "".join(f"{round(v):02X}" for v in mixed)


def tint(hex_colour: str, weight: float) -> str:
    """A colour mixed with white (weight 1 = the colour, 0 = white): pale fills that keep the hue."""
    return _tint(hex_colour, weight)


# Pale tints of the house Okabe-Ito palette: Japan (sky) and Taiwan (orange) stay apart under the common
# colour-vision deficiencies; China is a neutral warm grey so that overlays in full colour stand out.
LAND_COLOURS = {
    "JPN": _tint(PALETTE["sky"], 0.35),
    "TWN": _tint(PALETTE["orange"], 0.35),
    "CHN": "#DAD5CC", "HKG": "#DAD5CC", "MAC": "#DAD5CC",
    "PHL": _tint(PALETTE["green"], 0.30),
    "KOR": _tint(PALETTE["purple"], 0.30), "PRK": _tint(PALETTE["purple"], 0.30),
    "GUM": _tint(PALETTE["blue"], 0.30), "MNP": _tint(PALETTE["blue"], 0.30),
    "USA": _tint(PALETTE["blue"], 0.30),
}
OTHER_LAND = "#E6E6E6"
COAST = "#6E6E6E"
SEA = "#FFFFFF"

# Suggested styles for the usual overlays (keyword arguments for add_geometries).
STYLES = {
    "zone": {"facecolor": _tint(PALETTE["vermillion"], 0.45), "edgecolor": PALETTE["vermillion"],
                 "linewidth": 1.0, "zorder": 4},
    "eez": {"facecolor": _tint(PALETTE["blue"], 0.12), "edgecolor": "none", "zorder": 1.5},
    "eez_limit": {"facecolor": "none", "edgecolor": PALETTE["blue"], "linewidth": 0.8, "linestyle": "--", "zorder": 3},
    "median_line": {"facecolor": "none", "edgecolor": PALETTE["blue"], "linewidth": 1.2, "linestyle": (0, (4, 2)),
                        "zorder": 3},
    "territorial_sea": {"facecolor": "none", "edgecolor": PALETTE["blue"], "linewidth": 0.5, "linestyle": ":",
                            "zorder": 3},
    "ring": {"facecolor": "none", "edgecolor": PALETTE["black"], "linewidth": 0.7, "linestyle": "-.", "zorder": 3},
}


@dataclass(frozen=True)
class Preset:
    """A named map: extent (west, east, south, north; cartopy's order), basemap file and projection."""
    extent: tuple[float, float, float, float]
    basemap: str  # key of basemap.BASEMAP_FILES
    kind: str  # "lcc" (Lambert conformal conic), "merc" (Mercator) or "eqearth" (Equal Earth, world maps)
    central_longitude: float
    central_latitude: float
    standard_parallels: tuple[float, float]
    graticule_step: float  # degrees
    figsize: tuple[float, float]
    scale_bar_at: tuple[float, float] = (0.04, 0.07)  # axes fraction, over sea
    scale_bar: bool = True  # False on world maps, where no single scale holds
    graticule_labels: bool = True

    def projection(self) -> ccrs.Projection:
        if self.kind == "merc":
            return ccrs.Mercator(central_longitude=self.central_longitude)
        if self.kind == "eqearth":
            return ccrs.EqualEarth(central_longitude=self.central_longitude)
        return ccrs.LambertConformal(central_longitude=self.central_longitude,
                                     central_latitude=self.central_latitude,
                                     standard_parallels=self.standard_parallels)


PRESETS = {
    # The 2022 closure zones, Taiwan and the Yaeyama/Miyako islands.
    "taiwan_ryukyu": Preset((118.0, 126.0, 20.5, 27.0), "detail", "lcc", 122.0, 24.0, (22.0, 26.0), 1.0,
                            (7.5, 6.6)),
    # Yonaguni, Hateruma, Iriomote, Ishigaki and the east coast of Taiwan.
    "yaeyama": Preset((121.3, 124.6, 23.3, 25.3), "detail", "lcc", 123.0, 24.3, (23.8, 24.8), 0.5,
                      (7.5, 5.0), (0.35, 0.88)),
    # From Taiwan to Okinawa main island.
    "okinawa": Preset((120.5, 129.0, 22.5, 28.0), "detail", "lcc", 124.75, 25.25, (23.5, 27.0), 1.0,
                      (7.5, 5.6), (0.30, 0.88)),
    # Overview: Japan incl. Hokkaido, Korea, China's coast, Taiwan, the Philippines and Guam. Mercator, so
    # the map is the lon/lat box of the overview basemap with no empty corners.
    "east_asia": Preset((100.0, 150.0, 3.0, 47.0), "overview", "merc", 125.0, 25.0, (0.0, 0.0), 10.0,
                        (7.5, 7.2), (0.60, 0.14)),
    # The world from 60 S (the world layer leaves Antarctica out) in the equal-area Equal Earth projection,
    # so that countries are compared at their true relative size; no scale bar, unlabelled graticule.
    "world": Preset((-180.0, 180.0, -60.0, 85.0), "world", "eqearth", 0.0, 0.0, (0.0, 0.0), 30.0,
                    (7.5, 3.9), scale_bar=False, graticule_labels=False),
}


# The credit line that data/basemap/README.md asks for (also in build_info.json; a test keeps them equal).
ATTRIBUTION = "Land: \u00a9 OpenStreetMap contributors (ODbL); Natural Earth"


@lru_cache(maxsize=8)
def _attribution_text(which: str = "detail") -> str:
    """The credit line for a basemap file: its own (world, provinces: Natural Earth) or the land files'."""
    info = json.loads(basemap.basemap_path("detail").with_name("build_info.json").read_text(encoding="utf-8"))
    name = basemap.basemap_path(which).name
    for out in info["outputs"]:
        if out["file"] == name and out.get("attribution"):
            return out["attribution"]
    return info["map_attribution"]


def attribution(which: str = "detail") -> str:
    """The credit line a map drawn from basemap `which` must carry (for save_figure's attribution=)."""
    return _attribution_text(which)


def projection_note(projection: ccrs.Projection) -> str:
    """One line naming the projection and its parameters, for the map's credit line."""
    params = projection.proj4_params
    name = {"lcc": "Lambert conformal conic", "merc": "Mercator", "eqc": "Plate carr\u00e9e",
            "aeqd": "Azimuthal equidistant", "longlat": "Plate carr\u00e9e", "eqearth": "Equal Earth",
            "robin": "Robinson"}.get(
        params.get("proj"), params.get("proj", "?"))
    parts = []
    if "lon_0" in params:
        parts.append(f"centre {params['lon_0']:g}\u00b0E")
    if "lat_1" in params and "lat_2" in params:
        parts.append(f"standard parallels {params['lat_1']:g}\u00b0N, {params['lat_2']:g}\u00b0N")
    return f"Projection: {name}" + (f" ({', '.join(parts)})" if parts else "") + ", WGS84"


@lru_cache(maxsize=16)
def _land_in_view(which: str, extent: tuple, proj4: str) -> tuple:
    """(iso_a3, projected geometry) for every basemap part near the extent, clipped and projected once."""
    w, e, s, n = extent
    pad = max(e - w, n - s) * 0.25 + 0.5
    view = box(w - pad, max(-89.0, s - pad), e + pad, min(89.0, n + pad))
    tr = pyproj.Transformer.from_crs("EPSG:4326", pyproj.CRS.from_proj4(proj4), always_xy=True)

    def project(xy):
        x, y = tr.transform(xy[:, 0], xy[:, 1])
        return np.column_stack([x, y])

    out = []
    for f in basemap.land_features(which):
        g = f["geometry"]
        if not g.intersects(view):
            continue
        clipped = shapely.make_valid(g.intersection(view))
        if clipped.is_empty:
            continue
        # Long clip edges follow parallels/meridians in lon/lat: segmentize so they keep that shape.
        out.append((f["iso_a3"], shapely.transform(shapely.segmentize(clipped, 0.25), project)))
    return tuple(out)


def add_land(ax, which: str | None = None, colours: dict | None = None, edgecolor: str = COAST,
             linewidth: float = 0.35, zorder: float = 2.0, base: dict | None = None, other: str = OTHER_LAND):
    """Draw basemap land coloured by country onto a cartopy GeoAxes; returns the artists.

    colours {iso_a3: colour} go over `base` (LAND_COLOURS unless given; pass {} for a thematic map where
    only `colours` count); every other country gets `other`.
    """
    forbid_downloads()
    which = which or getattr(ax, "_jte_basemap", "detail")
    colours = {**(LAND_COLOURS if base is None else base), **(colours or {})}
    x0, x1, y0, y1 = ax.get_extent(ccrs.PlateCarree())
    extent = tuple(round(v, 3) for v in (x0, x1, y0, y1))
    parts = _land_in_view(which, extent, ax.projection.proj4_init)
    by_colour: dict[str, list] = {}
    for iso, g in parts:
        by_colour.setdefault(colours.get(iso, other), []).append(g)
    artists = []
    for colour in sorted(by_colour):
        feat = ShapelyFeature(by_colour[colour], ax.projection, facecolor=colour,
                              edgecolor=edgecolor, linewidth=linewidth)
        artists.append(ax.add_feature(feat, zorder=zorder))
    return artists


def add_geometries(ax, geoms, crs=None, **style):
    """Draw shapely geometries given in lon/lat (zones, EEZ, rings, lines) with a matplotlib style."""
    forbid_downloads()
    if isinstance(geoms, shapely.geometry.base.BaseGeometry):
        geoms = [geoms]
    geoms = [g for g in geoms if g is not None and not g.is_empty]
    style = dict(style)
    zorder = style.pop("zorder", 3)
    if any(g.geom_type in ("LineString", "MultiLineString") for g in geoms):
        style.setdefault("facecolor", "none")
    # Segmentize so straight lon/lat edges stay straight in lon/lat after projection, as in the data.
    geoms = [shapely.segmentize(g, 0.05) for g in geoms]
    return ax.add_feature(ShapelyFeature(geoms, crs or ccrs.PlateCarree(), **style), zorder=zorder)


def _value(row: dict, key: str, default):
    v = row.get(key, default)
    return default if v is None or (isinstance(v, float) and np.isnan(v)) else v


def _place_rows(places):
    """(label, lon, lat, dx, dy, ha) from a DataFrame, dicts, or (name, lon, lat[, dx, dy]) tuples."""
    if hasattr(places, "to_dict"):
        places = places.to_dict("records")
    for p in places:
        if isinstance(p, dict):
            label = _value(p, "label", None) or p["name"]
            yield (label, float(p["lon"]), float(p["lat"]), float(_value(p, "dx", 4.0)),
                   float(_value(p, "dy", 3.0)), str(_value(p, "ha", "left")))
        else:
            name, lon, lat, *rest = p
            dx, dy = (list(rest) + [4.0, 3.0][len(rest):])[:2]
            yield name, float(lon), float(lat), float(dx), float(dy), "left"


def add_places(ax, places, marker: str = "o", markersize: float = 3.0, colour: str = PALETTE["black"],
               fontsize: float = 7.0, zorder: float = 6):
    """Mark and label places: rows with name (or label), lon, lat and optional dx, dy (points), ha."""
    forbid_downloads()
    geodetic = ccrs.PlateCarree()._as_mpl_transform(ax)
    texts = []
    for name, lon, lat, dx, dy, ha in _place_rows(places):
        ax.plot(lon, lat, marker=marker, markersize=markersize, color=colour, linestyle="none",
                transform=ccrs.PlateCarree(), zorder=zorder)
        tr = offset_copy(geodetic, fig=ax.figure, x=dx, y=dy, units="points")
        texts.append(ax.text(lon, lat, name, transform=tr, fontsize=fontsize, ha=ha, va="bottom",
                             zorder=zorder, color=colour))
    return texts


def add_country_labels(ax, names: dict[str, str], which: str | None = None, fontsize: float = 8.0,
                       colour: str = "#555555"):
    """Label countries at a point inside their largest polygon in view, e.g. {"TWN": "TAIWAN"}."""
    forbid_downloads()
    which = which or getattr(ax, "_jte_basemap", "detail")
    x0, x1, y0, y1 = ax.get_extent(ccrs.PlateCarree())
    view = box(x0, y0, x1, y1)
    land = basemap.load_land(which)
    texts = []
    for iso, label in names.items():
        g = land.get(iso)
        if g is None:
            continue
        parts = [p for p in getattr(g.intersection(view), "geoms", [g.intersection(view)]) if p.area > 0]
        if not parts:
            continue
        pt = max(parts, key=lambda p: p.area).representative_point()
        texts.append(ax.text(pt.x, pt.y, label, transform=ccrs.PlateCarree(), fontsize=fontsize,
                             color=colour, ha="center", va="center", zorder=5, fontweight="bold"))
    return texts


def add_graticule(ax, step: float | None = None, labels: bool = True):
    """Dotted parallels and meridians every `step` degrees, labelled on the left and bottom."""
    forbid_downloads()
    import matplotlib.ticker as mticker
    step = step or getattr(ax, "_jte_step", 1.0)
    gl = ax.gridlines(crs=ccrs.PlateCarree(), draw_labels=labels, linewidth=0.4, color="#999999",
                      linestyle=":", x_inline=False, y_inline=False, zorder=2.5)
    gl.xlocator = mticker.FixedLocator(np.arange(-180, 180 + step, step))
    gl.ylocator = mticker.FixedLocator(np.arange(-90, 90 + step, step))
    if labels:
        gl.rotate_labels = False
        gl.top_labels = False
        gl.right_labels = False
        gl.xlabel_style = gl.ylabel_style = {"size": 7, "color": "#555555"}
    return gl


def nice_length_km(span_km: float) -> float:
    """A round scale-bar length (1, 2 or 5 x 10^k km) of about a quarter of span_km."""
    target = span_km / 4.0
    k = 10 ** np.floor(np.log10(target))
    for m in (5, 2, 1):
        if m * k <= target:
            return float(m * k)
    return float(k)


def add_scale_bar(ax, length_km: float | None = None, location: tuple[float, float] = (0.05, 0.06),
                  colour: str = PALETTE["black"], fontsize: float = 7.0):
    """A geodesic scale bar: its ends are length_km apart on WGS84 (pyproj.Geod), drawn due east.

    On a conformal projection the scale changes across the map, so the bar is exact where it is drawn;
    its label says along which parallel.
    """
    forbid_downloads()
    data_to_axes = ax.transData + ax.transAxes.inverted()
    x_data, y_data = data_to_axes.inverted().transform(location)
    lon0, lat0 = ccrs.PlateCarree().transform_point(x_data, y_data, ax.projection)
    if length_km is None:
        w, e, _s, _n = ax.get_extent(ccrs.PlateCarree())
        length_km = nice_length_km(geo.distance_km(w, lat0, e, lat0))
    lons, lats = [], []
    for frac in (0.0, 0.5, 1.0):
        lo, la = geo.destination(lon0, lat0, 90.0, length_km * frac)
        lons.append(float(lo))
        lats.append(float(la))
    pts = ax.projection.transform_points(ccrs.PlateCarree(), np.array(lons), np.array(lats))
    xs, ys = pts[:, 0], pts[:, 1]
    ax.plot(xs, ys, color=colour, linewidth=1.4, solid_capstyle="butt", zorder=7)
    ax.plot(xs, ys, color=colour, linestyle="none", marker="|", markersize=5, zorder=7)
    labels = ["0", f"{length_km / 2:g}", f"{length_km:g} km"]
    for x, y, lab in zip(xs, ys, labels):
        ax.annotate(lab, (x, y), xytext=(0, 4), textcoords="offset points", ha="center", va="bottom",
                    fontsize=fontsize, color=colour, zorder=7)
    ax.annotate(f"geodesic scale at {lat0:.1f}\u00b0N", (xs[0], ys[0]), xytext=(0, -5),
                textcoords="offset points", ha="left", va="top", fontsize=fontsize - 1, color=colour,
                zorder=7)
    return length_km


def add_attribution(ax, text: str | None = None, fontsize: float = 6.0):
    """Credit line in the map's lower right: basemap attribution and projection."""
    forbid_downloads()
    which = getattr(ax, "_jte_basemap", "detail")
    line = text or f"{_attribution_text(which)}\n{projection_note(ax.projection)}"
    return ax.text(0.995, 0.005, line, transform=ax.transAxes, ha="right", va="bottom", fontsize=fontsize,
                   color="#444444", zorder=8,
                   bbox={"facecolor": "white", "edgecolor": "none", "alpha": 0.75, "pad": 1.0})


def make_map(preset: str = "taiwan_ryukyu", *, ax=None, fig=None, extent=None, projection=None,
             basemap: str | None = None, figsize=None, land: bool = True, graticule: bool = True,
             scale_bar: bool = True, attribution: bool = True, country_labels: dict | None = None,
             title: str | None = None):
    """A ready map (fig, ax): land by country, graticule, geodesic scale bar, attribution, projection.

    preset: a key of PRESETS ('taiwan_ryukyu', 'yaeyama', 'okinawa', 'east_asia', 'world'); extent
    (west, east, south, north), projection and basemap override it. Pass ``ax`` (a GeoAxes) to draw
    into an existing axes, e.g. an inset. Nothing is downloaded: all land is from data/basemap/.
    """
    forbid_downloads()
    try:
        p = PRESETS[preset]
    except KeyError:
        raise ValueError(f"map preset {preset!r}: expected one of {sorted(PRESETS)}") from None
    proj = projection or (ax.projection if ax is not None else p.projection())
    if ax is None:
        fig = fig or plt.figure(figsize=figsize or p.figsize)
        ax = fig.add_subplot(1, 1, 1, projection=proj)
    else:
        fig = ax.figure
    ext = tuple(extent or p.extent)
    if ext[1] - ext[0] >= 360.0:
        # A whole-world map: keep the projection's own outline and crop only to the latitudes asked for
        # (set_extent would fit a lon/lat box and clip the curved sides of a pseudo-cylindrical map).
        ax.set_global()
        y0 = proj.transform_point(0.0, ext[2], ccrs.PlateCarree())[1]
        y1 = proj.transform_point(0.0, ext[3], ccrs.PlateCarree())[1]
        ax.set_ylim(y0, y1)
    else:
        ax.set_extent(ext, crs=ccrs.PlateCarree())
    ax.set_facecolor(SEA)
    ax._jte_basemap = basemap or p.basemap
    ax._jte_step = p.graticule_step
    if land:
        add_land(ax, ax._jte_basemap)
    if country_labels:
        add_country_labels(ax, country_labels, ax._jte_basemap)
    if graticule:
        add_graticule(ax, p.graticule_step, labels=p.graticule_labels)
    if scale_bar and p.scale_bar:
        add_scale_bar(ax, location=p.scale_bar_at)
    if attribution:
        add_attribution(ax)
    if title:
        ax.set_title(title)
    return fig, ax
