"""The validation machinery every topic's tables go through (core: imports no topic).

A topic declares each of its tables with :func:`register` and loads it through :func:`read_table`, which
reads the CSV
as text, checks it against a pandera schema and against the source registry, and raises a single error
type, :class:`DataError`, naming the file, the row and the column and saying what was expected. No
figure is drawn from a table that did not pass.

Row numbers in messages count data rows from 1 (the header is not a row); the file line is also given,
because that is what an editor shows.
"""

from __future__ import annotations

import calendar
import hashlib
import os
import re
import sys
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import paths

__all__ = ["DataError", "Table", "TABLES", "register", "read_table", "iso_date", "one_of", "source_ids",
           "split_ids", "flag_list", "registry_ids", "files_read", "clear_cache", "period_date",
           "dms_to_decimal", "dms_check", "agrees_with_published", "LAT", "LON", "PRECISION_LENGTH", "is_iso",
           "bool_text", "iso3", "date_bounds", "to_bool", "check_precision", "check_end_after_start", "add_bounds"]


class DataError(ValueError):
    """A committed data file does not have the shape the collection relies on."""

    def __init__(self, file, row=None, column=None, expected="", found=None):
        self.file, self.row, self.column, self.expected, self.found = file, row, column, expected, found
        where = [str(file)]
        if row is not None:
            where.append(f"row {row} (line {row + 1})")
        if column is not None:
            where.append(f"column '{column}'")
        msg = ", ".join(where) + f": expected {expected}"
        if found is not None:
            msg += f"; found {found!r}"
        super().__init__(msg)


# ---------------------------------------------------------------------------------------------
# Reusable column checks
# ---------------------------------------------------------------------------------------------

_ISO = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


def is_iso(value: str) -> bool:
    m = _ISO.match(value)
    if not m:
        return False
    year, month, day = (int(g) if g else None for g in m.groups())
    if month is not None and not 1 <= month <= 12:
        return False
    if day is not None and not 1 <= day <= calendar.monthrange(year, month)[1]:
        return False
    return 1900 <= year <= 2100 if year >= 1000 else False


def iso_date(precision_free: bool = True) -> pa.Check:
    """An ISO date of year, month or day precision that exists in the calendar (no 2022-02-30)."""
    return pa.Check(lambda s: s.map(is_iso), element_wise=False,
                    error="an ISO date YYYY, YYYY-MM or YYYY-MM-DD that exists in the calendar")


def split_ids(cell) -> list[str]:
    """Source IDs in one cell, split on ';'."""
    if cell is None or (isinstance(cell, float) and pd.isna(cell)):
        return []
    return [part.strip() for part in str(cell).split(";") if part.strip()]


def one_of(values) -> pa.Check:
    values = sorted(values)
    return pa.Check.isin(values, error=f"one of {values}")


def text(nullable=False, checks=None) -> pa.Column:
    return pa.Column(str, checks=checks, nullable=nullable)


def source_ids(registry: set[str] | None = None):
    """Column for ';'-separated source IDs (resolved against data/sources.csv in read_table)."""
    return pa.Column(str, pa.Check.str_matches(r"^[A-Za-z0-9_.-]+(;\s*[A-Za-z0-9_.-]+)*$",
                                               error="';'-separated source IDs"), nullable=False)


# ---------------------------------------------------------------------------------------------
# The reader
# ---------------------------------------------------------------------------------------------

def _data_dir(data_dir) -> Path:
    return Path(data_dir) if data_dir is not None else paths.DATA


def _display(path: Path, data_dir: Path) -> str:
    try:
        return "data/" + path.relative_to(data_dir).as_posix()
    except ValueError:
        return path.name


def _raw_csv(path: Path, shown: str) -> pd.DataFrame:
    if not path.exists():
        raise DataError(shown, expected="the file to exist")
    try:
        return pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                           encoding="utf-8", on_bad_lines="error")
    except UnicodeDecodeError as e:
        raise DataError(shown, expected="UTF-8 text", found=str(e)) from None
    except pd.errors.ParserError as e:
        m = re.search(r"line (\d+), saw (\d+)", str(e))
        if m:
            line = int(m.group(1))
            raise DataError(shown, row=line - 1, expected="the same number of fields as the header",
                            found=f"{m.group(2)} fields") from None
        raise DataError(shown, expected="well-formed CSV", found=str(e)) from None


