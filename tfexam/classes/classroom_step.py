"""One step of the GitHub Classroom workflow: grade a target, hand the reporter its result.

`python -m tfexam classroom assessments/basic` runs pytest on the target with --classroom-json,
then appends `result=<base64 JSON>` to $GITHUB_OUTPUT, where autograding-grading-reporter reads
it. It always writes a result, also when pytest crashed before writing one (the reporter fails
on a missing one), and exits 0 so the next category's step still runs.
"""
import base64
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from tfexam.questions import CATEGORIES
from tfexam import rules


def crashed_result(target: str, returncode: int) -> dict:
    """The result of a run that wrote none: an error worth 0, with the category's points at stake."""
    is_category = Path(target).name in CATEGORIES
    return {"version": 1, "status": "error", "max_score": rules.POINTS_PER_CATEGORY if is_category else 0,
            "tests": [{"name": target, "status": "error", "score": 0,
                       "message": f"the grader stopped before reporting (pytest exit code {returncode}); "
                                  "read this step's log",
                       "test_code": f"pytest {target}", "filename": target, "line_no": 0, "duration": 0.0}]}


def grade_step(target: str, pytest_args: list[str]) -> dict:
    with tempfile.TemporaryDirectory(prefix="tfexam-classroom-") as scratch:
        path = Path(scratch) / "result.json"
        # --retrain: graded work is always trained, never taken from a cache the solution could write to
        returncode = subprocess.call([sys.executable, "-m", "pytest", target, "--retrain",
                                      "--classroom-json", str(path), *pytest_args])
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return crashed_result(target, returncode)


def publish(result: dict) -> None:
    """Append the result to $GITHUB_OUTPUT as the reporter expects, or print it outside Actions."""
    encoded = base64.b64encode(json.dumps(result).encode()).decode()
    output = os.environ.get("GITHUB_OUTPUT")
    if output:
        with open(output, "a") as f:
            f.write(f"result={encoded}\n")
    else:
        print(json.dumps(result, indent=2))
    points = sum(test["score"] for test in result["tests"])
    print(f"tfexam classroom: {points}/{result['max_score']} points, status {result['status']}")


def main(target: str, pytest_args: list[str]) -> int:
    publish(grade_step(target, pytest_args))
    return 0
