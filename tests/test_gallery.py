"""figures/README.md lists every figure, names no missing file, and every figure has PNG, SVG and PDF."""

import re
import shutil
from urllib.parse import unquote

import pytest

from japan_taiwan_evidence import gallery, paths

LINK = re.compile(r"\]\(([^)\s]+)\)|(?:src|href)=\"([^\"]+)\"")


def _targets(text: str) -> list[str]:
    return [unquote(a or b) for a, b in LINK.findall(text)]


def _local(target: str) -> bool:
    return not target.startswith(("#", "http://", "https://", "mailto:"))


@pytest.fixture(scope="module")
def page() -> str:
    return (paths.FIGURES / gallery.GALLERY).read_text(encoding="utf-8")


def test_every_figure_is_in_the_gallery(page):
    targets = set(_targets(page))
    missing = [name for name in gallery.figure_files()
               if f"### {name}" not in page or f"{name}.png" not in targets]
    assert not missing, f"figures not in figures/README.md (run `make figures`): {missing}"


def test_gallery_names_no_missing_file(page):
    broken = [t for t in _targets(page) if _local(t) and not (paths.FIGURES / t.split("#")[0]).exists()]
    assert not broken, f"figures/README.md links to files that do not exist: {broken}"


def test_every_figure_has_png_svg_and_pdf_and_an_index_row():
    assert gallery.problems() == []


def test_exports_are_not_figures():
    names = gallery.figure_files()
    assert "05_claims_ledger" not in names  # the ledger's CSV/Markdown export is a table
    assert {"05_claims_ledger.csv", "05_claims_ledger.md"} <= set(gallery.exports())
    assert not [n for n in gallery.exports() if n.endswith(".sources.csv")]  # citations belong to their figure


# --- the generator on a scratch folder -------------------------------------------------------

@pytest.fixture
def scratch(tmp_path):
    d = tmp_path / "figures"
    d.mkdir()
    for name in ("01_personnel_since_1950", "01_base_counts"):
        for ext in ("png", "svg", "pdf", "sources.csv"):
            shutil.copy(paths.FIGURES / f"{name}.{ext}", d / f"{name}.{ext}")
    index = (paths.FIGURES / "index.csv").read_text(encoding="utf-8").splitlines(keepends=True)
    (d / "index.csv").write_text("".join(ln for ln in index if ln.startswith(("figure,", "01_base", "01_personnel_since"))),
                                 encoding="utf-8")
    (d / "05_claims_ledger.csv").write_text("claim_id\nC01\n", encoding="utf-8")
    return d


def test_gallery_is_byte_stable_and_complete(scratch):
    first = gallery.write(scratch).read_bytes()
    assert gallery.write(scratch).read_bytes() == first
    text = first.decode("utf-8")
    for name in ("01_personnel_since_1950", "01_base_counts"):
        assert f'<img src="{name}.png"' in text
        assert f"[SVG]({name}.svg)" in text and f"[PDF]({name}.pdf)" in text
    assert "<summary>Sources (" in text and "- `troops-S01`: Michael E. Flynn, troopdata R package" in text
    assert "[sources](01_base_counts.sources.csv)" in text
    assert "[`05_claims_ledger.csv`](05_claims_ledger.csv)" in text and "### 05_claims_ledger" not in text
    assert all((scratch / t).exists() or t.startswith(("#", "../")) for t in _targets(text))


def test_problems_are_reported(scratch):
    assert gallery.problems(scratch) == []
    (scratch / "01_base_counts.svg").unlink()
    shutil.copy(scratch / "01_base_counts.png", scratch / "03_unindexed.png")
    with open(scratch / "index.csv", "a", encoding="utf-8") as fh:
        fh.write("04_gone,04_x.ipynb,caption,sources\n")
    found = gallery.problems(scratch)
    assert "01_base_counts: no SVG" in found
    assert any(p.startswith("03_unindexed: no PDF, SVG") for p in found)
    assert "03_unindexed: not in index.csv (re-run its notebook)" in found
    assert "04_gone: listed in index.csv but has no file" in found
    text = gallery.render(scratch)
    assert "(missing: SVG)" in text and "04_gone" not in text  # never links a file that is not there
