"""Grades assessments/basic/solution.py: pytest assessments/basic (see tfexam/checks.py)."""
from tfexam.checks import *  # noqa: F401,F403  the checks every category runs

CATEGORY = "basic"
