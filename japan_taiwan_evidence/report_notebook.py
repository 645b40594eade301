"""What a notebook gives the report (top): its title, its header, and the cells its tags select.

Cell tags decide what a chapter shows (JupyterLab: the property inspector, "Cell Tags"):

    (no tag)          markdown: shown; code: not shown
    report            code: its result is shown: a figure with its caption, a table, printed text
    report-verdicts   code: cards for the claims whose verdicts it prints ("C13 verdict: ...")
    report-ledger     code: the overview of every claim of the ledger, with links to the cards
    report-heading    markdown: only its headings are shown (the prose is for the notebook's user)
    report-skip       markdown: not shown

The header is the first markdown cell: its "# NN · Title" line names the chapter, and the rest, less the
paragraph listing the figures written, opens it. A figure is known by the line save_figure prints ("saved
figures/NN_slug...") in the cell's output; the line itself is never shown. Parameters come from the cell
tagged `parameters` (papermill's convention) and, where papermill injected values, `injected-parameters`.
"""

from __future__ import annotations

import ast
import base64
import re
from dataclasses import dataclass
from pathlib import Path

import nbformat

from . import paths
from .report_format import markdown_html, parse_tables, printed_html, table_html

TAG_SHOW, TAG_VERDICTS, TAG_LEDGER, TAG_HEADINGS, TAG_SKIP = (
    "report", "report-verdicts", "report-ledger", "report-heading", "report-skip")
TAGS = (TAG_SHOW, TAG_VERDICTS, TAG_LEDGER, TAG_HEADINGS, TAG_SKIP)


# --- notebooks --------------------------------------------------------------------------------------

@dataclass
class Chapter:
    stem: str
    number: str
    title: str
    intro: str  # HTML: the header cell without its title and its list of written figures
    # ('html', str) | ('figure', slug) | ('image', png bytes) | ('verdicts', claim IDs) | ('ledger', None)
    items: list[tuple[str, object]]
    parameters: list[tuple[str, str, str]]  # (name, value, note)


def notebooks() -> list[Path]:
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def _tags(cell) -> set[str]:
    return set(cell.get("metadata", {}).get("tags", []))


def parameters(nb) -> list[tuple[str, str, str]]:
    """(name, value, note) from the `parameters` cell (papermill), with any `injected-parameters` on top."""
    found: dict[str, tuple[str, str]] = {}
    for cell in nb.cells:
        tags = _tags(cell)
        if cell.cell_type != "code" or not tags & {"parameters", "injected-parameters"}:
            continue
        note = "set for this run" if "injected-parameters" in tags else "default"
        comments = {i + 1: line.split("#", 1)[1].strip() for i, line in enumerate(cell.source.splitlines())
                    if "#" in line}
        try:
            tree = ast.parse(cell.source)
        except SyntaxError:
            continue
        for node in tree.body:
            if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
                try:
                    value = repr(ast.literal_eval(node.value))
                except ValueError:
                    value = "(computed in the notebook)"
                why = comments.get(node.lineno, "")
                found[node.targets[0].id] = (value, note + (f": {why}" if why else ""))
    return [(k, v, n) for k, (v, n) in found.items()]


_SAVED = re.compile(r"^saved figures/([0-9]{2}_[\w-]+)\.", re.MULTILINE)
_PRINTED_CLAIM = re.compile(r"^(C\d{2})\b", re.MULTILINE)


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def _cell_items(cell) -> list[tuple[str, object]]:
    """What a `report` code cell shows, in output order: printed text, tables, its figure."""
    items: list[tuple[str, object]] = []
    saved = _SAVED.findall(_stdout(cell))
    for out in cell.get("outputs", []):
        kind, data = out.get("output_type"), out.get("data", {})
        if kind == "stream" and out.get("name") == "stdout":
            text = printed_html(out.get("text", ""))
            if text:
                items.append(("html", f'<div class="printed">{text}</div>'))
        elif kind in ("execute_result", "display_data") and "text/html" in data:
            items += [("html", table_html(t)) for t in parse_tables(data["text/html"])]
        elif kind in ("execute_result", "display_data") and "image/png" in data:
            if saved:
                items.append(("figure", saved.pop(0)))
            else:
                items.append(("image", base64.b64decode(data["image/png"])))
    return items


def chapter(nb_path: Path) -> Chapter:
    nb = nbformat.read(nb_path, as_version=4)
    header = next((c for c in nb.cells if c.cell_type == "markdown"), None)
    lines = header.source.splitlines() if header else []
    h1 = next((ln[2:].strip() for ln in lines if ln.startswith("# ")), nb_path.stem)
    m = re.match(r"(\d{2})\s*[·.:\-–]\s*(.+)", h1)
    number, title = (m.group(1), m.group(2)) if m else (nb_path.stem[:2], h1)
    paragraphs = "\n".join(ln for ln in lines if not ln.startswith("# ")).split("\n\n")
    intro = markdown_html("\n\n".join(p for p in paragraphs if not p.strip().startswith("**Figures written")))
    items: list[tuple[str, object]] = []
    for cell in nb.cells:
        tags = _tags(cell)
        if cell is header or TAG_SKIP in tags:
            continue
        if cell.cell_type == "markdown":
            items.append(("html", markdown_html(cell.source, headings_only=TAG_HEADINGS in tags)))
        elif cell.cell_type == "code":
            if TAG_VERDICTS in tags:
                items.append(("verdicts", list(dict.fromkeys(_PRINTED_CLAIM.findall(_stdout(cell))))))
            if TAG_LEDGER in tags:
                items.append(("ledger", None))
            if TAG_SHOW in tags:
                items += _cell_items(cell)
    return Chapter(nb_path.stem, number, title, intro, items, parameters(nb))
