"""The report (`make report`): one self-contained HTML document, and a PDF of it printed by Chromium.

build/report/japan-taiwan-evidence-report.html holds everything (figures as data URIs, the style sheet
inline, no script, nothing loaded from anywhere); build/report/japan-taiwan-evidence-report.pdf is that
page printed by Debian's Chromium (/usr/bin/chromium) through Playwright. The report is made from what
the notebooks stored and what is in figures/ (no notebook runs here: run `make figures` first after a
change), and the git commit it was built from:

- a title page: the commit, whether data/, notebooks/ or figures/ had uncommitted changes, the date (the
  commit's, so that a rebuild gives the same bytes), the parameters of each notebook, the verdict counts;
- one chapter per notebook: its question, its prose, the figures with the captions of figures/index.csv,
  its result tables formatted for reading, the verdicts as cards from figures/05_claims_ledger.csv and its
  closing summary; no code, no code names, no build messages (report_format.py);
- an appendix of every source the figures and verdicts cite, from data/sources.csv.

Cell tags decide what a chapter shows (report_notebook.py has the vocabulary: report, report-verdicts,
report-ledger, report-heading, report-skip).

Each claim gets one card, where its verdict is first printed; a claim no tagged cell prints gets its
card after the ledger overview. The HTML is byte-stable; so is the PDF on one machine: Chromium stamps
the print time into it, which is replaced by the commit's date (same length, so offsets hold).
"""

from __future__ import annotations

import argparse
import base64
import csv
import datetime as dt
import hashlib
import html
import io
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd

from . import __version__, citations, files, gallery, paths, sources
from .ledger import CATEGORY_LABELS
from .figures import VERDICT_COLOURS
from .report_format import clean_prose
from .report_notebook import Chapter, chapter, notebooks

NAME = "japan-taiwan-evidence-report"
TITLE = "Why Japan Needs to Talk to Taiwan (FPRI, 2022): the evidence"
LEDGER_CSV = "05_claims_ledger.csv"
CHROMIUM = os.environ.get("JTE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
SVG_MAX_BYTES = 400_000  # larger SVGs (the maps) go in as PNG, scaled to PNG_WIDTH: the file stays sendable
PNG_WIDTH = 1600  # pixels; about 230 dpi across the printed text width
CSS = Path(__file__).with_name("report.css")
WATCHED = ("data", "notebooks", "figures")  # a change here since the commit is reported on the title page


class ReportError(RuntimeError):
    """The report cannot be made (an input is missing, or Chromium failed)."""


# --- provenance -------------------------------------------------------------------------------------

@dataclass
class Provenance:
    commit: str | None
    date: dt.datetime | None  # the commit's date, in UTC
    changes: dict[str, list[str]] = field(default_factory=dict)  # watched folder -> changed paths


def _git(*args: str) -> str | None:
    try:
        done = subprocess.run(["git", *args], cwd=paths.REPO, capture_output=True, text=True, check=True)
    except (OSError, subprocess.CalledProcessError):
        return None
    return done.stdout


def provenance() -> Provenance:
    """The commit the report is built from and what in data/, notebooks/, figures/ differs from it."""
    commit = (_git("rev-parse", "HEAD") or "").strip() or None
    if commit is None:
        return Provenance(None, None)
    when = dt.datetime.fromisoformat(_git("log", "-1", "--format=%cI", "HEAD").strip()).astimezone(dt.UTC)
    changes: dict[str, list[str]] = {}
    for line in (_git("status", "--porcelain", "--untracked-files=all", "--", *WATCHED) or "").splitlines():
        path = line[3:].split(" -> ")[-1].strip('"')
        changes.setdefault(path.split("/", 1)[0], []).append(path)
    return Provenance(commit, when, changes)


# --- inputs from figures/ -------------------------------------------------------------------------

def ledger_rows(figures_dir: Path | None = None) -> list[dict]:
    path = (figures_dir or paths.FIGURES) / LEDGER_CSV
    if not path.is_file():
        raise ReportError(f"{paths.relative(path)} is missing: run `make figures` first (notebook 05 writes it)")
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def figure_uri(slug: str) -> str:
    """The figure from figures/ as a data URI: the SVG if small, else the PNG scaled to PNG_WIDTH."""
    svg = paths.FIGURES / f"{slug}.svg"
    if svg.is_file() and svg.stat().st_size <= SVG_MAX_BYTES:
        return "data:image/svg+xml;base64," + base64.b64encode(svg.read_bytes()).decode("ascii")
    png = paths.FIGURES / f"{slug}.png"
    if not png.is_file():
        raise ReportError(f"figure {slug} has no PNG or SVG in {paths.relative(paths.FIGURES)}/: run `make figures`")
    return "data:image/png;base64," + base64.b64encode(_scaled_png(png.read_bytes())).decode("ascii")


# Scaled PNGs by the original's hash: building the report again in one process (a test, a re-run cell)
# scales only the figures that changed.
_SCALED: dict[str, bytes] = {}


def _scaled_png(data: bytes) -> bytes:
    """The PNG at PNG_WIDTH with a 256-colour palette: the maps are flat colours and lines, which a
    palette keeps (checked by eye against the full-colour image) at a fifth of the bytes."""
    key = hashlib.sha256(data).hexdigest()
    if key not in _SCALED:
        _SCALED[key] = _scale_png(data)
    return _SCALED[key]


def _scale_png(data: bytes) -> bytes:
    from PIL import Image

    with Image.open(io.BytesIO(data)) as im:
        im = im.convert("RGB")
        if im.width > PNG_WIDTH:
            im = im.resize((PNG_WIDTH, round(im.height * PNG_WIDTH / im.width)), Image.Resampling.LANCZOS)
        im = im.quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)
        buf = io.BytesIO()
        im.save(buf, format="PNG")
    return buf.getvalue()


