"""Every number is traceable: source IDs resolve, every data file is declared, hashes are current."""

import csv
import json

import pytest

from japan_taiwan_evidence import datapackage, paths, sources, validate

DATA_CSVS = sorted(p.relative_to(paths.DATA).as_posix() for p in paths.DATA.rglob("*.csv")
                   if "external" not in p.parts)


@pytest.mark.parametrize("rel", DATA_CSVS)
def test_every_csv_is_declared_and_cites_sources(rel):
    assert rel in validate.TABLES, f"data/{rel} has no schema: declare it with validate.register()"
    with open(paths.DATA / rel, encoding="utf-8", newline="") as fh:
        header = next(csv.reader(fh))
    if validate.TABLES[rel].check_sources:  # not the registry itself, nor the figure glossary (our own words)
        assert "source_id" in header, f"data/{rel} has no source_id column"


@pytest.mark.parametrize("rel", [r for r in DATA_CSVS if r in validate.TABLES and validate.TABLES[r].check_sources])
def test_every_source_id_resolves(rel):
    known = validate.registry_ids()
    with open(paths.DATA / rel, encoding="utf-8", newline="") as fh:
        for n, row in enumerate(csv.DictReader(fh), 1):
            ids = validate.split_ids(row["source_id"])
            assert ids, f"data/{rel} row {n}: empty source_id"
            unknown = [i for i in ids if i not in known]
            assert not unknown, f"data/{rel} row {n}: unknown source IDs {unknown}"


def test_source_registry_keeps_the_dossier_topic_and_id():
    reg = sources.load_sources()
    dossier = reg[reg["topic"].isin(["troops", "gctf", "missiles", "diplomacy"])]
    assert (dossier["source_id"] == dossier["topic"] + "-" + dossier["dossier_id"]).all()
    assert reg["licence"].notna().all()


def test_citation_names_publisher_and_year():
    text = sources.cite(["missiles-S08", "troops-S01"])
    assert text.startswith("Sources: [missiles-S08] Japan Ministry of Defense (2022); [troops-S01]")
    with pytest.raises(KeyError):
        sources.cite(["troops-S99"])


def test_datapackage_is_current():
    committed = json.loads((paths.DATA / "datapackage.json").read_text(encoding="utf-8"))
    fresh = datapackage.build()
    stale = [r["path"] for r, f in zip(committed["resources"], fresh["resources"]) if r != f]
    assert [r["path"] for r in committed["resources"]] == [r["path"] for r in fresh["resources"]], \
        "data/datapackage.json lists other files than data/ has: run `make datapackage`"
    assert not stale, f"data/datapackage.json is stale for {stale}: run `make datapackage`"


def test_datapackage_detects_an_edit(data_copy):
    before = datapackage.build(data_copy)
    path = data_copy / "troops/okinawa.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("45760", "45761"), encoding="utf-8")
    after = datapackage.build(data_copy)
    changed = [a["path"] for a, b in zip(after["resources"], before["resources"]) if a["hash"] != b["hash"]]
    assert changed == ["troops/okinawa.csv"]