def _first_failure(err: pa.errors.SchemaErrors, df: pd.DataFrame, shown: str) -> DataError:
    fc = err.failure_cases.copy()
    col_missing = fc[fc["check"].astype(str).str.contains("column_in_dataframe")]
    if len(col_missing):
        name = col_missing.iloc[0]["failure_case"]
        return DataError(shown, column=name, expected=f"a column named '{name}'", found="no such column")
    extra = fc[fc["check"].astype(str).str.contains("column_in_schema")]
    if len(extra):
        return DataError(shown, column=extra.iloc[0]["failure_case"],
                         expected="only the documented columns (see data/README.md)",
                         found="an undocumented column")
    fc = fc[fc["index"].notna()].copy()
    if fc.empty:  # a dataframe-level failure without a row
        first = err.failure_cases.iloc[0]
        return DataError(shown, column=first["column"], expected=str(first["check"]),
                         found=first["failure_case"])
    fc["pos"] = fc["index"].map(lambda i: df.index.get_loc(i))
    # Prefer type errors for the row: the later checks on the same cell only repeat them.
    # Column checks before frame-wide checks, so the message names the cell itself.
    fc["rank"] = [0 if str(c).startswith(("coerce_dtype", "dtype")) else (2 if ctx == "DataFrameSchema" else 1)
                  for c, ctx in zip(fc["check"], fc["schema_context"])]
    first = fc.sort_values(["pos", "rank"]).iloc[0]
    check, col = str(first["check"]), first["column"]
    if first["schema_context"] == "DataFrameSchema":
        # A frame-wide check names its main column first in its message ("lat to equal ...").
        head = check.split(" ", 1)[0]
        col = head if head in df.columns else None
    value = df.iloc[int(first["pos"])][col] if col in df.columns else first["failure_case"]
    if check.startswith(("coerce_dtype", "dtype")):
        kind = re.search(r"\('?([A-Za-z0-9\[\], ]+)'?\)", check)
        kind = kind.group(1) if kind else check
        expected = {"Int64": "a whole number", "int64": "a whole number", "float64": "a number",
                    "Float64": "a number", "bool": "true or false", "boolean": "true or false"}.get(kind, kind)
    elif check == "not_nullable":
        expected, value = "a value (the cell is empty)", None
    else:
        expected = check
    return DataError(shown, row=int(first["pos"]) + 1, column=col, expected=expected,
                     found=None if value is None or (isinstance(value, float) and pd.isna(value)) else value)


def registry_ids(data_dir=None) -> set[str]:
    """All source IDs in data/sources.csv (cached with the file's content, like every table)."""
    table = TABLES.get("sources.csv")
    if table is None:  # japan_taiwan_evidence.sources declares it; importing the package does that
        raise RuntimeError("the source registry is not declared: import japan_taiwan_evidence.sources")
    return set(table.load(data_dir)["source_id"])


class Table:
    """A committed table: its path under data/, schema, key and a one-line title (for datapackage.json)."""

    def __init__(self, path: str, schema: pa.DataFrameSchema, key: list[str], title: str,
                 check_sources: bool = True, licence: str = "CC-BY-4.0"):
        self.path, self.schema, self.key, self.title = path, schema, key, title
        self.check_sources, self.licence = check_sources, licence

    def load(self, data_dir=None) -> pd.DataFrame:
        return read_table(self.path, self.schema, self.key, data_dir, self.check_sources)


TABLES: dict[str, Table] = {}


# Non-CSV data files (GeoJSON) a topic reads: {path under data/: (title, licence)}; datapackage.json lists
# them with their hash and licence.
FILES: dict[str, tuple[str, str]] = {}


def register_file(path: str, title: str, licence: str) -> None:
    """Declare a non-CSV data file (GeoJSON) so that datapackage.json lists it with its hash and licence."""
    FILES[path] = (title, licence)


def register(path: str, schema: pa.DataFrameSchema, key: list[str], title: str,
             check_sources: bool = True, licence: str = "CC-BY-4.0") -> Table:
    """Declare a table; every CSV under data/ must be declared (a test checks).

    licence: an SPDX ID for the table as committed (CC-BY-4.0 for our own compilation; a table re-keyed
    from a licensed dataset keeps that dataset's licence).
    """
    if path in TABLES:
        raise ValueError(f"table {path} is declared twice")
    TABLES[path] = Table(path, schema, key, title, check_sources, licence)
    return TABLES[path]


# Each table is read and validated once per process while its file is unchanged: the cache is keyed
# by the file's content hash (not its mtime), so an edited CSV is re-read at the next load, and an
# unchanged one costs one hash. Callers get a copy, so no caller can change another's table.
_CACHE: dict[tuple, pd.DataFrame] = {}
# (table's cache key, registry's hash) pairs whose source IDs were all found in the registry.
_SOURCES_CHECKED: set[tuple] = set()
# Every file read in this process, as shown to users ('data/troops/personnel.csv'): the build records
# them as the notebook's inputs, so a change to one data file re-runs only the notebooks that read it.
_READ: set[Path] = set()


