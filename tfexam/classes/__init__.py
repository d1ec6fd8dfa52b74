"""Grading a class on its platform: Classroom 50's autograder, a workflow's step, and what they report."""
