"""The reach tables: missile range classes and the launch regions named by Japan's MOD."""

from __future__ import annotations


import pandas as pd
import pandera.pandas as pa

from ..validate import (  # noqa: F401
    LAT, LON, DataError, Table, add_bounds, agrees_with_published, bool_text, check_end_after_start,
    check_precision, date_bounds, dms_check, dms_to_decimal, flag_list, is_iso, iso3, iso_date, one_of,
    PRECISION_LENGTH, period_date, register, source_ids, split_ids, to_bool,
)


RANGE_CLASSES_SCHEMA = pa.DataFrameSchema(
    {
        "class_id": pa.Column(str, pa.Check.str_matches(r"^[a-z]+$", error="a lower-case ID like 'srbm'")),
        "name": pa.Column(str),
        "range_lower_km": pa.Column(float, pa.Check.ge(0, error="a range >= 0 km")),
        "range_upper_km": pa.Column(float, pa.Check.gt(0, error="a range > 0 km")),
        "defined_by": pa.Column(str),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[pa.Check(lambda df: df["range_lower_km"] < df["range_upper_km"],
                     error="range_lower_km below range_upper_km")],
    strict=True, coerce=True,
)

RANGE_CLASSES = register("missiles_2022/range_classes.csv", RANGE_CLASSES_SCHEMA, ["class_id"],
                         "US definitions of ballistic-missile range classes (SRBM, MRBM, IRBM)")


def load_range_classes(data_dir=None) -> pd.DataFrame:
    """Range classes (data/missiles_2022/range_classes.csv), in file order.

    Beyond the schema: each class must start where the one before it ends, so that every range
    between the first lower and the last upper limit falls in exactly one class.
    """
    df = RANGE_CLASSES.load(data_dir)
    for pos in range(1, len(df)):
        prev_upper, lower = df["range_upper_km"].iloc[pos - 1], df["range_lower_km"].iloc[pos]
        if lower != prev_upper:
            raise DataError("data/" + RANGE_CLASSES.path, row=pos + 1, column="range_lower_km",
                            expected=f"the previous class's upper limit ({prev_upper:g} km): classes in "
                                     "ascending order, without gaps or overlaps",
                            found=lower)
    return df


LAUNCH_REGIONS_SCHEMA = pa.DataFrameSchema(
    {
        # The launch_area values of missiles_2022/launches.csv that name a coast.
        "region_id": pa.Column(str, one_of({"fujian_coast", "zhejiang_coast"})),
        "province": pa.Column(str),
        "lat_south_published": pa.Column(str, dms_check("N")),
        "lat_north_published": pa.Column(str, dms_check("N")),
        "lon_west_published": pa.Column(str, dms_check("E")),
        "lon_east_published": pa.Column(str, dms_check("E")),
        "lat_south": pa.Column(float, pa.Check.in_range(15, 45, error="a latitude on China's east coast (15-45°N)")),
        "lat_north": pa.Column(float, pa.Check.in_range(15, 45, error="a latitude on China's east coast (15-45°N)")),
        "lon_west": pa.Column(float, pa.Check.in_range(105, 130, error="a longitude on China's east coast (105-130°E)")),
        "lon_east": pa.Column(float, pa.Check.in_range(105, 130, error="a longitude on China's east coast (105-130°E)")),
        "method": pa.Column(str, one_of({"coastline_in_published_extent", "province_polygon"})),
        "source_id": source_ids(),
        "note": pa.Column(str, nullable=True),
    },
    checks=[
        pa.Check(lambda df: df["lat_south"] < df["lat_north"], error="lat_south below lat_north"),
        pa.Check(lambda df: df["lon_west"] < df["lon_east"], error="lon_west west of lon_east"),
    ],
    strict=True, coerce=True,
)

LAUNCH_REGIONS = register("missiles_2022/launch_regions.csv", LAUNCH_REGIONS_SCHEMA, ["region_id"],
                          "Coastal launch areas named by Japan's MOD (Fujian, Zhejiang) with the provinces' published extent")


def load_launch_regions(data_dir=None) -> pd.DataFrame:
    """Launch regions (data/missiles_2022/launch_regions.csv), indexed by region_id.

    Beyond the schema: each decimal limit must equal its published degrees-minutes text (within 0.36″).
    """
    df = LAUNCH_REGIONS.load(data_dir)
    shown = "data/" + LAUNCH_REGIONS.path
    for pos, r in enumerate(df.itertuples()):
        for col in ("lat_south", "lat_north", "lon_west", "lon_east"):
            pub = dms_to_decimal(getattr(r, f"{col}_published"))
            if abs(pub - getattr(r, col)) >= 1e-4:
                raise DataError(shown, row=pos + 1, column=col,
                                expected=f"the value of {col}_published ({pub:.6f})", found=getattr(r, col))
    return df.set_index("region_id", drop=False)
