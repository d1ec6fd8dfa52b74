"""The fast tier: the score table, the JSON results, the Classroom and Gradescope exports and the
HTML report's hints, built from fake test reports."""
from dataclasses import dataclass, field
from types import SimpleNamespace

import pytest

from tfexam.results import status
from tfexam.questions import CATEGORIES
from tfexam.results.exports import NEVER_REPORTED, category_of, grading_test_name
from tfexam.results.exports import TestLedger as Ledger  # a name pytest does not take for a test class
from tfexam.results.html_report import hints
from tfexam.plugin.summaries import about, budget_fields, check_summary
from tfexam.results.board import PROPERTY, CategoryResult, ScoreBoard
from tfexam.sandbox.runner import BudgetStop


@dataclass
class Report:
    """The parts of a pytest TestReport the scoreboard and the ledger read."""
    nodeid: str = "assessments/basic/test_basic.py::test_training"
    when: str = "call"
    outcome: str = "passed"
    user_properties: list = field(default_factory=list)
    location: tuple = ("assessments/basic/test_basic.py", 24, "test_training")
    duration: float = 0.1234567

    @property
    def passed(self) -> bool:
        return self.outcome == "passed"

    @property
    def skipped(self) -> bool:
        return self.outcome == "skipped"


class Grade:
    """A CategoryGrade as the plugin's check_summary reads it: whatever it asks for and is not set here is None."""

    def __init__(self, category: str):
        self.question = CATEGORIES[category]
        self.source = SimpleNamespace(label=f"assessments/{category}/solution.py")
        self.budget_seconds = self.question.budget_seconds
        self.scored_if_done, self.grade_seconds, self.question_note = None, 0.0, ""

    def __getattr__(self, name):
        return None


def summary(category="basic", check="test_training", threshold=None, **changes) -> dict:
    """What check_summary attaches to a report, from the real function, with these values."""
    item = SimpleNamespace(name=check, callspec=SimpleNamespace(params={"threshold": threshold}),
                           config=SimpleNamespace())
    made = check_summary(item, SimpleNamespace(when="call", excinfo=None), Grade(category))
    assert made["threshold"] == threshold and made["worker"] == "main"
    defaults = {"message": "", "value": 0.5, "details": {}, "train_seconds": 10.0, "cached": False,
                "peak_memory_gib": 1.0, "grade_seconds": 1.0, "training_runs": 1}
    return {**made, **defaults, **changes}


def reported(outcome="passed", when="call", **changes) -> Report:
    """A report of this outcome; its summary's status word follows the outcome unless given."""
    changes.setdefault("status", status.of_report(Report(when=when, outcome=outcome)))
    return Report(when=when, outcome=outcome, user_properties=[(PROPERTY, summary(**changes))])


def score_checks(board, category, passed: int, value=0.5, message="{} does not reach it", **changes):
    """The category's five score checks, the first `passed` of them passing."""
    thresholds = CATEGORIES[category].ladder.thresholds
    for number, threshold in enumerate(thresholds):
        ok = number < passed
        board.add(reported("passed" if ok else "failed", category=category, check=f"test_score[{threshold:g}]",
                           threshold=threshold, value=value, message="" if ok else message.format(threshold),
                           **changes))


def board_of(**points) -> ScoreBoard:
    board = ScoreBoard()
    for category, passed in points.items():
        score_checks(board, category, passed)
    return board


# --- one category ------------------------------------------------------------------------------

def test_each_passing_score_check_is_a_point():
    board = board_of(basic=3)
    assert board.results["basic"].points == 3
    assert board.results["basic"].status == "partial"


def test_checks_without_a_threshold_earn_no_points():
    board = ScoreBoard()
    for check in ("test_training", "test_model_loads", "test_input_shape", "test_output_shape"):
        board.add(reported(check=check))
    assert board.results["basic"].points == 0
    assert len(board.results["basic"].checks) == 4


@pytest.mark.parametrize("passed, value, status", [(5, 0.5, "pass"), (2, 0.5, "partial"), (0, 0.5, "fail"),
                                                  (0, None, "error")])
