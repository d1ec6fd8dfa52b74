"""Grades assessments/nlp/solution.py: pytest assessments/nlp (see tfexam/checks.py)."""
from tfexam.checks import *  # noqa: F401,F403  the checks every category runs

CATEGORY = "nlp"
