"""The knobs: README's table is the package's, and every notebook's parameters cell names exactly its knobs."""

import ast
import json

from japan_taiwan_evidence import params, paths


def test_readme_lists_every_knob_as_declared():
    readme = (paths.REPO / "README.md").read_text(encoding="utf-8")
    assert params.markdown_table() in readme, (
        "README's knob table is stale: paste japan_taiwan_evidence.params.markdown_table() into "
        "'Rerun with your own assumptions'")


def test_each_notebook_parameters_cell_assigns_exactly_its_knobs_with_the_defaults():
    for notebook in sorted(paths.NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        if notebook.stem not in params.KNOBS:
            continue
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        tagged = [c for c in cells if "parameters" in c.get("metadata", {}).get("tags", [])]
        assert len(tagged) == 1, f"{notebook.name}: one cell tagged 'parameters'"
        values = {}
        for node in ast.parse("".join(tagged[0]["source"])).body:
            if isinstance(node, ast.Assign):
                values[node.targets[0].id.lower()] = ast.literal_eval(node.value)
        assert set(values) == set(params.defaults(notebook.stem)), notebook.name
        for name, value in values.items():
            assert params._same(value, params.defaults(notebook.stem)[name]), (notebook.name, name)
