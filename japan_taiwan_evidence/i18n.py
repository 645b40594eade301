"""Figure text in English, Japanese and Traditional Chinese (core): the glossary and the fonts.

**Glossary.** data/i18n/glossary.csv holds one row per label a figure draws, keyed by the English label
(whitespace collapsed, so the notebook's line breaks do not matter), with the text in each language:

    key,en,ja,zh_hant,note
    Yonaguni,Yonaguni,与那国島,與那國島,island
    {n} MOD missiles,{n} MOD missiles,防衛省発表 {n}発,日本防衛省稱{n}枚,03: missiles Japan's MOD ...

A key may be a *template*: ``{name}`` stands for any text, which is kept as it is when it holds no
letters (numbers, dates in digits) and is otherwise translated in turn (a place name, a list of names);
``{n}``, ``{m}``, ``{d}``, ``{y}``, ``{y1}``, ``{y2}``, ``{z}`` and ``{lat}`` stand for a number only.
A text with no exact row and no template is tried sentence by sentence. ``\\n`` in a translation is a
line break. A label with no translation is an error that names the figure and the label: figures added
later are covered without a list to keep up to date. Rows for publishers (keys as in data/sources.csv)
give in ``en`` the name shown in a figure's source line: a mirror or reprint is shown under the
publisher of the original, the copy itself is cited in the figure's sidecar file.

**Fonts.** Files pinned by sha256 and registered by path, never looked up on the system: DejaVu Sans
(bundled with matplotlib) for Latin text in every language, and Noto Sans CJK (SIL OFL 1.1, PyPI package
noto-cjk-sans-otc) for Japanese (face "Noto Sans CJK JP") and Traditional Chinese ("Noto Sans CJK TC").
Same-named fonts found on the system are dropped from matplotlib's list first, because matplotlib takes
the first match and would silently draw with another version. Only the Regular weight of Noto Sans CJK
is pinned, so CJK text is set at normal weight (a bold request would log a font warning and fall back).
"""

from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from importlib import resources
from pathlib import Path

import matplotlib as mpl
import pandas as pd
import pandera.pandas as pa
from matplotlib import font_manager

from . import scaling, validate

__all__ = [
    "COLUMNS",
    "GLOSSARY",
    "GLYPH_MISSING",
    "LANGS",
    "LANG_NAMES",
    "Glossary",
    "MissingTranslation",
    "families",
    "glossary",
    "has_cjk",
    "needs_translation",
    "normalise",
    "register_fonts",
]

LANGS = ("en", "ja", "zh-Hant")
LANG_NAMES = {"en": "English", "ja": "Japanese", "zh-Hant": "Traditional Chinese"}
COLUMNS = {"en": "en", "ja": "ja", "zh-Hant": "zh_hant"}
# matplotlib's warning for a character no registered font can draw (it would print as a box).
GLYPH_MISSING = r"Glyph .* missing from font"

# ---------------------------------------------------------------------------------------------
# The glossary table
# ---------------------------------------------------------------------------------------------

_PLACEHOLDER = re.compile(r"\{([a-z][a-z0-9_]*)\}")
_BRACES = re.compile(r"[{}]")

GLOSSARY_SCHEMA = pa.DataFrameSchema(
    {
        "key": pa.Column(str, pa.Check.str_matches(r"(?s)^\S(.*\S)?$", error="a label without leading or "
                                                   "trailing spaces")),
        "en": pa.Column(str),
        "ja": pa.Column(str),
        "zh_hant": pa.Column(str),
        "note": pa.Column(str, nullable=True),
    },
    strict=True, coerce=True,
)
GLOSSARY = validate.register(
    "i18n/glossary.csv", GLOSSARY_SCHEMA, ["key"],
    "Figure glossary: every label a figure draws, in English, Japanese and Traditional Chinese",
    check_sources=False)


