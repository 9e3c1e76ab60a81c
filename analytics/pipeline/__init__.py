"""The build-and-import pipeline: the source tables declared once, each file read and checked
(rows, validate, inspection_rows, readers), imports planned and applied under the journal's
lock (planning, ingest, journal, store), and the database built from them (schema, db).
"""
