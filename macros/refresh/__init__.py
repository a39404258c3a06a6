"""`make data`: refresh datasets from their publishers into a staged copy, validate, review, swap.

Modules: `csvtext` (the data files' text conventions), `census_datasets`, `file_datasets`
(what each dataset's files are made of), `descriptor` (fetch records in datapackage.json),
`diff` (rows added/revised/removed), `review` (numbers that move, pages they appear on),
`staging` (copy, validate, atomic swap). `scripts/refresh_data.py` runs them.
"""
