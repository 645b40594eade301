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


def test_fingerprint_changes_with_any_input():
    nb = paths.NOTEBOOKS / "01_us_forces_japan.ipynb"
    base = run_notebooks.shared_inputs()
    a = run_notebooks.fingerprint(nb, base)
    assert a == run_notebooks.fingerprint(nb, base)  # stable, so a no-op build runs nothing
    assert run_notebooks.fingerprint(nb, base[:-1]) != a  # an input fewer (or changed) -> re-run
    other = paths.NOTEBOOKS / "02_gctf_growth.ipynb"
    if other.exists():
        assert run_notebooks.fingerprint(other, base) != a  # each notebook has its own stamp
