"""The grader is a pytest plugin: tfexam/plugin.py."""
pytest_plugins = ["tfexam.plugin"]