class MissingTranslation(KeyError):
    """A figure draws a label that data/i18n/glossary.csv does not translate."""

    def __init__(self, label: str, lang: str, figure: str | None = None):
        self.label, self.lang, self.figure = label, lang, figure
        where = f"figure {figure}: " if figure else ""
        super().__init__(
            f"{where}no {LANG_NAMES.get(lang, lang)} ({lang}) translation for the label {label!r}: add a "
            f"row to data/i18n/glossary.csv with key = the label (a template such as "
            f"'{{n}} MOD missiles' covers labels with numbers)")

    def __str__(self) -> str:  # KeyError would quote the message
        return self.args[0]


def normalise(text: str) -> str:
    """A label as a glossary key: runs of whitespace (line breaks included) become one space."""
    return " ".join(str(text).split())


def needs_translation(text: str) -> bool:
    """Only text with letters is translated; '1,250', '23%' or '–' are the same in every language."""
    return any(ch.isalpha() for ch in str(text))


_CJK = re.compile(r"[\u2e80-\u9fff\uac00-\ud7af\uf900-\ufaff\uff00-\uffef]")


def has_cjk(text: str) -> bool:
    return bool(_CJK.search(str(text)))


def _placeholders(text: str) -> list[str]:
    return _PLACEHOLDER.findall(text)


def _check(df: pd.DataFrame, shown: str = "data/i18n/glossary.csv") -> None:
    """What the schema cannot say: placeholders agree across languages; keys are normalised."""
    for pos, r in enumerate(df.itertuples(index=False), 1):
        if r.key != normalise(r.key):
            raise validate.DataError(shown, row=pos, column="key", expected="single spaces (no line "
                                     "breaks or double spaces; write a line break as \\n in a translation)",
                                     found=r.key)
        names = _placeholders(r.key)
        if len(set(names)) != len(names) or _BRACES.search(_PLACEHOLDER.sub("", r.key)):
            raise validate.DataError(shown, row=pos, column="key", expected="distinct placeholders like "
                                     "{n} and no other braces", found=r.key)
        for col in ("en", "ja", "zh_hant"):
            value = getattr(r, col)
            if not value.strip():
                raise validate.DataError(shown, row=pos, column=col, expected="a translation (the cell "
                                         "is blank)")
            if sorted(_placeholders(value)) != sorted(names) or _BRACES.search(_PLACEHOLDER.sub("", value)):
                raise validate.DataError(shown, row=pos, column=col,
                                         expected=f"the key's placeholders {sorted(names)}", found=value)


_SENTENCE = re.compile(r"(?<=[^\s.]\.)\s+(?=[A-Z'\"‘“])")
_LIST_SEPARATORS = ("; ", ", ", " and ")
_JOIN = {"en": {"; ": "; ", ", ": ", ", " and ": " and ", "sentence": " "},
         "ja": {"; ": "；", ", ": "、", " and ": "と", "sentence": ""},
         "zh-Hant": {"; ": "；", ", ": "、", " and ": "與", "sentence": ""}}


# Placeholders with these names match only a number ('1,750', '21.0', '-3'); any other name matches text.
NUMERIC = {"n", "m", "d", "y", "y1", "y2", "z", "lat"}


def _capture(name: str) -> str:
    return f"(?P<{name}>[-+\u2212]?\\d[\\d,.]*)" if name in NUMERIC else f"(?P<{name}>.+?)"


