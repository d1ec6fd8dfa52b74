"""Which question each category grades, and from what: decided before collection, without running
anything (--question, else the question a stub names or a submission loads, else the category's
default). Each category's checks are kept on one xdist worker, with a timeout above its budget."""
import os
from pathlib import Path

import pytest

from tfexam.grading.grade import Source
from tfexam.plugin import keys
from tfexam.questions import CATEGORIES, QUESTIONS, Question
from tfexam.questions.recognise import recognise
from tfexam.sandbox import runner

TIMEOUT_GRACE_SECONDS = 300  # pytest-timeout is only a backstop above the training budget


def question_for(config, folder: str) -> tuple[Question, str]:
    """The question category `folder` grades in this run, and a note when it was assumed."""
    known = config.stash[keys.QUESTIONS]
    if folder not in known:
        known[folder] = _choose_question(config, folder)
    return known[folder]


def question_of(node) -> Question | None:
    """The question graded by a test module that names its category (CATEGORY = "..."), else None."""
    if not node.config.stash[keys.GRADING]:
        return None
    folder = getattr(getattr(node, "module", None), "CATEGORY", None)
    return question_for(node.config, folder)[0] if folder in CATEGORIES else None


def source_of(config, question: Question) -> Source:
    """What the run grades for `question`: a saved model, a submission, a reference or the category's solution.py."""
    opt, folder = config.option, question.slot.folder
    if opt.model:
        return Source(Path(opt.model).resolve(), True, f"--model {opt.model}")
    if opt.submission:
        return Source(Path(opt.submission).resolve(), False, f"--submission {opt.submission}")
    if opt.solutions:
        return Source(question.reference, False, os.path.relpath(question.reference, config.rootpath))
    path = config.rootpath / "assessments" / folder / "solution.py"
    return Source(path, False, os.path.relpath(path, config.rootpath))


def _choose_question(config, folder: str) -> tuple[Question, str]:
    opt, default = config.option, CATEGORIES[folder]
    if opt.question:
        return QUESTIONS[opt.question], ""
    if opt.model or opt.solutions:
        return default, ""
    path = Path(opt.submission) if opt.submission else config.rootpath / "assessments" / folder / "solution.py"
    written_for = recognise(path)
    if written_for and written_for.slot.folder == folder:
        return written_for, ""
    if not opt.submission:
        return default, ""
    return default, (f"no question recognised in {path.name} (it loads no dataset a question of category "
                     f"{default.slot.number} uses): graded as {default.id}, the category's default; choose "
                     f"another with --question ID (python -m tfexam questions lists them)")


def pytest_generate_tests(metafunc):
    question = question_of(metafunc)
    if question and "threshold" in metafunc.fixturenames:
        ladder = question.ladder
        metafunc.parametrize("threshold", ladder.thresholds, ids=[ladder.label(t) for t in ladder.thresholds])


@pytest.hookimpl(tryfirst=True)  # before xdist turns xdist_group marks into scheduling groups
def pytest_collection_modifyitems(config, items):
    scale = config.option.time_budget_scale
    trainings = 2 if config.option.keras == "auto" else 1  # auto may train again on Keras 2
    for item in items:
        question = question_of(item)
        if question:
            item.add_marker(pytest.mark.xdist_group(question.slot.folder))
            backstop = runner.Budget(question.budget_seconds * scale, 1).longest_seconds()  # the most a training lasts
            item.add_marker(pytest.mark.timeout(backstop * trainings + TIMEOUT_GRACE_SECONDS))
