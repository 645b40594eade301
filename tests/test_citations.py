"""`make citations`: the source registry as BibTeX and CSL-JSON that reference managers import."""

import json
import re
import subprocess
import sys

import bibtexparser
import jsonschema
import pytest
import yaml
from bibtexparser import middlewares
from conftest import read_rows, write_rows

from japan_taiwan_evidence import citations, paths, sources
from japan_taiwan_evidence.validate import DataError

# The item types of CSL 1.0.2 (csl-data.json) and the shape of the variables the registry fills.
CSL_TYPES = [
    "article", "article-journal", "article-magazine", "article-newspaper", "bill", "book", "broadcast",
    "chapter", "classic", "collection", "dataset", "document", "entry", "entry-dictionary",
    "entry-encyclopedia", "event", "figure", "graphic", "hearing", "interview", "legal_case", "legislation",
    "manuscript", "map", "motion_picture", "musical_score", "pamphlet", "paper-conference", "patent",
    "performance", "periodical", "personal_communication", "post", "post-weblog", "regulation", "report",
    "review", "review-book", "software", "song", "speech", "standard", "thesis", "treaty", "webpage",
]
DATE = {"type": "object", "required": ["date-parts"], "additionalProperties": False,
        "properties": {"date-parts": {"type": "array", "minItems": 1, "maxItems": 2, "items": {
            "type": "array", "minItems": 1, "maxItems": 3, "prefixItems": [
                {"type": "integer", "minimum": 1000, "maximum": 2100},
                {"type": "integer", "minimum": 1, "maximum": 12},
                {"type": "integer", "minimum": 1, "maximum": 31}]}}}}
CSL_SCHEMA = {
    "type": "array",
    "items": {
        "type": "object",
        "required": ["id", "type", "title"],
        "additionalProperties": False,
        "properties": {
            "id": {"type": "string", "pattern": r"^[a-z][a-z0-9]*-[A-Za-z0-9_.-]+$"},
            "type": {"enum": CSL_TYPES},
            "title": {"type": "string", "minLength": 1},
            "publisher": {"type": "string", "minLength": 1},
            "URL": {"type": "string", "pattern": r"^https?://\S+$"},
            "issued": DATE, "accessed": DATE,
            "note": {"type": "string"}, "keyword": {"type": "string"},
        },
    },
}


@pytest.fixture(scope="module")
def written(tmp_path_factory):
    return citations.write(tmp_path_factory.mktemp("citations"))


def registry_ids():
    return list(sources.registry().index)


def test_both_files_hold_every_source_in_registry_order(written):
    bib, csl = written
    assert [p.name for p in written] == ["sources.bib", "sources.json"]
    items = json.loads(csl.read_text(encoding="utf-8"))
    assert [i["id"] for i in items] == registry_ids()
    lib = bibtexparser.parse_string(bib.read_text(encoding="utf-8"))
    assert not lib.failed_blocks
    assert [e.key for e in lib.entries] == registry_ids()


def test_csl_json_has_the_csl_shape(written):
    items = json.loads(written[1].read_text(encoding="utf-8"))
    jsonschema.validate(items, CSL_SCHEMA)


def test_dates_urls_and_publishers_follow_the_registry(written):
    items = {i["id"]: i for i in json.loads(written[1].read_text(encoding="utf-8"))}
    lib = {e.key: e for e in bibtexparser.parse_string(written[0].read_text(encoding="utf-8")).entries}
    reg = sources.registry()
    for sid, row in reg.iterrows():
        item, entry = items[sid], lib[sid]
        published = citations.date_parts(row["published"]) if isinstance(row["published"], str) else None
        assert item.get("issued") == ({"date-parts": [published]} if published else None), sid
        if published:
            assert entry["year"] == str(published[0])
        cell = row["url"] if isinstance(row["url"], str) else ""
        if "http" in cell:
            assert item["URL"].startswith("http") and item["URL"] in cell, sid
            assert entry["url"] == item["URL"]
        else:
            assert "URL" not in item and "url" not in entry.fields_dict
        assert item.get("publisher") == row["publisher"]
        accessed = citations.date_parts(row["accessed"]) if isinstance(row["accessed"], str) else None
        assert item.get("accessed") == ({"date-parts": [accessed]} if accessed else None)


