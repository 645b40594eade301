"""The glossary (data/i18n/glossary.csv), label translation, and the pinned fonts."""

import csv
import hashlib

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pandas as pd  # noqa: E402
import pytest  # noqa: E402
from conftest import read_rows, write_rows  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from japan_taiwan_evidence import figures, i18n, layout, paths, validate  # noqa: E402

GLOSSARY = paths.DATA / "i18n" / "glossary.csv"


def _rows():
    with open(GLOSSARY, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def test_glossary_has_unique_keys_and_no_empty_translations():
    rows = _rows()
    keys = [r["key"] for r in rows]
    assert len(keys) == len(set(keys)), sorted({k for k in keys if keys.count(k) > 1})
    empty = [(r["key"], c) for r in rows for c in ("en", "ja", "zh_hant") if not r[c].strip()]
    assert not empty
    i18n.glossary()  # the full validation: schema, placeholders, normalised keys


def test_a_translation_brings_no_number_of_its_own():
    """The glossary has no source_id: it holds our translations, not evidence. So no translation may add a
    number its English key lacks (a count, a year, a distance); only a day or month number (a date written
    the Japanese way, 12月29日 for '29 Dec') and the 0 of 'no ...' are allowed."""
    import re

    added = []
    for r in _rows():
        in_key = set(re.findall(r"\d+", r["key"]))
        for lang in ("en", "ja", "zh_hant"):
            for n in re.findall(r"\d+", r[lang]):
                if n not in in_key and n != "0" and not (len(n) <= 2 and 1 <= int(n) <= 31):
                    added.append((r["key"], lang, n))
    assert not added


def test_every_publisher_a_figure_cites_has_a_name_in_every_language():
    """The sources each committed figure cites (its sidecar) can be named in its footer in every language
    (a new source cited by no figure yet needs no row; test_export finds it once a figure cites it)."""
    g = i18n.glossary()
    cited = set()
    for sidecar in paths.FIGURES.glob("*.sources.csv"):
        with open(sidecar, encoding="utf-8", newline="") as fh:
            cited |= {row["publisher"] for row in csv.DictReader(fh)}
    assert cited and sorted(p for p in cited if p not in g) == []


@pytest.mark.parametrize("edit, column, expected", [
    ("duplicate", "key", "unique key"),
    ("blank", "ja", "a translation"),
    ("placeholder", "zh_hant", "placeholders"),
    ("linebreak", "key", "single spaces"),
])
def test_a_bad_glossary_row_is_named(data_copy, edit, column, expected):
    path = data_copy / "i18n" / "glossary.csv"
    fields, rows = read_rows(path)
    target = next(i for i, r in enumerate(rows) if r["key"] == "{n} MOD missiles")
    if edit == "duplicate":
        rows.append(dict(rows[target]))
    elif edit == "blank":
        rows[target]["ja"] = " "
    elif edit == "placeholder":
        rows[target]["zh_hant"] = "日本防衛省稱{count}枚"
    else:
        rows[target]["key"] = "{n} MOD\nmissiles"
    write_rows(path, fields, rows)
    validate.clear_cache()
    with pytest.raises(validate.DataError) as err:
        i18n.glossary(data_copy)
    message = str(err.value)
    assert message.startswith("data/i18n/glossary.csv, row ") and f"column '{column}'" in message
    assert expected in message


def _glossary(*rows) -> i18n.Glossary:
    return i18n.Glossary(pd.DataFrame(rows, columns=["key", "en", "ja", "zh_hant", "note"]))


def test_templates_numbers_lists_and_sentences():
    g = _glossary(("{n} MOD missiles", "{n} MOD missiles", "防衛省発表 {n}発", "日本防衛省稱{n}枚", ""),
                  ("{d} Aug {y}", "{d} Aug {y}", "{y}年8月{d}日", "{y}年8月{d}日", ""),
                  ("from {date}", "from {date}", "{date}から", "自{date}", ""),
                  ("Japan", "Japan", "日本", "日本", ""), ("Taiwan", "Taiwan", "台湾", "臺灣", ""),
                  ("Seen: {names}.", "Seen: {names}.", "確認：{names}。", "確認：{names}。", ""),
                  ("It is short.", "It is short.", "短い。", "很短。", ""))
    assert g.translate("5 MOD missiles", "ja") == "防衛省発表 5発"
    assert g.translate("1,250 MOD\nmissiles", "zh-Hant") == "日本防衛省稱1,250枚"  # line breaks do not matter
    assert g.translate("from 4 Aug 2022", "ja") == "2022年8月4日から"
    assert g.translate("Seen: Japan, Taiwan.", "ja") == "確認：日本、台湾。"
    assert g.translate("Seen: Japan. It is short.", "zh-Hant") == "確認：日本。很短。"
    assert g.translate("1972", "ja") == "1972" and g.translate("23%", "zh-Hant") == "23%"
    assert g.translate("Anything at all", "en") == "Anything at all"  # English is drawn as it is
    with pytest.raises(i18n.MissingTranslation) as err:
        g.translate("many MOD missiles", "ja", figure="03_missile_map")
    assert "figure 03_missile_map" in str(err.value) and "'many MOD missiles'" in str(err.value)
    assert "Japanese (ja)" in str(err.value) and "data/i18n/glossary.csv" in str(err.value)


def test_the_disputed_islands_keep_both_names():
    g = i18n.glossary()
    label = "Senkaku / Diaoyu Is. (disputed)"
    assert "尖閣" in g.translate(label, "ja") and "釣魚" in g.translate(label, "ja")
    assert "尖閣" in g.translate(label, "zh-Hant") and "釣魚臺" in g.translate(label, "zh-Hant")
    assert g.rows[label]["note"]


# --- fonts ---------------------------------------------------------------------------------------

def test_fonts_are_the_pinned_files():
    assert i18n.register_fonts("ja") == ["DejaVu Sans", "Noto Sans CJK JP"]
    assert i18n.register_fonts("zh-Hant") == ["DejaVu Sans", "Noto Sans CJK TC"]
    noto = i18n._noto_cjk_path()
    assert hashlib.sha256(noto.read_bytes()).hexdigest() == i18n.NOTO_CJK_SHA256
    for family in ("Noto Sans CJK JP", "Noto Sans CJK TC"):
        found = font_manager.findfont(font_manager.FontProperties(family=family), fallback_to_default=False)
        assert str(found) == str(noto)
    dejavu = font_manager.findfont(font_manager.FontProperties(family="DejaVu Sans", weight="bold"))
    assert str(dejavu) == str(i18n.DEJAVU[1][1])


def test_a_same_named_system_font_does_not_win(monkeypatch):
    """matplotlib takes the first match: a decoy registered first must be dropped, not silently used."""
    fm = font_manager.fontManager
    decoy = font_manager.FontEntry(fname=str(i18n.DEJAVU[0][1]), name="Noto Sans CJK JP", style="normal",
                                   variant="normal", weight=400, stretch="normal", size="scalable")
    monkeypatch.setattr(fm, "ttflist", [decoy, *fm.ttflist])
    monkeypatch.setattr(i18n, "_registered", {})
    fm._findfont_cached.cache_clear()
    i18n.register_fonts("ja")
    found = font_manager.findfont(font_manager.FontProperties(family="Noto Sans CJK JP"), fallback_to_default=False)
    assert str(found) == str(i18n._noto_cjk_path())


def test_a_changed_font_file_is_refused(monkeypatch):
    monkeypatch.setattr(i18n, "_registered", {})
    monkeypatch.setattr(i18n, "NOTO_CJK_SHA256", "0" * 64)
    with pytest.raises(RuntimeError, match="not the pinned file"):
        i18n.register_fonts("zh-Hant")
    monkeypatch.undo()
    i18n._registered.clear()
    i18n.register_fonts("zh-Hant")


def test_a_missing_glyph_stops_the_save(tmp_path):
    fig, ax = plt.subplots()
    ax.set_title("沖縄")  # English figures are drawn with DejaVu Sans only: this would print as boxes
    with pytest.raises(UserWarning, match="missing from font"):
        figures.save_figure(fig, "99_glyphs", sources=["troops-S01"], figures_dir=tmp_path)
    plt.close(fig)
    assert not list(tmp_path.glob("99_glyphs.*"))


# --- a figure in another language -----------------------------------------------------------------

def _figure():
    fig, ax = plt.subplots()
    ax.bar(["Army", "Navy"], [1, 2], label="supported")
    ax.set_title("Main US installations in Japan by service")
    ax.set_ylabel("thousands")
    ax.annotate("Okinawa reverts\nto Japan, 1972", (0, 1))
    ax.legend(title="unit as stated")
    return fig


def _texts(fig):
    fig.canvas.draw()
    return sorted(t.get_text() for t in fig.findobj(matplotlib.text.Text) if t.get_text())


def test_translating_a_figure_and_undoing_it():
    fig = _figure()
    before = _texts(fig)
    undo = i18n.translate_figure(fig, "ja", figure="99_test")
    after = _texts(fig)
    for text in ("在日米軍の主要施設（軍種別）", "千人", "沖縄返還\n1972年", "陸軍", "海軍", "裏付けあり", "発表時の単位"):
        assert text in after, text
    undo()
    assert _texts(fig) == before
    plt.close(fig)


def test_a_maps_graticule_labels_are_made_through_the_translation_and_put_back():
    """Graticule labels are made by cartopy at draw time: translation wraps the graticule's formatters
    (the code once looked for the graticules where cartopy 0.26 does not keep them, and did nothing)."""
    import cartopy.crs as ccrs

    from japan_taiwan_evidence import maps

    fig = plt.figure(figsize=(4, 3))
    ax = fig.add_subplot(projection=ccrs.PlateCarree())
    ax.set_extent((120, 146, 24, 46), crs=ccrs.PlateCarree())
    gl = maps.add_graticule(ax, step=5)
    drawn = gl.xformatter
    undo = i18n.translate_figure(fig, "ja", figure="99_test")
    assert isinstance(gl.xformatter, i18n._Translated) and gl.xformatter.inner is drawn
    fig.canvas.draw()
    assert {a.get_text() for a in gl.label_artists if a.get_visible()} >= {"130°E", "40°N"}
    undo()
    assert gl.xformatter is drawn
    plt.close(fig)


def test_an_unknown_label_names_the_figure_and_the_label():
    fig = _figure()
    fig.axes[0].set_xlabel("a label nobody translated")
    with pytest.raises(i18n.MissingTranslation) as err:
        i18n.translate_figure(fig, "zh-Hant", figure="99_test")
    assert "figure 99_test" in str(err.value) and "'a label nobody translated'" in str(err.value)
    plt.close(fig)


def test_wrapping_keeps_kinsoku_and_width():
    prop = font_manager.FontProperties(family=i18n.register_fonts("ja"), size=6.5)
    text = "射程は公開情報による推定で、公式の数値ではない。" * 4
    lines = layout.wrap_text(text, 1.2, prop).split("\n")
    assert len(lines) > 3 and "".join(lines) == text
    assert not any(line[0] in "、。）" for line in lines)
    assert all(layout.text_width_in(line, prop) <= 1.2 for line in lines)


def test_a_partial_year_ending_in_any_month_is_translated():
    """Notebook 02 names a partial year by its last day ('2016 up to 15 Nov'); a user who adds a year that
    ends in another month must not meet a missing translation in the export."""
    from japan_taiwan_evidence import gctf

    g = i18n.glossary()
    for month in range(1, 13):
        end = pd.Timestamp(2026, month, 28)
        label = gctf.year_label(end.year, end.date().isoformat())  # as notebook 02 names it
        assert g.translate(label, "ja") == f"{end.year}年（{month}月{end.day}日まで）", label
        assert g.translate(label, "zh-Hant") == f"{end.year}年（至{month}月{end.day}日）", label
