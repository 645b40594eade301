"""Loaded first (the Makefile runs pytest with "-p tests.startup"), before nbval imports nbformat.

nbformat imports jsonschema, whose format checkers import rfc3987_syntax when it is installed, and that
module compiles some 40 grammars at import (about 1.5 s in each pytest process). nbformat's schema uses
no IRI formats, so the module is marked absent, as tools/run_notebooks.py does for the build; jsonschema
expects the ImportError and leaves those two formats unchecked.
"""

import sys

sys.modules.setdefault("rfc3987_syntax", None)
