"""Write the offline HTML report to build/report/ (`make report`).

One page per notebook, rendered from its committed outputs with nbconvert's HTMLExporter (code inputs
hidden; markdown, printed results, tables and figures kept), and index.html linking them in order with
the claims-ledger summary. Nothing refers to the network: nbconvert's 'lab' template loads require.js,
MathJax and mermaid from CDNs, so the pages use a template that extends it and empties those blocks
(the approach nbconvert's maintainers point to, jupyter/nbconvert#1770); its CSS is inlined. Images
are already inline (data URIs). Relative links in the notebooks' markdown are rewritten: to another
notebook -> its page; to a repository file -> a copy under files/. The notebooks are not executed
here: run `make figures` first if their outputs are stale.
"""

from __future__ import annotations

import argparse
import html
import re
import shutil
import sys
from pathlib import Path

import nbformat
from jinja2 import DictLoader
from nbconvert import HTMLExporter

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
from japan_taiwan_evidence import ledger, paths  # noqa: E402

TEMPLATE = "jte_offline.html.j2"
# Every block of the lab template that pulls a script from a CDN is emptied; a navigation bar is added.
OFFLINE_TEMPLATE = """
{%- extends 'lab/index.html.j2' -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block extra_css -%}
<style type="text/css">
  nav.jte-nav { font-family: sans-serif; font-size: 14px; padding: 8px 16px; border-bottom: 1px solid #ddd; }
  nav.jte-nav a { margin-right: 1.2em; }
</style>
{%- endblock extra_css -%}
{%- block body_header -%}
{{ super() }}
<nav class="jte-nav">{{ resources.jte_nav }}</nav>
{%- endblock body_header -%}
"""

INDEX_CSS = """
body { font-family: "DejaVu Sans", Verdana, sans-serif; max-width: 60em; margin: 2em auto; padding: 0 1em;
       color: #222; line-height: 1.45; }
table { border-collapse: collapse; margin: 1em 0; font-size: 0.92em; }
th, td { border-bottom: 1px solid #ddd; padding: 0.3em 0.6em; text-align: left; vertical-align: top; }
th { background: #f4f4f4; }
td.num { text-align: right; }
.swatch { display: inline-block; width: 0.9em; height: 0.9em; margin-right: 0.4em; vertical-align: -0.1em;
          border: 1px solid #555; }
"""


def notebooks() -> list[Path]:
    return sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def page_name(nb: Path) -> str:
    return nb.stem + ".html"


def title(nb_node) -> str:
    """The notebook's title: its first markdown heading, without the '#'."""
    for cell in nb_node.cells:
        if cell.cell_type == "markdown":
            for line in cell.source.splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    return ""


def exporter() -> HTMLExporter:
    ex = HTMLExporter(extra_loaders=[DictLoader({TEMPLATE: OFFLINE_TEMPLATE})], template_file=TEMPLATE)
    ex.exclude_input = True
    ex.exclude_input_prompt = True
    ex.exclude_output_prompt = True
    return ex


_ATTR = re.compile(r'(\s(?:href|src)=")([^"]*)(")')


def _rewrite_links(page: str, out_dir: Path) -> str:
    """Point relative links at pages of this report or at copies of repository files under files/."""
    def fix(m):
        target = html.unescape(m.group(2))
        if not target or target.startswith(("#", "data:", "http://", "https://", "mailto:")):
            return m.group(0)
        path, _, anchor = target.partition("#")
        resolved = (paths.NOTEBOOKS / path).resolve()
        if resolved.suffix == ".ipynb" and resolved.parent == paths.NOTEBOOKS:
            new = resolved.stem + ".html"
        elif resolved.is_file() and resolved.is_relative_to(paths.REPO):
            rel = resolved.relative_to(paths.REPO).as_posix()
            dest = out_dir / "files" / rel
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(resolved, dest)
            new = "files/" + rel
        else:
            return m.group(0)  # left as is; the report test reports it as broken
        return m.group(1) + html.escape(new + ("#" + anchor if anchor else "")) + m.group(3)
    return _ATTR.sub(fix, page)


def _nav(items: list[Path], i: int) -> str:
    links = ['<a href="index.html">Report index</a>']
    if i > 0:
        links.append(f'<a href="{page_name(items[i - 1])}">&larr; {html.escape(items[i - 1].stem)}</a>')
    if i + 1 < len(items):
        links.append(f'<a href="{page_name(items[i + 1])}">{html.escape(items[i + 1].stem)} &rarr;</a>')
    return " ".join(links)


