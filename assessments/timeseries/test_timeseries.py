"""Grades assessments/timeseries/solution.py: pytest assessments/timeseries (see tfexam/checks.py)."""
from tfexam.checks import *  # noqa: F401,F403  the checks every category runs

CATEGORY = "timeseries"
