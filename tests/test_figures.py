"""Figures are byte-stable, carry their sources, and are never written from invalid data."""

import hashlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from japan_taiwan_evidence import figures  # noqa: E402


def _draw():
    fig, ax = plt.subplots()
    ax.plot([1950, 1972, 2022], [136554, 61747, 53973], marker="o", label="personnel")
    ax.set_title("test figure with text, markers and a legend")
    ax.legend()
    return fig


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix in {".png", ".svg", ".pdf"}}


def test_two_saves_give_identical_bytes(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        fig = _draw()
        figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=folder)
        plt.close(fig)
    assert set(_digest(a)) == {"99_test.png", "99_test.svg", "99_test.pdf"}
    assert _digest(a) == _digest(b)


def test_no_timestamps_or_software_stamps(tmp_path):
    fig = _draw()
    figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=tmp_path)
    pdf = (tmp_path / "99_test.pdf").read_bytes()
    svg = (tmp_path / "99_test.svg").read_text()
    png = (tmp_path / "99_test.png").read_bytes()
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf
    assert "<dc:date>" not in svg
    assert b"Software" not in png


def test_footer_names_the_sources(tmp_path):
    fig = _draw()
    figures.save_figure(fig, "99_test", sources=["troops-S01", "missiles-S08"], figures_dir=tmp_path)
    texts = [" ".join(t.get_text().split()) for t in fig.texts]  # undo the footer's line wrapping
    assert any("[troops-S01]" in t and "[missiles-S08] Japan Ministry of Defense (2022)" in t for t in texts)
    index = (tmp_path / "index.csv").read_text(encoding="utf-8")
    assert "99_test" in index and "[troops-S01]" in index


def test_unknown_source_or_bad_name_is_refused(tmp_path):
    fig = _draw()
    with pytest.raises(KeyError):
        figures.save_figure(fig, "99_test", sources=["troops-S99"], figures_dir=tmp_path)
    with pytest.raises(ValueError):
        figures.save_figure(fig, "test", sources=["troops-S01"], figures_dir=tmp_path)
    with pytest.raises(ValueError):
        figures.save_figure(fig, "99_test", sources=[], figures_dir=tmp_path)
    assert not list(tmp_path.glob("99_test.*"))
