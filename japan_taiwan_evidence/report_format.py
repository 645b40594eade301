"""Readable text and tables for the report (top): notebook prose without code names, printed results as
paragraphs, pandas tables without row numbers, with readable headers, units and values.

The report is for readers, not for the notebook's users, so:

- a code name (``jte.claims.check_c11``, ``reach.yonaguni_taiwan()``) is taken out of the prose: a
  parenthesis that holds one goes; a phrase that ends in one ("by its rule in diplomacy.TERMS:") goes; a
  sentence still holding one goes. Other inline code (file names, column names, source IDs) stays as plain
  text in the running font;
- a table cell reads ``yes``/``no`` for True/False and an en dash for a missing value; snake_case values
  and headers get spaces; a header's unit suffix (``_km``, ``_km2``, ``_pct``, ``_deg``) becomes "(km)",
  "(km²)", "(%)", "(°)"; an index of row numbers is dropped and a named index becomes a column.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from pathlib import Path

import mistune
from bs4 import BeautifulSoup

# The package's module names: "claims.check_c11" or "jte.reach.yonaguni_taiwan()" is a code name,
# "data/claims.csv" or "figures/README.md" is a file.
_PKG = Path(__file__).resolve().parent
MODULES = sorted({p.stem for p in _PKG.glob("*.py") if p.stem != "__init__"}
                 | {p.name for p in _PKG.iterdir() if (p / "__init__.py").is_file()})
FILE_EXTENSIONS = {"csv", "md", "json", "geojson", "ipynb", "png", "svg", "pdf", "txt", "html", "xlsx", "cff",
                   "bib", "zip", "shp", "gpkg"}
_CODE_NAME = re.compile(r"(?<![\w/.-])(?:(?:jte|japan_taiwan_evidence)\.)?(?:" + "|".join(MODULES)
                        + r")(?:\.[A-Za-z_]\w*)+(?:\(\))?(?![\w/-])")
_SPAN = re.compile(r"`([^`\n]+)`")
_PH = "\ue000{}\ue001"  # placeholder for an inline code span while the prose is edited
_PH_RE = re.compile("\ue000(\\d+)\ue001")
_PREPOSITION = (r",?\s+(?:by|in|from|with|using|via|see)\s+(?:(?!(?:by|from|with|using|via)\b)[\w'’-]+\s+){{0,4}}"
                r"{code}(?:(?:\s*,\s*|\s+and\s+){code})*(?=\s*[:;.)]|\s*$)")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z*_(\"“'\[])")


def is_code_name(text: str) -> bool:
    """True for a name in the package's code ('jte.geo.nearest', 'reach.yonaguni_taiwan()', 'jte.claims')."""
    t = text.strip()
    if t.startswith(("jte.", "japan_taiwan_evidence.")) or t in {"jte", "japan_taiwan_evidence"}:
        return True
    m = _CODE_NAME.fullmatch(t)
    return bool(m) and t.rstrip("()").rsplit(".", 1)[-1] not in FILE_EXTENSIONS


def _protect(text: str) -> tuple[str, list[tuple[str, bool]]]:
    """Replace inline code spans, and bare code names, by placeholders: [(text, is_code)]."""
    spans: list[tuple[str, bool]] = []

    def span(m):
        spans.append((m.group(0), is_code_name(m.group(1))))
        return _PH.format(len(spans) - 1)

    def bare(m):
        if m.group(0).rstrip("()").rsplit(".", 1)[-1] in FILE_EXTENSIONS:
            return m.group(0)
        spans.append((m.group(0), True))
        return _PH.format(len(spans) - 1)

    parts = re.split(r"(\ue000\d+\ue001)", _SPAN.sub(span, text))
    text = "".join(p if _PH_RE.fullmatch(p) else _CODE_NAME.sub(bare, p) for p in parts)
    return text, spans


