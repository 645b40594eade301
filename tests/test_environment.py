"""One dependency list: requirements.txt pins everything; environment.yml points at it; the venv matches."""

import re
from importlib import metadata

from japan_taiwan_evidence import paths

SHAPES_OUTPUTS = ["matplotlib", "matplotlib-inline", "pandas", "numpy", "ipykernel", "ipython", "cartopy",
                  "shapely", "pyproj", "pandera", "nbval", "nbclient", "jupyterlab"]


def _pins():
    pins = {}
    for line in (paths.REPO / "requirements.txt").read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        m = re.fullmatch(r"([A-Za-z0-9_.\-]+)==([A-Za-z0-9_.+\-]+)", line)
        assert m, f"requirements.txt: '{line}' is not an exact pin (name==version)"
        pins[m.group(1).lower().replace("_", "-")] = m.group(2)
    return pins


def test_every_requirement_is_pinned_and_the_output_shapers_are_there():
    pins = _pins()
    missing = [p for p in SHAPES_OUTPUTS if p not in pins]
    assert not missing, f"requirements.txt lacks pins for {missing}"


def test_environment_yml_reads_requirements_txt():
    text = (paths.REPO / "environment.yml").read_text()
    assert re.search(r"^\s*-\s*python=3\.11\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-r requirements\.txt\s*$", text, re.M)
    assert re.search(r"^\s*-\s*-e \.\s*$", text, re.M)
    # No package may be listed in environment.yml apart from python and pip: one list only.
    block = text.split("dependencies:", 1)[1]
    deps = re.findall(r"^\s{2}-\s+([A-Za-z0-9_.\-]+)", block, re.M)
    assert set(deps) <= {"python", "pip"}, f"environment.yml lists packages itself: {deps}"


def test_installed_versions_match_the_pins():
    wrong = {}
    for name, version in _pins().items():
        try:
            have = metadata.version(name)
        except metadata.PackageNotFoundError:
            wrong[name] = (version, "not installed")
            continue
        if have != version:
            wrong[name] = (version, have)
    assert not wrong, f"installed packages differ from requirements.txt (pinned, installed): {wrong}"
