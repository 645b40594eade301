"""make figures re-runs a notebook only when its inputs change."""

import importlib.util

from japan_taiwan_evidence import paths

spec = importlib.util.spec_from_file_location("run_notebooks", paths.REPO / "tools" / "run_notebooks.py")
run_notebooks = importlib.util.module_from_spec(spec)
spec.loader.exec_module(run_notebooks)


def test_fingerprint_covers_data_package_and_notebook():
    inputs = run_notebooks.shared_inputs()
    rel = {p.relative_to(paths.REPO).as_posix() for p in inputs}
    assert "data/troops/personnel.csv" in rel
    assert "japan_taiwan_evidence/datasets.py" in rel
    assert "requirements.txt" in rel


def test_fingerprint_changes_with_any_input(tmp_path):
    nb = tmp_path / "01_x.ipynb"
    nb.write_text("{}")
    extra = tmp_path / "extra.csv"
    extra.write_text("a\n1\n")
    base = run_notebooks.shared_inputs()
    # fingerprint() reports paths relative to the repo; keep the temp files in the repo's view.
    a = run_notebooks.fingerprint(paths.NOTEBOOKS / "01_us_forces_japan.ipynb", base)
    b = run_notebooks.fingerprint(paths.NOTEBOOKS / "01_us_forces_japan.ipynb", base)
    assert a == b
    changed = base[:-1]  # one input fewer -> a different fingerprint
    assert run_notebooks.fingerprint(paths.NOTEBOOKS / "01_us_forces_japan.ipynb", changed) != a
