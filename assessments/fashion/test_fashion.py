"""Grades assessments/fashion/solution.py: pytest assessments/fashion (see tfexam/checks.py)."""
from tfexam.checks import *  # noqa: F401,F403  the checks every category runs

CATEGORY = "fashion"
