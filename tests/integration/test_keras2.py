"""Keras 2 mode: exam-era files written for Keras 2 train as written with --keras 2 (and, by
default, --keras auto: test_exam_era_idioms.py), and with --keras 3 fail with a message that
names the line and the option."""
import pytest

from conftest import FIXTURE_SOLUTIONS, run_grader
from tfexam.questions import CATEGORIES
from tfexam.sandbox import runner
from tfexam.sandbox.spec import TrainingSpec


KERAS2_FILES = FIXTURE_SOLUTIONS / "keras2"  # one per category, each marks its first Keras-2-only line


def keras2_only_line(path) -> int:
    return next(number for number, line in enumerate(path.read_text().splitlines(), 1) if "# Keras 2 only" in line)


@pytest.mark.parametrize("category", CATEGORIES)
def test_keras2_code_trains_as_written_with_keras_2(grade, category):
    run = grade(f"assessments/{category}", "--submission", str(KERAS2_FILES / f"{category}.py"), "--keras", "2")
    result = run.category(category)
    assert result["training_runs"] == 1 and result["value"] is not None, run.output
    assert result["history"] and result["history"]["loss"], "the training curves were not recorded"


def assert_names_the_line_and_keras_2(message: str, solution) -> None:
    assert f"({solution.name}, line {keras2_only_line(solution)}): this is Keras 2 code" in message
    assert "grade it with --keras 2 (or TFEXAM_KERAS=2) to run it as written" in message


def test_on_keras_3_the_message_names_the_line_and_keras_2(grade):
    solution = KERAS2_FILES / "basic.py"
    result = grade("assessments/basic", "--submission", str(solution), "--keras", "3").category("basic")
    assert result["training_runs"] == 1  # a --keras the user gave is respected: no second training
    assert result["message"].startswith("training failed: ")
    assert_names_the_line_and_keras_2(result["message"], solution)


@pytest.mark.parametrize("category", [name for name in CATEGORIES if name != "basic"])
def test_on_keras_3_every_categorys_file_is_refused_naming_its_line(tmp_path, category):
    """The training runner, as the grader calls it under --keras 3: the reason its message begins with."""
    solution, question = KERAS2_FILES / f"{category}.py", CATEGORIES[category]
    question.prepare()  # its data where the training's downloads are served from, as the grader does first
    training = runner.train(solution, tmp_path / "grade", question.budget_seconds, TrainingSpec(keras="3"))
    assert not training.ok
    assert_names_the_line_and_keras_2(training.reason, solution)


def test_the_environment_variable_chooses_keras_2_for_classroom_workflows(tmp_path):
    run = run_grader(tmp_path, "assessments/basic", "--submission", str(KERAS2_FILES / "basic.py"),
                     env={"TFEXAM_KERAS": "2"})
    basic = run.category("basic")
    assert (basic["keras"], basic["training_runs"]) == (2, 1), run.output  # not Keras 3 first, then 2
    assert basic["value"] is not None, run.output


@pytest.mark.parametrize("args, env, message", [
    (("--keras", "4"), {}, "--keras 4: the training runs on Keras 2 or 3"),
    ((), {"TFEXAM_KERAS": "keras2"}, "TFEXAM_KERAS=keras2: the training runs on Keras 2 or 3"),
])
def test_another_keras_is_a_usage_error(tmp_path, args, env, message):
    run = run_grader(tmp_path, "assessments/basic", *args, env=env)
    assert run.returncode == 4
    assert message in run.output