def _index(entries: list[tuple[Path, str]], out_dir: Path) -> str:
    from japan_taiwan_evidence.figures import VERDICT_COLOURS

    table = ledger.ledger_table()
    counts = ledger.verdict_counts(table)
    exports = []
    for name in ("05_claims_ledger.csv", "05_claims_ledger.md"):
        src = paths.FIGURES / name
        if src.exists():
            dest = out_dir / "files" / "figures" / name
            dest.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(src, dest)
            exports.append(f'<a href="files/figures/{name}">{name}</a>')
    pages = {nb.stem for nb, _ in entries}
    esc = html.escape
    out = ["<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
           '<meta name="viewport" content="width=device-width, initial-scale=1.0">',
           "<title>Why Japan Needs to Talk to Taiwan: the evidence, notebook by notebook</title>",
           f"<style>{INDEX_CSS}</style>", "</head>", "<body>",
           "<h1>Why Japan Needs to Talk to Taiwan (FPRI, 2022): the evidence</h1>",
           "<p>An offline report of the japan-taiwan-evidence notebooks: each page is a notebook rendered from "
           "its committed outputs, with the code hidden. Every number traces to a row in the project's "
           "<code>data/</code> folder with a source ID; every verdict is computed from that data.</p>",
           "<h2>Notebooks</h2>", "<ol>"]
    out += [f'<li><a href="{page_name(nb)}">{esc(t or nb.stem)}</a></li>' for nb, t in entries]
    out += ["</ol>", "<h2>Claims ledger</h2>",
            f"<p>The article's {len(table)} checkable claims by computed verdict.</p>",
            "<table>", "<tr><th>verdict</th><th>claims</th><th>IDs</th></tr>"]
    for r in counts.itertuples():
        swatch = f'<span class="swatch" style="background:{VERDICT_COLOURS.get(r.verdict, "#fff")}"></span>'
        out.append(f"<tr><td>{swatch}{esc(r.verdict)}</td><td class=\"num\">{r.claims}</td>"
                   f"<td>{esc(r.claim_ids)}</td></tr>")
    out += ["</table>", "<table>", "<tr><th>ID</th><th>category</th><th>claim</th><th>claimed</th>"
            "<th>verdict</th><th>notebook</th></tr>"]
    for r in table.itertuples():
        nb = (f'<a href="{r.notebook}.html">{esc(r.notebook)}</a>' if r.notebook in pages else esc(r.notebook))
        out.append(f"<tr><td>{esc(r.claim_id)}</td><td>{esc(ledger.CATEGORY_LABELS.get(r.category, r.category))}"
                   f"</td><td>{esc(r.claim)}</td><td>{esc(r.claimed)}</td><td>{esc(r.verdict)}</td><td>{nb}</td></tr>")
    out.append("</table>")
    if exports:
        out.append("<p>The full ledger, with each claim's measured values, rule, reasoning and sources: "
                   + " and ".join(exports) + ".</p>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def build(out_dir: Path | None = None) -> Path:
    """Write the report to out_dir (default build/report/), replacing what was there; returns index.html."""
    out_dir = Path(out_dir) if out_dir is not None else paths.BUILD / "report"
    if out_dir.exists():
        shutil.rmtree(out_dir)
    out_dir.mkdir(parents=True)
    ex = exporter()
    items = notebooks()
    entries = []
    for i, nb_path in enumerate(items):
        nb = nbformat.read(nb_path, as_version=4)
        name = title(nb)
        body, _ = ex.from_notebook_node(nb, resources={"metadata": {"name": name or nb_path.stem},
                                                       "jte_nav": _nav(items, i)})
        (out_dir / page_name(nb_path)).write_text(_rewrite_links(body, out_dir), encoding="utf-8")
        entries.append((nb_path, name))
        print(f"[{i + 1}/{len(items)}] {page_name(nb_path)}", flush=True)
    index = out_dir / "index.html"
    index.write_text(_index(entries, out_dir), encoding="utf-8")
    return index


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="output folder (default build/report/)")
    args = ap.parse_args(argv)
    index = build(args.out)
    print(f"report: {paths.relative(index)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