def _record_data_opens() -> None:
    """Record every file under data/ that this process opens (not only through read_table: the basemap
    and any other reader count too). The build turns this on in each notebook's kernel (JTE_RECORD_INPUTS)
    to learn which data files a notebook depends on."""
    root = str(paths.DATA) + os.sep

    def hook(event, args):
        if event == "open" and args and isinstance(args[0], (str, bytes, os.PathLike)):
            name = os.path.abspath(os.fsdecode(args[0]))
            if name.startswith(root):
                _READ.add(Path(name))
    sys.addaudithook(hook)


if os.environ.get("JTE_RECORD_INPUTS"):
    _record_data_opens()


def clear_cache() -> None:
    _CACHE.clear()
    _SOURCES_CHECKED.clear()


def files_read() -> list[Path]:
    """The data files read by loaders in this process (absolute paths), sorted."""
    return sorted(_READ)


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def read_table(relpath: str, schema: pa.DataFrameSchema, key=None, data_dir=None,
               check_sources: bool = True) -> pd.DataFrame:
    """Read data/<relpath>, validate it, and return the typed table.

    Raises DataError on the first problem found: a missing file or column, an undocumented column,
    a malformed line, a value of the wrong type or out of range, a duplicate key, or a source ID that
    is not in data/sources.csv.
    """
    d = _data_dir(data_dir)
    path = d / relpath
    shown = _display(path, d)
    if not path.exists():
        raise DataError(shown, expected="the file to exist")
    _READ.add(path.resolve())
    # Keyed by the table's name and bytes, not its folder: a copy of data/ with this file unchanged
    # gives the same validated table. The source-ID check is cheap and separate, so an edit to
    # sources.csv does not re-validate every other table.
    cache_key = (relpath, file_digest(path), id(schema), tuple(key or ()))
    if cache_key not in _CACHE:
        _CACHE[cache_key] = _read_and_validate(path, shown, schema, key)
    df = _CACHE[cache_key]
    if check_sources and "source_id" in df.columns:
        reg = d / "sources.csv"
        checked = (cache_key, file_digest(reg) if reg.exists() else None)
        if checked not in _SOURCES_CHECKED:
            _check_source_ids(df, shown, data_dir)
            _SOURCES_CHECKED.add(checked)
    return df.copy()


def _check_source_ids(df: pd.DataFrame, shown: str, data_dir) -> None:
    known = registry_ids(data_dir)
    for pos, cell in enumerate(df["source_id"]):
        for sid in split_ids(cell):
            if sid not in known:
                raise DataError(shown, row=pos + 1, column="source_id",
                                expected="a source ID listed in data/sources.csv", found=sid)


def _read_and_validate(path, shown, schema, key) -> pd.DataFrame:
    df = _raw_csv(path, shown)
    df.index = pd.RangeIndex(len(df))
    try:
        df = schema.validate(df, lazy=True)
    except pa.errors.SchemaErrors as e:
        raise _first_failure(e, df, shown) from None
    except pa.errors.SchemaError as e:  # raised eagerly for some frame-level problems
        raise DataError(shown, column=getattr(e, "column_name", None), expected=str(e)) from None
    if key:
        dup = df.duplicated(subset=key, keep="first")
        if dup.any():
            pos = int(dup.to_numpy().nonzero()[0][0])
            first = df[key].iloc[pos]
            raise DataError(shown, row=pos + 1, column="+".join(key),
                            expected=f"a unique key ({', '.join(key)})",
                            found=" / ".join(str(v) for v in first))
    return df


def flag_list(allowed) -> pa.Check:
    """A column of ';'-separated flags, each from `allowed`."""
    allowed = sorted(allowed)
    return pa.Check(lambda s: s.map(lambda v: all(f in allowed for f in split_ids(v))),
                    error=f"';'-separated flags from {allowed}")


def period_date(value: str) -> pd.Timestamp:
    """A plotting date for an ISO date of any precision: the day itself, the end of the month
    (DMDC counts are month-end), or the middle of the year."""
    if len(value) == 4:
        return pd.Timestamp(f"{value}-07-01")
    if len(value) == 7:
        return pd.Timestamp(f"{value}-01") + pd.offsets.MonthEnd(0)
    return pd.Timestamp(value)



