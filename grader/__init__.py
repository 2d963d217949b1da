"""The JWT Classroom grader: checks a running app that someone else wrote against the lesson.

Run `python -m grader --help` (from the repository root, with backend/.venv's Python) or
`make grade API=... APP=... USERNAME=... PASSWORD=...`; for a whole class,
`python -m grader.classroom students.csv` or `make grade-class CLASS=students.csv`.
"""
