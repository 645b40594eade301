"""One topic, one place: imports run one way and no module outgrows about 500 lines."""

import ast
import re

from japan_taiwan_evidence import paths

PKG = paths.REPO / "japan_taiwan_evidence"
CORE = {"paths", "files", "validate", "sources", "params", "verdicts", "figures", "geo", "basemap", "eez", "maps",
        "i18n", "footers", "layout", "scaling", "clashes"}
TOPICS = {"troops", "gctf", "missiles", "reach", "diplomacy", "since2022"}
MAX_LINES = 520


def _layer(module: str) -> str:
    head = module.split(".")[0]
    return "core" if head in CORE else "topic" if head in TOPICS else "top"


def _imports(path):
    """Package modules imported by one file, as dotted names relative to the package."""
    rel = path.relative_to(PKG).with_suffix("")
    here = list(rel.parts[:-1])
    out = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            base = here[: len(here) - (node.level - 1)] if node.level > 1 else here
            target = base + (node.module.split(".") if node.module else [])
            if node.module:
                out.add(".".join(target))
            else:
                out.update(".".join(target + [a.name]) for a in node.names)
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("japan_taiwan_evidence."):
            out.add(node.module.split(".", 1)[1])
    return {m for m in out if m}


def _modules():
    return sorted(p for p in PKG.rglob("*.py") if "__pycache__" not in p.parts)


def test_core_never_imports_a_topic_or_the_top():
    bad = []
    for path in _modules():
        mod = ".".join(path.relative_to(PKG).with_suffix("").parts)
        if _layer(mod) != "core":
            continue
        bad += [f"{mod} imports {m}" for m in _imports(path) if _layer(m) != "core"]
    assert not bad, bad


def test_a_topic_uses_another_only_through_a_stated_dependency():
    bad = []
    for topic in sorted(TOPICS):
        init = PKG / topic / "__init__.py"
        if not init.exists():
            continue
        doc = ast.get_docstring(ast.parse(init.read_text(encoding="utf-8"))) or ""
        stated = set(re.findall(r"\b(" + "|".join(TOPICS) + r")\b", doc.split("Depends on", 1)[-1]))
        for path in (PKG / topic).rglob("*.py"):
            for m in _imports(path):
                other = m.split(".")[0]
                if other in TOPICS and other != topic and other not in stated:
                    bad.append(f"{path.relative_to(PKG)} imports {m}; {topic}/__init__.py does not state it")
    assert not bad, bad


def test_no_module_outgrows_about_500_lines():
    big = {str(p.relative_to(PKG)): n for p in _modules()
           if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES}
    assert not big, big
