"""US exclusive-use facilities in Japan, one row each, with positions and OpenStreetMap outlines.

Three committed files (schemas and loaders here; the troops topic will hold them):

* ``data/troops/facility_list.csv``: every facility located in the sources, with FAC number, Japanese
  and English names, prefecture, municipalities, managing service, status, and a land area with the date
  it refers to and its own source. Japan's Ministry of Defense (MOD) publishes the list itself only as
  PDFs that could not be read here, so this list is *reconstructed* from official pages (Okinawa
  Prefecture, Kanagawa, Tokyo, cities) and weaker sources; each row cites what supports it. Okinawa is
  complete against MOD's count; elsewhere some facilities are missing (:func:`coverage` measures how many).
* ``data/troops/facility_positions.csv``: one point for a facility where one was located: computed from
  its OpenStreetMap outline (``outline_centroid``) or a published point with no outline (``approximate``).
* ``data/troops/facility_outlines.geojson``: the OSM outlines behind the ``outline_centroid`` points
  (ODbL, © OpenStreetMap contributors), derived by tools/build_facility_outlines.py.

:func:`facilities` joins them into the table the maps and tables draw from; :func:`area_check` compares
each outline's geodesic area with the listed area and flags disagreements beyond a tolerance.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pandera.pandas as pa
from shapely.geometry import shape

from .. import geo, params, paths, sources
from ..validate import register_file
from . import tables
from ..validate import (
    DataError,
    flag_list,
    iso_date,
    one_of,
    register,
    registry_ids,
    source_ids,
    split_ids,
)

LIST_PATH = "troops/facility_list.csv"
POSITIONS_PATH = "troops/facility_positions.csv"
OUTLINES_PATH = "troops/facility_outlines.geojson"

SERVICES = {"Army", "Navy", "Marine Corps", "Air Force"}
STATUSES = {
    "current": "a US facility at the latest date the sources give",
    "returned": "returned to Japan (returned_on); listed because it was in an edition of MOD's list used here",
    "candidate": "in an older official list; whether it is still a US facility is not confirmed",
}
FLAGS = {
    "existence_uncertain": "that it is a current US facility rests on old or indirect evidence (see note)",
    "fac_no_weak": "the FAC number comes from a weak source",
    "area_approximate": "the area is given as 'about'",
    "area_conflict": "another source gives a clearly different area (see note)",
    "area_weak": "the area comes from a weak source (a scraped copy)",
}
POSITION_QUALITY = {
    "outline_centroid": "computed from the facility's OpenStreetMap outline: its centroid, or a point inside "
                        "it where the centroid falls outside (position_method says which)",
    "approximate": "a point with no outline: a published point (Wikipedia infobox), a host site or a list geocode",
    "none": "no position located: listed, not drawn",
}
POSITION_LABELS = {"outline_centroid": "outline centroid", "approximate": "approximate position",
                   "none": "no position"}
# How far an outline's geodesic area may stray from the listed area before it is flagged, as a fraction
# of the listed area. An outline is a drawing of the facility; a quarter either way is a clear mismatch
# (a partial outline, a pre-return boundary, water areas included), not a drafting difference.
# A main installation (data/troops/installations.csv) and its facility row must give the same point.
SAME_POINT_DEG = 1e-6

_BBOX = tables.JAPAN_BBOX

FACILITY_LIST_SCHEMA = pa.DataFrameSchema(
    {
        "facility_id": pa.Column(str, pa.Check.str_matches(r"^[a-z0-9_]+$", error="a lower-case slug")),
        "fac_no": pa.Column(str, pa.Check.str_matches(r"^FAC\d{4}$", error="a number like 'FAC6051'"),
                            nullable=True),
        "name_ja": pa.Column(str),
        "name_en": pa.Column(str, nullable=True),
        "prefecture": pa.Column(str),
        "municipality_ja": pa.Column(str, nullable=True),
        "service": pa.Column(str, one_of(SERVICES), nullable=True),
        "status": pa.Column(str, one_of(STATUSES)),
        "returned_on": pa.Column(str, iso_date(), nullable=True),
        "flags": pa.Column(str, flag_list(FLAGS), nullable=True),
        "area_thousand_m2": pa.Column(float, pa.Check.gt(0, error="an area > 0"), nullable=True),
        "area_as_of": pa.Column(str, iso_date(), nullable=True),
        "area_source_id": pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_.-]+$", error="one source ID"),
                                    nullable=True),
        "installation_id": pa.Column(str, nullable=True),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["area_thousand_m2"].isna() == df["area_source_id"].isna(),
                 error="area_source_id exactly where area_thousand_m2 is given"),
        pa.Check(lambda df: df["area_as_of"].isna() | df["area_thousand_m2"].notna(),
                 error="area_as_of only where area_thousand_m2 is given"),
        pa.Check(lambda df: (df["status"] == "returned") == df["returned_on"].notna(),
                 error="returned_on exactly where status is 'returned'"),
    ],
    strict=True, coerce=True,
)

FACILITY_POSITIONS_SCHEMA = pa.DataFrameSchema(
    {
        "facility_id": pa.Column(str),
        "position_quality": pa.Column(str, one_of(set(POSITION_QUALITY) - {"none"})),
        "position_method": pa.Column(str, one_of({"centroid", "representative_point", "infobox"})),
        "lat": pa.Column(float, pa.Check.in_range(*_BBOX["lat"], error=f"a latitude inside Japan {_BBOX['lat']}")),
        "lon": pa.Column(float, pa.Check.in_range(*_BBOX["lon"], error=f"a longitude inside Japan {_BBOX['lon']}")),
        "osm_type": pa.Column(str, one_of({"way", "relation"}), nullable=True),
        "osm_id": pa.Column("Int64", pa.Check.gt(0, error="an OSM ID > 0"), nullable=True),
        "osm_name": pa.Column(str, nullable=True),
        "match": pa.Column(str, one_of({"name", "probable"}), nullable=True),
        "source_id": source_ids(),
        "licence": pa.Column(str, one_of({"ODbL-1.0", "CC BY-SA (facts cited)"})),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: (df["position_quality"] == "outline_centroid") == df["osm_id"].notna(),
                 error="osm_id exactly where position_quality is 'outline_centroid'"),
        pa.Check(lambda df: df["osm_id"].isna() == df["osm_type"].isna(),
                 error="osm_type exactly where osm_id is given"),
        pa.Check(lambda df: df["osm_id"].isna() == df["match"].isna(),
                 error="match exactly where osm_id is given"),
        pa.Check(lambda df: df["osm_id"].isna() | (df["licence"] == "ODbL-1.0"),
                 error="licence 'ODbL-1.0' for a position computed from OpenStreetMap"),
        pa.Check(lambda df: (df["position_method"] == "infobox") == (df["position_quality"] == "approximate"),
                 error="position_method 'infobox' exactly for an 'approximate' position"),
    ],
    strict=True, coerce=True,
)

FACILITY_LIST = register(LIST_PATH, FACILITY_LIST_SCHEMA, ["facility_id"],
                         "US exclusive-use facilities in Japan, one row each (reconstructed list): FAC number, "
                         "names, place, service, status and a dated land area")
FACILITY_POSITIONS = register(POSITIONS_PATH, FACILITY_POSITIONS_SCHEMA, ["facility_id"],
                              "A point for each facility where one was located: from its OpenStreetMap outline "
                              "or a published point", licence="ODbL-1.0")
register_file(OUTLINES_PATH, "OpenStreetMap outlines of US facilities in Japan (see data/README.md)",
                          "ODbL-1.0")


def _shown(rel: str) -> str:
    return "data/" + rel


def load_facility_list(data_dir=None) -> pd.DataFrame:
    """data/troops/facility_list.csv, checked beyond its schema.

    FAC numbers are unique; the area's source is one of the row's sources; installation_id names a row
    of data/troops/installations.csv, at most once.
    """
    df = FACILITY_LIST.load(data_dir)
    shown = _shown(LIST_PATH)
    seen: dict[str, int] = {}
    installations = set(tables.load_installations(data_dir)["installation_id"])
    linked: dict[str, int] = {}
    for pos, r in enumerate(df.itertuples(), 1):
        if isinstance(r.fac_no, str):
            if r.fac_no in seen:
                raise DataError(shown, row=pos, column="fac_no",
                                expected=f"a FAC number used once (row {seen[r.fac_no]} has it)", found=r.fac_no)
            seen[r.fac_no] = pos
        if isinstance(r.area_source_id, str) and r.area_source_id not in split_ids(r.source_id):
            raise DataError(shown, row=pos, column="area_source_id", expected="one of the row's source_id values",
                            found=r.area_source_id)
        if isinstance(r.installation_id, str):
            if r.installation_id not in installations:
                raise DataError(shown, row=pos, column="installation_id",
                                expected="an installation_id in data/troops/installations.csv", found=r.installation_id)
            if r.installation_id in linked:
                raise DataError(shown, row=pos, column="installation_id",
                                expected=f"each installation linked once (row {linked[r.installation_id]} has it)",
                                found=r.installation_id)
            linked[r.installation_id] = pos
    return df


def load_positions(data_dir=None) -> pd.DataFrame:
    """data/troops/facility_positions.csv; every facility_id is a row of the facility list, each OSM element once."""
    df = FACILITY_POSITIONS.load(data_dir)
    shown = _shown(POSITIONS_PATH)
    known = set(load_facility_list(data_dir)["facility_id"])
    seen: dict[tuple, int] = {}
    for pos, r in enumerate(df.itertuples(), 1):
        if r.facility_id not in known:
            raise DataError(shown, row=pos, column="facility_id",
                            expected=f"a facility_id in {_shown(LIST_PATH)}", found=r.facility_id)
        if not pd.isna(r.osm_id):
            key = (r.osm_type, int(r.osm_id))
            if key in seen:
                raise DataError(shown, row=pos, column="osm_id",
                                expected=f"each OSM element once (row {seen[key]} has it)", found=int(r.osm_id))
            seen[key] = pos
    return df


def outlines_path(data_dir=None) -> Path:
    """The outlines file of `data_dir`; a copy of data/ without GeoJSON files uses the repository's."""
    path = (Path(data_dir) if data_dir is not None else paths.DATA) / OUTLINES_PATH
    if not path.exists():
        fallback = paths.REPO / "data" / OUTLINES_PATH
        if fallback.exists():
            return fallback
    return path


