"""`make report`: one self-contained HTML file with no code, and its PDF printed by Chromium."""

import csv
import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pandas as pd
import pytest

from japan_taiwan_evidence import paths, report, report_notebook
from japan_taiwan_evidence.report_format import (
    clean_prose,
    column_cells,
    header_label,
    is_code_name,
    markdown_html,
    parse_tables,
    printed_html,
    table_html,
)

CHROMIUM = Path(report.CHROMIUM)
needs_chromium = pytest.mark.skipif(not CHROMIUM.is_file(), reason=f"{CHROMIUM} not installed (CI installs it)")


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """The HTML report (no PDF: printing drives Chromium, which the e2e tests below do)."""
    out = tmp_path_factory.mktemp("report")
    written = report.build(out, pdf=False)
    return out, written


@pytest.fixture(scope="module")
def printed(tmp_path_factory):
    """The report with its PDF, printed by Chromium."""
    out = tmp_path_factory.mktemp("printed")
    return out, report.build(out, pdf=True)


@pytest.fixture(scope="module")
def page(built):
    return built[1]["html"].read_text(encoding="utf-8")


def visible_text(page: str) -> str:
    body = re.sub(r"<style>.*?</style>", "", page, flags=re.DOTALL)
    body = re.sub(r'\s(?:src|href)="[^"]*"', "", body)
    return html.unescape(re.sub(r"<[^>]+>", " ", body))


def ledger():
    with open(paths.FIGURES / report.LEDGER_CSV, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


# --- the document ------------------------------------------------------------------------------------

def test_one_self_contained_file(built, page):
    out, written = built
    names = sorted(p.name for p in out.iterdir())
    assert names == sorted(f"{report.NAME}.{k}" for k in written), names
    assert not re.search(r"<(script|link|iframe)\b", page, re.IGNORECASE)
    assert not re.search(r"@import|url\(", page)
    srcs = re.findall(r'\ssrc="([^"]*)"', page)
    assert srcs and all(s.startswith("data:image/") for s in srcs)
    ids = set(re.findall(r'\sid="([^"]*)"', page))
    for href in re.findall(r'\shref="([^"]*)"', page):
        target = html.unescape(href)
        assert target.startswith(("#", "https://", "http://")), target
        if target.startswith("#"):
            assert target[1:] in ids, f"no anchor {target}"


def test_no_code_no_code_names_no_build_chatter(page):
    assert not re.search(r"<(code|pre)\b", page)
    text = visible_text(page)
    for bad in ("jte.", "japan_taiwan_evidence.", "saved figures/", "exported figures/", "import japan_taiwan_evidence", "import pandas", "plt.show",
                "<NA>", "NaN", "True", "False"):
        assert bad not in text, f"{bad!r} in the report"
    tokens = set(re.findall(r"[A-Za-z_][\w.]*\.[A-Za-z_]\w*(?:\(\))?", text))
    assert not [t for t in tokens if is_code_name(t)]


def test_title_page_states_commit_date_tree_parameters_and_language(page):
    head = page.split('<section class="chapter"', 1)[0]
    commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=paths.REPO, capture_output=True, text=True,
                            check=True).stdout.strip()
    date = subprocess.run(["git", "log", "-1", "--format=%cI"], cwd=paths.REPO, capture_output=True, text=True,
                          check=True).stdout.strip()
    when = pd.Timestamp(date).tz_convert("UTC")
    assert commit in head
    assert when.strftime("%Y-%m-%d %H:%M UTC") in head
    dirty = subprocess.run(["git", "status", "--porcelain", "--", *report.WATCHED], cwd=paths.REPO,
                           capture_output=True, text=True, check=True).stdout.strip()
    assert ("uncommitted changes:" in head) == bool(dirty) != ("clean: data/" in head)
    assert "Parameters" in head and ("default settings" in head or "<td>default" in head)
    assert "English" in head
    for ch in report.notebooks():
        assert f'href="#nb-{ch.stem}"' in head  # contents


