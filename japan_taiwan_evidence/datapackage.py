"""data/datapackage.json: a Frictionless descriptor built from the declared tables.

Every CSV declared in validate.TABLES becomes a resource with its field schema (from the pandera
schema), primary key, the sources its rows cite, its licence and sha256. GeoJSON files under
data/basemap/ are listed with their hash. `make datapackage` rewrites the file; a test fails when the
committed file differs from what build() returns (a stale hash, a new column, a new table).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pandas as pd

from . import files, paths, validate

LICENCES = {
    "CC-BY-4.0": {"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 (this compilation; "
                  "facts remain with their sources)", "path": "https://creativecommons.org/licenses/by/4.0/"},
    "GPL-3.0-or-later": {"name": "GPL-3.0-or-later", "title": "GNU GPL v3 or later (re-keyed from the "
                         "troopdata package)", "path": "https://www.gnu.org/licenses/gpl-3.0.html"},
    "ODbL-1.0": {"name": "ODbL-1.0", "title": "Open Database License 1.0 (derived from OpenStreetMap; "
                 "(c) OpenStreetMap contributors)", "path": "https://opendatacommons.org/licenses/odbl/1-0/"},
}
DATA_LICENCE = LICENCES["CC-BY-4.0"]
# Published files kept byte for byte under data/raw/<folder>/: what they are and their licence.
RAW_FOLDERS = {
    "dmdc": ("DMDC quarterly location report workbook, as published (its source: dmdc-YYYY-MM in "
             "sources.csv; see data/README.md)",
             {"name": "other-pd", "title": "Public domain: a work of the US federal government (17 U.S.C. 105)"}),
}
_MEDIA = {".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# Non-CSV data files (GeoJSON) a topic declares with validate.register_file: {path under data/: (title, licence)}.
FILES = validate.FILES

_TYPES = {"int": "integer", "Int": "integer", "float": "number", "Float": "number", "bool": "boolean",
          "str": "string", "object": "string"}


def _field(name: str, column) -> dict:
    dtype = str(column.dtype)
    ftype = next((v for k, v in _TYPES.items() if dtype.startswith(k)), "string")
    field = {"name": name, "type": ftype}
    if not column.nullable:
        field["constraints"] = {"required": True}
    return field


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _cited(table: validate.Table, data_dir: Path) -> list[str]:
    if "source_id" not in table.schema.columns:
        return []
    df = pd.read_csv(data_dir / table.path, dtype=str, keep_default_na=False)
    return sorted({sid for cell in df["source_id"] for sid in validate.split_ids(cell)})


def build(data_dir=None) -> dict:
    """The descriptor for the data as it is on disk now."""
    d = Path(data_dir) if data_dir is not None else paths.DATA
    resources = []
    for rel in sorted(validate.TABLES):
        t = validate.TABLES[rel]
        path = d / rel
        if not path.exists():
            continue
        resources.append({
            "name": rel.removesuffix(".csv").replace("/", "-").replace("_", "-"),
            "path": rel,
            "title": t.title,
            "format": "csv",
            "encoding": "utf-8",
            "schema": {"fields": [_field(n, c) for n, c in t.schema.columns.items()],
                       "primaryKey": list(t.key)},
            "sources": [{"title": sid} for sid in _cited(t, d)],
            "licenses": [LICENCES[t.licence]],
            "hash": "sha256:" + _sha256(path),
        })
    for rel, (title, licence) in sorted(FILES.items()):
        path = d / rel
        if not path.exists():
            continue
        resources.append({
            "name": rel.rsplit(".", 1)[0].replace("/", "-").replace("_", "-"),
            "path": rel,
            "title": title,
            "format": "geojson",
            "mediatype": "application/geo+json",
            "licenses": [LICENCES[licence]],
            "hash": "sha256:" + _sha256(path),
        })
    # Each basemap file's title as its build recorded it (land, world countries, provinces).
    info_path = d / "basemap" / "build_info.json"
    built = json.loads(info_path.read_text(encoding="utf-8")) if info_path.exists() else {}
    titles = {o["file"]: o["title"] for o in built.get("outputs", [])}
    for path in sorted((d / "basemap").glob("*.geojson")):
        title = titles.get(path.name, "Land polygons by country")
        resources.append({
            "name": "basemap-" + path.stem.replace("_", "-"),
            "path": path.relative_to(d).as_posix(),
            "title": f"{title} (see data/basemap/README.md for sources and licences)",
            "format": "geojson",
            "mediatype": "application/geo+json",
            "hash": "sha256:" + _sha256(path),
        })
    raw = d / "raw"
    for path in sorted(raw.rglob("*")) if raw.is_dir() else []:
        if not path.is_file() or path.name.startswith("."):
            continue
        rel = path.relative_to(d).as_posix()
        folder = path.relative_to(raw).parts[0]
        if folder not in RAW_FOLDERS:
            raise ValueError(f"data/{rel}: raw files belong in a known folder ({sorted(RAW_FOLDERS)}) of "
                             "datapackage.RAW_FOLDERS, which says what they are and their licence")
        title, licence = RAW_FOLDERS[folder]
        resources.append({
            "name": rel.lower().replace("/", "-").replace("_", "-").replace(".", "-"),
            "path": rel,
            "title": title,
            "format": path.suffix.lstrip("."),
            "mediatype": _MEDIA.get(path.suffix, "application/octet-stream"),
            "licenses": [licence],
            "hash": "sha256:" + _sha256(path),
        })
    return {
        "name": "japan-taiwan-evidence",
        "title": "Evidence behind 'Why Japan Needs to Talk to Taiwan' (FPRI, 2022), re-keyed with sources",
        "profile": "data-package",
        "licenses": [DATA_LICENCE],
        "sources": [{"title": "data/sources.csv", "path": "sources.csv"}],
        "resources": resources,
    }


def dumps(descriptor: dict) -> str:
    return json.dumps(descriptor, indent=2, ensure_ascii=False, sort_keys=False) + "\n"


def write(data_dir=None) -> Path:
    d = Path(data_dir) if data_dir is not None else paths.DATA
    out = d / "datapackage.json"
    files.write_text(out, dumps(build(d)))
    return out