def load_outlines(data_dir=None) -> pd.DataFrame:
    """The OSM outlines: facility_id, fac_no, osm_type, osm_id, osm_name, source_id, geometry (shapely, lon/lat).

    Each feature must name a facility of the list that has an outline_centroid position from the same
    OSM element, cite a registered source, and carry a valid (Multi)Polygon. Errors name the file, the
    feature (counted from 1, as rows are) and the property.
    """
    path = outlines_path(data_dir)
    shown = _shown(OUTLINES_PATH)
    if not path.exists():
        raise DataError(shown, expected="the file to exist (tools/build_facility_outlines.py writes it)")
    try:
        fc = json.loads(path.read_text(encoding="utf-8"))
        features = fc["features"]
    except (ValueError, KeyError, TypeError) as e:
        raise DataError(shown, expected="a GeoJSON FeatureCollection", found=str(e)) from None
    positions = load_positions(data_dir).set_index("facility_id")
    known = registry_ids(data_dir)
    rows, seen = [], set()
    for n, f in enumerate(features, 1):
        p = f.get("properties") or {}
        fid = p.get("facility_id")
        if fid not in positions.index:
            raise DataError(shown, row=n, column="facility_id",
                            expected=f"a facility_id with a position in {_shown(POSITIONS_PATH)}", found=fid)
        if fid in seen:
            raise DataError(shown, row=n, column="facility_id", expected="one outline per facility", found=fid)
        seen.add(fid)
        pos = positions.loc[fid]
        if pd.isna(pos["osm_id"]) or (p.get("osm_type"), p.get("osm_id")) != (pos["osm_type"], int(pos["osm_id"])):
            raise DataError(shown, row=n, column="osm_id",
                            expected=f"the OSM element of {fid}'s position in {_shown(POSITIONS_PATH)}",
                            found=f"{p.get('osm_type')}/{p.get('osm_id')}")
        for sid in split_ids(p.get("source_id")):
            if sid not in known:
                raise DataError(shown, row=n, column="source_id",
                                expected="a source ID listed in data/sources.csv", found=sid)
        try:
            geom = shape(f["geometry"])
        except (KeyError, TypeError, ValueError, AttributeError) as e:
            raise DataError(shown, row=n, column="geometry", expected="a GeoJSON geometry", found=str(e)) from None
        if geom.geom_type not in ("Polygon", "MultiPolygon") or not geom.is_valid or geom.is_empty:
            raise DataError(shown, row=n, column="geometry", expected="a valid, non-empty (Multi)Polygon",
                            found=geom.geom_type)
        rows.append({"facility_id": fid, "fac_no": p.get("fac_no"), "osm_type": p["osm_type"],
                     "osm_id": int(p["osm_id"]), "osm_name": p.get("osm_name"), "source_id": p.get("source_id"),
                     "geometry": geom})
    missing = sorted(set(positions.index[positions["osm_id"].notna()]) - seen)
    if missing:
        raise DataError(shown, column="facility_id",
                        expected=f"an outline for every OSM position in {_shown(POSITIONS_PATH)}",
                        found=", ".join(missing))
    return pd.DataFrame(rows)


