"""The fast tier lints the project with ruff, configured in pyproject.toml ([tool.ruff]): pyflakes'
errors and pycodestyle's, at 120 characters a line; learner code (fixtures, stubs) is left as written."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_project_passes_ruff():
    done = subprocess.run([sys.executable, "-m", "ruff", "check", "--no-cache", "--output-format", "concise", "."],
                          cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, f"ruff check . (fix these, or `ruff check --fix .`):\n{done.stdout}{done.stderr}"