class Glossary:
    """Look-ups in one version of the glossary table."""

    def __init__(self, table: pd.DataFrame):
        self.rows: dict[str, dict] = {}
        self.templates: list[tuple[re.Pattern, str]] = []
        for r in table.to_dict("records"):
            self.rows[r["key"]] = r
            if _placeholders(r["key"]):
                parts = re.split(r"(\{[a-z][a-z0-9_]*\})", r["key"])
                pattern = "".join(_capture(p[1:-1]) if _PLACEHOLDER.fullmatch(p) else re.escape(p)
                                  for p in parts)
                self.templates.append((re.compile(pattern + r"\Z", re.DOTALL), r["key"]))
        # Most specific first: the template with the most literal text wins.
        self.templates.sort(key=lambda t: (-len(_PLACEHOLDER.sub("", t[1])), t[1]))

    def __contains__(self, key: str) -> bool:
        return normalise(key) in self.rows

    def value(self, key: str, lang: str) -> str:
        """The glossary's text for an exact key (no template matching); KeyError if absent."""
        row = self.rows[normalise(key)]
        return row[COLUMNS[lang]].replace("\\n", "\n")

    def phrase(self, key: str, lang: str, **values) -> str:
        """A template filled with values that are already in the target language (footers)."""
        try:
            text = self.value(key, lang)
        except KeyError:
            raise MissingTranslation(key, lang) from None
        return text.format(**values)

    def translate(self, text: str, lang: str, figure: str | None = None) -> str:
        """`text` in `lang`; English text is returned as drawn. Raises MissingTranslation."""
        if lang == "en" or not needs_translation(text):
            return text
        found = self._lookup(normalise(text), lang, depth=0)
        if found is None:
            raise MissingTranslation(normalise(text), lang, figure)
        return found

    def _lookup(self, key: str, lang: str, depth: int) -> str | None:
        if not needs_translation(key):
            return key
        if key in self.rows:
            return self.value(key, lang)
        if depth > 6:
            return None
        for pattern, tkey in self.templates:
            m = pattern.match(key)
            if not m:
                continue
            values = {}
            for name, captured in m.groupdict().items():
                got = self._lookup(captured.strip(), lang, depth + 1)
                if got is None:
                    got = self._list(captured.strip(), lang, depth + 1)
                if got is None:
                    break
                values[name] = got
            else:
                return self.value(tkey, lang).format(**values)
        sentences = _SENTENCE.split(key)
        if len(sentences) > 1:
            parts = [self._lookup(s, lang, depth + 1) for s in sentences]
            if all(p is not None for p in parts):
                return _JOIN[lang]["sentence"].join(parts)
        return None

    def _list(self, text: str, lang: str, depth: int) -> str | None:
        """A list of names ('A, B and C'), each translated on its own."""
        for sep in _LIST_SEPARATORS:
            if sep in text:
                items = [self._lookup(t.strip(), lang, depth) for t in text.split(sep)]
                if all(i is not None for i in items):
                    return _JOIN[lang][sep].join(items)
                sub = [self._list(t.strip(), lang, depth) if i is None else i
                       for t, i in zip(text.split(sep), items)]
                if all(i is not None for i in sub):
                    return _JOIN[lang][sep].join(sub)
        return None


@lru_cache(maxsize=4)
def _glossary_for(digest: str, path: str) -> Glossary:
    table = GLOSSARY.load(Path(path).parent.parent)
    _check(table)
    return Glossary(table)


def glossary(data_dir=None) -> Glossary:
    """The glossary as committed (validated once per file version)."""
    d = Path(data_dir) if data_dir is not None else validate._data_dir(None)
    path = d / GLOSSARY.path
    if not path.exists():
        raise validate.DataError("data/" + GLOSSARY.path, expected="the file to exist")
    return _glossary_for(validate.file_digest(path), str(path))


# ---------------------------------------------------------------------------------------------
# Fonts
# ---------------------------------------------------------------------------------------------

_MPL_FONTS = Path(mpl.get_data_path()) / "fonts" / "ttf"
# (family, file, sha256). DejaVu Sans ships inside matplotlib's wheel (pinned in requirements.txt);
# Noto Sans CJK Regular 2.004 comes from the PyPI package noto-cjk-sans-otc 0.0.1 (byte-identical to
# Debian bookworm's fonts-noto-cjk file, which `apt-get install fonts-noto-cjk` can supply instead).
DEJAVU = [
    ("DejaVu Sans", _MPL_FONTS / "DejaVuSans.ttf",
     "3fdf69cabf06049ea70a00b5919340e2ce1e6d02b0cc3c4b44fb6801bd1e0d22"),
    ("DejaVu Sans", _MPL_FONTS / "DejaVuSans-Bold.ttf",
     "b184b89e3c1075f22f6b71575b6fc20d4972b3cfd3b23322ca6fd596dcaef167"),
    ("DejaVu Sans", _MPL_FONTS / "DejaVuSans-Oblique.ttf",
     "ccdf74b350f11fd3dd5774de50e5e6346a1a5da1f5b7d5fb83590665e97a5213"),
    ("DejaVu Sans", _MPL_FONTS / "DejaVuSans-BoldOblique.ttf",
     "6edf0283160186af451cbee71e7b845f2e4cabf264bb992ce668c83c25465e6f"),
]
NOTO_CJK_PACKAGE, NOTO_CJK_FILE = "noto_cjk_sans_otc", "NotoSansCJK-Regular.ttc"
NOTO_CJK_SHA256 = "b76b0433203017ca80401b2ee0dd69350349871c4b19d504c34dbdd80541690a"
DEBIAN_NOTO_CJK = Path("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc")
CJK_FAMILY = {"ja": "Noto Sans CJK JP", "zh-Hant": "Noto Sans CJK TC"}

