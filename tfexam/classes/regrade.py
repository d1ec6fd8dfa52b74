"""`tfexam regrade CHECKOUT`: the authoritative grade of a student's repository, on the instructor's machine.

Whatever the student's workflow or a class platform reported, this grade is taken with the grader
that runs it, from the checkout's solution files alone (classes/workspace.py): the checkout's own
grader, tests and start-up files are named where they differ from the template, and ignored.
"""
import tempfile
from pathlib import Path

from tfexam.classes import workspace
from tfexam.results import record, summary


def regrade(checkout: Path, categories: list[str], results: Path, workers: int = 2) -> int:
    """Grade the checkout's solutions into `results`, print the score table and what was ignored.

    0 once it wrote results (whatever the score), 1 where the grader could not grade.
    """
    if not (checkout / "assessments").is_dir():
        print(f"tfexam regrade: {checkout} has no assessments/ folder: give the root of a student's repository")
        return 1
    with tempfile.TemporaryDirectory(prefix="tfexam-regrade-") as scratch:
        built = workspace.build(checkout, Path(scratch) / "workspace", categories)
        arguments = [*workspace.grader_arguments(categories, workers), "--retrain"]
        print(f"tfexam regrade: {', '.join(built.taken) or 'no solution file'} of {checkout}", flush=True)
        run = record.run_grader(arguments, results.resolve(), cwd=built.root, capture=False)
    if run.results is None:
        print(f"tfexam regrade: not graded: {run.problem} (pytest exit code {run.returncode})")
        return 1
    print(summary.markdown(run.results))
    print(f"ignored: {built.tampering()}" if built.ignored else "the checkout's grading files are the template's")
    print(f"tfexam regrade: wrote {results}")
    return 0
