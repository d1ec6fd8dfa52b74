"""Whole grading runs, as a learner or an instructor types them."""
import pytest

from conftest import FIXTURE_SOLUTIONS

CATEGORIES = ("basic", "timeseries")


def table_line(run, category: str) -> str:
    return next(line for line in run.output.splitlines() if line.split()[1:2] == [category])


def test_the_shipped_stubs_score_zero_with_not_implemented_and_the_run_fails(grade):
    run = grade("assessments/basic", "assessments/timeseries")
    assert run.returncode == 1
    for name in CATEGORIES:
        result = run.category(name)
        assert (result["points"], result["status"]) == (0, "error")
        assert result["message"] == ("training failed: solution_model() is not implemented yet: write your "
                                     "model in solution.py and return it")
    assert run.results["total"] == 0 and run.results["passed"] is False


def test_a_solution_that_sleeps_forever_scores_zero_within_its_scaled_budget(grade):
    run = grade("assessments/basic", "--submission", str(FIXTURE_SOLUTIONS / "sleeps_forever.py"),
                "--time-budget-scale", "0.15")
    result = run.category("basic")
    assert result["points"] == 0
    assert result["message"].startswith("training failed: time budget exceeded: training was stopped after 9 s")
    assert run.seconds < 9 + 15 + 20  # the budget, the promised grace, pytest and TensorFlow start-up


def test_an_exam_era_file_downloads_its_data_offline_and_is_graded(grade):
    run = grade("assessments/timeseries", "--submission", str(FIXTURE_SOLUTIONS / "exam_era_sunspots.py"))
    result = run.category("timeseries")
    assert result["value"] is not None, run.output
    assert result["training_runs"] == 1
    assert result["source"].startswith("--submission ")


@pytest.mark.parametrize("args, message", [
    (("assessments", "--submission", "solutions/basic.py"),
     "--submission grades one category, but 2 were selected (basic, timeseries)"),
    (("assessments", "-n", "2", "--model", "fixtures/models/basic_perfect.keras"),
     "--model grades one category, but 2 were selected (basic, timeseries)"),
    (("assessments/basic", "--solutions", "--model", "fixtures/models/basic_perfect.keras"),
     "--solutions and --model cannot be combined"),
    (("assessments/basic", "--model", "no/such/model.h5"), "--model no/such/model.h5: no such file"),
    (("assessments/basic", "--model", "solutions/basic.py"), "expected a .keras or .h5 file"),
    (("assessments/basic", "--time-budget-scale", "0"), "--time-budget-scale must be a positive number"),
])
def test_a_mistyped_command_is_a_usage_error_that_says_what_to_do(grade, args, message):
    run = grade(*args)
    assert run.returncode == 4
    assert message in run.output


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])
def test_the_reference_solutions_score_full_marks_training_each_category_once(grade, workers):
    run = grade("assessments", "--solutions", *workers)
    assert run.returncode == 0, run.output
    for name in CATEGORIES:
        result = run.category(name)
        assert (result["points"], result["status"], result["training_runs"]) == (5, "pass", 1), result
        assert 0 < result["train_seconds"] < 60
        assert f"{result['points']}/5" in table_line(run, name)  # the table and the JSON agree
    assert (run.results["total"], run.results["max_total"], run.results["passed"]) == (10, 10, True)
    assert run.results["exam_score"] is None  # three categories were not graded
