"""Footers and citations of a figure (core): the short source line, the full list, the sidecar rows.

A footer names publishers, not source IDs: each source's publisher as data/i18n/glossary.csv shows it
(a mirror, reprint or relay under the publisher of the original), grouped, deduplicated and ordered by
how many rows drawn cite it. It fits in SOURCE_LINES lines at the figure's width, measured with the
fonts' outlines; when the names do not fit, the rest are counted and the sidecar file named. The full
citations (every source ID with publisher, title, URL and dates) go to NN_slug.sources.csv.
"""

from __future__ import annotations

import matplotlib as mpl
import pandas as pd

from . import i18n, layout
from . import sources as _sources

FOOTER_PT = 6.5
FOOTER_COLOUR = "#444444"
SOURCE_LINES = 2  # the short source line, map credit included, never runs longer
SIDECAR_FIELDS = ["source_id", "used_for", "shown_as", "publisher", "title", "url", "published",
                  "date_as_given", "accessed", "licence"]


def shown_as(publisher: str, lang: str, gloss, figure: str, on_missing=None) -> str:
    """The name a footer gives a publisher: the glossary's (a mirror under its original), else as recorded."""
    if publisher in gloss:
        return gloss.value(publisher, lang)
    if lang != "en" and on_missing is None:
        raise i18n.MissingTranslation(publisher, lang, figure)
    if lang != "en":
        on_missing(publisher)
    return _sources._latin(publisher) or publisher


def publishers(cited, reg, lang, gloss, figure, skip_basemap: bool, on_missing=None) -> list[str]:
    """Publishers, deduplicated after grouping; the most-cited first (by rows drawn), then in order."""
    order: dict[str, tuple] = {}
    for pos, (sid, _role, n) in enumerate(cited):
        if skip_basemap and reg.loc[sid, "topic"] == "basemap":
            continue  # the map credit names them
        name = shown_as(reg.loc[sid, "publisher"], lang, gloss, figure, on_missing)
        rows, first = order.get(name, (0, pos))
        order[name] = (rows + n, first)
    return sorted(order, key=lambda k: (-order[k][0], order[k][1]))


def year(value) -> str:
    return str(value)[:4] if isinstance(value, str) and value[:4].isdigit() else ""


def sidecar_rows(cited, data_dir=None) -> list[dict]:
    """The full citations of a figure, one row per source ID (the sidecar file and the gallery)."""
    reg = _sources.registry(data_dir)
    gloss = i18n.glossary(data_dir)
    rows = []
    for sid, role, _n in cited:
        r = reg.loc[sid]
        rows.append({"source_id": sid, "used_for": role,
                     "shown_as": shown_as(r["publisher"], "en", gloss, ""),
                     **{k: ("" if pd.isna(r[k]) else str(r[k])) for k in SIDECAR_FIELDS[3:]}})
    return rows


def has_text(fig, *texts: str) -> bool:
    """True if some text of the figure contains one of `texts` (line breaks ignored)."""
    drawn = [i18n.normalise(t.get_text()) for t in fig.findobj(mpl.text.Text)]
    return any(i18n.normalise(want) in d for want in texts for d in drawn)


def source_line(names: list[str], lines: int, name, lang, gloss, fits) -> str:
    """'Source: A; B; C', or as many names as fit in `lines` lines and a pointer to the sidecar."""
    sep = i18n.list_sep(lang)
    full = gloss.phrase("Source: {publishers}", lang, publishers=sep.join(names))
    if fits(full, lines):
        return full
    for k in range(len(names) - 1, 0, -1):
        text = gloss.phrase("Source: {publishers} and {n} more (all: {file})", lang,
                            publishers=sep.join(names[:k]), n=len(names) - k, file=f"{name}.sources.csv")
        if fits(text, lines):
            return text
    return gloss.phrase("Sources: see {file}", lang, file=f"{name}.sources.csv")


def draw_footer(fig, snap, name, lang, parts, credit, box, width_in, data_dir) -> dict:
    """Draw the footer under `box` (inches), wrapped to width_in; returns its line counts."""
    gloss = i18n.glossary(data_dir)
    prop = mpl.font_manager.FontProperties(family=i18n.families(lang), size=FOOTER_PT)

    def wrap(text):
        return layout.wrap_text(text, width_in, prop)

    def fits(text, lines):
        return wrap(text).count("\n") + 1 <= lines

    paragraphs, counts = [], {"note_lines": 0, "source_lines": 0, "footer": ""}
    for kind, content, max_lines in parts:
        if max_lines is None:
            text = wrap(content)
        else:
            text = wrap(source_line(content, max(max_lines, 1), name, lang, gloss, fits))
        counts["note_lines" if kind == "note" else "source_lines"] += text.count("\n") + 1
        paragraphs.append(text)
    if credit:
        paragraphs.append(wrap(credit))
        counts["source_lines"] += paragraphs[-1].count("\n") + 1
    counts["footer"] = "\n".join(paragraphs)
    if not paragraphs:
        return counts
    w_in, h_in = fig.get_size_inches()
    t = fig.text(box.x0 / w_in, (box.y0 - 0.04) / h_in, "\n".join(paragraphs), ha="left", va="top",
                 fontsize=FOOTER_PT, color=FOOTER_COLOUR, fontfamily=i18n.families(lang),
                 transform=fig.transFigure, linespacing=1.3)
    t._jte_lang, t._jte_footer = lang, True
    snap.add(t)
    return counts