def _code_pattern(spans) -> str | None:
    ids = [str(i) for i, (_, code) in enumerate(spans) if code]
    return "\ue000(?:" + "|".join(ids) + ")\ue001" if ids else None


def clean_prose(text: str) -> str:
    """The text without code names (see the module docstring); '' if nothing readable is left."""
    text, spans = _protect(text)
    code = _code_pattern(spans)
    if code is None:
        return _restore(text, spans)
    inner_paren = re.compile(r"\s*\([^()]*" + code + r"[^()]*\)")
    while inner_paren.search(text):
        text = inner_paren.sub("", text)
    text = re.sub(_PREPOSITION.format(code=code), "", text)
    kept = [s for s in _SENTENCE_END.split(text) if not re.search(code, s)]
    return _restore(" ".join(kept).strip(), spans)


def _restore(text: str, spans) -> str:
    return _PH_RE.sub(lambda m: spans[int(m.group(1))][0], text)


# --- markdown -------------------------------------------------------------------------------------

_LIST_ITEM = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+")


def _units(md: str) -> list[tuple[str, str]]:
    """Split markdown into ('heading'|'para'|'item', text) units; an item keeps its marker and indent."""
    units: list[tuple[str, str]] = []
    for line in md.splitlines():
        if not line.strip():
            units.append(("blank", ""))
        elif line.lstrip().startswith("#"):
            units.append(("heading", line.strip()))
        elif _LIST_ITEM.match(line):
            units.append(("item", line.rstrip()))
        elif units and units[-1][0] in ("para", "item"):
            kind, prev = units[-1]
            units[-1] = (kind, prev + "\n" + line.rstrip())
        else:
            units.append(("para", line.rstrip()))
    return units


def clean_markdown(md: str, headings_only: bool = False) -> str:
    """Markdown with code names taken out of every paragraph and list item (headings kept)."""
    out: list[str] = []
    for kind, text in _units(md):
        if kind == "blank":
            if out and out[-1] != "":
                out.append("")
            continue
        if kind == "heading":
            if out and out[-1] != "":
                out.append("")
            out += [clean_prose(text) or text.split(" ", 1)[0], ""]
            continue
        if headings_only:
            continue
        if kind == "item":
            m = _LIST_ITEM.match(text)
            body = clean_prose(" ".join(text[m.end():].split()))
            if body:
                if out and out[-1] and not _LIST_ITEM.match(out[-1]):
                    out.append("")  # a list after a paragraph starts its own block
                out.append(f"{m.group(1)}{m.group(2)} {body}")
        else:
            body = clean_prose(" ".join(text.split()))
            if body:
                if out and out[-1] and _LIST_ITEM.match(out[-1]):
                    out.append("")
                out.append(body)
    return "\n".join(out).strip() + "\n"


class _ReportRenderer(mistune.HTMLRenderer):
    """Inline code reads as a term in the running font; code blocks, images and raw HTML are left out;
    links to anything but the web become plain text (the report is one self-contained file)."""

    def codespan(self, text: str) -> str:
        return f'<span class="term">{text}</span>'

    def block_code(self, code: str, info=None) -> str:
        return ""

    def image(self, text: str, url: str, title=None) -> str:
        return ""

    def block_html(self, html_text: str) -> str:
        return ""

    def inline_html(self, html_text: str) -> str:
        return ""

    def link(self, text: str, url: str, title=None) -> str:
        if url.startswith(("https://", "http://")):
            return super().link(text, url, title)
        return text

    def heading(self, text: str, level: int, **attrs) -> str:
        return f"<h{level}>{text}</h{level}>\n"


_MARKDOWN = mistune.create_markdown(renderer=_ReportRenderer(escape=True), plugins=["strikethrough"])


def markdown_html(md: str, headings_only: bool = False, shift: int = 0) -> str:
    """Report HTML for a markdown cell; heading levels move down by `shift`."""
    out = _MARKDOWN(clean_markdown(md, headings_only))
    if shift:
        out = re.sub(r"<(/?)h([1-6])>", lambda m: f"<{m.group(1)}h{min(6, int(m.group(2)) + shift)}>", out)
    return out