# ---------------------------------------------------------------------------------------------
# Published coordinates (degrees-minutes-seconds text kept beside the decimal value)
# ---------------------------------------------------------------------------------------------
_DMS = re.compile(r"^(\d{1,3})°(\d{1,2})′(?:(\d{1,2}(?:\.\d+)?)″)?([NSEW])$")


def dms_to_decimal(text: str) -> float:
    """'25°15′26″N' -> 25.257222; seconds optional; S and W negative."""
    m = _DMS.match(str(text).strip())
    if not m:
        raise ValueError(f"not a degrees-minutes-seconds coordinate: {text!r}")
    deg, minutes, seconds, hemi = m.groups()
    value = int(deg) + int(minutes) / 60 + (float(seconds) if seconds else 0.0) / 3600
    return -value if hemi in "SW" else value


def dms_check(hemispheres: str) -> pa.Check:
    def ok(s):
        return s.map(lambda v: bool(_DMS.match(str(v))) and str(v)[-1] in hemispheres)
    return pa.Check(ok, error=f"a coordinate written like 25°15′26″{hemispheres[0]}")


def agrees_with_published(df, col):
    pub = df[f"{col}_published"].map(dms_to_decimal)
    return (pub - df[col]).abs() < 1e-4  # 0.36″: the published text and the decimal must be the same point


LAT = pa.Column(float, pa.Check.in_range(-90, 90, error="a latitude from -90 to 90"))
LON = pa.Column(float, pa.Check.in_range(-180, 180, error="a longitude from -180 to 180"))


# ---------------------------------------------------------------------------------------------
# Dated rows, flags and codes shared by several topics
# ---------------------------------------------------------------------------------------------

PRECISION_LENGTH = {"year": 4, "month": 7, "day": 10}


def bool_text(nullable=False) -> pa.Column:
    return pa.Column(str, one_of({"true", "false"}), nullable=nullable)


def iso3(nullable=True) -> pa.Column:
    return pa.Column(str, pa.Check.str_matches(r"^[A-Z]{3}$", error="an ISO 3166 alpha-3 code"), nullable=nullable)


def date_bounds(value) -> tuple[pd.Timestamp, pd.Timestamp]:
    """First and last day an ISO date of any precision can mean: '2016' -> (2016-01-01, 2016-12-31)."""
    if value is None or (isinstance(value, float) and pd.isna(value)) or value is pd.NA:
        return pd.NaT, pd.NaT
    value = str(value)
    first = pd.Timestamp(value if len(value) == 10 else (value + "-01" if len(value) == 7 else value + "-01-01"))
    if len(value) == 4:
        last = pd.Timestamp(f"{value}-12-31")
    elif len(value) == 7:
        last = first + pd.offsets.MonthEnd(0)
    else:
        last = first
    return first, last


def to_bool(df: pd.DataFrame, cols) -> pd.DataFrame:
    for col in cols:
        df[col] = df[col].map({"true": True, "false": False}).astype("boolean")
    return df


def check_precision(df: pd.DataFrame, table: Table, date_col: str, prec_col: str = "date_precision") -> None:
    """date_precision must say how precise the date is: 'day' for YYYY-MM-DD, 'month' for YYYY-MM ..."""
    for pos, (value, prec) in enumerate(zip(df[date_col], df[prec_col])):
        has_date = isinstance(value, str)
        if has_date != isinstance(prec, str):
            raise DataError("data/" + table.path, row=pos + 1, column=prec_col,
                            expected=f"a precision exactly where {date_col} is given", found=prec)
        if has_date and PRECISION_LENGTH[prec] != len(value):
            raise DataError("data/" + table.path, row=pos + 1, column=prec_col,
                            expected=f"the precision of {date_col} {value!r}", found=prec)


def check_end_after_start(df: pd.DataFrame, table: Table, start_col: str, end_col: str) -> None:
    for pos, (start, end) in enumerate(zip(df[start_col], df[end_col])):
        if isinstance(start, str) and isinstance(end, str) and date_bounds(end)[1] < date_bounds(start)[0]:
            raise DataError("data/" + table.path, row=pos + 1, column=end_col,
                            expected=f"a date on or after {start_col} ({start})", found=end)


def add_bounds(df: pd.DataFrame, date_col: str, prefix: str) -> pd.DataFrame:
    bounds = df[date_col].map(date_bounds)
    df[f"{prefix}_first"] = pd.to_datetime(bounds.map(lambda b: b[0]))
    df[f"{prefix}_last"] = pd.to_datetime(bounds.map(lambda b: b[1]))
    return df
