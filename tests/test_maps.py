"""The map factory draws only from data/basemap and never downloads."""

import urllib.request
import warnings

import cartopy
import cartopy.crs as ccrs
import cartopy.io
import matplotlib
import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from shapely.geometry import box

from japan_taiwan_evidence import geo, maps

matplotlib.use("Agg")


@pytest.fixture
def offline(tmp_path, monkeypatch):
    """Cartopy with empty data folders and no network: any download attempt fails the test."""
    data_dir, pre_dir = tmp_path / "cartopy_data", tmp_path / "cartopy_pre"
    data_dir.mkdir()
    pre_dir.mkdir()
    monkeypatch.setitem(cartopy.config, "data_dir", data_dir)
    monkeypatch.setitem(cartopy.config, "pre_existing_data_dir", pre_dir)

    def no_network(*args, **kwargs):
        raise AssertionError(f"network used: {args[:1]}")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    yield data_dir, pre_dir
    plt.close("all")
    # (cartopy makes the target folder before it warns, so empty folders may appear; files may not.)
    files = [p for d in (data_dir, pre_dir) for p in d.rglob("*") if p.is_file()]
    assert not files, f"files appeared, something downloaded: {files}"


@pytest.mark.parametrize("preset", sorted(maps.PRESETS))
def test_every_preset_draws_offline(offline, preset):
    fig, ax = maps.make_map(preset, country_labels={"TWN": "TAIWAN", "JPN": "JAPAN"})
    fig.canvas.draw()
    texts = " ".join(t.get_text() for t in ax.texts)
    # Each basemap's own credit line: OSM + Natural Earth for the land files, Natural Earth for the world.
    assert maps.attribution(maps.PRESETS[preset].basemap) in texts and "Natural Earth" in texts
    if maps.PRESETS[preset].basemap != "world":
        assert "\u00a9 OpenStreetMap contributors" in texts
    assert "Projection:" in texts and "WGS84" in texts
    assert len(ax.collections) >= 1  # land was drawn


def test_download_warning_is_an_error(offline):
    fig, ax = maps.make_map("yaeyama", land=False, graticule=False, scale_bar=False)
    with pytest.raises(cartopy.io.DownloadWarning):
        warnings.warn("Downloading: x", cartopy.io.DownloadWarning)
    # A Natural Earth feature that is not on disk must fail instead of fetching.
    ax.coastlines("110m")
    with pytest.raises(cartopy.io.DownloadWarning):
        fig.canvas.draw()


def test_attribution_matches_the_basemap_build():
    assert maps.ATTRIBUTION == maps._attribution_text()


def test_place_rows_accept_tuples_and_missing_offsets():
    rows = list(maps._place_rows([("A", 1, 2), ("B", 1, 2, -5)]))
    assert rows == [("A", 1.0, 2.0, 4.0, 3.0, "left"), ("B", 1.0, 2.0, -5.0, 3.0, "left")]
    df = pd.DataFrame({"name": ["C"], "lon": [1.0], "lat": [2.0], "dx": [np.nan]})
    assert list(maps._place_rows(df)) == [("C", 1.0, 2.0, 4.0, 3.0, "left")]


def test_land_is_coloured_by_country():
    assert len({maps.LAND_COLOURS[c] for c in ("JPN", "TWN", "CHN", "PHL")}) == 4
    assert maps.LAND_COLOURS["HKG"] == maps.LAND_COLOURS["CHN"]


def test_scale_bar_is_geodesic(offline):
    _fig, ax = maps.make_map("taiwan_ryukyu", scale_bar=False, attribution=False)
    before = len(ax.lines)
    length = maps.add_scale_bar(ax, location=(0.1, 0.1))
    assert length == 200.0
    bar = ax.lines[before]
    xy = np.column_stack(bar.get_data())
    ll = ccrs.PlateCarree().transform_points(ax.projection, xy[:, 0], xy[:, 1])
    assert geo.distance_km(ll[0, 0], ll[0, 1], ll[-1, 0], ll[-1, 1]) == pytest.approx(200.0, abs=1e-6)
    assert geo.distance_km(ll[0, 0], ll[0, 1], ll[1, 0], ll[1, 1]) == pytest.approx(100.0, abs=1e-6)


def test_nice_lengths():
    assert [maps.nice_length_km(s) for s in (800, 100, 4000, 9)] == [200, 20, 1000, 2]


def test_overlays_places_and_inset(offline):
    fig, ax = maps.make_map("taiwan_ryukyu", graticule=False)
    maps.add_geometries(ax, box(122.2, 25.05, 122.8, 25.6), **maps.STYLES["zone"])
    maps.add_geometries(ax, geo.geodesic_circle(123.0, 24.47, 80.0).exterior, **maps.STYLES["ring"])
    places = pd.DataFrame({"name": ["Yonaguni", "Hateruma"], "lon": [123.004722, 123.787778],
                           "lat": [24.468333, 24.040278], "dx": [4, -4], "ha": ["left", "right"]})
    texts = maps.add_places(ax, places)
    assert [t.get_text() for t in texts] == ["Yonaguni", "Hateruma"]
    inset = fig.add_axes([0.65, 0.65, 0.3, 0.3], projection=maps.PRESETS["east_asia"].projection())
    maps.make_map("east_asia", ax=inset, graticule=False, scale_bar=False, attribution=False)
    fig.canvas.draw()


def test_projection_is_stated():
    note = maps.projection_note(maps.PRESETS["taiwan_ryukyu"].projection())
    assert note.startswith("Projection: Lambert conformal conic") and "22\u00b0N" in note
    assert maps.projection_note(maps.PRESETS["east_asia"].projection()).startswith("Projection: Mercator")


def test_world_preset_is_equal_earth_without_scale_bar(offline):
    fig, ax = maps.make_map("world")
    fig.canvas.draw()
    texts = [t.get_text() for t in ax.texts]
    assert any("Equal Earth" in t for t in texts)
    assert any("Countries: Natural Earth (public domain)" in t for t in texts)
    assert not any("geodesic scale" in t for t in texts)  # no single scale holds on a world map
    # Cropped at 60 S (the world layer has no Antarctica) but keeps the whole longitude range.
    w, e, s, _n = ax.get_extent(ccrs.PlateCarree())
    assert w <= -170 and e >= 170 and s == pytest.approx(-60, abs=0.5)


def test_attribution_follows_the_basemap():
    assert maps.attribution("detail") == maps.ATTRIBUTION
    assert maps.attribution("world") == "Countries: Natural Earth (public domain)"
    assert maps.attribution("provinces") == "Provinces: Natural Earth (public domain)"
    assert maps.projection_note(maps.PRESETS["world"].projection()).startswith("Projection: Equal Earth")


def test_thematic_land_colours_ignore_the_house_colours(offline):
    _fig, ax = maps.make_map("world", land=False)
    arts = maps.add_land(ax, "world", colours={"AUS": "#123456"}, base={}, other="#EEEEEE")
    colours = sorted(matplotlib.colors.to_hex(a.get_facecolor()) for a in arts)
    assert colours == ["#123456", "#eeeeee"]


def test_unknown_preset():
    with pytest.raises(ValueError, match="expected one of"):
        maps.make_map("atlantis")