def test_every_notebook_is_a_chapter_with_its_question(page):
    for nb in report.notebooks():
        section = page.split(f'id="nb-{nb.stem}"', 1)[1].split('<section class="chapter"', 1)[0]
        assert "Question." in section
        assert "What the evidence shows" in section
        assert "Figures written" not in section


def test_every_figure_has_its_caption(page):
    with open(paths.FIGURES / "index.csv", encoding="utf-8", newline="") as fh:
        index = list(csv.DictReader(fh))
    for row in index:
        m = re.search(rf'<figure id="fig-{row["figure"]}">.*?<figcaption>(.*?)</figcaption>', page, re.DOTALL)
        assert m, f"figure {row['figure']} missing"
        assert html.escape(row["caption"]) in m.group(1)
    assert page.count("<figure") == len(index)


def test_tables_have_readable_headers_and_values(page):
    tables = re.findall(r'<table class="data[^"]*">(.*?)</table>', page, re.DOTALL)
    assert len(tables) > 20
    for t in tables:
        headers = [html.unescape(h) for h in re.findall(r"<th>(.*?)</th>", t)]
        assert all(h.strip() for h in headers), headers  # no blank index header
        assert not any("_" in h for h in headers), headers
        first = [re.sub(r"<[^>]+>", "", r) for r in re.findall(r"<tr><td[^>]*>(.*?)</td>", t)]
        assert not (first and first == [str(i) for i in range(len(first))]), "a column of row numbers"


def test_one_verdict_card_per_claim_with_the_ledger_verdict(page):
    for row in ledger():
        cards = re.findall(rf'<article class="card" id="claim-{row["claim_id"]}">(.*?)</article>', page, re.DOTALL)
        assert len(cards) == 1, row["claim_id"]
        assert f">{html.escape(row['verdict'])}</span>" in cards[0]
        assert html.escape(row["claim"]) in cards[0]


def test_html_is_byte_stable(built, tmp_path):
    again = report.build(tmp_path, pdf=False)["html"]
    assert again.read_bytes() == built[1]["html"].read_bytes()


# --- the PDF -----------------------------------------------------------------------------------------

@pytest.mark.e2e
@needs_chromium
def test_pdf_is_printed_with_the_commit_date_and_byte_stable(printed):
    pdf = printed[1]["pdf"].read_bytes()
    assert pdf.startswith(b"%PDF-")
    prov = report.provenance()
    dates = re.findall(rb"/(?:CreationDate|ModDate) \((D:[^)]*)\)", pdf)
    assert dates and set(dates) == {report._pdf_date(prov.date)}
    pages = len(re.findall(rb"/Type\s*/Page\b", pdf))
    assert pages > 2 * len(report.notebooks())
    assert report.print_pdf(printed[1]["html"].read_text(encoding="utf-8"), prov) == pdf


@pytest.mark.e2e
@needs_chromium
@pytest.mark.skipif(not shutil.which("pdftotext"), reason="pdftotext (poppler-utils) not installed")
def test_pdf_text_has_no_code(printed):
    text = subprocess.run(["pdftotext", "-layout", str(printed[1]["pdf"]), "-"], capture_output=True, text=True,
                          check=True).stdout
    for nb in report.notebooks():
        assert report_notebook.chapter(nb).title.split(":")[0] in text
    for bad in ("jte.", "saved figures", "import japan_taiwan_evidence"):
        assert bad not in text


def test_missing_chromium_stops_with_a_clear_error_and_writes_nothing(tmp_path, monkeypatch):
    monkeypatch.setattr(report, "CHROMIUM", str(tmp_path / "no-chromium"))
    with pytest.raises(report.ReportError, match="apt-get install chromium"):
        report.build(tmp_path / "out", pdf=True)
    assert not (tmp_path / "out").exists()