def _label(row) -> str:
    return row["name_en"] if isinstance(row["name_en"], str) else row["name_ja"]


def facilities(data_dir=None) -> pd.DataFrame:
    """Every listed facility with its position, if any, for maps and tables.

    Adds lat, lon, position_quality (outline_centroid | approximate | none), position_label, position_method,
    position_source_id, osm_type, osm_id, and `label` (English name, else the Japanese one). A main
    installation whose facility has no position of its own keeps the installation's position as
    'approximate' (Camp Schwab: the geocode in Vine's list). Raises DataError when a main installation and
    its facility row give different points, or cite different sources for the same point.
    """
    lst = load_facility_list(data_dir)
    pos = load_positions(data_dir)
    inst = tables.load_installations(data_dir).set_index("installation_id")
    out = lst.merge(pos[["facility_id", "position_quality", "position_method", "lat", "lon", "osm_type",
                         "osm_id", "source_id"]].rename(columns={"source_id": "position_source_id"}),
                    on="facility_id", how="left")
    shown = "data/" + tables.INSTALLATIONS.path
    rows = list(inst.index)
    for i, r in out.iterrows():
        iid = r["installation_id"]
        if not isinstance(iid, str):
            continue
        ins = inst.loc[iid]
        if pd.notna(r["lat"]):
            for col in ("lat", "lon"):
                if pd.isna(ins[col]) or abs(ins[col] - r[col]) > SAME_POINT_DEG:
                    raise DataError(shown, row=rows.index(iid) + 1, column=col,
                                    expected=f"the position of facility {r['facility_id']} in {_shown(POSITIONS_PATH)} "
                                             f"({r[col]:.6f})", found=ins[col])
            if ins["coord_source_id"] != r["position_source_id"]:
                raise DataError(shown, row=rows.index(iid) + 1, column="coord_source_id",
                                expected=f"the source of facility {r['facility_id']}'s position "
                                         f"({r['position_source_id']})", found=ins["coord_source_id"])
        elif ins["plotted"]:
            out.loc[i, ["position_quality", "position_method", "lat", "lon", "position_source_id"]] = [
                "approximate", ins["coord_quality"], ins["lat"], ins["lon"], ins["coord_source_id"]]
    out["position_quality"] = out["position_quality"].fillna("none")
    out["position_label"] = out["position_quality"].map(POSITION_LABELS)
    out["label"] = out.apply(_label, axis=1)
    return out


