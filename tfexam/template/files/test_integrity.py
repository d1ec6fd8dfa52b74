"""Checks the grading files against grading-files.sha256 (see tfexam/grading/integrity.py)."""
from tfexam.grading.integrity import test_grading_files_are_unchanged  # noqa: F401  the check itself
