"""Each check's report carries a summary of its category's grade (the PROPERTY user property), from
which the controller builds the score board: the points, the reason, the training's record."""
import pytest

from tfexam.checks import status_of, title
from tfexam.grading.grade import GRADER_DIED, CategoryGrade
from tfexam.plugin import keys
from tfexam.plugin.choice import question_for, question_of, source_of
from tfexam.questions import Question, is_default
from tfexam.results import status
from tfexam.results.board import PROPERTY
from tfexam.sandbox import runner


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    question = question_of(item)
    grade = item.config.stash[keys.GRADES].get(question.slot.folder) if question else None
    if grade is not None and (call.when == "call" or report.outcome != "passed"):
        report.user_properties.append((PROPERTY, check_summary(item, call, grade)))
    return report


def check_summary(item, call, grade: CategoryGrade) -> dict:
    """One check's outcome with its category's grade, as the score board reads it."""
    question, scored = grade.question, grade.scored_if_done
    message = ""
    if call.excinfo is not None:
        message = str(getattr(call.excinfo.value, "msg", None) or call.excinfo.value).splitlines()[0]
    return {
        "category": question.slot.folder,
        "check": item.name,
        "title": title(item.name),
        "status": status_of(call.when, call.excinfo.value if call.excinfo else None),
        "threshold": item.callspec.params.get("threshold") if hasattr(item, "callspec") else None,
        "message": message,
        "value": scored.value if scored else None,
        "details": scored.details if scored else {},
        "history": grade.history,
        "train_seconds": grade.train_seconds,
        "cached": grade.cached,
        "peak_memory_gib": grade.peak_memory_gib,
        "grade_seconds": round(grade.grade_seconds, 3),
        "first_failure": grade.first_failure,
        "worker": getattr(item.config, "workerinput", {}).get("workerid", "main"),
        "training_runs": grade.training_runs,
        "keras": grade.keras_version,
        "keras_note": grade.keras_note,
        "device": grade.trained_on,
        **budget_fields(grade.budget_stop),
        "about": about(question, grade.source.label, grade.budget_seconds, grade.question_note),
    }


def budget_fields(stop: runner.BudgetStop | None) -> dict:
    """The results' account of a fit() the budget stopped (None where it did not)."""
    if stop is None:
        return {"stopped_by_budget": False, "epochs_completed": None, "epochs_planned": None, "budget_note": ""}
    return {"stopped_by_budget": True, "epochs_completed": stop.epochs_completed, "epochs_planned": stop.epochs,
            "budget_note": stop.note}


def about(question: Question, source_label: str, budget_seconds: float, question_note: str = "") -> dict:
    """What a category's result says of the question it graded."""
    return {"number": question.slot.number, "category": question.slot.folder, "title": question.title,
            "question": question.id, "default_question": is_default(question), "question_note": question_note,
            "source": source_label, "metric": question.ladder.metric,
            "higher_is_better": question.ladder.higher_is_better,
            "thresholds": list(question.ladder.thresholds), "budget_seconds": budget_seconds}


def crash_summary(config, folder: str, nodeid: str) -> dict:
    """For a check whose worker died before it reported: 0, with the reason."""
    question, note = question_for(config, folder)
    source = source_of(config, question)
    check = nodeid.split("::")[-1].split("@")[0]
    return {"category": folder, "check": check, "title": title(check), "status": status.ERROR, "threshold": None,
            "message": GRADER_DIED, "value": None, "details": {}, "history": None, "train_seconds": None,
            "cached": False, "peak_memory_gib": None, "grade_seconds": 0.0, "first_failure": GRADER_DIED,
            "worker": "crashed", "training_runs": 1, "keras": None, "keras_note": "",
            "about": about(question, source.label, question.budget_seconds * config.option.time_budget_scale, note)}
