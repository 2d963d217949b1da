"""Helpers shared by the suites and scripts that start the real app (e2e/, deploy/, bench/)."""
