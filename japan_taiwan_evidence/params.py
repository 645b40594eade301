"""The knobs a user may change (core): one default per knob, per notebook, and the run's chosen values.

Every notebook opens with a cell tagged ``parameters`` (the papermill convention) that assigns each of
its knobs, then calls :func:`use` with them. ``use`` checks the names against :data:`KNOBS`, remembers
the run's values (:func:`active`) and tells whether the run is a *variant*: any value that differs from
the default. A variant never writes into figures/: :func:`output_dir` sends its figures to
build/variants/<notebook>--<changed knobs>/, and the figure footers name the changed knobs.

Package functions take knobs as explicit arguments; nothing binds a default at import. Code that needs
a default reads it at call time with :func:`default`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from . import paths

__all__ = ["Knob", "KNOBS", "DEFAULTS", "Params", "use", "active", "default", "output_dir", "parse_set",
           "variant_label"]


@dataclass(frozen=True)
class Knob:
    notebook: str
    name: str
    default: object
    meaning: str
    unit: str = ""
    source_id: str = ""  # where the default comes from, when it is a sourced value


# Each notebook's knobs. Add a knob here, in the notebook's parameters cell and as an argument of the
# function that uses it; tests/test_params.py checks that the three agree.
KNOBS: dict[str, dict[str, Knob]] = {}


def knob(notebook: str, name: str, default, meaning: str, unit: str = "", source_id: str = "") -> Knob:
    k = Knob(notebook, name, default, meaning, unit, source_id)
    KNOBS.setdefault(notebook, {})[name] = k
    return k


# --- 01: US forces in Japan
knob("01_us_forces_japan", "rounded_tolerance", 0.05,
     "how far a record may be from a rounded claim ('roughly 54,000', 'forty bases') and still match it "
     "(C13, C14); an editorial choice, not a sourced value", "fraction")
knob("01_us_forces_japan", "first_year", 1950,
     "first year of the personnel charts (the first DMDC report in the data is from 1950)", "year")
knob("01_us_forces_japan", "last_year", None,
     "last year of the personnel charts (None: the latest report in the data)", "year")
# --- 02: the GCTF
knob("02_gctf_growth", "rounding_margin", 0.05,
     "how far the true count may lie from a rounded statement ('about 3,500', 'nearly 1,600') when dating "
     "the article's '108 countries' (C24); an editorial choice", "fraction")
knob("02_gctf_growth", "leading_themes", 3,
     "disaster relief counts as central to the GCTF's work (C25) when its listed workshops rank among this "
     "many leading official theme categories; an editorial choice", "categories")
knob("02_gctf_growth", "small_country_km2", 50_000,
     "on the host map, countries smaller than this also get a point, as they are specks at world scale; "
     "a layout choice", "km²")
# --- 03: the missiles of 4 August 2022, with the C08 and C09 checks it prints (so 04 and 05 have them too)
INSIDE_SHARE = ("a zone counts as inside Japan's claimed EEZ when more than this share of its area lies "
                "inside (C11)")
COAST_RESOLUTION = ("a Japanese place west of the basemap's westernmost land still counts as part of that island "
                    "when it lies within this distance of the drawn coast (C08); the default is the upper end of "
                    "the detailed basemap's vertex spacing, 1.2-1.5 km (data/basemap/README.md)")
DISTANCE_TOLERANCE = "how far a measured Yonaguni-Taiwan distance may be from the claim and still match it (C09)"
knob("03_missile_strikes_2022", "inside_share", 0.5, INSIDE_SHARE, "fraction")
knob("03_missile_strikes_2022", "coast_resolution_km", 1.5, COAST_RESOLUTION, "km")
knob("03_missile_strikes_2022", "distance_tolerance", 0.01, DISTANCE_TOLERANCE, "fraction")
# --- 04: reach and distance. One range knob per system in data/missiles_2022/ranges.csv (its system_id):
# None uses the published estimate (lower and upper) and credits its source; a number replaces both with
# that one range, credited as a user parameter. The source_id is that of the estimate the default uses.
RANGE = "range of the {} drawn as a ring and counted in the bands; None: the published estimate"
knob("04_reach_and_distance", "df15_range_km", None, RANGE.format("DF-15"), "km", "missiles-S39")
knob("04_reach_and_distance", "df16_range_km", None, RANGE.format("DF-16"), "km", "missiles-S36")
knob("04_reach_and_distance", "df17_range_km", None, RANGE.format("DF-17"), "km", "missiles-S37")
knob("04_reach_and_distance", "df21_range_km", None, RANGE.format("DF-21 / DF-21D"), "km", "missiles-S38")
knob("04_reach_and_distance", "df26_range_km", None, RANGE.format("DF-26"), "km", "missiles-S35")
knob("04_reach_and_distance", "area_tolerance", 0.25,
     "an OpenStreetMap outline disagrees with its facility's listed area when the two differ by more than this "
     "share (troops.area_check); an editorial choice", "fraction")
knob("04_reach_and_distance", "coast_resolution_km", 1.5, COAST_RESOLUTION, "km")
knob("04_reach_and_distance", "distance_tolerance", 0.01, DISTANCE_TOLERANCE, "fraction")
# --- 06: after the article
knob("06_after_the_article", "places", ["yonaguni", "hateruma"],
     "islands the exercise zones are measured from (place IDs in data/places.csv)")
knob("06_after_the_article", "inside_share", 0.5,
     "a zone counts as inside Japan's claimed EEZ when more than this share of its area lies inside",
     "fraction")
knob("06_after_the_article", "eez_region", [118.5, 20.0, 127.0, 27.8],
     "box (west, south, east, north) in which Japan's claimed EEZ is constructed, as in notebook 03",
     "degrees")
knob("06_after_the_article", "scrambles_from_fy", None,
     "first fiscal year drawn in the scramble chart (None: the first in the data)", "fiscal year")
# --- 05: the claims ledger (the knobs of every check it evaluates)
knob("05_claims_ledger", "rounded_tolerance", 0.05,
     "how far a record may be from a rounded claim and still match it (C13, C14)", "fraction")
knob("05_claims_ledger", "inside_share", 0.5, INSIDE_SHARE, "fraction")
knob("05_claims_ledger", "coast_resolution_km", 1.5, COAST_RESOLUTION, "km")
knob("05_claims_ledger", "distance_tolerance", 0.01, DISTANCE_TOLERANCE, "fraction")
knob("05_claims_ledger", "rounding_margin", 0.05,
     "how far the true count may lie from a rounded statement when dating the article's '108 countries' (C24)",
     "fraction")
knob("05_claims_ledger", "leading_themes", 3,
     "disaster relief counts as central to the GCTF's work (C25) when its listed workshops rank among this many "
     "leading official theme categories", "categories")

def defaults(notebook: str) -> dict:
    """{name: default} for one notebook."""
    if notebook not in KNOBS:
        raise KeyError(f"no parameters are declared for notebook {notebook!r}; known: {sorted(KNOBS)}")
    return {k: v.default for k, v in KNOBS[notebook].items()}


class _Defaults(dict):
    def __missing__(self, notebook):
        return defaults(notebook)


DEFAULTS = _Defaults()


def default(name: str, notebook: str | None = None):
    """A knob's default, read at call time (from the given notebook, else the first that declares it)."""
    for nb, knobs in KNOBS.items():
        if (notebook is None or nb == notebook) and name in knobs:
            return knobs[name].default
    raise KeyError(f"no knob {name!r} is declared in japan_taiwan_evidence/params.py")


