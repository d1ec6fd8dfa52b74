"""The fast tier lints the project with ruff and type-checks the grader with mypy, both configured in
pyproject.toml ([tool.ruff], [tool.mypy]). ruff: pyflakes' errors and pycodestyle's, at 120 characters a
line; learner code (fixtures, stubs) is left as written. mypy: the package tfexam, its bodies checked where
a function has no annotations too; TensorFlow, Keras and the other untyped packages are Any to it."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_passes_ruff():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"ruff check . (fix these, or `ruff check --fix .`):\n{done.stdout}{done.stderr}"


def test_the_grader_passes_mypy():
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"mypy (settings: pyproject.toml's [tool.mypy]):\n{done.stdout}{done.stderr}"