def test_a_category_status_follows_its_points_and_whether_it_was_scored(passed, value, status):
    board = ScoreBoard()
    score_checks(board, "basic", passed, value=value)
    assert board.results["basic"].status == status


def test_the_message_is_the_first_failed_checks_and_empty_with_full_marks():
    assert board_of(basic=2).results["basic"].message == "0.2 does not reach it"
    assert board_of(basic=5).results["basic"].message == ""


def test_the_first_failure_comes_before_the_failed_checks_messages():
    board = ScoreBoard()
    board.add(reported("failed", message="the check's own message"))
    board.add(reported("failed", check="test_model_loads", message="not loaded",
                       first_failure="training failed: time budget exceeded"))
    assert board.results["basic"].message == "training failed: time budget exceeded"


def test_a_passing_setup_or_a_teardown_is_not_a_check():
    board = ScoreBoard()
    board.add(reported(when="setup"))
    board.add(reported("failed", when="teardown"))
    assert board.results == {}


def test_a_failed_setup_and_a_worker_that_died_are_checks():
    board = ScoreBoard()
    board.add(reported("failed", when="setup", message="fixture broke"))
    board.add(reported("failed", when="???", check="test_model_loads", message="worker died"))
    assert [c["message"] for c in board.results["basic"].checks] == ["fixture broke", "worker died"]


def test_a_report_without_a_summary_is_ignored():
    board = ScoreBoard()
    board.add(Report(user_properties=[("other", {})]))
    assert board.results == {}


def test_a_later_report_without_a_value_keeps_the_earlier_one():
    board = ScoreBoard()
    board.add(reported(value=0.03, train_seconds=12.5, cached=True, grade_seconds=2.0))
    board.add(reported(value=None, train_seconds=None, cached=False, grade_seconds=0.5, check="test_model_loads"))
    result = board.results["basic"]
    assert (result.value, result.train_seconds, result.cached, result.grade_seconds) == (0.03, 12.5, True, 2.0)


def test_training_runs_are_summed_over_workers_and_counted_once_per_worker():
    """A worker reports its running count with every check; a worker that died adds its own."""
    board = ScoreBoard()
    board.add(reported(worker="gw0", training_runs=1))
    board.add(reported(worker="gw0", training_runs=1, check="test_model_loads"))
    board.add(reported("failed", when="???", worker="crashed", training_runs=1, check="test_input_shape"))
    board.add(reported(worker="gw1", training_runs=2, check="test_output_shape"))
    result = board.results["basic"]
    assert result.training_runs == 4
    assert result.as_json()["training_runs"] == 4


def test_the_category_json_has_status_message_and_runs_but_not_the_internals():
    board = ScoreBoard()
    score_checks(board, "basic", 4, first_failure=None)
    data = board.results["basic"].as_json()
    assert (data["status"], data["message"], data["points"]) == ("partial", "0.05 does not reach it", 4)
    assert "first_failure" not in data and "runs_by_worker" not in data
    assert data["thresholds"] == [1.0, 0.5, 0.2, 0.1, 0.05] and data["higher_is_better"] is False


# --- the whole board ---------------------------------------------------------------------------

def test_a_partial_run_passes_at_ninety_percent_of_the_categories_graded():
    board = board_of(basic=5)
    assert (board.total, board.max_total, board.complete_exam, board.exam_score, board.passed) == (
        5, 5, False, None, True)
    assert board_of(basic=5, fashion=4).passed  # 9/10: the pass mark exactly
    assert not board_of(basic=5, fashion=3).passed


@pytest.mark.parametrize("points, score, passed", [((5, 5, 5, 4, 4), 92, True), ((5, 5, 4, 4, 4), 88, False),
                                                   ((0, 0, 0, 0, 0), 0, False)])