# --- printed results --------------------------------------------------------------------------------

# What a build prints about itself, not a result: "saved figures/...", "exported figures/...".
CHATTER = re.compile(r"^(?:saved|exported|wrote|writing) (?:figures|build|data)/\S.*$")


def printed_html(text: str) -> str:
    """Printed output as paragraphs; lines starting '- ' or indented lines become list items."""
    blocks: list[str] = []
    items: list[str] = []

    def flush():
        if items:
            blocks.append("<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul>")
            items.clear()

    for line in text.splitlines():
        if not line.strip() or CHATTER.match(line.strip()):
            flush()
            continue
        body = clean_prose(" ".join(line.split()).removeprefix("- "))
        if not body:
            continue
        if line.startswith(("- ", "  ")):
            items.append(html.escape(body))
        else:
            flush()
            blocks.append(f"<p>{html.escape(body)}</p>")
    flush()
    return "\n".join(blocks)


# --- tables -----------------------------------------------------------------------------------------

HEADER_LABELS = {  # where the column name alone does not read well
    "vs_claim_pct": "Difference from claim (%)", "n_core": "Core members", "source_id": "Sources",
    "coord_source_id": "Position source", "coord_quality": "Position", "in_eez_per_mod": "In EEZ (per MOD)",
    "missiles_mod": "Missiles (MOD)", "in_japan_eez_per_mod": "In Japan's EEZ (per MOD)",
    "share_in_eez_%": "Share in EEZ (%)", "value_low": "Low value", "max_error_km": "Max. error (km)",
}
ACRONYMS = {"id": "ID", "ids": "IDs", "eez": "EEZ", "mod": "MOD", "mnd": "MND", "pla": "PLA", "us": "US",
            "iso3": "ISO3", "dmdc": "DMDC", "gctf": "GCTF", "jsdf": "JSDF", "mou": "MOU"}
UNITS = (("_km2", "km²"), ("_km", "km"), ("_pct", "%"), ("_%", "%"), ("_deg", "°"))
MISSING = {"", "<NA>", "NaN", "nan", "None", "NaT", "<NaT>"}
_SNAKE = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")
_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def header_label(name: str) -> str:
    if name in HEADER_LABELS:
        return HEADER_LABELS[name]
    unit = ""
    for suffix, u in UNITS:
        if name.endswith(suffix) and len(name) > len(suffix):
            name, unit = name[: -len(suffix)], f" ({u})"
            break
    words = [ACRONYMS.get(w, w) for w in name.replace("_", " ").split()]
    text = " ".join(words)
    return (text[:1].upper() + text[1:] if text else name) + unit


def _is_id_column(name: str) -> bool:
    return name == "id" or name.endswith(("_id", "_ids")) or name in {"iso3", "members"}


def _is_number(v: str) -> bool:
    return bool(_NUMBER.match(v)) or v in ("inf", "-inf")


def _number(v: str, integral: bool, group: bool) -> str:
    """A number as pandas printed it, with thousands grouped and a true minus sign."""
    if v in ("inf", "-inf"):
        return "∞" if v == "inf" else "−∞"
    whole, _, frac = v.partition(".")
    if integral:
        frac = ""
    sign, digits = ("−", whole[1:]) if whole.startswith("-") else ("", whole)
    if group:
        digits = f"{int(digits):,}"
    return sign + digits + (f".{frac}" if frac else "")


def cell_text(value: str, column: str) -> str:
    """One non-numeric table cell as pandas printed it, made readable."""
    v = value.strip()
    if v in MISSING:
        return "–"
    if v in ("True", "False"):
        return "yes" if v == "True" else "no"
    if ";" in v:
        v = "; ".join(p.strip() for p in v.split(";"))
    if not _is_id_column(column) and _SNAKE.match(v):
        v = v.replace("_", " ")
    return v