def area_check(data_dir=None, tolerance: float | None = None) -> pd.DataFrame:
    """Each outline's geodesic area against the listed area of its facility.

    Columns: facility_id, label, listed_area_km2, area_as_of, area_source_id, area_published_by (the
    class of the area source's publisher, see sources.publisher_class), outline_area_km2 (WGS84,
    geo.area_km2), ratio (outline / listed), disagrees: True where |ratio - 1| > tolerance, False within
    it, <NA> where the list has no area. Sorted by facility_id.
    """
    if tolerance is None:  # the default of notebook 04's parameter, read when called
        tolerance = params.default("area_tolerance")
    if not tolerance > 0:
        raise ValueError(f"tolerance must be a positive fraction, got {tolerance!r}")
    lst = load_facility_list(data_dir).set_index("facility_id")
    kinds = sources.registry(data_dir)["kind"]
    rows = []
    for o in load_outlines(data_dir).itertuples():
        f = lst.loc[o.facility_id]
        listed = f["area_thousand_m2"] / 1000.0 if pd.notna(f["area_thousand_m2"]) else np.nan
        outline = geo.area_km2(o.geometry)
        ratio = outline / listed if pd.notna(listed) else np.nan
        src = f["area_source_id"]
        rows.append({"facility_id": o.facility_id, "label": _label(f), "listed_area_km2": listed,
                     "area_as_of": f["area_as_of"], "area_source_id": src,
                     "area_published_by": sources.publisher_class(kinds.get(src)) if isinstance(src, str) else None,
                     "outline_area_km2": outline, "ratio": ratio,
                     "disagrees": pd.NA if pd.isna(ratio) else bool(abs(ratio - 1) > tolerance)})
    out = pd.DataFrame(rows).sort_values("facility_id").reset_index(drop=True)
    out["disagrees"] = out["disagrees"].astype("boolean")
    return out