def test_the_whole_exam_weighs_each_point_four(points, score, passed):
    board = board_of(**dict(zip(CATEGORIES, points)))
    assert board.complete_exam
    assert (board.exam_score, board.passed) == (score, passed)
    data = board.as_json()
    assert (data["total"], data["max_total"], data["exam_score"], data["passed"]) == (sum(points), 25, score, passed)


def test_an_empty_board_does_not_pass():
    assert not ScoreBoard().passed


def test_the_json_lists_categories_in_exam_order():
    board = board_of(timeseries=1, basic=2, nlp=3)
    assert list(board.as_json()["categories"]) == ["basic", "nlp", "timeseries"]


def test_the_table_has_a_line_per_category_with_its_reason_below():
    board = ScoreBoard()
    score_checks(board, "basic", 3, value=0.15, train_seconds=12.34)
    lines = board.table()
    assert lines[0].split() == ["category", "and", "question", "points", "value", "ladder", "train", "s"]
    assert lines[1].split() == ["1", "basic", "x-plus-6", "3/5", "MAE", "0.15", "<=", "1", "0.5", "0.2", "0.1", "0.05",
                                "12.3"]
    assert lines[2] == "    0.1 does not reach it"
    assert lines[3] == "    checks: 3 passed, 2 failed"
    assert lines[4] == "total: 3/5 over 1 of 5 categories"
    assert len(lines) == 5  # neither the cache footnote nor an exam score


def test_a_fit_the_budget_stopped_says_so_in_one_line_of_the_table_and_in_the_json():
    board = ScoreBoard()
    stop = BudgetStop(epoch=12, epochs=30)
    score_checks(board, "basic", 5, value=0.01, **budget_fields(stop))
    lines = board.table()
    assert lines[2] == ("    the budget ran out in epoch 12 of 30; graded the model as trained so far; "
                        "train fewer epochs or a smaller model for the whole run")
    basic = board.as_json()["categories"]["basic"]
    assert (basic["stopped_by_budget"], basic["epochs_completed"], basic["epochs_planned"]) == (True, 11, 30)
    assert basic["budget_note"] == stop.note and basic["points"] == 5
    unstopped = board_of(basic=5).as_json()["categories"]["basic"]
    assert (unstopped["stopped_by_budget"], unstopped["epochs_completed"], unstopped["budget_note"]) == \
        (False, None, "")


def test_an_unscored_category_shows_dashes():
    board = ScoreBoard()
    board.add(reported("failed", value=None, train_seconds=None, message="training failed: boom"))
    assert board.table()[1].split() == ["1", "basic", "x-plus-6", "0/5", "-", "<=", "1", "0.5", "0.2", "0.1", "0.05",
                                        "-"]


def test_a_model_reused_from_the_cache_is_starred_with_a_footnote():
    board = ScoreBoard()
    score_checks(board, "basic", 5, train_seconds=12.34, cached=True)
    lines = board.table()
    assert lines[1].endswith(" 12.3*")
    assert lines[2].startswith("* unchanged since an earlier run: its trained model was reused from the cache")


def test_a_complete_exam_ends_with_its_score_and_verdict():
    board = board_of(**dict.fromkeys(CATEGORIES, 5))
    assert board.table()[-1] == "exam score: 100/100 PASS (pass mark 90; each category weighs 20)"
    assert board_of(**dict.fromkeys(CATEGORIES, 4)).table()[-1].startswith("exam score: 80/100 FAIL")


# --- Classroom and Gradescope ------------------------------------------------------------------

BASIC = "assessments/basic/test_basic.py"
SCORE = f"{BASIC}::test_score[MAE<=1]"
SCORE_NAME = "basic: The model meets MAE<=1 on held-out data: one point"  # its category, then its docstring


def ledger_report(name, outcome="passed", when="call", line=53, group="@basic") -> Report:
    return Report(nodeid=name + group, when=when, outcome=outcome, location=(BASIC, line, name))