_DATE = re.compile(r"^\d{4}-\d{2}(?:-\d{2}(?:T[\d:]+(?:[+-]\d{2}:\d{2}|Z)?)?)?$")


def column_cells(values: list[str], column: str) -> list[tuple[str, str]]:
    """(text, css class) for a column's cells: a column of numbers is right-aligned, with one format
    (no '.0' when every value is whole; thousands grouped, except in a column of years); dates never wrap."""
    present = [v.strip() for v in values if v.strip() not in MISSING]
    numeric = bool(present) and all(_is_number(v) for v in present)
    if not numeric:
        return [(cell_text(v, column), "date" if _DATE.match(v.strip()) else "") for v in values]
    finite = [v for v in present if v not in ("inf", "-inf")]
    integral = all(re.fullmatch(r"-?\d+(?:\.0+)?", v) for v in finite)
    years = "year" in column or (integral and finite and all(1800 <= float(v) <= 2100 for v in finite)
                                 and not any("." in v for v in finite))
    group = not years and not _is_id_column(column)
    return [("–", "num") if v.strip() in MISSING else (_number(v.strip(), integral, group), "num") for v in values]


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]


def parse_tables(fragment: str) -> list[Table]:
    """The pandas tables in an HTML output, index levels as leading columns (row numbers dropped)."""
    out = []
    for t in BeautifulSoup(fragment, "html.parser").find_all("table"):
        head = t.thead.find_all("tr") if t.thead else []
        body = t.tbody.find_all("tr") if t.tbody else t.find_all("tr")[len(head):]
        if not head or not body:
            continue
        first = [c.get_text() for c in head[0].find_all(["th", "td"])]
        n_index = len(body[0].find_all("th"))
        # With a MultiIndex on the rows, later rows omit the spanned index cells; the first row has them all.
        names = [""] * n_index
        if len(head) > 1:
            second = [c.get_text() for c in head[-1].find_all(["th", "td"])]
            names = second[:n_index] + [""] * (n_index - len(second[:n_index]))
        columns = first[n_index:]
        rows, carry = [], [None] * n_index  # carry: (value, rows left) from rowspan index cells
        for tr in body:
            ths, tds = tr.find_all("th"), [c.get_text() for c in tr.find_all("td")]
            index, k = [], 0
            for level in range(n_index):
                if carry[level] and carry[level][1] > 0:
                    index.append(carry[level][0])
                    carry[level] = (carry[level][0], carry[level][1] - 1)
                    continue
                cell = ths[k] if k < len(ths) else None
                k += 1
                text = cell.get_text() if cell is not None else ""
                span = int(cell.get("rowspan", 1)) if cell is not None else 1
                carry[level] = (text, span - 1)
                index.append(text)
            rows.append(index + tds)
        keep_index = [i for i in range(n_index) if names[i] or not all(re.fullmatch(r"\d+", r[i]) for r in rows)]
        cols = [names[i] or "" for i in keep_index] + columns
        out.append(Table(cols, [[r[i] for i in keep_index] + r[n_index:] for r in rows]))
    return out


def table_html(table: Table) -> str:
    """One formatted table: readable headers and values, numbers right-aligned."""
    head = "".join(f"<th>{html.escape(header_label(c))}</th>" for c in table.columns)
    columns = [column_cells([r[i] if i < len(r) else "" for r in table.rows], c) for i, c in enumerate(table.columns)]
    lines = [f'<table class="data"><thead><tr>{head}</tr></thead><tbody>']
    for k in range(len(table.rows)):
        cells = []
        for col in columns:
            text, cls = col[k]
            cells.append(f'<td class="{cls}">{html.escape(text)}</td>' if cls else f"<td>{html.escape(text)}</td>")
        lines.append("<tr>" + "".join(cells) + "</tr>")
    lines.append("</tbody></table>")
    return "\n".join(lines)