def test_fix_pdf_dates_keeps_the_length():
    when = pd.Timestamp("2025-01-02T03:04:05Z").to_pydatetime()
    pdf = b"<</CreationDate (D:20261129164501+00'00')\n/ModDate (D:20261129164501+09'00')>>"
    fixed = report.fix_pdf_dates(pdf, when)
    assert len(fixed) == len(pdf)
    assert fixed.count(b"D:20250102030405+00'00'") == 2


# --- inputs decide the output ------------------------------------------------------------------------

def test_captions_and_verdicts_follow_figures(tmp_path, monkeypatch):
    figs = tmp_path / "figures"
    shutil.copytree(paths.FIGURES, figs)
    rows = ledger()
    rows[0]["verdict"] = "differs"
    with open(figs / report.LEDGER_CSV, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    index = (figs / "index.csv").read_text(encoding="utf-8")
    (figs / "index.csv").write_text(index.replace("Counts of US bases", "Tallies of US bases"), encoding="utf-8")
    monkeypatch.setattr(paths, "FIGURES", figs)
    page = report.render(report.Provenance(None, None))
    card = re.search(rf'id="claim-{rows[0]["claim_id"]}">(.*?)</article>', page, re.DOTALL).group(1)
    assert ">differs</span>" in card
    assert "Tallies of US bases" in page
    assert "unknown (not a git checkout)" in page


def test_missing_ledger_stops_before_anything_is_written(tmp_path, monkeypatch):
    figs = tmp_path / "figures"
    figs.mkdir()
    monkeypatch.setattr(paths, "FIGURES", figs)
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / f"{report.NAME}.html").write_text("previous", encoding="utf-8")
    with pytest.raises(report.ReportError, match="make figures"):
        report.build(tmp_path / "out", pdf=False)
    assert (tmp_path / "out" / f"{report.NAME}.html").read_text(encoding="utf-8") == "previous"


def _notebook(tmp_path, cells) -> Path:
    nb = nbformat.v4.new_notebook()
    nb.cells = cells
    path = tmp_path / "99_demo.ipynb"
    nbformat.write(nb, path)
    return path


def _code(source, tags=(), stdout="", html_out=None):
    cell = nbformat.v4.new_code_cell(source, metadata={"tags": list(tags)} if tags else {})
    if stdout:
        cell.outputs.append(nbformat.v4.new_output("stream", name="stdout", text=stdout))
    if html_out:
        cell.outputs.append(nbformat.v4.new_output("execute_result", data={"text/html": html_out,
                                                                            "text/plain": "df"},
                                                   execution_count=1))
    return cell


def test_tags_decide_what_a_chapter_shows(tmp_path):
    df = pd.DataFrame({"distance_km": [107.3, 110.9], "on_island": [True, pd.NA]})
    cells = [
        nbformat.v4.new_markdown_cell("# 99 · A demo\n\n**Question.** Does it work?\n\n**Figures written:** none"),
        _code("x = 1", stdout="UNTAGGED OUTPUT\n"),
        _code("df", tags=["report"], html_out=df.to_html()),
        _code("print(x)", tags=["report"], stdout="Shown line.\nsaved figures/99_demo.{png,svg,pdf}\n"),
        nbformat.v4.new_markdown_cell("## Hidden section\n\nHIDDEN PROSE", metadata={"tags": ["report-skip"]}),
        nbformat.v4.new_markdown_cell("## Kept heading\n\nNOTEBOOK PROSE", metadata={"tags": ["report-heading"]}),
        nbformat.v4.new_markdown_cell("Rule (in `jte.claims.check_c13`): within 5%."),
        _code("report()", tags=["report-verdicts"], stdout="C13 verdict: supported\n  rule: ...\n"),
        _code("import papermill", tags=["parameters"]),
        _code("TOLERANCE = 0.05  # share of the claim", tags=["parameters"]),
    ]
    ch = report_notebook.chapter(_notebook(tmp_path, cells))
    assert (ch.number, ch.title) == ("99", "A demo")
    assert "Does it work?" in ch.intro and "Figures written" not in ch.intro
    shown = "\n".join(p for k, p in ch.items if k == "html")
    assert "UNTAGGED OUTPUT" not in shown and "HIDDEN" not in shown and "NOTEBOOK PROSE" not in shown
    assert "Kept heading" in shown and "Shown line." in shown and "saved figures" not in shown
    assert "Rule: within 5%." in shown and "jte." not in shown
    assert "<td>yes</td>" in shown and "<td>–</td>" in shown and "Distance (km)" in shown
    assert ("verdicts", ["C13"]) in ch.items
    assert ch.parameters == [("TOLERANCE", "0.05", "default: share of the claim")]


