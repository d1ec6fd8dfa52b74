"""Helpers for the harness's own tests: run the grader as a user would, read its JSON."""
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FIXTURE_MODELS = ROOT / "fixtures" / "models"
FIXTURE_SOLUTIONS = ROOT / "fixtures" / "solutions"


@dataclass
class GraderRun:
    returncode: int
    output: str
    results: dict
    seconds: float

    def category(self, name: str) -> dict:
        return self.results["categories"][name]


def clean_environment() -> dict:
    """The environment a user's shell would give: none of the outer pytest's worker variables."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "PYTEST_XDIST"))}


def run_grader(results_dir: Path, *args: str) -> GraderRun:
    """Run `pytest ARGS --results FILE` from the project root, as a user would."""
    results = results_dir / f"results-{time.monotonic_ns()}.json"
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "pytest", *args, "--results", str(results)],
                             cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=1800)
    seconds = time.monotonic() - started
    data = json.loads(results.read_text()) if results.exists() else {}
    return GraderRun(process.returncode, process.stdout + process.stderr, data, seconds)


@pytest.fixture
def grade(tmp_path):
    """grade(*pytest_args) runs the grader and returns its exit code, output and JSON results."""
    return lambda *args: run_grader(tmp_path, *args)
