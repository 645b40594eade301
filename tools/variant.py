"""Run one notebook with other parameters, never touching figures/ (`make variant NB=03 SET="k=v ..."`).

The notebook runs with papermill, which injects the given values after the cell tagged `parameters`.
The run goes to build/variants/<notebook>--<changed parameters>/: the executed notebook, its figures
(save_figure sends a variant's figures there, and their footers name the changed parameters) and
parameters.json (every parameter of the run, with the defaults beside them).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def find_notebook(name: str, notebooks: Path) -> Path:
    """'03', '03_missile_strikes_2022' or the file name -> the notebook file."""
    stem = Path(name).stem
    found = sorted(notebooks.glob(f"{stem}*.ipynb")) if len(stem) <= 2 else sorted(notebooks.glob(f"{stem}.ipynb"))
    if len(found) != 1:
        raise SystemExit(f"variant: no single notebook matches {name!r} in notebooks/")
    return found[0]


def run(nb_name: str, settings: dict) -> Path:
    from japan_taiwan_evidence import files, params, paths

    notebook = find_notebook(nb_name, paths.NOTEBOOKS)
    known = params.defaults(notebook.stem)
    unknown = sorted(set(settings) - set(known))
    if unknown:
        raise SystemExit(f"variant: {notebook.stem} has no parameter {', '.join(unknown)}; "
                         f"its parameters are {', '.join(sorted(known))}")
    run_params = params.Params(notebook.stem, {**known, **settings})
    if not run_params.is_variant:
        raise SystemExit("variant: these are the default parameters; `make figures` builds those into figures/")
    out = params.variant_dir(run_params)
    out.mkdir(parents=True, exist_ok=True)
    import papermill

    print(f"variant: {notebook.name} with {run_params.describe_changes()} -> {paths.relative(out)}/")
    # The notebook's variables are the knobs' names in upper case.
    papermill.execute_notebook(str(notebook), str(out / notebook.name), cwd=str(notebook.parent),
                               parameters={k.upper(): v for k, v in settings.items()},
                               kernel_name="python3", progress_bar=False, log_output=False,
                               # The kernel's own start-up and shutdown notices are not part of the run.
                               extra_arguments=["--IPKernelApp.log_level=CRITICAL"])
    files.write_text(out / "parameters.json", json.dumps(
        {"notebook": notebook.name, "parameters": run_params.as_dict(), "defaults": known,
         "changed": sorted(run_params.changed())}, indent=1, sort_keys=True, default=str) + "\n")
    print(f"variant: wrote {paths.relative(out)}/ ({notebook.name}, figures/, parameters.json)")
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("notebook", help="notebook number or name, e.g. 03")
    ap.add_argument("settings", nargs="*", help="name=value pairs, e.g. inside_share=0.04")
    args = ap.parse_args(argv)
    from japan_taiwan_evidence import params

    run(args.notebook, params.parse_set(" ".join(args.settings)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