def test_every_report_tag_in_the_notebooks_is_known():
    for nb_path in report.notebooks():
        nb = nbformat.read(nb_path, as_version=4)
        tags = {t for c in nb.cells for t in c.metadata.get("tags", []) if t.startswith("report")}
        assert tags and tags <= set(report_notebook.TAGS), (nb_path.name, tags)


@pytest.mark.e2e
def test_make_report_runs_the_command_line(tmp_path):
    done = subprocess.run([sys.executable, "-m", "japan_taiwan_evidence.report", "--no-pdf", "--out", str(tmp_path)],
                          cwd=paths.REPO, capture_output=True, text=True, timeout=600, check=False)
    assert done.returncode == 0, done.stderr
    assert f"{report.NAME}.html" in done.stdout
    assert (tmp_path / f"{report.NAME}.html").is_file()


# --- formatting ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("text, expected", [
    ("**Rule** (in `jte.claims.check_c13`): supported if so.", "**Rule**: supported if so."),
    ("compared with the records by its rule in diplomacy.TERMS: supported if",
     "compared with the records: supported if"),
    ("differs if neither is. Geodesic distances on WGS84 from reach.yonaguni_taiwan()",
     "differs if neither is. Geodesic distances on WGS84"),
    ("Kept. The tolerance is `jte.claims.ROUNDED_TOLERANCE`; change it and rerun.", "Kept."),
    ("See `data/claims.csv` and claims.md, flag `navy_swing`.",
     "See `data/claims.csv` and claims.md, flag `navy_swing`."),
])
def test_clean_prose_takes_out_code_names(text, expected):
    assert clean_prose(text) == expected


def test_markdown_keeps_file_names_as_plain_text():
    out = markdown_html("A list in `data/troops/personnel.csv` (`troops-S01`).")
    assert "<code" not in out and '<span class="term">data/troops/personnel.csv</span>' in out


def test_printed_text_drops_build_messages():
    out = printed_html("Zones: Z4.\nsaved figures/03_missile_map.{png,svg,pdf}\n- C14 differs: no\n  detail\n")
    assert "saved" not in out and "<p>Zones: Z4.</p>" in out and "<li>C14 differs: no</li>" in out


@pytest.mark.parametrize("name, label", [
    ("distance_km", "Distance (km)"), ("area_km2", "Area (km²)"), ("azimuth_deg", "Azimuth (°)"),
    ("share_in_eez_%", "Share in EEZ (%)"), ("report_date", "Report date"), ("iso3", "ISO3"),
])
def test_header_labels(name, label):
    assert header_label(name) == label


def test_columns_format_numbers_and_missing_values():
    assert column_cells(["1170.0", "1733.2", "<NA>"], "distance_km") == [
        ("1,170.0", "num"), ("1,733.2", "num"), ("–", "num")]
    assert column_cells(["2072.0", "0.0"], "area_km2") == [("2,072", "num"), ("0", "num")]
    assert column_cells(["2021", "2016"], "year") == [("2021", "num"), ("2016", "num")]
    assert column_cells(["True", "False", "NaN"], "inside") == [("yes", ""), ("no", ""), ("–", "")]
    assert column_cells(["total_active_duty"], "measure") == [("total active duty", "")]
    assert column_cells(["undated_s01"], "statement_id") == [("undated_s01", "")]


