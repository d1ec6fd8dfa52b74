"""Placeholder: this module's questions are being written (issue 14)."""
QUESTIONS = ()
