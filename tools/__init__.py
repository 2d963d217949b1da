"""Helpers shared by the test suites and the scripts around them (backend/tests, e2e/, grader/,
deploy/, bench/): real servers, a browser, scratch PostgreSQL databases, whether a file defines
a name, and the report of skipped tests."""
