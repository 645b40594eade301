"""`make report` builds an offline HTML report whose links all resolve and which loads nothing from the web."""

import html
import importlib.util
import re
from urllib.parse import unquote

import pytest

from japan_taiwan_evidence import paths

spec = importlib.util.spec_from_file_location("report", paths.REPO / "tools" / "report.py")
report = importlib.util.module_from_spec(spec)
spec.loader.exec_module(report)

ATTR = re.compile(r'\s(href|src)="([^"]*)"')
TAG = re.compile(r"<(script|link|img|iframe)\b[^>]*>", re.IGNORECASE)
EXTERNAL = re.compile(r"^\s*(https?:)?//", re.IGNORECASE)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    report.build(out)
    return out


def _pages(folder):
    return sorted(folder.glob("*.html"))


def test_one_page_per_notebook_and_an_index_in_order(built):
    names = [nb.stem for nb in report.notebooks()]
    assert {p.stem for p in _pages(built)} == set(names) | {"index"}
    index = (built / "index.html").read_text(encoding="utf-8")
    positions = [index.index(f'href="{n}.html"') for n in names]
    assert positions == sorted(positions), "the index lists the notebooks out of order"
    for verdict in ("supported", "differs", "not tested"):
        assert verdict in index  # the ledger summary


def test_code_inputs_are_hidden_outputs_and_markdown_kept(built):
    page = (built / "05_claims_ledger.html").read_text(encoding="utf-8")
    assert "import japan_taiwan_evidence as jte" not in page
    assert "What the evidence shows" in page  # markdown
    assert "data:image/png;base64," in page  # the figure output, inline
    assert "exported figures/05_claims_ledger.csv" in page  # printed output


def test_every_link_resolves(built):
    broken = []
    for page in _pages(built):
        text = page.read_text(encoding="utf-8")
        ids = {html.unescape(i) for i in re.findall(r'\sid="([^"]*)"', text)}
        for attr, raw in ATTR.findall(text):
            target = html.unescape(raw)
            if target.startswith(("data:", "mailto:")) or EXTERNAL.match(target):
                continue  # inline data, or a link out that the reader may follow; never fetched by the page
            path, _, anchor = target.partition("#")
            if path and not (page.parent / unquote(path)).is_file():
                broken.append(f"{page.name}: {attr}={raw}")
            elif not path and anchor and not {anchor, unquote(anchor)} & ids:  # browsers try both forms
                broken.append(f"{page.name}: {attr}={raw} (no such anchor)")
    assert not broken, broken


def test_nothing_is_loaded_from_the_network(built):
    offending = []
    for page in _pages(built):
        text = page.read_text(encoding="utf-8")
        for m in TAG.finditer(text):
            for attr, value in ATTR.findall(m.group(0)):
                if EXTERNAL.match(html.unescape(value)):
                    offending.append(f"{page.name}: {m.group(0)[:120]}")
        for css in re.findall(r"<style[^>]*>(.*?)</style>", text, flags=re.DOTALL | re.IGNORECASE):
            for url in re.findall(r"@import\s+(?:url\()?['\"]?([^'\")\s;]+)|url\(\s*['\"]?([^'\")]+)", css):
                target = next(u for u in url if u)
                if EXTERNAL.match(target):
                    offending.append(f"{page.name}: style url {target[:120]}")
        if re.search(r"cdnjs|unpkg|jsdelivr|mathjax", text, re.IGNORECASE):
            offending.append(f"{page.name}: mentions a CDN or MathJax")
    assert not offending, offending


def test_rebuild_gives_the_same_pages(built, tmp_path):
    again = tmp_path / "again"
    report.build(again)
    for page in _pages(built):
        assert (again / page.name).read_bytes() == page.read_bytes(), page.name
