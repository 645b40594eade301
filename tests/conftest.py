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
