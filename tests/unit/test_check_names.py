"""The fast tier: a check's name is its docstring; after a step fails, the checks that need it are
not run (once, with one short reason) and score 0 in every output, without TensorFlow."""
from pathlib import Path
from types import SimpleNamespace

import pytest

from tfexam.results import status
from tfexam import checks  # its test_* functions stay in their module: pytest would collect them here
from tfexam.checks import NotApplicable, NotRun, status_of, title
from tfexam.results.exports import TestLedger as Ledger  # a name pytest does not take for a test class
from tfexam.grading.grade import CategoryGrade, NotGraded, Source, _remembered
from tfexam.results.html_report import render
from tfexam.plugin.summaries import check_summary
from tfexam.questions import CATEGORIES
from tfexam.results.board import PROPERTY, ScoreBoard

BASIC = CATEGORIES["basic"]  # x-plus-6: MAE <= 1, 0.5, 0.2, 0.1, 0.05
TRAINING = "solution_model() trains within the time budget and returns a Keras model"
TRAINING_FAILED = "training failed: solution_model() raised ValueError: the learning rate went negative"
INPUT_SHAPE = "The model's input shape is the one the question specifies"


# --- names --------------------------------------------------------------------------------------

@pytest.mark.parametrize("test_name, name", [
    ("test_training", TRAINING),
    ("test_model_loads", "The saved model loads back for grading (safe deserialisation, no Lambda layers)"),
    ("test_input_shape", INPUT_SHAPE),
    ("test_output_shape", "The model's output shape is the one the question specifies"),
    ("test_score[accuracy>=0.83]", "The model meets accuracy>=0.83 on held-out data: one point"),
    ("test_grading_files_are_unchanged", "The grading files are the ones your instructor gave you "
                                         "(grading-files.sha256)"),
    ("test_something_else", "test_something_else"),  # not a check: its pytest name
])
def test_a_check_is_named_by_its_docstring_with_the_threshold_filled_in(test_name, name):
    assert title(test_name) == name


def test_every_score_check_of_a_ladder_has_its_own_name():
    names = [title(f"test_score[{BASIC.ladder.label(t)}]") for t in BASIC.ladder.thresholds]
    assert names[0] == "The model meets MAE<=1 on held-out data: one point"
    assert len(set(names)) == 5


# --- the dependency rule, on a real CategoryGrade whose steps fail ------------------------------

class TrainingFails(CategoryGrade):
    """A grade whose training step fails, as a solution_model() that raises makes it fail."""

    def __init__(self, tmp_path: Path, is_model: bool = False):
        super().__init__(BASIC, Source(tmp_path / "solution.py", is_model, "solution.py"), tmp_path, 60.0, 0)
        self.training_attempts = 0

    @_remembered
    def model_file(self):
        self.training_attempts += 1
        raise NotGraded(TRAINING_FAILED)


class InputShapeFails(CategoryGrade):
    """A grade whose model loads with a wrong input shape and the right output shape."""

    def __init__(self, tmp_path: Path):
        super().__init__(BASIC, Source(tmp_path / "solution.py", False, "solution.py"), tmp_path, 60.0, 0)

    @_remembered
    def input_shape(self):
        raise NotGraded("input shape mismatch: the model's input is (None, 2)")

    @_remembered
    def output_shape(self):
        return (None, 1)


def run(check, graded, *args) -> tuple[str, str]:
    """Run a check as pytest would; its status word and message."""
    try:
        check(graded, *args)
    except BaseException as raised:  # pytest's outcomes are BaseExceptions
        return status_of("call", raised), str(getattr(raised, "msg", raised))
    return status.PASSED, ""


def test_after_a_failed_training_its_reason_is_given_once_and_every_later_check_is_not_run(tmp_path):
    graded = TrainingFails(tmp_path)
    results = [run(check, graded) for check in (checks.test_training, checks.test_model_loads,
                                                checks.test_input_shape, checks.test_output_shape)]
    results += [run(checks.test_score, graded, threshold) for threshold in BASIC.ladder.thresholds]
    assert results[0] == (status.FAILED, TRAINING_FAILED)
    assert results[1:] == [(status.NOT_RUN, f"depends on '{TRAINING}', which failed")] * 8
    assert graded.training_attempts == 1 and graded.first_failure == TRAINING_FAILED


def test_a_check_whose_own_step_failed_is_not_blamed_on_another_and_independent_checks_still_run(tmp_path):
    graded = InputShapeFails(tmp_path)
    assert run(checks.test_input_shape, graded) == (status.FAILED,
                                                    "input shape mismatch: the model's input is (None, 2)")
    assert run(checks.test_output_shape, graded) == (status.PASSED, "")  # it does not need the input shape
    assert run(checks.test_score, graded, 1.0) == (status.NOT_RUN, f"depends on '{INPUT_SHAPE}', which failed")


def test_the_first_check_to_meet_a_failure_reports_it_in_full_even_if_an_earlier_one_was_deselected(tmp_path):
    graded = TrainingFails(tmp_path)  # e.g. pytest -k input_shape: test_training never ran
    assert run(checks.test_input_shape, graded) == (status.FAILED, TRAINING_FAILED)


def test_training_is_not_applicable_to_a_saved_model(tmp_path):
    state, message = run(checks.test_training, TrainingFails(tmp_path, is_model=True))
    assert state == status.NOT_APPLICABLE and message.startswith("no training: grading the saved model")


