"""Grades assessments/images/solution.py: pytest assessments/images (see tfexam/checks.py)."""
from tfexam.checks import *  # noqa: F401,F403  the checks every category runs

CATEGORY = "images"
