"""`make export`: every figure in every language, laid out for a width, byte-stable, figures/ untouched.

One run of each notebook serves all three languages (save_figure writes each figure once per language),
so the whole collection is exported at low resolution once for the module; a second, small export
checks that the bytes repeat.
"""

import hashlib
import json

import pytest
from PIL import Image

from japan_taiwan_evidence import export, figures, paths

WIDTH_MM = 160  # a 16 cm column, as the user asked
DPI = 40


def _digests(folder):
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def _committed():
    """figures/ and the notebooks, which an export must not change."""
    return {**_digests(paths.FIGURES), **{p.name: hashlib.sha256(p.read_bytes()).hexdigest()
                                          for p in sorted(paths.NOTEBOOKS.glob("*.ipynb"))}}


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    out = tmp_path_factory.mktemp("export")
    before = _committed()
    lines = []
    records = export.export(["all"], ("en", "ja", "zh-Hant"), WIDTH_MM, ("png",), DPI, out=out,
                            progress=lines.append)
    return out, records, lines, before


@pytest.mark.e2e
def test_every_figure_exports_in_every_language(exported):
    out, records, lines, _ = exported
    wanted = {(name, lang) for name in export.available() for lang in ("en", "ja", "zh-Hant")}
    assert {(r["figure"], r["lang"]) for r in records} == wanted
    for name, lang in wanted:
        png = out / lang / f"{name}.png"
        assert png.exists() and (out / lang / f"{name}.sources.csv").exists(), (name, lang)
        width = Image.open(png).size[0]
        assert abs(width - WIDTH_MM / 25.4 * DPI) <= 1, f"{name} {lang}: {width} px wide"
    assert lines[0].startswith(f"[1/{len(wanted)}] ") and all(f"/{len(wanted)}] " in ln for ln in lines
                                                                  if ln.startswith("["))


@pytest.mark.e2e
def test_export_writes_nothing_in_figures_or_notebooks(exported):
    assert _committed() == exported[3]


@pytest.mark.e2e
def test_the_missile_map_in_japanese_has_a_short_footer(exported):
    _, records, _, _ = exported
    rec = next(r for r in records if r["figure"] == "03_missile_map" and r["lang"] == "ja")
    assert rec["source_lines"] <= 2 and rec["width_mm"] == pytest.approx(WIDTH_MM, abs=0.5)


@pytest.mark.e2e
def test_footers_are_short_in_every_language(exported):
    _, records, _, _ = exported
    long = [(r["figure"], r["lang"], r["source_lines"]) for r in records if r["source_lines"] > 2]
    assert not long


@pytest.mark.e2e
def test_no_labels_are_drawn_over_each_other_in_any_language(exported):
    """Japanese and Chinese glyphs are taller: a title and subtitle that clear each other in English may
    not (02_host_map's did not, until the subtitle was hung a fixed distance under the title)."""
    _, records, _, _ = exported
    assert [(r["figure"], r["lang"], r["clashes"]) for r in records if r["clashes"]] == []


@pytest.mark.e2e
def test_a_column_export_has_no_labels_drawn_over_each_other(tmp_path):
    """An 85 mm column is too narrow for most figures at full text size (year labels ran together,
    a legend covered an axis label): those are scaled down as a whole instead, and none may clash."""
    records = export.export(["all"], ("en", "ja", "zh-Hant"), "column", ("png",), DPI, out=tmp_path,
                            progress=lambda line: None)
    assert len(records) == 3 * len(export.available())
    assert [(r["figure"], r["lang"], r["clashes"]) for r in records if r["clashes"]] == []


@pytest.mark.e2e
def test_exports_are_byte_stable(exported, tmp_path):
    """The same export again, of one figure only, gives the same bytes as the whole run did."""
    out = exported[0]
    export.export(["05_verdicts"], ("en", "ja", "zh-Hant"), WIDTH_MM, ("png",), DPI, out=tmp_path,
                  progress=lambda _line: None)
    again = _digests(tmp_path)
    assert set(again) == {f"{lang}/05_verdicts.{ext}" for lang in ("en", "ja", "zh-Hant")
                          for ext in ("png", "sources.csv")}
    assert again == {k: v for k, v in _digests(out).items() if k in again}


@pytest.mark.e2e
def test_a_relative_out_is_the_callers_folder(tmp_path, monkeypatch, capsys):
    """Kernels run in notebooks/; `--out exports` must still mean the folder the user ran the command in."""
    monkeypatch.chdir(tmp_path)
    before = _committed()
    assert export.main(["--figures", "05_verdicts", "--lang", "en", "--dpi", str(DPI), "--out", "exports"]) == 0
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == [
        "exports/en/05_verdicts.png", "exports/en/05_verdicts.sources.csv"]
    assert not (paths.NOTEBOOKS / "exports").exists() and _committed() == before
    assert capsys.readouterr().out.splitlines()[-1] == "exported 1 set of figure files (one per figure and language) to exports/<lang>/"


def test_unknown_figures_and_bad_options_are_refused(capsys):
    with pytest.raises(export.ExportError, match="unknown figure '99_nothing'"):
        export.export(["99_nothing"])
    assert export.main(["--width", "wide"]) == 1
    assert "expected millimetres" in capsys.readouterr().err
    with pytest.raises(ValueError, match="footer"):
        figures.Presentation(footer="long")


def test_presentation_travels_by_environment(monkeypatch):
    pres = figures.Presentation(langs=("ja",), width_mm="column", footer="none", svg_text="editable")
    monkeypatch.setenv(figures.PRESENTATION_ENV, pres.to_env())
    assert figures.Presentation.from_env() == pres and pres.width_mm == 85
    monkeypatch.setenv(figures.PRESENTATION_ENV, json.dumps({"lang": "ja"}))
    with pytest.raises(ValueError, match="unknown fields"):
        figures.Presentation.from_env()


def test_a_presentation_other_than_the_default_never_writes_figures(tmp_path, monkeypatch):
    monkeypatch.setattr(paths, "BUILD", tmp_path / "build")
    default = figures.Presentation()
    assert figures.output_dir("en", default) == paths.FIGURES
    assert figures.output_dir("en", figures.Presentation(figures=("01_x",))) == paths.FIGURES
    for other in (figures.Presentation(langs=("ja",)), figures.Presentation(width_mm=85),
                  figures.Presentation(footer="none"), figures.Presentation(dpi=100)):
        assert figures.output_dir(other.langs[0], other) == tmp_path / "build" / "export" / other.langs[0]


@pytest.mark.e2e
def test_a_notebook_that_fails_stops_the_export_with_its_name(tmp_path, monkeypatch):
    import nbformat

    nb_path = tmp_path / "98_broken.ipynb"
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("raise ValueError('no such column')", id="c0")]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, nb_path)
    monkeypatch.setattr(export, "available", lambda: {"98_broken_chart": nb_path})
    out = tmp_path / "out"
    with pytest.raises(export.ExportError, match=r"notebooks/98_broken\.ipynb: ValueError: no such column"):
        export.export(["98_broken_chart"], ("en",), WIDTH_MM, ("png",), DPI, out=out, progress=lambda _l: None)
    assert not out.exists() or not any(out.rglob("*"))
