"""Claim check on distance: C09 (Yonaguni to Taiwan), from reach.yonaguni_taiwan, the one set of distances."""

from __future__ import annotations

from .. import params as _params
from ..missiles import tables as missiles_tables  # stated dependency: places come from missiles
from ..verdicts import CAVEATS, DIFFERS, SUPPORTED, Verdict, check, claimed_number, fmt, within  # noqa: F401
from ..verdicts import ids as _ids
from . import analysis


@check("C09")
def check_c09(data_dir=None, distance_tolerance: float | None = None) -> Verdict:
    """Yonaguni is 111 km from Taiwan's east coast: reach.yonaguni_taiwan(), the one set of distances.

    distance_tolerance: the knob of that name (None: its default, read now). The claim is a whole-kilometre
    figure; the default ±1% allows for rounding and for where on the cape or the harbour one measures.
    """
    tol = float(_params.default("distance_tolerance") if distance_tolerance is None else distance_tolerance)
    claimed = claimed_number("C09", data_dir)
    dist = analysis.yonaguni_taiwan(data_dir)
    cape_name = missiles_tables.load_places(data_dir).loc["yonaguni_irizaki", "name"]
    cape = dist[(dist["measure"] == "west cape to Su'ao") & (dist["from"] == cape_name)].iloc[0]
    near = dist[dist["measure"].isin(["nearest land to land", "nearest coast to coast"])]
    shortest = near.loc[near["distance_km"].idxmin()]
    rule = (f"supported if both the point-to-point distance from Yonaguni's west cape to Wuwei Harbor (Su'ao) "
            f"and the nearest land-to-land distance are within ±{tol * 100:g}% of the claimed "
            f"{fmt(claimed)} km; supported with caveats if only one is (the claim holds for one definition); "
            f"differs if neither is. Geodesic distances on WGS84 from reach.yonaguni_taiwan()")
    measured = "; ".join(f"{r['measure']}, {r['from']} to {r['to']}: {r['distance_km']:.1f} km"
                         for r in dist.to_dict("records"))
    cape_ok = within(cape["distance_km"], claimed, tol)
    near_ok = within(shortest["distance_km"], claimed, tol)
    ids = _ids(dist["source_id"])
    gap = (shortest["distance_km"] - claimed) / claimed
    if cape_ok and near_ok:
        return Verdict("C09", SUPPORTED, measured, rule, "both definitions give the claimed distance", ids)
    if cape_ok:
        return Verdict("C09", CAVEATS, measured, rule,
                       f"{fmt(claimed)} km is the west-cape-to-Su'ao distance ({cape['distance_km']:.1f} km); "
                       f"the nearest land-to-land distance ({shortest['from']} to {shortest['to']}) is "
                       f"{shortest['distance_km']:.1f} km, {abs(gap):.1%} {'less' if gap < 0 else 'more'}", ids)
    if near_ok:
        return Verdict("C09", CAVEATS, measured, rule,
                       f"only the nearest land-to-land distance ({shortest['distance_km']:.1f} km) matches", ids)
    return Verdict("C09", DIFFERS, measured, rule,
                   f"west cape to Su'ao {cape['distance_km']:.1f} km, nearest land {shortest['distance_km']:.1f} km", ids)