def test_xdist_group_suffixes_are_dropped_and_other_tests_are_not_grading_tests():
    assert grading_test_name(f"{SCORE}@basic") == SCORE
    assert grading_test_name("assessments/test_integrity.py::test_grading_files_are_unchanged") == (
        "assessments/test_integrity.py::test_grading_files_are_unchanged")
    assert grading_test_name("tests/test_unit_grading.py::test_x") is None
    assert grading_test_name("assessments/basic/test_other.py::test_x") is None


def test_a_check_belongs_to_the_category_of_its_folder():
    assert category_of("assessments/nlp/test_nlp.py::test_score[accuracy>=0.65]@nlp") == "nlp"
    assert category_of("assessments/test_integrity.py::test_grading_files_are_unchanged") is None


def test_a_score_check_is_worth_one_point_and_the_others_none():
    ledger = Ledger()
    ledger.add(ledger_report(SCORE), "")
    ledger.add(ledger_report(f"{BASIC}::test_training"), "")
    assert [(t.score, t.max_score) for t in ledger.tests] == [(1, 1), (0, 0)]


def test_a_passing_setup_is_not_recorded_and_a_failing_one_is_an_error():
    ledger = Ledger()
    ledger.add(ledger_report(SCORE, when="setup"), "")
    assert ledger.tests == []
    ledger.add(ledger_report(SCORE, "failed", when="setup"), "fixture broke")
    assert [(t.status, t.message, t.score) for t in ledger.tests] == [("error", "fixture broke", 0)]


def test_a_collected_check_that_never_reported_is_an_error_worth_zero():
    ledger = Ledger()
    ledger.collected([f"{SCORE}@basic", f"{BASIC}::test_score[MAE<=0.5]@basic", "tests/test_unit_x.py::test_y"])
    ledger.add(ledger_report(SCORE), "")
    classroom = ledger.classroom()
    assert [(t["name"], t["status"], t["score"]) for t in classroom["tests"]] == [
        (SCORE_NAME, "pass", 1), ("basic: The model meets MAE<=0.5 on held-out data: one point", "error", 0)]
    assert classroom["tests"][1]["message"] == f"error: {NEVER_REPORTED}"
    assert classroom["tests"][1]["test_code"] == f"pytest {BASIC}::test_score[MAE<=0.5]"
    assert (classroom["status"], classroom["max_score"]) == ("error", 2)
    gradescope = ledger.gradescope(12.6)
    assert gradescope["tests"][1] == {"name": "basic: The model meets MAE<=0.5 on held-out data: one point", "score": 0,
                                      "max_score": 1, "status": "failed", "output": f"error: {NEVER_REPORTED}",
                                      "visibility": "visible",
                                      "extra_data": {"test": f"{BASIC}::test_score[MAE<=0.5]", "status": "error"}}


def test_a_classroom_test_names_its_command_file_line_and_duration():
    ledger = Ledger()
    ledger.add(ledger_report(SCORE, "failed", line=53), "MAE 1.5 does not reach <= 1")
    assert ledger.classroom() == {"version": 1, "status": "fail", "max_score": 1, "tests": [
        {"name": SCORE_NAME, "status": "fail", "score": 0, "message": "failed: MAE 1.5 does not reach <= 1",
         "test_code": f"pytest {SCORE}", "filename": BASIC, "line_no": 54, "duration": 0.123}]}


@pytest.mark.parametrize("outcomes, status", [(("passed", "skipped"), "pass"), (("passed", "failed"), "fail"),
                                              (("failed", "error"), "error")])
def test_the_classroom_status_is_the_worst_of_its_tests(outcomes, status):
    ledger = Ledger()
    for number, outcome in enumerate(outcomes):
        when = "setup" if outcome == "error" else "call"
        ledger.add(ledger_report(f"{BASIC}::test_{number}", "failed" if outcome == "error" else outcome, when), "")
    assert ledger.classroom()["status"] == status


def test_gradescope_passes_skipped_tests_and_rounds_the_execution_time():
    ledger = Ledger()
    ledger.add(ledger_report(f"{BASIC}::test_training", "skipped"), "no training: grading the saved model")
    ledger.add(ledger_report(SCORE), "")
    gradescope = ledger.gradescope(41.7)
    assert gradescope["execution_time"] == 42
    assert [(t["status"], t["score"], t["max_score"]) for t in gradescope["tests"]] == [
        ("passed", 0, 0), ("passed", 1, 1)]


