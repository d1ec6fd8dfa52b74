"""The grader as a pytest plugin (entry point and conftest name: tfexam.plugin), one module a job:

- options: the command line's options and their checks before anything trains
- run: a grading run's configuration (the TrainingSpec, once), header and clean-up
- choice: the question each category grades, from what, on which xdist worker
- fixture: `graded`, one training per category shared by its checks (tfexam/checks.py)
- summaries: each check's report carries its category's grade
- collection: the controller's score board, table and output files

pytest reads the hooks and the fixture from this module: they are imported here.
"""
from tfexam.plugin.choice import pytest_collection_modifyitems, pytest_generate_tests
from tfexam.plugin.fixture import graded
from tfexam.plugin.options import pytest_addoption
from tfexam.plugin.run import pytest_configure, pytest_configure_node, pytest_report_header, pytest_unconfigure
from tfexam.plugin.summaries import pytest_runtest_makereport

__all__ = ["pytest_addoption", "pytest_configure", "pytest_configure_node", "pytest_report_header",
           "pytest_unconfigure", "pytest_generate_tests", "pytest_collection_modifyitems", "graded",
           "pytest_runtest_makereport"]
