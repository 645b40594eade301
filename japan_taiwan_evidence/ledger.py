"""The claims ledger (top): every claim in data/claims.csv with its computed verdict, as a table and an export.

Importing this module imports every topic, so every check is registered before the ledger is built.
"""

from __future__ import annotations

import pandas as pd

from . import diplomacy, gctf, missiles, reach, troops  # noqa: F401  (registers each topic's checks)
from .verdicts import (  # noqa: F401
    CAVEATS, CHECKS, DIFFERS, NOT_TESTABLE, NOT_TESTED, SUPPORTED, VERDICTS, article_claims, evaluate, fmt, load_claims,
)


def ledger(data_dir=None, params=None) -> pd.DataFrame:
    """Every claim of the article in data/claims.csv with its computed verdict (params: the knobs the checks use)."""
    reg = article_claims(data_dir)
    rows = [evaluate(cid, data_dir, params).as_dict() for cid in reg["claim_id"]]
    out = reg[["claim_id", "category", "claim", "claimed_value", "notebook"]].merge(
        pd.DataFrame(rows), on="claim_id")
    return out



VERDICT_ORDER = [SUPPORTED, CAVEATS, DIFFERS, NOT_TESTABLE, NOT_TESTED]
CATEGORY_LABELS = {"context": "Context", "law_diplomacy": "Law and diplomacy", "gctf": "GCTF",
                   "geography": "Geography", "missiles": "Missiles", "troops": "Troops", "bases": "Bases"}
LEDGER_COLUMNS = ["claim_id", "category", "claim", "claimed", "verdict", "measured", "rule", "reasoning",
                  "sources", "notebook"]
ARTICLE_SOURCE = "troops-S00"  # the article itself: cited by every claim, evidence for none


def _claimed_text(row) -> str:
    """The claim's value with its unit ('5 years', 'about 54,000 persons'), or its terms if it has none."""
    value, unit = row["claimed_value"], row["claimed_unit"]
    if isinstance(value, str):
        if unit in {"year", "month", "date"}:  # a point in time, shown as written
            text = value
        else:
            try:
                text = fmt(float(value.replace(",", "")))
            except ValueError:
                text = value
            text += f" {unit}" if isinstance(unit, str) else ""
        if row["claimed_qualifier"] == "about":
            text = "about " + text
        return text
    terms = diplomacy.split(row["claimed_terms"])
    return "; ".join(diplomacy.readable(t) for t in terms) if terms else ""


def ledger_table(data_dir=None, params=None) -> pd.DataFrame:
    """Every claim in register order with its verdict, ready to read or export (LEDGER_COLUMNS).

    `sources` are the IDs the check used; for a claim without a check, the register's evidence IDs.
    """
    reg = article_claims(data_dir)
    led = ledger(data_dir, params).set_index("claim_id")
    rows = []
    for _, c in reg.iterrows():
        v = led.loc[c["claim_id"]]
        sources = v["source_ids"] or ";".join(s for s in diplomacy.split(c["source_id"]) if s != ARTICLE_SOURCE)
        reasoning = v["reasoning"]
        if v["verdict"] == NOT_TESTED:
            reasoning += f"; the claim belongs to notebook {c['notebook']}"
        rows.append({"claim_id": c["claim_id"], "category": c["category"], "claim": c["claim"],
                     "claimed": _claimed_text(c), "verdict": v["verdict"], "measured": v["measured"],
                     "rule": v["rule"], "reasoning": reasoning, "sources": sources.replace(";", "; "),
                     "notebook": c["notebook"]})
    return pd.DataFrame(rows, columns=LEDGER_COLUMNS)


def categories(table: pd.DataFrame) -> list[str]:
    """Categories in the order they first appear in the register."""
    return list(dict.fromkeys(table["category"]))