def _same(a, b) -> bool:
    if isinstance(a, float) or isinstance(b, float):
        try:
            return float(a) == float(b)
        except (TypeError, ValueError):
            return False
    return a == b


@dataclass(frozen=True)
class Params:
    """One run's parameters: attribute access by knob name (lower case)."""
    notebook: str
    values: dict = field(default_factory=dict)

    def __getattr__(self, name):
        values = object.__getattribute__(self, "values")
        if name in values:
            return values[name]
        raise AttributeError(name)

    def as_dict(self) -> dict:
        return dict(self.values)

    def changed(self) -> dict:
        """The knobs whose value differs from the default: {name: (value, default)}."""
        base = defaults(self.notebook)
        return {k: (v, base[k]) for k, v in self.values.items() if not _same(v, base[k])}

    @property
    def is_variant(self) -> bool:
        return bool(self.changed())

    def describe_changes(self) -> str:
        """'inside_share=0.04 (default 0.5)'; empty for the default run."""
        return ", ".join(f"{k}={_show(v)} (default {_show(d)})" for k, (v, d) in sorted(self.changed().items()))


def _show(v) -> str:
    return "None" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


_ACTIVE: Params | None = None


def use(notebook: str, **values) -> Params:
    """Declare this run's parameters (called by each notebook right after its parameters cell).

    Names may be given in upper case, as the notebook's variables are. Unknown names are an error;
    knobs not given keep their default.
    """
    global _ACTIVE
    known = defaults(notebook)
    chosen = dict(known)
    for name, value in values.items():
        key = name.lower()
        if key not in known:
            raise KeyError(f"{notebook}: unknown parameter {name!r}; the parameters are {sorted(known)}")
        chosen[key] = value
    _ACTIVE = Params(notebook, chosen)
    if _ACTIVE.is_variant:
        print(f"Variant run ({_ACTIVE.describe_changes()}): figures go to "
              f"{paths.relative(variant_dir(_ACTIVE))}/, not figures/.")
    return _ACTIVE


