"""Grading saved models (--model): what a learner who trained in Colab gets back."""
import subprocess
import sys

import pytest

import tfexam
from conftest import FIXTURE_MODELS, ROOT, clean_environment
from tfexam.questions import CATEGORIES


def graded(category: str, fixture: str):
    """The fixture model scored in this process, as `pytest assessments/CATEGORY --model FIXTURE` scores
    it: tfexam.grade runs the same CategoryGrade steps on the category's default question."""
    return tfexam.grade(FIXTURE_MODELS / fixture, CATEGORIES[category].id)


# Two runs of the command line: the option, the results file, the exit code and the score table.
# The other checks score the saved models in this process, without a grader start of their own.

def test_a_perfect_keras_model_scores_five_without_training(grade):
    run = grade("assessments/basic", "--model", str(FIXTURE_MODELS / "basic_perfect.keras"))
    basic = run.category("basic")
    assert run.returncode == 0, run.output
    assert (basic["points"], basic["status"], basic["training_runs"]) == (5, "pass", 0)
    assert basic["value"] == pytest.approx(0.0, abs=1e-5)


def test_a_model_the_grader_cannot_score_fails_the_run_saying_why(grade):
    run = grade("assessments/basic", "--model", str(FIXTURE_MODELS / "basic_lambda.keras"))
    basic = run.category("basic")
    message = "Lambda layers are not supported by the grading infrastructure"
    assert run.returncode == 1
    assert (basic["points"], basic["status"]) == (0, "error")
    assert message in basic["message"]
    assert message in run.output  # the score table says it too


def test_an_h5_model_trained_by_a_separate_script_is_graded():
    assert graded("basic", "basic_trained.h5").points == 5


@pytest.mark.parametrize("fixture, message", [
    ("basic_lambda.keras", "Lambda layers are not supported by the grading infrastructure"),
    ("basic_wrong_input.keras", "input shape mismatch: the model's input is (None, 2), the question expects (None, 1)"),
    ("basic_wrong_output.keras",
     "output shape mismatch: the model's output is (None, 2), the question expects (None, 1)"),
    ("basic_nan.keras", "predictions are not finite"),
    ("corrupt.keras", "corrupt.keras is not a readable Keras model file"),
])
def test_a_model_the_grader_cannot_score_gets_zero_and_the_reason(fixture, message):
    result = graded("basic", fixture)
    assert (result.points, result.value) == (0, None)  # not scored: the results file's status "error"
    assert message in result.message


def test_a_flat_sunspots_input_names_the_window_shape():
    message = graded("timeseries", "timeseries_flat_input.keras").message
    assert "input shape mismatch" in message and "keras.Input(shape=(30, 1))" in message


@pytest.mark.parametrize("category, fixture, message", [
    ("fashion", "fashion_raw_pixels.keras", "the model does much better on pixels in 0-255"),
    ("fashion", "fashion_channel_input.keras", "use keras.Input(shape=(28, 28)) and a Reshape((28, 28, 1))"),
    ("nlp", "nlp_softmax.keras", "a softmax over a single unit always outputs 1 (use sigmoid)"),
    ("nlp", "nlp_two_outputs.keras", "keep the last layer tf.keras.layers.Dense(1, activation='sigmoid')"),
    ("images", "images_wrong_input.keras", "start the model with keras.Input(shape=(300, 300, 3))"),
])
def test_a_classic_learner_mistake_is_named(category, fixture, message):
    result = graded(category, fixture)
    assert message in result.message, result


def test_a_model_that_reads_raw_headlines_is_scored_on_the_text():
    result = graded("nlp", "nlp_strings.keras")
    assert result.value is not None and result.value > 0.7, result


def test_a_sequence_output_is_read_at_its_last_step():
    """A model whose output repeats its input window forecasts the last value seen (persistence)."""
    result = graded("timeseries", "timeseries_persistence_sequence.keras")
    assert result.value == pytest.approx(0.0405, abs=5e-4), result


def test_the_fixture_script_writes_every_committed_model(tmp_path):
    subprocess.run([sys.executable, "fixtures/make_fixtures.py", str(tmp_path)], cwd=ROOT,
                   env=clean_environment(), check=True, capture_output=True, timeout=300)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in FIXTURE_MODELS.iterdir())


IMPORT_CHECK = """
import sys
from tfexam.grading.models import NOT_FOR_GRADING, import_keras
import_keras()
print(sorted(name for name in NOT_FOR_GRADING if name in sys.modules))
import pandas, sklearn  # importable again afterwards
print("imported")
"""


def test_grading_imports_keras_without_the_packages_it_never_uses_and_leaves_them_importable():
    process = subprocess.run([sys.executable, "-c", IMPORT_CHECK], check=False, cwd=ROOT, env=clean_environment(),
                             capture_output=True, text=True, timeout=300)
    assert process.stdout.split() == ["[]", "imported"], process.stderr
