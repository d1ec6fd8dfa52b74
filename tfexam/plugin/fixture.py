"""The `graded` fixture: one CategoryGrade per category and process, trained once, shared by its checks."""
import pytest

from tfexam.grading.grade import CategoryGrade
from tfexam.plugin import keys
from tfexam.plugin.choice import question_for, question_of, source_of
from tfexam.results import progress


@pytest.fixture
def graded(request) -> CategoryGrade:
    """The grade of this test module's category, trained once per run and shared by its checks."""
    config = request.config
    question = question_of(request.node)
    if question is None:
        pytest.fail("the graded fixture grades a category's test module (one that sets CATEGORY)", pytrace=False)
    folder, grades = question.slot.folder, config.stash[keys.GRADES]
    if folder not in grades:
        grades[folder] = CategoryGrade(
            question, source_of(config, question), config.stash[keys.WORK_ROOT] / folder,
            question.budget_seconds * config.option.time_budget_scale, config.stash[keys.SPEC],
            question_note=question_for(config, folder)[1], reuse_cached=not config.option.retrain,
            training_marker=config.stash[keys.RUN_DIR] / f"{folder}.training",
            progress=progress.for_terminal(config, f"{folder} ({question.id})"))
    return grades[folder]