# --- the HTML report's hints -------------------------------------------------------------------

def result(history=None, **changes) -> CategoryResult:
    """A basic result (budget 60 s), trained in 10 s, scored."""
    return CategoryResult(**{**about(CATEGORIES["basic"], "solution.py", 60.0), "value": 0.5,
                             "train_seconds": 10.0, "history": history, **changes})


FALLING = [1.0, 0.8, 0.6, 0.4, 0.3]


def test_a_healthy_training_gets_no_hint():
    assert hints(result({"loss": FALLING, "val_loss": [1.1, 0.9, 0.7, 0.5, 0.4]})) == []


def test_overfitting_names_the_epoch_of_the_best_validation_loss():
    found = hints(result({"loss": FALLING, "val_loss": [0.9, 0.7, 0.75, 0.85, 0.9]}))
    assert len(found) == 1
    assert found[0].startswith("Overfitting: the validation loss was lowest at epoch 2 (0.7) and rose to 0.9 "
                               "by epoch 5 while the training loss kept falling")


def test_a_small_rise_of_the_validation_loss_is_not_overfitting():
    assert hints(result({"loss": FALLING, "val_loss": [0.9, 0.7, 0.72, 0.74, 0.76]})) == []


def test_a_nan_loss_names_its_epoch_and_nothing_else():
    found = hints(result({"loss": [1.0, 0.5, None, None]}))  # the training process records NaN as None
    assert found == ["The loss became NaN at epoch 3: lower the learning rate."]


@pytest.mark.parametrize("loss", [[1.0, 1.2], [0.7, 0.5, 0.7]])
def test_a_loss_that_never_fell_is_named(loss):
    found = hints(result({"loss": loss, "val_loss": loss}))
    assert found == ["The training loss did not fall: check the learning rate, the labels and the input scaling."]


def test_a_training_without_validation_data_is_told_to_pass_it():
    found = hints(result({"loss": FALLING}))
    assert found == ["No validation curves: pass validation_data to fit() to see overfitting as it happens."]


def test_a_training_near_its_budget_is_warned():
    assert hints(result({"loss": FALLING, "val_loss": FALLING}, train_seconds=50.0))[0].startswith(
        "Training took 50 s of its 60 s budget")
    assert hints(result({"loss": FALLING, "val_loss": FALLING}, train_seconds=45.0)) == []  # 75% exactly


def test_a_training_stopped_at_its_budget_is_told_to_time_an_epoch():
    found = hints(result(value=None, train_seconds=None, first_failure=(
        "training failed: time budget exceeded: training was stopped after 60 s")))
    assert found == ["Training was stopped at the budget: time one epoch, then set the epochs to fit well "
                     "inside the budget."]


def test_a_fit_the_budget_stopped_is_told_to_time_an_epoch_not_warned_of_the_budget_again():
    stopped = budget_fields(BudgetStop(3, 9))
    found = hints(result({"loss": FALLING, "val_loss": FALLING}, train_seconds=59.0, **stopped))
    assert found == ["Training was stopped at the budget: time one epoch, then set the epochs to fit well "
                     "inside the budget."]


def test_a_shape_mismatch_points_at_solution_py():
    found = hints(result(value=None, train_seconds=None, history={"loss": FALLING, "val_loss": FALLING},
                         first_failure="input shape mismatch: the model's input is (None, 2)"))
    assert found == ["The shapes are checked before any point is scored: solution.py says the input and output "
                     "the grader uses."]


def test_a_model_given_with_model_has_no_curves_and_says_why():
    assert hints(result(train_seconds=None)) == [
        "No training curves: the model was trained elsewhere; the grader only sees the training it runs."]
    assert hints(result(value=None, train_seconds=None)) == []  # not scored: nothing to explain
