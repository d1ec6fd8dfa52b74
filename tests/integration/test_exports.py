"""--classroom-json and --gradescope-json: complete, and in the shape their readers expect; each check
named by its docstring, and a failure reported once."""
import json

import pytest

from conftest import ADVERSARIAL, FIXTURE_MODELS, run_grader


CLASSROOM_TEST_FIELDS = {"name": str, "status": str, "score": int, "message": str, "test_code": str,
                         "filename": str, "line_no": int, "duration": float}
PERFECT = str(FIXTURE_MODELS / "basic_perfect.keras")


@pytest.fixture
def exported(grade, tmp_path):
    def run(*args):
        classroom, gradescope = tmp_path / "classroom.json", tmp_path / "results.json"
        result = grade(*args, "--classroom-json", str(classroom), "--gradescope-json", str(gradescope))
        return result, json.loads(classroom.read_text()), json.loads(gradescope.read_text())
    return run


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "two-workers"])
def test_a_full_score_follows_the_classroom_reporter_contract(exported, workers):
    run, classroom, _ = exported("assessments/basic", "--model", PERFECT, *workers)
    assert (classroom["version"], classroom["status"], classroom["max_score"]) == (1, "pass", 5)
    assert len(classroom["tests"]) == 9
    for test in classroom["tests"]:
        assert {k: type(v) for k, v in test.items()} == CLASSROOM_TEST_FIELDS, test
        assert test["test_code"].startswith("pytest assessments/basic/test_basic.py::") and "@" not in test["test_code"]
    assert classroom["tests"][0]["name"] == ("basic: solution_model() trains within the time budget and returns a "
                                             "Keras model")
    assert classroom["tests"][0]["message"].startswith("not applicable (question x-plus-6): no training")
    assert classroom["tests"][4]["name"] == "basic: The model meets MAE<=1 on held-out data: one point"
    assert sum(t["score"] for t in classroom["tests"]) == run.category("basic")["points"] == 5


def test_gradescope_results_leave_the_sum_to_gradescope(exported):
    _, _, gradescope = exported("assessments/basic", "--model", PERFECT)
    assert set(gradescope) == {"execution_time", "tests"}  # no top-level score
    assert isinstance(gradescope["execution_time"], int)
    assert sum(t["max_score"] for t in gradescope["tests"]) == 5
    assert {t["status"] for t in gradescope["tests"]} == {"passed"}
    assert all(t["visibility"] == "visible" for t in gradescope["tests"])


def test_a_failing_solution_scores_zero_with_its_reason(exported):
    _, classroom, gradescope = exported("assessments/basic")
    assert classroom["status"] == "fail"
    assert sum(t["score"] for t in classroom["tests"]) == 0
    assert "solution_model() is not implemented yet" in classroom["tests"][0]["message"]
    assert "not implemented" in gradescope["tests"][0]["output"]
    assert all(t["output"].startswith("not run") for t in gradescope["tests"][1:])


def test_tests_that_never_ran_are_listed_as_errors_worth_zero(exported):
    _, classroom, gradescope = exported("assessments/basic", "-x")  # stops at the first failure
    assert len(classroom["tests"]) == len(gradescope["tests"]) == 9
    not_run = [t for t in classroom["tests"] if t["message"].startswith("error: the run stopped before this check")]
    assert len(not_run) == 8
    assert {(t["status"], t["score"]) for t in not_run} == {("error", 0)}
    assert classroom["status"] == "error" and classroom["max_score"] == 5


TRAINING = "solution_model() trains within the time budget and returns a Keras model"
NOT_RUN = f"not run (question x-plus-6): depends on '{TRAINING}', which failed"


def test_a_failed_training_is_reported_once_and_the_eight_checks_after_it_are_not_run(tmp_path):
    files = {name: tmp_path / name for name in ("classroom.json", "results.json", "report.html")}
    run = run_grader(tmp_path, "assessments/basic", "--submission", str(ADVERSARIAL / "raises.py"),
                     "--classroom-json", str(files["classroom.json"]), "--gradescope-json",
                     str(files["results.json"]), "--html-report", str(files["report.html"]))
    reason = "training failed: solution_model() raised ValueError: the learning rate went negative"
    # Before pytest's short summary (-rfE), which repeats it in full where CI is set and cut to the width elsewhere
    shown = run.output.split("short test summary info")[0]
    assert shown.count(reason) == 2 and shown.count("last lines of the training log") == 1  # the check, the table
    assert "1 failed, 8 skipped" in run.output and "    checks: 1 failed, 8 not run" in run.output
    basic = run.category("basic")
    assert (basic["points"], basic["status"]) == (0, "error") and basic["message"].startswith(reason)
    assert [c["status"] for c in basic["checks"]] == ["failed"] + ["not run"] * 8

    classroom = json.loads(files["classroom.json"].read_text())
    assert (classroom["status"], sum(t["score"] for t in classroom["tests"]), classroom["max_score"]) == ("fail", 0, 5)
    assert classroom["tests"][0]["name"] == f"basic: {TRAINING}" and reason in classroom["tests"][0]["message"]
    assert [(t["status"], t["message"]) for t in classroom["tests"][1:]] == [("fail", NOT_RUN)] * 8
    assert classroom["tests"][8]["name"] == "basic: The model meets MAE<=0.05 on held-out data: one point"

    gradescope = json.loads(files["results.json"].read_text())["tests"]
    assert [(t["status"], t["score"]) for t in gradescope] == [("failed", 0)] * 9
    assert [t["output"] for t in gradescope[1:]] == [NOT_RUN] * 8
    assert [t["extra_data"]["status"] for t in gradescope] == ["failed"] + ["not run"] * 8

    page = files["report.html"].read_text()
    assert page.count('<td class="status">not run</td>') == 8 and page.count(reason) == 3  # table, reason, check
    assert "The model&#x27;s input shape is the one the question specifies" in page
