"""Importers: published files (data/raw/) -> the collection's data tables.

``python -m japan_taiwan_evidence.ingest.dmdc FILE`` (or ``make ingest-dmdc FILE=...``) reads a DMDC
quarterly location workbook and writes its Japan rows, its source entry and its raw copy.
Not imported by the package itself, so the notebooks never load the spreadsheet reader.
"""