def active() -> Params | None:
    return _ACTIVE


def reset() -> None:
    global _ACTIVE
    _ACTIVE = None


def variant_label(p: Params) -> str:
    """'inside_share=0.04,first_year=2010': changed knobs, sorted, safe as a folder name."""
    parts = [f"{k}={_show(v)}" for k, (v, _) in sorted(p.changed().items())]
    return re.sub(r"[^A-Za-z0-9=,._-]", "_", ",".join(parts))


def variant_dir(p: Params) -> Path:
    return paths.BUILD / "variants" / f"{p.notebook}--{variant_label(p)}"


def output_dir() -> Path:
    """Where this run's figures go: figures/ for the default parameters, the variant folder otherwise."""
    p = active()
    if p is not None and p.is_variant:
        return variant_dir(p) / "figures"
    return paths.FIGURES


def parse_set(text: str) -> dict:
    """'inside_share=0.04 first_year=2010' (spaces or commas between) -> {'inside_share': 0.04, ...}."""
    out = {}
    for item in re.split(r"[\s,]+", text.strip()):
        if not item:
            continue
        if "=" not in item:
            raise ValueError(f"expected name=value, found {item!r}")
        name, raw = item.split("=", 1)
        try:
            value = json.loads(raw)
        except ValueError:
            value = None if raw == "None" else raw
        out[name.strip().lower()] = value
    return out


def markdown_table() -> str:
    """Every notebook's knobs as a Markdown table (README's "Rerun with your own assumptions" shows it; a
    test keeps the two the same)."""
    rows = ["| notebook | parameter | default | meaning |", "|---|---|---|---|"]
    for notebook in sorted(KNOBS):
        for k in KNOBS[notebook].values():
            unit = f" ({k.unit})" if k.unit else ""
            src = f"; default from `{k.source_id}`" if k.source_id else ""
            rows.append(f"| {notebook[:2]} | `{k.name.upper()}` | `{_show(k.default)}` | "
                        f"{k.meaning}{unit}{src} |")
    return "\n".join(rows)
