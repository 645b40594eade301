"""The source registry for reference managers (`make citations`): BibTeX and CSL-JSON (top).

build/citations/sources.bib and build/citations/sources.json hold one entry per row of data/sources.csv,
keyed by its source_id, in the registry's order: title, publisher, address (URL), the date of publication
(`published`: year, year-month or a full date) and the date the address was read (`accessed`), the kind of
source and its topic. Zotero, JabRef, Mendeley and pandoc/citeproc read either file. Both are byte-stable:
same registry, same bytes.

BibTeX: text fields are escaped for LaTeX (& % $ # _ { } ~ ^ \\), other characters stay UTF-8 (biber and
bibtexu read them; so do the reference managers). The `url` field is left verbatim, as biblatex and
hyperref expect, with any brace percent-encoded; `date` and `urldate` are biblatex's ISO dates, and `year`
and `month` are there for classic BibTeX styles. CSL-JSON follows the CSL 1.0.2 data schema: `issued` and
`accessed` as date-parts.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import pandas as pd

from . import files, paths, sources

OUT = ("sources.bib", "sources.json")
# CSL item type for each kind of source in the registry; the first matching prefix wins.
KIND_TYPES = (
    ("news", "article-newspaper"), ("reprint", "article-newspaper"), ("encyclopedia", "entry-encyclopedia"),
    ("registry package", "dataset"), ("secondary transcription", "dataset"), ("secondary (kane dataset)", "dataset"),
    ("claim under test", "article"), ("us government report", "report"), ("documentation", "webpage"),
    # the kind vocabulary of data/sources.csv (sources.SOURCE_KINDS)
    ("dataset", "dataset"), ("claim_under_test", "article"), ("academic", "article-journal"),
)
_MONTHS = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
_LATEX = {"\\": r"\textbackslash{}", "{": r"\{", "}": r"\}", "&": r"\&", "%": r"\%", "$": r"\$", "#": r"\#",
          "_": r"\_", "~": r"\textasciitilde{}", "^": r"\textasciicircum{}"}
_LATEX_RE = re.compile("|".join(re.escape(k) for k in _LATEX))


def bibtex_escape(text: str) -> str:
    """Text for a BibTeX field: LaTeX's special characters escaped, everything else (UTF-8) as is."""
    return _LATEX_RE.sub(lambda m: _LATEX[m.group(0)], " ".join(str(text).split()))


def date_parts(value: str) -> list[int] | None:
    """'2022-08-04' -> [2022, 8, 4]; '2022-08' -> [2022, 8]; '2022' -> [2022]; anything else -> None."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", str(value).strip())
    return [int(g) for g in m.groups() if g] if m else None


def address(cell: str) -> tuple[str | None, str]:
    """(the first web address in a `url` cell, the cell's text if it holds more than that address).
    Some cells give a second copy or a comment: 'https://a/x ; https://b/y', 'https://a (text from ...)'."""
    cell = " ".join(str(cell).split())
    m = re.search(r"https?://[^\s;,()]+", cell)
    url = m.group(0).rstrip(".") if m else None
    return url, ("" if cell == url else cell)


def _url(value: str) -> str | None:
    return address(value)[0]


def csl_type(kind: str, url: str | None) -> str:
    k = str(kind).strip().lower()
    for prefix, csl in KIND_TYPES:
        if k.startswith(prefix):
            return csl
    return "webpage" if url else "document"


def entries(data_dir=None) -> list[dict]:
    """The registry as plain dicts (empty cells as ''), in its order."""
    reg = sources.registry(data_dir).reset_index()
    return [{k: ("" if pd.isna(v) else str(v).strip()) for k, v in row.items()} for row in reg.to_dict("records")]


def _note(e: dict) -> str:
    notes = [f"source ID {e['source_id']}"] + ([f"kind: {e['kind']}"] if e["kind"] else [])
    if e["date_as_given"] and not date_parts(e["published"]):
        notes.append(f"date as given: {e['date_as_given']}")
    url, more = address(e["url"])
    if url and more:
        notes.append(f"address as recorded: {more}")
    return "; ".join(notes)


def csl_item(e: dict) -> dict:
    url = _url(e["url"])
    item = {"id": e["source_id"], "type": csl_type(e["kind"], url), "title": e["title"] or e["source_id"]}
    if e["publisher"]:
        item["publisher"] = e["publisher"]
    if url:
        item["URL"] = url
    for key, column in (("issued", "published"), ("accessed", "accessed")):
        parts = date_parts(e[column])
        if parts:
            item[key] = {"date-parts": [parts]}
    item["note"] = _note(e)
    if e["topic"]:
        item["keyword"] = e["topic"]
    return item


def csl_json(data_dir=None) -> str:
    return json.dumps([csl_item(e) for e in entries(data_dir)], ensure_ascii=False, indent=2) + "\n"


def bibtex_entry(e: dict) -> str:
    fields: list[tuple[str, str]] = [("title", "{" + bibtex_escape(e["title"] or e["source_id"]) + "}")]
    if e["publisher"]:
        fields.append(("publisher", bibtex_escape(e["publisher"])))
    parts = date_parts(e["published"])
    if parts:
        fields.append(("date", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(parts))))
        fields.append(("year", str(parts[0])))
        if len(parts) > 1:
            fields.append(("month", _MONTHS[parts[1] - 1]))
    url = _url(e["url"])
    if url:
        fields.append(("url", url.replace("{", "%7B").replace("}", "%7D")))
        accessed = date_parts(e["accessed"])
        if accessed:
            fields.append(("urldate", "-".join(f"{p:02d}" if i else str(p) for i, p in enumerate(accessed))))
    fields.append(("note", bibtex_escape(_note(e))))
    if e["topic"]:
        fields.append(("keywords", bibtex_escape(e["topic"])))
    body = ",\n".join(f"  {k} = {v}" if k == "month" else f"  {k} = {{{v}}}" for k, v in fields)
    return f"@misc{{{e['source_id']},\n{body}\n}}\n"


def bibtex(data_dir=None) -> str:
    head = ("% The sources of japan-taiwan-evidence (data/sources.csv), one entry per source ID.\n"
            "% Generated by `make citations`; UTF-8.\n\n")
    return head + "\n".join(bibtex_entry(e) for e in entries(data_dir))


def write(out_dir: Path | None = None, data_dir=None) -> list[Path]:
    """Write sources.bib and sources.json to out_dir (default build/citations/), both or neither."""
    out_dir = Path(out_dir) if out_dir is not None else paths.BUILD / "citations"
    bib, csl = bibtex(data_dir), csl_json(data_dir)
    with files.staging():
        written = [files.write_text(out_dir / OUT[0], bib), files.write_text(out_dir / OUT[1], csl)]
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="output folder (default build/citations/)")
    args = ap.parse_args(argv)
    for path in write(args.out):
        print(f"citations: {paths.relative(path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