def test_byte_stable(written, tmp_path):
    again = citations.write(tmp_path)
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]


@pytest.mark.parametrize("raw, escaped", [
    ("R&D", r"R\&D"), ("50% share", r"50\% share"), ("a_b", r"a\_b"), ("#1", r"\#1"), ("{x}", r"\{x\}"),
    ("$5", r"\$5"), ("~^", r"\textasciitilde{}\textasciicircum{}"), ("a\\b", r"a\textbackslash{}b"),
    ("沖縄の米軍 é ü", "沖縄の米軍 é ü"), ("two\n lines", "two lines"),
])
def test_bibtex_escaping(raw, escaped):
    assert citations.bibtex_escape(raw) == escaped


def test_special_characters_survive_a_round_trip(data_copy, tmp_path):
    fields, rows = read_rows(data_copy / "sources.csv")
    title = "Q&A: 50% of {bases} #1 in_use ~ 沖縄の米軍"
    rows.append({**rows[1], "source_id": "troops-S999", "title": title, "publisher": "AT&T_Lab",
                 "url": "https://example.org/a_b?x=1&y=%7B"})
    write_rows(data_copy / "sources.csv", fields, rows)
    bib, csl = citations.write(tmp_path, data_dir=data_copy)
    text = bib.read_text(encoding="utf-8")
    assert "沖縄の米軍" in text  # UTF-8, not escaped
    lib = bibtexparser.parse_string(text, append_middleware=[middlewares.LatexDecodingMiddleware()])
    entry = next(e for e in lib.entries if e.key == "troops-S999")
    assert entry["title"].strip("{}") == title
    assert entry["publisher"] == "AT&T_Lab"
    raw = next(e for e in bibtexparser.parse_string(text).entries if e.key == "troops-S999")
    assert raw["url"] == "https://example.org/a_b?x=1&y=%7B"  # verbatim
    item = next(i for i in json.loads(csl.read_text(encoding="utf-8")) if i["id"] == "troops-S999")
    assert item["title"] == title


def test_a_broken_registry_stops_with_a_clear_error_and_writes_nothing(data_copy, tmp_path):
    fields, rows = read_rows(data_copy / "sources.csv")
    rows[3]["published"] = "2022-13-40"
    write_rows(data_copy / "sources.csv", fields, rows)
    with pytest.raises(DataError, match=r"sources\.csv, row 4.*published"):
        citations.write(tmp_path / "out", data_dir=data_copy)
    assert not (tmp_path / "out").exists()


@pytest.mark.e2e
def test_make_citations_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "japan_taiwan_evidence.citations", "--out", str(tmp_path)],
                          cwd=paths.REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "sources.bib").is_file() and (tmp_path / "sources.json").is_file()


def test_citation_cff_describes_the_collection():
    cff = yaml.safe_load((paths.REPO / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0"
    for key in ("message", "title", "version", "authors", "license", "date-released"):
        assert cff.get(key), key
    assert cff["authors"] == [{"name": "japan-taiwan-evidence contributors"}]
    assert cff["license"] == "MIT"
    import tomllib
    project = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert cff["version"] == project["version"]
    article = next(r for r in cff["references"] if r["title"] == "Why Japan Needs to Talk to Taiwan")
    assert article["year"] == 2022 and article["type"] == "article"


def test_changelog_and_readme_state_the_version():
    import tomllib
    version = tomllib.loads((paths.REPO / "pyproject.toml").read_text(encoding="utf-8"))["project"]["version"]
    changelog = (paths.REPO / "CHANGELOG.md").read_text(encoding="utf-8")
    sections = re.findall(r"^## (\d+\.\d+\.\d+)", changelog, re.MULTILINE)
    assert sections[0] == version and "0.1.0" in sections
    assert f"Version {version}" in (paths.REPO / "README.md").read_text(encoding="utf-8")
