"""Partner data sets: a council ASB log, a fire service's secondary fires.

`parsing` reads a partner file (CSV or XLSX) through the data set's saved
column mapping; `services` sets a data set up and records flags on its
incidents; `views` are its pages; `demo` makes the demo's synthetic data sets.
Files load through the one import pipeline, `intelligence.loading`, as
police.uk files do. Nothing is imported here, so the modules below import
each other without a cycle through this package.
"""
