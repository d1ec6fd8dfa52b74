"""--classroom-json and --gradescope-json: complete, and in the shape their readers expect."""
import json

import pytest

from conftest import FIXTURE_MODELS

pytestmark = pytest.mark.slow  # grades with pytest or trains: not in the fast tier

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
        assert test["name"].startswith("assessments/basic/test_basic.py::") and "@" not in test["name"]
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
    assert all("solution_model() is not implemented yet" in t["message"] for t in classroom["tests"])
    assert all("not implemented" in t["output"] for t in gradescope["tests"])


def test_tests_that_never_ran_are_listed_as_errors_worth_zero(exported):
    _, classroom, gradescope = exported("assessments/basic", "-x")  # stops at the first failure
    assert len(classroom["tests"]) == len(gradescope["tests"]) == 9
    not_run = [t for t in classroom["tests"] if t["message"].startswith("not run:")]
    assert len(not_run) == 8
    assert {(t["status"], t["score"]) for t in not_run} == {("error", 0)}
    assert classroom["status"] == "error" and classroom["max_score"] == 5
