"""The grader's command-line options, and their checks before anything trains: every mistake is a
usage error naming the fix."""
import os
from pathlib import Path

import pytest

from tfexam.grading.models import MODEL_SUFFIXES
from tfexam.questions import CATEGORIES, QUESTIONS
from tfexam.questions.base import SOLUTIONS_VARIABLE, solutions_folder
from tfexam.questions.recognise import recognise
from tfexam.sandbox import spec

BUDGET_SCALE_VARIABLE = "TFEXAM_TIME_BUDGET_SCALE"  # --time-budget-scale's default, e.g. for a slow CI runner


def pytest_addoption(parser):
    group = parser.getgroup("tfexam", "grading the TensorFlow Developer Certificate categories")
    group.addoption("--solutions", action="store_true",
                    help="grade the reference solutions in solutions/ instead of assessments/*/solution.py")
    group.addoption("--submission", metavar="PATH",
                    help="grade this Python file's solution_model() (one category)")
    group.addoption("--model", metavar="PATH",
                    help="grade a saved .keras or .h5 model without training (one category)")
    group.addoption("--time-budget-scale", metavar="F", type=float,
                    help=f"multiply every training budget by F (slower or faster machines); default from "
                         f"${BUDGET_SCALE_VARIABLE}, else 1")
    group.addoption("--retrain", action="store_true",
                    help="train even when an unchanged solution's trained model is in the cache "
                         "($TFEXAM_CACHE_DIR/models)")
    group.addoption("--question", metavar="ID",
                    help="grade against this question of the category's pool (python -m tfexam questions lists "
                         "them); default: the one the file names or loads, else the category's default")
    spec.add_options(group)  # the run settings a training follows: seed, limits, Keras, device, sandbox
    group.addoption("--results", metavar="PATH", help="write the scores as JSON to PATH")
    group.addoption("--classroom-json", metavar="PATH",
                    help="write the result for GitHub Classroom's autograding reporter to PATH")
    group.addoption("--gradescope-json", metavar="PATH", help="write Gradescope's results.json to PATH")
    group.addoption("--html-report", metavar="PATH",
                    help="write a self-contained HTML report (scores, training curves, hints) to PATH")


def is_grading(config) -> bool:
    """True when the command line selects a category's folder, or asks for what only grading does."""
    opt = config.option
    asked = opt.solutions or opt.submission or opt.model or opt.question or opt.results or opt.classroom_json \
        or opt.gradescope_json or opt.html_report
    return bool(asked or categories_selected(config))


def categories_selected(config) -> set[str]:
    """The categories whose folders (those that exist) the command line's paths name or contain."""
    folders = {name: config.rootpath / "assessments" / name for name in CATEGORIES
               if (config.rootpath / "assessments" / name).is_dir()}
    selected: set[str] = set()
    for arg in config.args:
        path = Path(arg.split("::")[0]).resolve()
        selected |= {name for name, folder in folders.items()
                     if folder.is_relative_to(path) or path.is_relative_to(folder)}
    return selected


def validate(config) -> None:
    opt = config.option
    given = [name for name, value in (("--solutions", opt.solutions), ("--submission", opt.submission),
                                      ("--model", opt.model)) if value]
    if len(given) > 1:
        raise pytest.UsageError(f"{' and '.join(given)} cannot be combined: choose what to grade")
    if opt.solutions and not solutions_folder().is_dir():
        raise pytest.UsageError(f"--solutions: no reference solutions at {solutions_folder()}: they are in the "
                                f"repository's solutions/, not in the pip package; grade them from a checkout, "
                                f"or set {SOLUTIONS_VARIABLE} to that folder")
    if opt.time_budget_scale is None:
        opt.time_budget_scale = _budget_scale_from_environment()
    if opt.time_budget_scale <= 0:
        raise pytest.UsageError("--time-budget-scale must be a positive number, e.g. 2 for a slower machine")
    if opt.function and opt.model:
        raise pytest.UsageError("--function and --model cannot be combined: a saved model is not trained")
    for option, path in (("--submission", opt.submission), ("--model", opt.model)):
        if path and not Path(path).is_file():
            raise pytest.UsageError(f"{option} {path}: no such file")
    if opt.submission and not opt.submission.endswith(".py"):
        raise pytest.UsageError(f"--submission {opt.submission}: expected a Python file defining solution_model()")
    if opt.model and not opt.model.endswith(MODEL_SUFFIXES):
        raise pytest.UsageError(f"--model {opt.model}: expected a .keras or .h5 file saved with model.save()")
    selected = categories_selected(config)
    for option, value in (("--submission", opt.submission), ("--model", opt.model), ("--question", opt.question)):
        if value and len(selected) > 1:
            raise pytest.UsageError(f"{option} grades one category, but {len(selected)} were selected "
                                    f"({', '.join(sorted(selected))}): name its folder, e.g. "
                                    f"pytest assessments/timeseries {option} "
                                    f"{'ID' if option == '--question' else 'PATH'}")
    if opt.question:
        _check_question(opt.question, selected, config)
    elif opt.submission:
        written_for = recognise(Path(opt.submission))
        if written_for and selected and written_for.slot.folder not in selected:
            raise pytest.UsageError(
                f"this file is written for {written_for.id}, category {written_for.slot.number}: "
                f"pytest assessments/{written_for.slot.folder} --submission {opt.submission}")


def refuse_other_dist_modes(config) -> None:
    """On the controller of a grading run, before any training: only loadgroup keeps a category on one
    worker; another mode would train it on two, and the second would take the first for a dead grader."""
    if getattr(config, "workerinput", None) is None and categories_selected(config):
        problem = dist_mode_problem(getattr(config.option, "dist", "no"), getattr(config.option, "tx", None))
        if problem:
            raise pytest.UsageError(problem)


def dist_mode_problem(dist: str, workers: list | None) -> str | None:
    """What is wrong with xdist's dist mode for grading (its options after xdist resolved -n), or None."""
    if not workers or dist in ("loadgroup", "no"):  # no workers (-n 0, or no -n): nothing is distributed
        return None
    return (f"tfexam grades each category on one xdist worker and needs --dist loadgroup (got --dist {dist}): "
            "leave out --dist, or pass --dist loadgroup")


def _budget_scale_from_environment() -> float:
    value = os.environ.get(BUDGET_SCALE_VARIABLE, "1")
    try:
        scale = float(value)
    except ValueError:
        scale = 0.0
    if not scale > 0:
        raise pytest.UsageError(f"{BUDGET_SCALE_VARIABLE}={value}: give a positive number, e.g. 2 for a slower "
                                "machine, or unset it")
    return scale


def _check_question(question_id: str, selected: set[str], config) -> None:
    question = QUESTIONS.get(question_id)
    if question is None:
        raise pytest.UsageError(f"--question {question_id}: no such question; `python -m tfexam questions` "
                                f"lists them ({', '.join(QUESTIONS)})")
    if selected and question.slot.folder not in selected:
        raise pytest.UsageError(f"--question {question_id} is a category {question.slot.number} question: "
                                f"pytest assessments/{question.slot.folder} --question {question_id}")
    if config.option.solutions and not question.reference.is_file():
        raise pytest.UsageError(f"--question {question_id} has no reference solution in solutions/")
