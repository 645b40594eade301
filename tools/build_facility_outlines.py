"""Re-derive data/troops/facility_outlines.geojson from a local checkout of the repository that holds the
OpenStreetMap outlines (GitHub issonokoto/dokodemo-nauru; see data/README.md for the commit used).

Maintainer tool: builds and tests never run it. Usage:

    .venv/bin/python tools/build_facility_outlines.py PATH/TO/dokodemo-nauru [--check]

For every row of data/troops/facility_positions.csv with an OSM way or relation ID it reads
data/attractions/large-military-base-{W|R}<id>.geojson from the checkout, keeps the geometry as it is
(no simplification: the 40 outlines are small), rounds coordinates to ROUND_DECIMALS, orients rings
counter-clockwise (RFC 7946) and writes one feature per line, sorted by facility_id, so a rebuild from the
same checkout gives the same bytes. It also recomputes each position (the centroid, or shapely's
representative point where the centroid falls outside the outline) from the unrounded geometry and
reports any that differs from the committed position by more than POSITION_TOLERANCE_DEG. With --check
it writes nothing and exits non-zero if the committed file or a position would change.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import shapely
from shapely.geometry import mapping, shape
from shapely.geometry.polygon import orient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from japan_taiwan_evidence import facility_lists, files, paths

ROUND_DECIMALS = 6              # 0.11 m of latitude: far below the outlines' own accuracy
POSITION_TOLERANCE_DEG = 1e-5   # the committed positions carry five decimals
FILE_PATTERN = "data/attractions/large-military-base-{prefix}{osm_id}.geojson"


def read_outline(checkout: Path, osm_type: str, osm_id: int) -> tuple[dict, object]:
    path = checkout / FILE_PATTERN.format(prefix="R" if osm_type == "relation" else "W", osm_id=osm_id)
    if not path.exists():
        raise SystemExit(f"{path}: not found (is this a checkout of the outline repository?)")
    feature = json.loads(path.read_text(encoding="utf-8"))
    props = feature["properties"]
    if props.get("osmType") != osm_type or int(props.get("osmId")) != osm_id:
        raise SystemExit(f"{path}: OSM {props.get('osmType')}/{props.get('osmId')}, expected {osm_type}/{osm_id}")
    return props, shape(feature["geometry"])


def _oriented(geom):
    parts = [orient(p, 1.0) for p in getattr(geom, "geoms", [geom])]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def position_of(geom) -> tuple[str, float, float]:
    c = geom.centroid
    if geom.contains(c):
        return "centroid", c.y, c.x
    p = geom.representative_point()
    return "representative_point", p.y, p.x


def build(checkout: Path) -> tuple[str, list[str]]:
    positions = facility_lists.load_positions()
    listed = facility_lists.load_facility_list().set_index("facility_id")
    osm = positions[positions["osm_id"].notna()].sort_values("facility_id")
    lines, problems = [], []
    for r in osm.itertuples():
        props, geom = read_outline(checkout, r.osm_type, int(r.osm_id))
        method, lat, lon = position_of(geom)
        if method != r.position_method or abs(lat - r.lat) > POSITION_TOLERANCE_DEG \
                or abs(lon - r.lon) > POSITION_TOLERANCE_DEG:
            problems.append(f"{r.facility_id}: {method} {lat:.5f}, {lon:.5f} vs committed "
                            f"{r.position_method} {r.lat:.5f}, {r.lon:.5f}")
        rounded = _oriented(shapely.set_precision(geom, 10 ** -ROUND_DECIMALS))
        if not rounded.is_valid:
            problems.append(f"{r.facility_id}: outline invalid after rounding")
        fac_no = listed.loc[r.facility_id, "fac_no"]
        feature = {"type": "Feature",
                   "properties": {"facility_id": r.facility_id,
                                  "fac_no": fac_no if isinstance(fac_no, str) else None,
                                  "osm_type": r.osm_type, "osm_id": int(r.osm_id),
                                  "osm_name": props.get("name"), "source_id": r.source_id},
                   "geometry": mapping(rounded)}
        lines.append(json.dumps(feature, ensure_ascii=False, separators=(",", ":")))
    text = ('{"type":"FeatureCollection","features":[\n' + ",\n".join(lines) + "\n]}\n")
    return text, problems


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("checkout", type=Path, help="local checkout of issonokoto/dokodemo-nauru")
    ap.add_argument("--check", action="store_true", help="compare only; write nothing")
    args = ap.parse_args(argv)
    text, problems = build(args.checkout)
    out = paths.DATA / facility_lists.OUTLINES_PATH
    for p in problems:
        print("position:", p)
    if args.check:
        same = out.exists() and out.read_text(encoding="utf-8") == text
        print(f"{paths.relative(out)}: {'unchanged' if same else 'WOULD CHANGE'}")
        return 0 if same and not problems else 1
    files.write_text(out, text)
    print(f"wrote {paths.relative(out)} ({len(text.encode('utf-8')):,} bytes)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
