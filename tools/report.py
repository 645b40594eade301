"""`make report`: the report as one self-contained HTML file and its PDF, in build/report/.

The work is done by japan_taiwan_evidence/report.py (see its docstring); this is its command line:

    .venv/bin/python tools/report.py            # HTML and PDF (needs /usr/bin/chromium)
    .venv/bin/python tools/report.py --no-pdf   # HTML only
"""

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from japan_taiwan_evidence import report  # noqa: E402

if __name__ == "__main__":
    sys.exit(report.main())
