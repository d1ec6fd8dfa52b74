"""The budget stops the training, not the grade: a fit() past its budget ends at the end of a batch
and the model is graded as trained so far, the solution's code after fit() running under a grace;
a training the machine holds back is not taken for one that waits (tests/calibration: it loads the machine)."""
import tfexam
from conftest import FIXTURE_SOLUTIONS, run_grader
from tfexam.questions import QUESTIONS
from tfexam.sandbox import runner
from tfexam.sandbox.runner import Budget, BudgetStop
from tfexam.sandbox.spec import TrainingSpec

PAST_BUDGET = FIXTURE_SOLUTIONS / "budget"  # solutions whose fit() outlasts any budget
BUDGET_SECONDS = 10  # on one thread: TensorFlow's import (5.3-5.8 CPU s here), then some seconds of fit()


def train(tmp_path, fixture: str, budget: float = BUDGET_SECONDS, keras_version: int = 3) -> runner.Training:
    return runner.train(PAST_BUDGET / fixture, tmp_path / "grade", budget,
                        TrainingSpec(threads=1, keras=str(keras_version)))


def test_a_fit_past_its_budget_is_graded_from_what_it_trained_and_says_so_in_one_line(tmp_path):
    report = tmp_path / "report.html"
    run = run_grader(tmp_path, "assessments/basic", "--submission", str(PAST_BUDGET / "endless_epochs.py"),
                     "--time-budget-scale", "0.15", "--html-report", str(report))
    basic = run.category("basic")
    assert (basic["stopped_by_budget"], basic["epochs_planned"]) == (True, 100_000), run.output[-3000:]
    assert 0 < basic["epochs_completed"] < 100_000
    assert basic["value"] is not None and basic["points"] == QUESTIONS["x-plus-6"].ladder.points(basic["value"])
    note = (f"the budget ran out in epoch {basic['epochs_completed'] + 1} of 100000; graded the model as trained "
            "so far; train fewer epochs or a smaller model for the whole run")
    assert basic["budget_note"] == note
    assert f"    {note}" in run.output  # under the category's line of the score table
    assert f"The{note[3:]}." in report.read_text()  # beside what was graded


def test_the_code_after_a_stopped_fit_runs_and_the_model_it_returns_is_graded(tmp_path):
    training = train(tmp_path, "reloads_its_checkpoint.py")
    assert training.ok, training.reason
    assert training.budget_stop.epochs == 100_000
    assert training.cpu_seconds < Budget(BUDGET_SECONDS, 1).cpu_seconds + Budget(BUDGET_SECONDS, 1).grace_seconds
    assert tfexam.grade(str(training.model_path), "x-plus-6").points == 5  # the reloaded weights; fitted, 0


def test_a_first_epoch_that_never_ends_stops_in_epoch_1_of_1(tmp_path):
    training = train(tmp_path, "endless_dataset.py")
    assert training.ok, training.reason
    assert training.budget_stop == BudgetStop(epoch=1, epochs=1)
    assert tfexam.grade(str(training.model_path), "x-plus-6").value is not None


def test_on_keras_2_fit_generator_with_a_callback_of_the_learners_is_stopped_the_same_way(tmp_path):
    training = train(tmp_path, "keras2_fit_generator.py", budget=15, keras_version=2)  # tf_keras imports longer
    assert training.ok, training.reason
    assert (training.keras_version, training.budget_stop.epochs) == (2, 100_000)
    assert training.budget_stop.epoch < 100_000
