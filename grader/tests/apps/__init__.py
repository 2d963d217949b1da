"""Apps the grader's tests grade: the lesson's code as written, and a student's with flaws."""
