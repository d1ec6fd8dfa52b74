"""The checks every category runs, in order. Each docstring is what a learner reads.

A category's test module imports these and names its category:

    from tfexam.checks import *  # noqa: F401,F403
    CATEGORY = "timeseries"

Only the five score checks earn points; the ones before them explain why there are none.
"""
import pytest

from tfexam.grading.grade import CategoryGrade, NotGraded

__all__ = ["test_training", "test_model_loads", "test_input_shape", "test_output_shape", "test_score"]


def _failure(step) -> str | None:
    try:
        step()
    except NotGraded as failure:
        return str(failure)
    return None


def test_training(graded: CategoryGrade):
    """solution_model() trains within the time budget and returns a Keras model."""
    if graded.source.is_model:
        pytest.skip(f"no training: grading the saved model given by {graded.source.label}")
    failure = _failure(graded.model_file)
    if failure:
        log = graded.training.log_tail if graded.training else ""
        pytest.fail(f"{failure}\n--- last lines of the training log ---\n{log}" if log else failure,
                    pytrace=False)


def test_model_loads(graded: CategoryGrade):
    """The saved model loads back for grading (safe deserialisation, no Lambda layers)."""
    if failure := _failure(graded.model):
        pytest.fail(failure, pytrace=False)


def test_input_shape(graded: CategoryGrade):
    """The model's input shape is the one the question specifies."""
    if failure := _failure(graded.input_shape):
        pytest.fail(failure, pytrace=False)


def test_output_shape(graded: CategoryGrade):
    """The model's output shape is the one the question specifies."""
    if failure := _failure(graded.output_shape):
        pytest.fail(failure, pytrace=False)


def test_score(graded: CategoryGrade, threshold: float):
    """The model meets this threshold on held-out data: one point."""
    if failure := _failure(graded.scored):
        pytest.fail(f"not scored: {failure}", pytrace=False)
    ladder, scored = graded.question.ladder, graded.scored()
    if not ladder.meets(scored.value, threshold):
        hint = f" ({scored.hint})" if scored.hint else ""
        pytest.fail(ladder.verdict(scored.value, threshold) + hint, pytrace=False)
