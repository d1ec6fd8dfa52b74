"""Checks the grading files against grading-files.sha256 (see tfexam/integrity.py)."""
from tfexam.integrity import test_grading_files_are_unchanged  # noqa: F401  the check itself
