"""The calibration evidence the README's table rests on: every question's reference solution scores
full marks at its budget (seed 0; benchmarks/calibrate.py measures seeds 0, 1 and 2), even beside a
loaded machine, and untrained and constant models score 0."""
import subprocess
import sys

import pytest

import tfexam
from conftest import FIXTURE_MODELS, needs_layout_copy, run_grader
from tfexam.questions import CATEGORIES, POOL, QUESTIONS, is_default


@pytest.mark.parametrize("question", [q.id for q in POOL if not is_default(q)])
def test_the_reference_solution_of_every_other_question_scores_full_marks(grade_question, question):
    folder = QUESTIONS[question].slot.folder
    result = grade_question(question, "--solutions", "--question", question).category(folder)
    assert (result["question"], result["points"], result["training_runs"]) == (question, 5, 1), result["message"]


NEW_CLASSIFIERS = ("mnist", "iris", "horses-or-humans-tfds", "horses-or-humans-150", "rock-paper-scissors")


# The baselines are scored in this process by tfexam.grade, the steps of `pytest --model` (whose command
# line tests/integration/test_models.py runs), without a grader start of their own.

@pytest.mark.parametrize("question", NEW_CLASSIFIERS)
@pytest.mark.parametrize("baseline", ["untrained", "constant"])
def test_an_untrained_or_constant_classifier_scores_zero(request, monkeypatch, question, baseline):
    if needs_layout_copy(QUESTIONS[question]):
        for variable, value in request.getfixturevalue("layout_copies").items():
            monkeypatch.setenv(variable, value)
    result = tfexam.grade(FIXTURE_MODELS / f"{question}_{baseline}.keras", question)
    assert result.value is not None, result.failure
    assert result.points == 0, result


@pytest.mark.parametrize("fixture", ["basic_untrained.keras", "basic_constant.keras",
                                     "fashion_untrained.keras", "fashion_constant.keras",
                                     "images_untrained.keras", "images_constant.keras",
                                     "nlp_untrained.keras", "nlp_constant.keras",
                                     "timeseries_untrained.keras", "timeseries_constant.keras"])
def test_untrained_and_constant_models_score_zero(fixture):
    """Each graded as `pytest assessments/CATEGORY --model FIXTURE` grades it: the category's default question."""
    result = tfexam.grade(FIXTURE_MODELS / fixture, CATEGORIES[fixture.split("_")[0]].id)
    assert result.value is not None, result.failure
    assert result.points == 0, result


def test_beside_two_busy_processes_the_reference_is_graded_as_on_an_idle_machine(tmp_path):
    """The budget is CPU time: a loaded machine slows the clock, not the verdict (README, Limits)."""
    hogs = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        run = run_grader(tmp_path, "assessments/basic", "--solutions", "--time-budget-scale", "1",
                         "--training-threads", "1")
    finally:
        for hog in hogs:
            hog.kill()
            hog.wait()
    assert run.category("basic")["points"] == 5, run.category("basic")["message"]
