"""The grader is a pytest plugin: tfexam/plugin/."""
pytest_plugins = ["tfexam.plugin"]