def verdict_counts(table: pd.DataFrame) -> pd.DataFrame:
    """Claims per verdict, every verdict listed (zero included), in VERDICT_ORDER."""
    rows = [{"verdict": v, "claims": int((table["verdict"] == v).sum()),
             "claim_ids": ", ".join(table.loc[table["verdict"] == v, "claim_id"])} for v in VERDICT_ORDER]
    return pd.DataFrame(rows)


def _md_cell(text) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def parameters_text(params=None) -> str:
    """'rounded_tolerance=0.05, inside_share=0.5, ...': the knobs the verdicts were computed with (notebook 05's
    defaults where params does not set them), marking those that differ from the default."""
    from . import params as _params
    defaults = _params.defaults("05_claims_ledger")
    given = {} if params is None else params.as_dict() if hasattr(params, "as_dict") else dict(params)
    used = {k: given.get(k, v) for k, v in defaults.items()}
    return ", ".join(f"{k}={_params._show(v)}" + ("" if _params._same(v, defaults[k])
                                                  else f" (default {_params._show(defaults[k])})")
                     for k, v in used.items())


def ledger_markdown(table: pd.DataFrame, params=None) -> str:
    """The ledger as a Markdown document: counts, an overview table, then each claim by category."""
    counts = verdict_counts(table)
    out = ["# Claims ledger", "",
           "Every checkable claim of *Why Japan Needs to Talk to Taiwan* (FPRI, 2022) with the verdict computed "
           "from the committed data by the claim checks of each topic (`japan_taiwan_evidence.<topic>.claims`). Generated by notebook "
           "`05_claims_ledger.ipynb`; do not edit by hand. Source IDs resolve in `data/sources.csv`.", "",
           f"Parameters of the checks: {parameters_text(params)}.", "",
           "| verdict | claims | IDs |", "|---|---:|---|"]
    out += [f"| {r.verdict} | {r.claims} | {r.claim_ids} |" for r in counts.itertuples()]
    out += ["", "| ID | category | claim | verdict |", "|---|---|---|---|"]
    out += [f"| {r.claim_id} | {CATEGORY_LABELS.get(r.category, r.category)} | {_md_cell(r.claim)} | {r.verdict} |"
            for r in table.itertuples()]
    for cat in categories(table):
        out += ["", f"## {CATEGORY_LABELS.get(cat, cat)}"]
        for r in table[table["category"] == cat].itertuples():
            out += ["", f"### {r.claim_id}: {r.verdict}", "", f"{r.claim}", ""]
            for name, value in (("Claimed", r.claimed), ("Measured", r.measured), ("Rule", r.rule),
                                ("Reasoning", r.reasoning), ("Sources", r.sources),
                                ("Notebook", f"`{r.notebook}.ipynb`")):
                out.append(f"- **{name}:** {_md_cell(value) if value else '–'}")
    return "\n".join(out) + "\n"


def export_ledger(figures_dir=None, data_dir=None, table: pd.DataFrame | None = None, params=None) -> list[str]:
    """Write 05_claims_ledger.csv and .md (UTF-8, '\\n' line endings, no timestamps), atomically.

    They go where the run's figures go: figures/ for the default parameters, the variant folder otherwise.
    """
    import csv
    import io
    from pathlib import Path

    from . import files, paths
    from . import params as _params
    out_dir = Path(figures_dir) if figures_dir is not None else _params.output_dir()
    table = ledger_table(data_dir, params) if table is None else table
    csv_path, md_path = out_dir / "05_claims_ledger.csv", out_dir / "05_claims_ledger.md"
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(LEDGER_COLUMNS)
    w.writerows(table[LEDGER_COLUMNS].itertuples(index=False))
    files.write_text(csv_path, buf.getvalue())
    files.write_text(md_path, ledger_markdown(table, params))
    shown = "figures" if out_dir.resolve() == paths.FIGURES.resolve() else paths.relative(out_dir)
    written = [f"{shown}/{csv_path.name}", f"{shown}/{md_path.name}"]
    print("exported " + ", ".join(written))
    return written