@pytest.mark.parametrize("when, raised, word", [
    ("call", None, "passed"), ("call", pytest.fail.Exception("MAE 2 does not reach <= 1"), "failed"),
    ("call", AssertionError(), "failed"), ("call", NotRun("depends on 'x', which failed"), "not run"),
    ("call", NotApplicable("no training"), "not applicable"),
    ("call", pytest.skip.Exception("other"), "not applicable"),
    ("call", KeyError("a bug in a check"), "error"), ("setup", RuntimeError("fixture broke"), "error"),
])
def test_a_checks_status_word_follows_what_it_raised(when, raised, word):
    assert status_of(when, raised) == word


# --- the same status in every output ------------------------------------------------------------

NODE = "assessments/basic/test_basic.py::{}@basic"
REASON = f"depends on '{TRAINING}', which failed"


def reports_of_a_failed_training(tmp_path, is_model=False) -> list:
    """The nine reports a run makes of TrainingFails (or, is_model, of a saved model that passes)."""
    graded = TrainingFails(tmp_path, is_model)
    names = ["test_training", "test_model_loads", "test_input_shape", "test_output_shape"] + \
        [f"test_score[{BASIC.ladder.label(t)}]" for t in BASIC.ladder.thresholds]
    run_in_order = [checks.test_training, checks.test_model_loads, checks.test_input_shape,
                    checks.test_output_shape] + [checks.test_score] * 5
    reports = []
    for name, check, threshold in zip(names, run_in_order, [None] * 4 + list(BASIC.ladder.thresholds)):
        try:
            check(graded, threshold) if threshold is not None else check(graded)
            excinfo = None
        except BaseException as raised:
            excinfo = SimpleNamespace(value=raised)
        item = SimpleNamespace(name=name, config=SimpleNamespace(),
                               callspec=SimpleNamespace(params={"threshold": threshold}))
        summary = check_summary(item, SimpleNamespace(when="call", excinfo=excinfo), graded)
        outcome = {"passed": "passed", "failed": "failed"}.get(summary["status"], "skipped")
        reports.append(SimpleNamespace(nodeid=NODE.format(name), when="call", outcome=outcome,
                                       passed=outcome == "passed", skipped=outcome == "skipped", duration=0.5,
                                       location=("assessments/basic/test_basic.py", 1, name),
                                       user_properties=[(PROPERTY, summary)]))
    return reports


def outputs(reports):
    board, ledger = ScoreBoard(), Ledger()
    for report in reports:
        board.add(report)
        summary = dict(report.user_properties)[PROPERTY]
        ledger.add(report, summary["message"], "x-plus-6", summary["status"])
    return board, ledger.classroom(), ledger.gradescope(1.0)


def test_checks_that_were_not_run_score_zero_and_say_so_in_every_output(tmp_path):
    board, classroom, gradescope = outputs(reports_of_a_failed_training(tmp_path))
    result = board.results["basic"]
    assert (result.points, result.message) == (0, TRAINING_FAILED)
    assert [c["status"] for c in result.checks] == ["failed"] + ["not run"] * 8
    assert result.checks[1] == {"name": "The saved model loads back for grading (safe deserialisation, no Lambda "
                                        "layers)", "test": "test_model_loads", "status": "not run", "message": REASON}
    assert "    checks: 1 failed, 8 not run" in board.table()

    assert classroom["status"] == "fail" and sum(t["score"] for t in classroom["tests"]) == 0
    assert classroom["tests"][0]["message"] == f"failed (question x-plus-6): {TRAINING_FAILED}"
    assert {(t["status"], t["message"]) for t in classroom["tests"][1:]} == {
        ("fail", f"not run (question x-plus-6): {REASON}")}
    assert classroom["tests"][4]["name"] == "basic: The model meets MAE<=1 on held-out data: one point"
    assert classroom["tests"][4]["test_code"] == "pytest assessments/basic/test_basic.py::test_score[MAE<=1]"

    assert sum(t["score"] for t in gradescope["tests"]) == 0 and sum(t["max_score"] for t in gradescope["tests"]) == 5
    assert {t["status"] for t in gradescope["tests"]} == {"failed"}
    assert [t["extra_data"]["status"] for t in gradescope["tests"]] == ["failed"] + ["not run"] * 8
    assert gradescope["tests"][8]["output"] == f"not run (question x-plus-6): {REASON}"

    page = render(board)
    assert page.count(TRAINING_FAILED) == 3  # the score table, the category's reason, its check: not per check
    assert page.count(f'<td class="status">not run</td><td>{REASON.replace(chr(39), "&#x27;")}</td>') == 8


def test_a_check_that_does_not_apply_passes_worth_nothing_in_classroom_and_gradescope(tmp_path):
    reports = reports_of_a_failed_training(tmp_path, is_model=True)[:1]  # test_training of a --model run
    board, classroom, gradescope = outputs(reports)
    assert board.results["basic"].checks[0]["status"] == "not applicable"
    assert (classroom["tests"][0]["status"], classroom["tests"][0]["score"], classroom["status"]) == ("pass", 0, "pass")
    assert classroom["tests"][0]["message"].startswith("not applicable (question x-plus-6): no training")
    assert (gradescope["tests"][0]["status"], gradescope["tests"][0]["max_score"]) == ("passed", 0)
    assert board.results["basic"].check_counts == ""  # nothing the table needs to say


def test_the_status_maps_cover_the_vocabulary():
    assert set(status.CLASSROOM) == set(status.GRADESCOPE) == set(status.ORDER)
    assert set(status.CLASSROOM.values()) == {"pass", "fail", "error"}
    assert set(status.GRADESCOPE.values()) == {"passed", "failed"}