_registered: dict[str, list[Path]] = {}


def _sha256(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _noto_cjk_path() -> Path:
    try:
        path = Path(str(resources.files(NOTO_CJK_PACKAGE).joinpath(NOTO_CJK_FILE)))
    except ModuleNotFoundError:
        path = DEBIAN_NOTO_CJK
    if not path.is_file():
        raise RuntimeError("Noto Sans CJK is not installed: run `make venv` (package noto-cjk-sans-otc, "
                           "pinned in requirements.txt) or install Debian's fonts-noto-cjk")
    return path


def _register(family: str, files: list[tuple[Path, str]]) -> list[Path]:
    """Verify the files' hashes, drop other fonts of the same family, add ours, check the look-up."""
    if family in _registered:
        return _registered[family]
    for path, sha in files:
        if not path.is_file():
            raise RuntimeError(f"font file for {family} not found: {path.name}")
        found = _sha256(path)
        if found != sha:
            raise RuntimeError(f"{path.name} ({family}) is not the pinned file: sha256 {found}, expected "
                               f"{sha}; figures would not be byte-stable (check the font, then update "
                               f"the pin in japan_taiwan_evidence/i18n.py)")
    ours = {str(p) for p, _ in files}
    fm = font_manager.fontManager
    fm.ttflist = [e for e in fm.ttflist if not (e.name == family and str(e.fname) not in ours)]
    have = {(str(e.fname), getattr(e, "index", 0)) for e in fm.ttflist if e.name == family}
    for path, _ in files:
        if not any(f == str(path) for f, _i in have):
            fm.addfont(path)
    fm._findfont_cached.cache_clear()
    for weight in ("normal", "bold") if family == "DejaVu Sans" else ("normal",):
        got = font_manager.findfont(font_manager.FontProperties(family=family, weight=weight),
                                    fallback_to_default=False)
        if str(got) not in ours:
            raise RuntimeError(f"matplotlib resolves {family} ({weight}) to {got}, not the pinned file")
    _registered[family] = [p for p, _ in files]
    return _registered[family]


def register_fonts(lang: str = "en") -> list[str]:
    """Register the fonts a language needs; returns the font.family list to draw it with."""
    if lang not in LANGS:
        raise ValueError(f"language {lang!r}: expected one of {list(LANGS)}")
    _register("DejaVu Sans", [(p, s) for _f, p, s in DEJAVU])
    if lang in CJK_FAMILY:
        path = _noto_cjk_path()
        # One .ttc holds ten faces (JP, KR, SC, TC, HK and Mono); addfont registers each with its index.
        for fam in CJK_FAMILY.values():
            _register(fam, [(path, NOTO_CJK_SHA256)])
    return families(lang)


def families(lang: str) -> list[str]:
    """DejaVu Sans first, so that Latin letters and digits look the same in every language."""
    return ["DejaVu Sans"] + ([CJK_FAMILY[lang]] if lang in CJK_FAMILY else [])


# ---------------------------------------------------------------------------------------------
# Translating a drawn figure
# ---------------------------------------------------------------------------------------------

class _Translated(mpl.ticker.Formatter):
    """Wraps an axis (or graticule) formatter so that the labels it makes at draw time are translated."""

    def __init__(self, inner, tr):
        self.inner, self.tr = inner, tr

    def __getattr__(self, name):  # anything else (locs, options of cartopy's formatters) from the inner one
        if name in ("inner", "tr"):
            raise AttributeError(name)
        return getattr(self.inner, name)

    def set_axis(self, axis):
        self.axis = axis
        self.inner.set_axis(axis)

    def set_locs(self, locs):
        self.inner.set_locs(locs)

    def __call__(self, x, pos=None):
        return self.tr(self.inner(x, pos))

    def format_ticks(self, values):
        return [self.tr(s) for s in self.inner.format_ticks(values)]

    def get_offset(self):
        return self.tr(self.inner.get_offset())

    def format_data(self, value):
        return self.inner.format_data(value)

    def format_data_short(self, value):
        return self.inner.format_data_short(value)


def _tick_and_graticule_labels(fig) -> set[int]:
    skip = set()
    for ax in fig.get_axes():
        for axis in (ax.xaxis, ax.yaxis):
            for tick in axis.majorTicks + axis.minorTicks:
                skip.update((id(tick.label1), id(tick.label2)))
        for gl in scaling.gridliners(ax):
            skip.update(id(a) for a in gl.label_artists)
    return skip


def translate_figure(fig, lang: str, figure: str | None = None, on_missing=None, data_dir=None):
    """Put every label of `fig` into `lang` and set its fonts; returns a function that undoes it all.

    Walks the figure's Text artists (titles, axis labels, legend entries and titles, annotations, figure
    texts) and wraps the tick and graticule formatters, so that tick labels made at draw time follow.
    Artists with ``_jte_lang`` set are already in the target language (the footers save_figure draws).
    `on_missing(label)`: called for a label with no translation, which is then left in English;
    without it such a label raises MissingTranslation naming the figure and the label.
    """
    fams = register_fonts(lang)
    gloss = glossary(data_dir) if lang != "en" else None
    undo: list = []

    def tr(text: str) -> str:
        if gloss is None or not text:
            return text
        try:
            return gloss.translate(text, lang, figure)
        except MissingTranslation:
            if on_missing is None:
                raise
            on_missing(normalise(text))
            return text

    skip = _tick_and_graticule_labels(fig)
    for t in fig.findobj(mpl.text.Text):
        if id(t) in skip or getattr(t, "_jte_lang", None):
            continue
        old_text, old_font = t.get_text(), t.get_fontproperties().copy()
        new = tr(old_text)
        if new == old_text and lang == "en":
            continue
        undo.append(lambda t=t, s=old_text, f=old_font: (t.set_text(s), t.set_fontproperties(f)))
        t.set_text(new)
        t.set_fontfamily(fams)
        if lang in CJK_FAMILY and t.get_fontweight() not in ("normal", 400) and has_cjk(new):
            t.set_fontweight("normal")  # Noto Sans CJK is pinned in Regular only
    if lang != "en":
        for ax in fig.get_axes():
            for axis in (ax.xaxis, ax.yaxis):
                for which in ("major", "minor"):
                    getter = getattr(axis, f"get_{which}_formatter")
                    setter = getattr(axis, f"set_{which}_formatter")
                    inner = getter()
                    default = getattr(axis, f"isDefault_{which[:3]}fmt")
                    setter(_Translated(inner, tr))
                    undo.append(lambda s=setter, i=inner, a=axis, w=which, d=default: (
                        s(i), setattr(a, f"isDefault_{w[:3]}fmt", d)))
            kw = {k: ax.xaxis._major_tick_kw.get(k) for k in ("labelfontfamily",)}
            ax.tick_params(which="both", labelfontfamily=fams)
            undo.append(lambda ax=ax, old=kw["labelfontfamily"]: ax.tick_params(
                which="both", labelfontfamily=old or mpl.rcParams["font.family"]))
            for gl in scaling.gridliners(ax):
                xf, yf = gl.xformatter, gl.yformatter
                gl.xformatter, gl.yformatter = _Translated(xf, tr), _Translated(yf, tr)
                undo.append(lambda gl=gl, xf=xf, yf=yf: (setattr(gl, "xformatter", xf),
                                                         setattr(gl, "yformatter", yf)))

    def restore():
        for step in reversed(undo):
            step()
    return restore


def list_sep(lang: str) -> str:
    """How a footer separates publisher names ('; ' in English: names may contain commas)."""
    return _JOIN[lang]["; "] if lang == "en" else _JOIN[lang][", "]
