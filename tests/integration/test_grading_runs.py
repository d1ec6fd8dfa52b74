"""Whole grading runs, as a learner or an instructor types them."""
import subprocess
import sys
import time

import pytest

from conftest import FIXTURE_SOLUTIONS, ROOT, USES_WHOLE_EXAM, clean_environment, report_cached_categories, run_grader
from tfexam.questions import CATEGORIES



def table_line(run, category: str) -> str:
    return next(line for line in run.output.splitlines() if line.split()[1:2] == [category])


def test_the_shipped_stubs_score_zero_with_not_implemented_without_training_and_the_run_fails(grade):
    run = grade("assessments", "-n", "2")
    assert run.returncode == 1
    assert set(run.results["categories"]) == set(CATEGORIES)
    for name, result in run.results["categories"].items():
        assert (result["points"], result["status"], result["training_runs"]) == (0, "error", 0), name  # at once
        assert result["message"] == ("training failed: solution_model() is not implemented yet: write your "
                                     "model in solution.py and return it")
    assert (run.results["total"], run.results["exam_score"], run.results["passed"]) == (0, 0, False)


def test_one_hot_loss_on_integer_labels_is_named(grade):
    run = grade("assessments/fashion", "--submission", str(FIXTURE_SOLUTIONS / "one_hot_loss_on_integer_labels.py"))
    assert "use loss='sparse_categorical_crossentropy'" in run.category("fashion")["message"]


@pytest.mark.parametrize("args, message", [
    (("assessments", "--submission", "solutions/x-plus-6.py"),
     "--submission grades one category, but 5 were selected (basic, fashion, images, nlp, timeseries)"),
    (("assessments", "-n", "2", "--model", "fixtures/models/basic_perfect.keras"),
     "--model grades one category, but 5 were selected"),
    (("assessments/basic", "--solutions", "--model", "fixtures/models/basic_perfect.keras"),
     "--solutions and --model cannot be combined"),
    (("assessments/basic", "--model", "no/such/model.h5"), "--model no/such/model.h5: no such file"),
    (("assessments/basic", "--model", "solutions/x-plus-6.py"), "expected a .keras or .h5 file"),
    (("assessments/basic", "--time-budget-scale", "0"), "--time-budget-scale must be a positive number"),
    (("assessments/basic", "--submission", "fixtures/solutions/exam_era/sunspots.py"),
     "this file is written for sunspots, category 5: pytest assessments/timeseries --submission "
     "fixtures/solutions/exam_era/sunspots.py"),
    (("assessments/basic", "--question", "household-power"),
     "--question household-power is a category 5 question: pytest assessments/timeseries --question household-power"),
    (("assessments/basic", "--question", "no-such-question"), "--question no-such-question: no such question"),
    (("assessments", "--question", "x-plus-1"), "--question grades one category, but 5 were selected"),
])
def test_a_mistyped_command_is_a_usage_error_that_says_what_to_do(grade, args, message):
    run = grade(*args)
    assert run.returncode == 4
    assert message in run.output


def test_a_budget_scale_from_the_environment_is_checked_like_the_option(tmp_path):
    run = run_grader(tmp_path, "assessments/basic", env={"TFEXAM_TIME_BUDGET_SCALE": "twice"})
    assert run.returncode == 4
    assert "TFEXAM_TIME_BUDGET_SCALE=twice: give a positive number" in run.output


@USES_WHOLE_EXAM
def test_the_reference_solutions_score_full_marks_training_each_category_once(whole_exam, record_property):
    assert whole_exam.returncode == 0, whole_exam.output
    report_cached_categories(record_property, whole_exam)
    for name in CATEGORIES:
        result = whole_exam.category(name)
        trained = (result["training_runs"], result["cached"])
        assert trained in {(1, False), (0, True)}, f"{name}: trained {trained[0]} times, cached {trained[1]}"
        assert (result["points"], result["status"]) == (5, "pass"), result
        assert result["train_seconds"] > 0
        assert f"{result['points']}/5" in table_line(whole_exam, name)  # the table and the JSON agree
    assert whole_exam.results["total"] == whole_exam.results["max_total"] == 25
    assert (whole_exam.results["exam_score"], whole_exam.results["passed"]) == (100, True)
    assert "exam score: 100/100 PASS" in whole_exam.output


@USES_WHOLE_EXAM
def test_a_serial_run_gives_the_same_points_as_two_workers(grade, whole_exam):
    fast = ("basic", "timeseries")  # two quick ones, trained on two threads here (one a worker above)
    serial = grade(*[f"assessments/{name}" for name in fast], "--solutions")
    assert {name: serial.category(name)["points"] for name in fast} == \
        {name: whole_exam.category(name)["points"] for name in fast}


def test_grading_with_dist_load_is_a_usage_error_before_anything_trains():
    started = time.monotonic()
    process = subprocess.run([sys.executable, "-m", "pytest", "assessments/basic", "-n", "2", "--dist", "load"],
                             cwd=ROOT, env=clean_environment(), capture_output=True, text=True, timeout=120)
    assert process.returncode == pytest.ExitCode.USAGE_ERROR, process.stdout + process.stderr
    assert ("ERROR: tfexam grades each category on one xdist worker and needs --dist loadgroup "
            "(got --dist load): leave out --dist, or pass --dist loadgroup") in process.stderr
    assert "tfexam score" not in process.stdout
    assert time.monotonic() - started < 60
