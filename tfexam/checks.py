"""The checks every category runs, in order. Each docstring is the check's name, as a learner reads
it in the results JSON, GitHub Classroom, Gradescope and the HTML report (see title()).

A category's test module imports these and names its category:

    from tfexam.checks import *  # noqa: F401,F403
    CATEGORY = "timeseries"

Only the five score checks earn points; the ones before them explain why there are none. A check
whose step failed reports the reason once; every later check that needs that step is not run, and
says which check to read instead of repeating the reason.
"""
import pytest

from tfexam.grading import integrity
from tfexam.results import status
from tfexam.grading.grade import CategoryGrade, NotGraded

__all__ = ["test_training", "test_model_loads", "test_input_shape", "test_output_shape", "test_score"]


class NotRun(pytest.skip.Exception):  # type: ignore[name-defined]  # pytest's Skipped, by its public name
    """Raised by a check that cannot run because a check before it, which it depends on, failed."""


class NotApplicable(pytest.skip.Exception):  # type: ignore[name-defined]
    """Raised by a check that has nothing to check in this run."""


def status_of(when: str, exception: BaseException | None) -> str:
    """A check's status word from one phase of its run ('setup', 'call', 'teardown') and what it raised."""
    if exception is None:
        return status.PASSED
    if isinstance(exception, NotRun):
        return status.NOT_RUN
    if isinstance(exception, pytest.skip.Exception):
        return status.NOT_APPLICABLE
    if when == "call" and isinstance(exception, (pytest.fail.Exception, AssertionError)):
        return status.FAILED
    return status.ERROR  # a fixture that broke, or a check that crashed: the grader's fault, not the learner's


def _failure(step, check) -> str | None:
    """Run a step for `check`: None when it succeeds, the reason when this check is the first to see it
    fail. A failure an earlier check reported makes this one not run, naming that check."""
    try:
        step()
    except NotGraded as failure:
        first = failure.reported_by
        if first:
            raise NotRun(f"depends on '{first}', which failed") from None
        failure.reported_by = title(check)
        return str(failure)
    return None


def test_training(graded: CategoryGrade):
    """solution_model() trains within the time budget and returns a Keras model."""
    if graded.source.is_model:
        raise NotApplicable(f"no training: grading the saved model given by {graded.source.label}")
    failure = _failure(graded.model_file, "test_training")
    if failure:
        log = graded.training.log_tail if graded.training else ""
        pytest.fail(f"{failure}\n--- last lines of the training log ---\n{log}" if log else failure,
                    pytrace=False)


def test_model_loads(graded: CategoryGrade):
    """The saved model loads back for grading (safe deserialisation, no Lambda layers)."""
    if failure := _failure(graded.model, "test_model_loads"):
        pytest.fail(failure, pytrace=False)


def test_input_shape(graded: CategoryGrade):
    """The model's input shape is the one the question specifies."""
    if failure := _failure(graded.input_shape, "test_input_shape"):
        pytest.fail(failure, pytrace=False)


def test_output_shape(graded: CategoryGrade):
    """The model's output shape is the one the question specifies."""
    if failure := _failure(graded.output_shape, "test_output_shape"):
        pytest.fail(failure, pytrace=False)


def test_score(graded: CategoryGrade, threshold: float):
    """The model meets {threshold} on held-out data: one point."""
    ladder = graded.question.ladder
    if failure := _failure(graded.scored, f"test_score[{ladder.label(threshold)}]"):
        pytest.fail(f"not scored: {failure}", pytrace=False)
    scored = graded.scored()
    if not ladder.meets(scored.value, threshold):
        hint = f" ({scored.hint})" if scored.hint else ""
        pytest.fail(ladder.verdict(scored.value, threshold) + hint, pytrace=False)


_NAMED = {check.__name__: check for check in (test_training, test_model_loads, test_input_shape, test_output_shape,
                                              test_score, integrity.test_grading_files_are_unchanged)}


def title(test_name: str) -> str:
    """A check's name as a learner reads it: the first line of its docstring, a score check's threshold
    label filled in ('test_score[MAE<=0.5]': 'The model meets MAE<=0.5 on held-out data: one point').
    A test that is not one of these keeps its pytest name."""
    function, _, parameter = test_name.partition("[")
    check = _NAMED.get(function)
    if check is None or not check.__doc__:
        return test_name
    return check.__doc__.strip().splitlines()[0].rstrip(".").format(threshold=parameter.rstrip("]"))
