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
import re
from pathlib import Path

import pandas as pd
import pandera.pandas as pa

from . import paths

__all__ = ["DataError", "Table", "TABLES", "register", "read_table", "iso_date", "one_of", "source_ids",
           "split_ids", "flag_list", "registry_ids", "files_read", "clear_cache", "period_date"]


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


def _is_iso(value: str) -> bool:
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
    return pa.Check(lambda s: s.map(_is_iso), element_wise=False,
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
# Every file read in this process, as shown to users ('data/troops/personnel.csv'): the build records
# them as the notebook's inputs, so a change to one data file re-runs only the notebooks that read it.
_READ: set[Path] = set()


def clear_cache() -> None:
    _CACHE.clear()


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
    registry_key = None
    if check_sources:
        reg = d / "sources.csv"
        registry_key = file_digest(reg) if reg.exists() else None
    cache_key = (str(path.resolve()), file_digest(path), id(schema), tuple(key or ()), registry_key)
    if cache_key not in _CACHE:
        _CACHE[cache_key] = _read_and_validate(path, shown, schema, key, data_dir, check_sources)
    return _CACHE[cache_key].copy()


def _read_and_validate(path, shown, schema, key, data_dir, check_sources) -> pd.DataFrame:
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
    if check_sources and "source_id" in df.columns:
        known = registry_ids(data_dir)
        for pos, cell in enumerate(df["source_id"]):
            for sid in split_ids(cell):
                if sid not in known:
                    raise DataError(shown, row=pos + 1, column="source_id",
                                    expected="a source ID listed in data/sources.csv", found=sid)
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