# --- rendering --------------------------------------------------------------------------------------

esc = html.escape


def _ink(colour: str) -> str:
    """Black or white text, whichever reads better on `colour` (WCAG relative luminance)."""
    rgb = [int(colour.lstrip("#")[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lum = sum(w * (c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4)
              for w, c in zip((0.2126, 0.7152, 0.0722), rgb))
    return "#000000" if lum > 0.35 else "#ffffff"


def badge(verdict: str) -> str:
    colour = VERDICT_COLOURS.get(verdict, "#ffffff")
    return (f'<span class="verdict" style="background:{colour};color:{_ink(colour)}">'
            f"{esc(verdict)}</span>")


def _natural(source_id: str):
    return [int(p) if p.isdigit() else p for p in re.split(r"(\d+)", source_id)]


def _breakable(url: str) -> str:
    """An address that may wrap after its separators (never inside a word of it)."""
    return re.sub(r"(/|\?|&amp;|=|\.|_|-)", r"\1<wbr>", esc(url))


def _ids(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"[;,]", text or "") if s.strip()]


class Document:
    """Renders the chapters into one page; keeps figure numbers, card places and cited sources."""

    def __init__(self, chapters: list[Chapter], ledger: list[dict], prov: Provenance):
        self.chapters, self.prov = chapters, prov
        self.ledger = {r["claim_id"]: r for r in ledger}
        self.index = gallery.read_index()
        self.cited: set[str] = set()
        self.figures = 0
        # Each claim's card goes where a chapter first prints its verdict; the rest after the ledger overview.
        self.card_at: dict[str, str] = {}
        for ch in chapters:
            for kind, payload in ch.items:
                for cid in payload if kind == "verdicts" else []:
                    if cid in self.ledger:
                        self.card_at.setdefault(cid, ch.stem)
        self.leftover = [cid for cid in self.ledger if cid not in self.card_at]
        ledger_stem = next((ch.stem for ch in chapters if any(k == "ledger" for k, _ in ch.items)), None)
        for cid in self.leftover:
            if ledger_stem:
                self.card_at[cid] = ledger_stem
        self.carded: set[str] = set()

    def chapter_name(self, stem: str) -> str:
        ch = next((c for c in self.chapters if c.stem == stem), None)
        return f"chapter {ch.number}" if ch else stem

    def card(self, cid: str) -> str:
        r = self.ledger[cid]
        self.carded.add(cid)
        ids = _ids(r.get("sources", ""))
        self.cited.update(ids)
        rows = [("Claimed", r.get("claimed") or "–"), ("Measured", r.get("measured")), ("Rule", r.get("rule")),
                ("Reasoning", r.get("reasoning"))]
        dl = "".join(f"<dt>{k}</dt><dd>{esc(clean_prose(v))}</dd>" for k, v in rows if v and clean_prose(v))
        refs = "; ".join(f'<a href="#src-{esc(s)}">{esc(s)}</a>' for s in ids)
        category = CATEGORY_LABELS.get(r.get("category", ""), r.get("category", ""))
        return (f'<article class="card" id="claim-{esc(cid)}"><header><span class="cid">{esc(cid)}</span>'
                f'<span class="category">{esc(category)}</span>{badge(r["verdict"])}</header>'
                f'<p class="claim">{esc(r["claim"])}</p><dl>{dl}'
                + (f"<dt>Sources</dt><dd>{refs}</dd>" if refs else "") + "</dl></article>")

    def card_reference(self, cid: str) -> str:
        r = self.ledger[cid]
        return (f'<p class="card-ref"><a href="#claim-{esc(cid)}">{esc(cid)}</a> {esc(r["claim"])} '
                f'{badge(r["verdict"])} <span class="where">(card in '
                f'{esc(self.chapter_name(self.card_at.get(cid, "")))})</span></p>')

    def verdicts(self, ids: list[str], stem: str) -> str:
        out = []
        for cid in ids:
            if cid not in self.ledger:
                continue
            out.append(self.card(cid) if self.card_at.get(cid) == stem and cid not in self.carded
                       else self.card_reference(cid))
        return "\n".join(out)

    def ledger_overview(self, stem: str) -> str:
        order = list(dict.fromkeys(r["category"] for r in self.ledger.values()))
        rows = []
        for cid, r in sorted(self.ledger.items(), key=lambda kv: order.index(kv[1]["category"])):
            ch = next((c for c in self.chapters if c.stem == self.card_at.get(cid)), None)
            rows.append(f'<tr><td><a href="#claim-{esc(cid)}">{esc(cid)}</a></td>'
                        f'<td>{esc(CATEGORY_LABELS.get(r["category"], r["category"]))}</td>'
                        f'<td>{esc(r["claim"])}</td><td>{badge(r["verdict"])}</td>'
                        f'<td class="num">{esc(ch.number if ch else "–")}</td></tr>')
        intro = ("<p>Every claim with its computed verdict, by category; the claim's card (in the chapter "
                 "named) gives the claimed and measured values, the rule, the reasoning and the sources.</p>")
        head = ('<table class="data ledger"><thead><tr><th>ID</th><th>Category</th><th>Claim</th>'
                "<th>Verdict</th><th>Chapter</th></tr></thead><tbody>")
        out = [intro, head, *rows, "</tbody></table>"]
        rest = [cid for cid in self.leftover if self.card_at.get(cid) == stem]
        if rest:
            out.append("<p>No chapter prints a verdict for the claims below; their cards are here.</p>")
            out += [self.card(cid) for cid in rest]
        return "\n".join(out)

    def figure(self, slug: str) -> str:
        self.figures += 1
        row = self.index.get(slug, {})
        self.cited.update(re.findall(r"\[([^\]\s]+)\]", row.get("sources", "")))
        caption = row.get("caption") or slug
        return (f'<figure id="fig-{esc(slug)}"><img src="{figure_uri(slug)}" alt="{esc(caption, quote=True)}">'
                f"<figcaption><b>Figure {self.figures}.</b> {esc(caption)}</figcaption></figure>")

    def image(self, png: bytes) -> str:
        self.figures += 1
        uri = "data:image/png;base64," + base64.b64encode(png).decode("ascii")
        return f'<figure><img src="{uri}" alt=""><figcaption><b>Figure {self.figures}.</b></figcaption></figure>'

    def render_chapter(self, ch: Chapter) -> str:
        out = [f'<section class="chapter" id="nb-{esc(ch.stem)}">',
               f'<h1><span class="chapno">{esc(ch.number)}</span> {esc(ch.title)}</h1>',
               f'<div class="intro">{ch.intro}</div>']
        for kind, payload in ch.items:
            if kind == "html":
                out.append(payload)
            elif kind == "figure":
                out.append(self.figure(payload))
            elif kind == "image":
                out.append(self.image(payload))
            elif kind == "verdicts":
                out.append(self.verdicts(payload, ch.stem))
            elif kind == "ledger":
                out.append(self.ledger_overview(ch.stem))
        out.append("</section>")
        return "\n".join(out)

    def title_page(self) -> str:
        p = self.prov
        if p.commit:
            commit = f"{p.commit}"
            date = p.date.strftime("%Y-%m-%d %H:%M UTC") + " (the commit's date)"
            if p.changes:
                state = "uncommitted changes: " + "; ".join(
                    f"{folder}/ ({len(v)} file{'s' if len(v) != 1 else ''})"
                    for folder, v in sorted(p.changes.items()))
            else:
                state = "clean: " + ", ".join(f"{w}/" for w in WATCHED) + " exactly as committed"
        else:
            commit, date, state = "unknown (not a git checkout)", "unknown", "unknown"
        if paths.DATA != paths.REPO / "data":
            state += "; data read from a folder outside the repository"
        params = [(ch, n, v, note) for ch in self.chapters for n, v, note in ch.parameters]
        if params:
            param_html = ('<table class="data"><thead><tr><th>Notebook</th><th>Parameter</th><th>Value</th>'
                          "<th>Note</th></tr></thead><tbody>"
                          + "".join(f"<tr><td>{esc(ch.number)}</td><td>{esc(n)}</td><td>{esc(v)}</td>"
                                    f"<td>{esc(note)}</td></tr>" for ch, n, v, note in params)
                          + "</tbody></table>")
        else:
            param_html = ("<p>The notebooks have no parameters cell: every result uses the collection's "
                          "default settings.</p>")
        counts = {v: [c for c, r in self.ledger.items() if r["verdict"] == v] for v in VERDICT_COLOURS}
        count_html = "".join(f"<li>{badge(v)} {len(ids)}: {esc(', '.join(ids))}</li>"
                             for v, ids in counts.items() if ids)
        toc = "".join(f'<li><a href="#nb-{esc(ch.stem)}">{esc(ch.number)} {esc(ch.title)}</a></li>'
                      for ch in self.chapters)
        return f"""<section class="titlepage">
<p class="kicker">japan-taiwan-evidence {esc(__version__)}</p>
<h1 class="title">{esc(TITLE)}</h1>
<p class="subtitle">The notebooks' results: figures, tables and a computed verdict for each of the article's
{len(self.ledger)} checkable claims. Every number comes from a row of the collection's data with a source,
listed at the end.</p>
<table class="provenance"><tbody>
<tr><th>Commit</th><td>{esc(commit)}</td></tr>
<tr><th>Date</th><td>{esc(date)}</td></tr>
<tr><th>Working tree</th><td>{esc(state)}</td></tr>
<tr><th>Made from</th><td>the results stored in the notebooks and the files in figures/ at that commit</td></tr>
<tr><th>Language</th><td>English. The prose of this report is in English only.</td></tr>
</tbody></table>
<h2>Parameters</h2>
{param_html}
<h2>Verdicts</h2>
<ul class="counts">{count_html}</ul>
<h2>Contents</h2>
<ul class="toc">{toc}<li><a href="#sources">Sources</a></li></ul>
</section>"""

    def sources_appendix(self) -> str:
        reg = sources.registry()
        entries = []
        for sid in sorted(self.cited, key=_natural):
            if sid not in reg.index:
                continue
            r = {k: ("" if pd.isna(v) else str(v).strip()) for k, v in reg.loc[sid].items()}
            url, more = citations.address(r["url"])
            address = f'<a href="{esc(url, quote=True)}">{_breakable(url)}</a>' if url else "address not recorded"
            if url and more:  # a second copy or a comment beside the address
                address = _breakable(more).replace(_breakable(url), address, 1)
            parts = [esc(r["publisher"]), f"<i>{esc(r['title'])}</i>", esc(r["published"] or "undated"), address]
            entries.append(f'<p class="source" id="src-{esc(sid)}"><b>{esc(sid)}</b> '
                           + ". ".join(p.rstrip(".") for p in parts if p) + ".</p>")
        return ('<section class="appendix" id="sources"><h1>Sources</h1>'
                f"<p>The {len(entries)} sources that the figures and the verdicts cite, as the collection "
                "registers them (data/sources.csv, which also gives each one's kind, licence and notes): "
                "publisher, title, date of publication, address.</p>" + "\n".join(entries) + "</section>")

    def render(self) -> str:
        body = [self.render_chapter(ch) for ch in self.chapters]  # before the title page: counts figures
        return "\n".join([
            "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{esc(TITLE)}</title>", f"<style>\n{CSS.read_text(encoding='utf-8')}</style>", "</head>",
            "<body>", self.title_page(), *body, self.sources_appendix(), "</body>", "</html>", ""])


def render(prov: Provenance | None = None) -> str:
    """The report as one HTML string."""
    chapters = [chapter(p) for p in notebooks()]
    return Document(chapters, ledger_rows(), prov or provenance()).render()


# --- output -----------------------------------------------------------------------------------------

def _pdf_date(when: dt.datetime | None) -> bytes:
    when = when or dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
    return when.strftime("D:%Y%m%d%H%M%S+00'00'").encode("ascii")


def fix_pdf_dates(pdf: bytes, when: dt.datetime | None) -> bytes:
    """Chromium writes the print time as CreationDate and ModDate; put the commit's date in its place.
    Same length, so the cross-reference offsets stay right."""
    stamp = _pdf_date(when)

    def swap(m):
        if len(m.group(2)) != len(stamp):
            raise ReportError(f"unexpected PDF date format {m.group(2)!r}")
        return m.group(1) + stamp + m.group(3)

    return re.sub(rb"(/(?:CreationDate|ModDate) \()(D:[^)]*)(\))", swap, pdf)


def print_pdf(page_html: str, prov: Provenance) -> bytes:
    """The page printed to A4 by Chromium; any request the page makes is refused (it needs none)."""
    if not Path(CHROMIUM).is_file():
        raise ReportError(f"{CHROMIUM} not found: install Debian's chromium (apt-get install chromium) "
                          "for the PDF, or run with --no-pdf for the HTML alone")
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []

    def refuse(r):
        blocked.append(r.request.url)
        r.abort()

    short = prov.commit[:10] if prov.commit else "no commit"
    footer = (f'<div style="font-family: \'DejaVu Sans\', sans-serif; font-size: 7pt; color: #555; width: 100%; '
              f'margin: 0 16mm; display: flex; justify-content: space-between;"><span>japan-taiwan-evidence '
              f'{esc(__version__)}, commit {esc(short)}</span><span><span class="pageNumber"></span> / '
              f'<span class="totalPages"></span></span></div>')
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page()
            page.route("**/*", refuse)
            page.set_content(page_html, wait_until="load")
            pdf = page.pdf(format="A4", print_background=True, display_header_footer=True,
                           header_template="<div></div>", footer_template=footer,
                           margin={"top": "16mm", "bottom": "18mm", "left": "16mm", "right": "16mm"})
        finally:
            browser.close()
    if blocked:
        raise ReportError(f"the report tried to load {blocked[:3]}; it must be self-contained")
    return fix_pdf_dates(pdf, prov.date)


def build(out_dir: Path | None = None, pdf: bool = True) -> dict[str, Path]:
    """Write the HTML (and, if asked, the PDF) to out_dir (default build/report/); returns their paths.
    Both are made first and then published together: a failure leaves the previous report as it was."""
    default = out_dir is None
    out_dir = paths.BUILD / "report" if default else Path(out_dir)
    prov = provenance()
    page = render(prov)
    printed = print_pdf(page, prov) if pdf else None
    written = {}
    with files.staging():
        written["html"] = files.write_text(out_dir / f"{NAME}.html", page)
        if printed is not None:
            written["pdf"] = files.write_bytes(out_dir / f"{NAME}.pdf", printed)
    if default:  # build/report/ holds this report alone: the old multi-page report or a stale PDF goes
        keep = {p.resolve() for p in written.values()}
        for stale in out_dir.iterdir():
            if stale.is_dir():
                shutil.rmtree(stale)
            elif stale.resolve() not in keep:
                stale.unlink()
    return written


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--out", type=Path, default=None, help="output folder (default build/report/)")
    ap.add_argument("--no-pdf", action="store_true", help="write the HTML only")
    args = ap.parse_args(argv)
    try:
        written = build(args.out, pdf=not args.no_pdf)
    except ReportError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    for kind, path in written.items():
        print(f"report ({kind}): {paths.relative(path)} ({path.stat().st_size / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
