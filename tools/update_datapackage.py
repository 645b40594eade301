"""Rewrite data/datapackage.json after editing data (`make datapackage`)."""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from japan_taiwan_evidence import datapackage, paths  # noqa: E402

if __name__ == "__main__":
    out = datapackage.write()
    print(f"wrote {paths.relative(out)} ({len(datapackage.build()['resources'])} resources)")
