"""`make bench`: what the lesson's design costs, measured against the real servers.

Run from the repository's root: `python -m bench` (every measurement, the report),
`python -m bench.compare` (versions of the API side by side), `python -m bench.servers` (the
servers that could front the app). harness.py starts the servers and runs wrk; each other module
is one measurement (measurement.py says what one is); report.py writes the table.
"""
