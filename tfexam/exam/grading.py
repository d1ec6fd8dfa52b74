"""Submit and Test: grade a category as `pytest assessments/<folder>` does, in the workspace.

The grader runs in a subprocess inside the workspace (its own copy of the grader, as a plain pytest
there would), with --question for the drawn question and --results FILE, which is read back
(results.record.run_grader).
"""
import os
import tempfile
from datetime import datetime
from pathlib import Path

from tfexam.exam.clock import timestamp
from tfexam.exam.state import Attempt, ExamError
from tfexam.results import record

SUBMIT_VARIABLE = "TFEXAM_EXAM_SUBMIT"  # set in the grader's environment: `exam submit` records the attempt
PATH_VARIABLES = ("TFEXAM_DATA_DIR", "TFEXAM_CACHE_DIR")  # resolved here: the grader runs in the workspace
OUTPUT_LINES_SHOWN = 15


def grade_attempt(workspace: Path, folder: str, question_id: str, model: Path | None, submitted: datetime) -> Attempt:
    with tempfile.TemporaryDirectory(prefix="tfexam-exam-") as scratch:
        run = record.run_grader(pytest_arguments(folder, question_id, model), Path(scratch) / "results.json",
                                cwd=workspace, env=grader_environment())
    if run.results is None:
        tail = "\n".join(run.output.strip().splitlines()[-OUTPUT_LINES_SHOWN:])
        raise GradingFailed(f"the grader wrote no result (exit code {run.returncode}: {run.problem}); "
                            f"its last lines:\n{tail}")
    graded = run.results["categories"].get(folder)
    if graded is None:
        raise GradingFailed(f"the grader's result has no category {folder}")
    return attempt_from(graded, submitted)


class GradingFailed(Exception):
    """The grader itself failed (not the submission): nothing is recorded."""


def pytest_arguments(folder: str, question_id: str, model: Path | None) -> list[str]:
    arguments = [f"assessments/{folder}", "--question", question_id, "-q"]
    if model is not None:
        arguments += ["--model", str(model.resolve())]
    return arguments


def grader_environment() -> dict:
    environment = {key: value for key, value in os.environ.items() if not key.startswith("PYTEST_")}
    for name in PATH_VARIABLES:
        if environment.get(name):
            environment[name] = os.pathsep.join(str(Path(p).expanduser().resolve()) if p else p
                                                for p in environment[name].split(os.pathsep))
    environment[SUBMIT_VARIABLE] = "1"
    return environment


def attempt_from(graded: dict, submitted: datetime) -> Attempt:
    """An attempt from a category's entry in the grader's --results JSON."""
    return Attempt(category=graded["category"], question=graded["question"], time=timestamp(submitted),
                   points=int(graded["points"]), value=graded.get("value"), reason=graded.get("message", ""),
                   source=graded.get("source", ""), graded=graded)


def check_model(model: Path | None) -> None:
    if model is None:
        return
    if not model.is_file():
        raise ExamError(f"--model {model}: no such file; give the .h5 or .keras file model.save() wrote")
    if model.suffix not in (".h5", ".keras"):
        raise ExamError(f"--model {model}: expected a .keras or .h5 file saved with model.save()")