def test_tables_drop_row_numbers_and_keep_a_named_index():
    plain = pd.DataFrame({"a_km": [1.5, 2.0]})
    named = plain.set_axis(pd.Index(["Z1", "Z2"], name="zone_id"))
    multi = pd.DataFrame({"v": [1, 2, 3]}, index=pd.MultiIndex.from_tuples(
        [("Context", "C01"), ("Context", "C02"), ("GCTF", "C06")], names=["category", "claim_id"]))
    (t1,), (t2,), (t3,) = (parse_tables(d.to_html()) for d in (plain, named, multi))
    assert t1.columns == ["a_km"] and t1.rows == [["1.5"], ["2.0"]]
    assert t2.columns == ["zone_id", "a_km"] and t2.rows[1] == ["Z2", "2.0"]
    assert t3.columns == ["category", "claim_id", "v"] and t3.rows[1] == ["Context", "C02", "2"]
    assert "<th>Zone ID</th>" in table_html(t2)


def test_provenance_reports_uncommitted_changes():
    stray = paths.REPO / "figures" / "zz_report_test_stray.txt"
    try:
        stray.write_text("not committed\n", encoding="utf-8")
        prov = report.provenance()
        assert "figures/zz_report_test_stray.txt" in prov.changes.get("figures", [])
        page = report.Document([], ledger(), prov).title_page()
        assert "uncommitted changes:" in page and "figures/ (" in page
    finally:
        stray.unlink(missing_ok=True)


def test_the_default_folder_holds_only_the_new_report(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path)
    old = tmp_path / "report"
    (old / "files" / "figures").mkdir(parents=True)
    (old / "index.html").write_text("the old multi-page report", encoding="utf-8")
    (old / f"{report.NAME}.pdf").write_text("a PDF of an older page", encoding="utf-8")
    report.build(pdf=False)
    assert sorted(p.name for p in old.iterdir()) == [f"{report.NAME}.html"]


# Every word on one line (addresses may wrap after their separators), nothing wider than the text column.
LAYOUT_JS = r"""
() => {
  const split = [], wide = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  let node;
  while ((node = walker.nextNode())) {
    if (node.parentElement.closest('a[href^="http"]')) continue;
    const re = /[A-Za-z0-9\u00C0-\u024F'’]+/g;
    let m;
    while ((m = re.exec(node.data))) {
      const r = document.createRange();
      r.setStart(node, m.index);
      r.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(r.getClientRects()).map(x => Math.round(x.top)));
      if (tops.size > 1) split.push(m[0] + ' in: ' + node.data.slice(Math.max(0, m.index - 30), m.index + 40));
    }
  }
  const body = document.body.getBoundingClientRect().width;
  for (const el of document.querySelectorAll('table, figure, img, article, p, ul, dl')) {
    const w = el.getBoundingClientRect().width;
    if (w > body + 1) wide.push(el.tagName + ' ' + Math.round(w) + 'px: ' + el.textContent.slice(0, 60));
  }
  return {split, wide};
}
"""


@pytest.mark.e2e
@needs_chromium
def test_no_word_breaks_across_lines_and_nothing_overflows_the_page(page):
    from playwright.sync_api import sync_playwright

    width_px = round((210 - 32) / 25.4 * 96)  # A4 less the report's 16 mm margins, in CSS pixels
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=report.CHROMIUM, headless=True, args=report.CHROMIUM_ARGS)
        try:
            tab = browser.new_page(viewport={"width": width_px, "height": 1000})
            tab.emulate_media(media="print")
            tab.set_content(page)
            found = tab.evaluate(LAYOUT_JS)
        finally:
            browser.close()
    assert not found["split"], found["split"][:10]
    assert not found["wide"], found["wide"][:10]


def test_readme_documents_every_tag():
    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    for tag in report_notebook.TAGS:
        assert f"| `{tag}` |" in readme, tag