def coverage(data_dir=None) -> pd.DataFrame:
    """How much of MOD's official count the list names, for Japan, Okinawa and the rest of Japan.

    For each geography, the latest MOD exclusive-use facility count in data/troops/base_counts.csv
    against the list's rows that were in that edition: current rows plus rows returned after its date
    (candidates are not counted). Columns: geography, official_count, as_of, source_id, listed, missing.
    """
    counts = tables.load_base_counts(data_dir)
    lst = load_facility_list(data_dir)
    okinawa = lst["prefecture"] == "Okinawa"
    where = {"japan": pd.Series(True, index=lst.index), "okinawa": okinawa, "japan_outside_okinawa": ~okinawa}
    rows = []
    for geog, mask in where.items():
        c = counts[(counts["definition"] == "exclusive_use_mod") & (counts["measure"] == "facilities")
                   & (counts["geography"] == geog)].sort_values("as_of")
        if c.empty:
            continue
        c = c.iloc[-1]
        in_edition = (lst["status"] == "current") | ((lst["status"] == "returned") & (lst["returned_on"] > c["as_of"]))
        listed = int((mask & in_edition).sum())
        rows.append({"geography": geog, "official_count": int(c["value"]), "as_of": c["as_of"],
                     "source_id": c["source_id"], "listed": listed, "missing": int(c["value"]) - listed})
    return pd.DataFrame(rows)


__all__ = ["FLAGS", "LIST_PATH", "OUTLINES_PATH", "POSITIONS_PATH", "POSITION_LABELS",
           "POSITION_QUALITY", "STATUSES", "area_check", "coverage", "facilities", "load_facility_list",
           "load_outlines", "load_positions", "outlines_path"]
