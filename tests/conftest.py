"""Shared fixtures: a private copy of data/ that a test may break without touching the committed files."""

import csv
import shutil
from pathlib import Path

import pytest


@pytest.fixture
def data_copy(tmp_path) -> Path:
    """A copy of data/ (without the large basemap files) in a temp dir."""
    # Imported here, not at the top: pytest-xdist's controller loads this file too, and it needs
    # none of the package (importing it takes about 2 s).
    from japan_taiwan_evidence import paths

    dst = tmp_path / "data"
    shutil.copytree(paths.DATA, dst, ignore=shutil.ignore_patterns("*.geojson", "external"))
    return dst


def read_rows(path: Path) -> tuple[list[str], list[dict]]:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh)
        return list(reader.fieldnames), list(reader)


def write_rows(path: Path, fields: list[str], rows: list[dict]) -> None:
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)


def edit_cell(path: Path, row: int, column: str, value: str) -> None:
    """Set one cell; `row` counts data rows from 1, as DataError messages do."""
    fields, rows = read_rows(path)
    rows[row - 1][column] = value
    write_rows(path, fields, rows)


def find_row(path: Path, **match) -> int:
    """The 1-based data row whose cells equal all of `match`."""
    _, rows = read_rows(path)
    for i, r in enumerate(rows, 1):
        if all(r[k] == v for k, v in match.items()):
            return i
    raise LookupError(f"no row {match} in {path}")


def assert_data_error(loader, data_dir: Path, rel: str, row, column, *words) -> str:
    """`loader(data_dir)` stops with a DataError naming data/<rel>, the row and column (None: not
    checked) and every word given; returns the message."""
    from japan_taiwan_evidence.validate import DataError

    with pytest.raises(DataError) as err:
        loader(data_dir)
    msg = str(err.value)
    assert f"data/{rel}" in msg, msg
    if row is not None:
        assert f"row {row} " in msg, msg
    if column is not None:
        assert f"column '{column}'" in msg, msg
    for w in words:
        assert w in msg, msg
    return msg


def edit_and_expect(data_dir: Path, loader, rel: str, match: dict, edits: dict, column, *words) -> str:
    """Edit the cells `edits` of the row `match` in data/<rel>, then expect assert_data_error."""
    path = data_dir / rel
    row = find_row(path, **match)
    for col, value in edits.items():
        edit_cell(path, row, col, value)
    return assert_data_error(loader, data_dir, rel, row, column, *words)
