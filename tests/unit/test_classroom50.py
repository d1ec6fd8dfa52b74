"""The fast tier: tfexam's results as Classroom 50's result.json and release-body.md, the
contract's rules, and the autograder's behaviour outside Classroom 50 or when grading fails."""
import json
import shutil
import subprocess
import sys

import pytest

from conftest import ROOT
from tfexam import rules
from tfexam.grading import integrity
from tfexam.template import FILES as TEMPLATE_FILES
from tfexam.classes import classroom50
from tfexam.questions import CATEGORIES
from tfexam.results.board import CategoryResult, ScoreBoard

SUBMISSION = {"classroom": "tf-2026", "assignment": "tf-exam", "submission": "submit/2026-09-01T10-00-00Z-abc1234",
              "commit": "https://github.com/o/r/commit/abc1234", "release": "https://github.com/o/r/releases/tag/x",
              "review": "https://github.com/o/r/compare/base...abc1234"}
ENVIRONMENT = {"CLASSROOM": "tf-2026", "ASSIGNMENT": "tf-exam", "SUBMISSION_TAG": SUBMISSION["submission"],
               "COMMIT_URL": SUBMISSION["commit"], "RELEASE_URL": SUBMISSION["release"],
               "REVIEW_URL": SUBMISSION["review"]}
ALLOWED_ROW_KEYS = {"test-name", "passed", "score", "max-score", "message", "status", "question", "metric", "value"}


def category(folder: str, points: int, value: float | None = 0.5, failure: str = "") -> CategoryResult:
    """A category as the scoreboard holds it: `points` thresholds met, the others failed with their verdict."""
    question = CATEGORIES[folder]
    ladder = question.ladder
    result = CategoryResult(number=question.slot.number, category=folder, title=question.title, source="x.py",
                            metric=ladder.metric, higher_is_better=ladder.higher_is_better,
                            thresholds=list(ladder.thresholds), budget_seconds=question.budget_seconds,
                            question=question.id, points=points, value=value, first_failure=failure or None)
    if failure:
        result.checks.append({"name": "solution_model() trains", "test": "test_training", "status": "failed",
                              "message": failure})
    for index, threshold in enumerate(ladder.thresholds):
        met = index < points
        status = "passed" if met else "not run" if failure else "failed"
        message = "" if met else ("depends on 'solution_model() trains', which failed" if failure
                                  else f"{ladder.metric} {value} does not reach {threshold}")
        result.checks.append({"name": "The model meets this threshold",
                              "test": f"test_score[{ladder.label(threshold)}]", "status": status, "message": message})
    return result


def results_of(*categories: CategoryResult) -> dict:
    board = ScoreBoard()
    for result in categories:
        board.results[result.category] = result
    return json.loads(json.dumps(board.as_json()))  # as read back from the --results file


def stamped(result: dict) -> dict:
    """The result as Classroom 50's runner validates it, after stamping its own fields."""
    return dict(result, owner="alice", assignment_type="individual", datetime="2026-09-01T10:00:00Z")


def assert_valid(result: dict) -> None:
    assert classroom50.validate(result) == []
    assert classroom50.validate(stamped(result)) == []
    assert set(result) == set(classroom50.WRITTEN_KEYS)
    assert result["score"] == sum(row["score"] for row in result["tests"])
    assert result["max-score"] == sum(row["max-score"] for row in result["tests"])
    for row in result["tests"]:
        assert set(row) <= ALLOWED_ROW_KEYS
        assert type(row["score"]) is int and type(row["max-score"]) is int and type(row["passed"]) is bool
    json.dumps(result, allow_nan=False)  # strict JSON: no NaN


def rows_by_question(result: dict) -> dict:
    return {row.get("question") or row["test-name"]: row for row in result["tests"]}


def test_a_whole_exam_is_scored_out_of_100_with_20_per_category_and_the_verdict_on_a_0_point_row():
    results = results_of(category("basic", 5), category("fashion", 5), category("images", 4),
                         category("nlp", 5), category("timeseries", 4))
    result = classroom50.to_result(results, SUBMISSION, list(CATEGORIES), integrity_failure="")
    assert_valid(result)
    assert (result["score"], result["max-score"]) == (92, 100)
    assert result["score"] == results["exam_score"]
    rows = rows_by_question(result)
    assert rows["horses-or-humans"]["test-name"] == "3 · a CNN on real images — horses-or-humans"
    assert (rows["horses-or-humans"]["score"], rows["horses-or-humans"]["max-score"]) == (16, 20)
    assert rows["horses-or-humans"]["passed"] is False and rows["x-plus-6"]["passed"] is True
    assert rows["horses-or-humans"]["metric"] == "accuracy" and rows["horses-or-humans"]["status"] == "partial"
    assert rows[classroom50.INTEGRITY_ROW] == {"test-name": "grading files unchanged", "passed": True, "score": 0,
                                               "max-score": 0, "message": ""}
    verdict = rows[classroom50.VERDICT_TEST]
    assert (verdict["passed"], verdict["max-score"]) == (True, 0)
    assert "PASS" in verdict["message"]


def test_one_category_is_scored_out_of_20_and_leaves_the_others_out():
    result = classroom50.to_result(results_of(category("basic", 5)), SUBMISSION, ["basic"])
    assert_valid(result)
    assert (result["score"], result["max-score"]) == (20, 20)
    assert [row["test-name"] for row in result["tests"]] == ["1 · a basic model — x-plus-6", "pass mark 90%"]


def test_a_category_whose_training_failed_scores_0_with_its_reason_and_no_value():
    failure = "training failed: solution_model() is not implemented yet: write your model in solution.py"
    results = results_of(category("basic", 5), category("nlp", 0, value=None, failure=failure))
    result = classroom50.to_result(results, SUBMISSION, ["basic", "nlp"])
    assert_valid(result)
    nlp = rows_by_question(result)["sarcasm"]
    assert (nlp["score"], nlp["max-score"], nlp["passed"], nlp["status"]) == (0, 20, False, "error")
    assert nlp["message"] == failure and nlp["value"] is None
    assert (result["score"], result["max-score"]) == (20, 40)
    assert rows_by_question(result)[classroom50.VERDICT_TEST]["passed"] is False


def test_a_selected_category_the_run_did_not_report_scores_0_with_why():
    reason = "not graded: the autograder's time limit (600 s) ran out"
    result = classroom50.to_result(results_of(category("basic", 3)), SUBMISSION, ["basic", "images"],
                                   missing_reason=reason)
    assert_valid(result)
    images = rows_by_question(result)["horses-or-humans"]
    assert (images["score"], images["max-score"], images["message"]) == (0, 20, reason)
    assert (result["score"], result["max-score"]) == (12, 40)


def test_a_nan_value_is_left_out_so_the_result_stays_json():
    result = classroom50.to_result(results_of(category("timeseries", 0, value=float("nan"))), SUBMISSION)
    assert_valid(result)
    assert rows_by_question(result)["sunspots"]["value"] is None


def test_the_pass_mark_is_90_percent_of_what_was_graded():
    assert rules.passes(90, 100) and not rules.passes(88, 100)
    assert rules.passes(20, 20) and not rules.passes(16, 20) and not rules.passes(0, 0)


@pytest.mark.parametrize("change, problem", [
    (lambda r: r.update(score=True), "score must be an integer"),
    (lambda r: r.update(score=92.0), "score must be an integer"),
    (lambda r: r.update(score=-1), "score must be an integer"),
    (lambda r: r.update(score=101), "exceeds max-score"),
    (lambda r: r["tests"][0].update(score=21), "tests[0]: score 21 exceeds max-score 20"),
    (lambda r: r["tests"][0].update({"max-score": False}), "tests[0]: max-score must be an integer"),
    (lambda r: r["tests"][0].update(passed=1), "passed must be true or false"),
    (lambda r: r["tests"][0].update({"test-name": ""}), "test-name must be a non-empty string"),
    (lambda r: r["tests"][0].pop("passed"), "tests[0] lacks 'passed'"),
    (lambda r: r.update(submission="2026-09-01"), "does not start with submit/"),
    (lambda r: r.update(exam_score=92), "key 'exam_score' is not in the contract"),
    (lambda r: r.pop("review"), "missing key 'review'"),
    (lambda r: r.update(commit=""), "commit must be a non-empty string"),
    (lambda r: r.update(schema="classroom50/result/v2"), "schema is"),
    (lambda r: r.update(tests={}), "tests must be a list"),
])
def test_the_contracts_rules_reject_what_classroom50_rejects(change, problem):
    result = classroom50.to_result(results_of(category("basic", 5), category("images", 4)), SUBMISSION)
    assert classroom50.validate(result) == []
    change(result)
    assert any(problem in found for found in classroom50.validate(result)), classroom50.validate(result)


def test_an_error_result_is_0_of_0_with_the_reason_and_valid():
    result = classroom50.error_result(SUBMISSION, "the grader stopped before reporting (pytest exit code 3)")
    assert_valid(result)
    assert (result["score"], result["max-score"]) == (0, 0)
    assert result["tests"][0]["passed"] is False and "exit code 3" in result["tests"][0]["message"]


def test_the_release_body_gives_the_exam_score_the_verdict_and_a_reason_for_every_lost_point():
    failure = "training failed: solution_model() raised ValueError: bad | shape"
    results = results_of(category("basic", 5), category("fashion", 5), category("images", 3, value=0.7),
                         category("nlp", 0, value=None, failure=failure), category("timeseries", 5))
    result = classroom50.to_result(results, SUBMISSION, list(CATEGORIES), integrity_failure="")
    body = classroom50.release_body(result, results)
    assert body.startswith("### tfexam exam score: 72/100, FAIL (pass mark 90)")
    assert "| 3 · a CNN on real images — horses-or-humans | 3/5 | 12/20 | accuracy 0.7 | FAIL |" in body
    assert "| 1 · a basic model — x-plus-6 | 5/5 | 20/20 | MAE 0.5 | PASS |" in body
    lost = body.split("#### Why points were lost")[1]
    assert lost.count("1 point: accuracy 0.7 does not reach") == 2  # one line per lost threshold
    assert "5 points: training failed: solution_model() raised ValueError: bad | shape" in lost
    assert "x-plus-6" not in lost and "grading files" not in lost


def test_the_release_body_of_a_partial_run_gives_its_percentage_and_of_an_error_says_not_graded():
    result = classroom50.to_result(results_of(category("basic", 5)), SUBMISSION, ["basic"])
    assert classroom50.release_body(result, results_of(category("basic", 5))).startswith(
        "### tfexam: 20/20 (100%), PASS (pass mark 90%)")
    error = classroom50.error_result(SUBMISSION, "pytest exit code 3")
    body = classroom50.release_body(error, None)
    assert body.startswith("### tfexam: not graded") and "pytest exit code 3" in body


def test_the_submission_comes_from_the_runners_variables_and_review_falls_back_to_the_commit():
    environment = dict(ENVIRONMENT, REVIEW_URL="")
    assert classroom50.submission_from_environment(environment) == dict(SUBMISSION, review=SUBMISSION["commit"])


def test_categories_are_chosen_by_folder_or_number_and_a_wrong_one_is_named():
    assert classroom50.selected_categories({}) == list(CATEGORIES)
    assert classroom50.selected_categories({"TFEXAM_CATEGORIES": "images, 1,basic"}) == ["basic", "images"]
    with pytest.raises(classroom50.ConfigurationError, match="no category 'cnn'.*basic, fashion"):
        classroom50.selected_categories({"TFEXAM_CATEGORIES": "cnn"})


def run_autograder(cwd, environment: dict) -> subprocess.CompletedProcess:
    """The bundle's autograder.py, with this Python as the instructor's grader (TFEXAM_GRADER_PYTHON)."""
    return subprocess.run([sys.executable, str(ROOT / "examples/classroom50/autograder.py")], cwd=cwd,
                          env=dict({"TFEXAM_GRADER_PYTHON": sys.executable}, **environment),
                          capture_output=True, text=True, timeout=120)


def test_outside_classroom50_the_autograder_names_the_missing_variables_and_writes_nothing(tmp_path):
    environment = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT)}
    process = run_autograder(tmp_path, environment)
    assert process.returncode == 2
    for name in ("CLASSROOM", "ASSIGNMENT", "SUBMISSION_TAG", "COMMIT_URL", "RELEASE_URL"):
        assert name in process.stderr
    assert "Classroom 50" in process.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_run_that_cannot_grade_still_writes_a_valid_result_and_exits_0(tmp_path):
    # An option pytest does not know: it stops at once with a usage error and writes no results
    environment = dict(ENVIRONMENT, PATH="/usr/bin:/bin", PYTHONPATH=str(ROOT), TFEXAM_CATEGORIES="basic",
                       PYTEST_ADDOPTS="--no-such-option")
    process = run_autograder(tmp_path, environment)
    assert process.returncode == 0, process.stderr
    result = json.loads((tmp_path / "result.json").read_text())
    assert_valid(result)
    assert (result["score"], result["max-score"]) == (0, 0)
    assert "pytest exit code 4" in result["tests"][0]["message"]
    assert (tmp_path / "release-body.md").read_text().startswith("### tfexam: not graded")


def test_a_wrong_category_setting_is_reported_in_the_result_and_exits_0(tmp_path):
    environment = dict(ENVIRONMENT, PATH="/usr/bin:/bin", PYTHONPATH=str(ROOT), TFEXAM_CATEGORIES="6")
    process = run_autograder(tmp_path, environment)
    assert process.returncode == 0
    result = json.loads((tmp_path / "result.json").read_text())
    assert_valid(result)
    assert "TFEXAM_CATEGORIES=6: no category '6'" in result["tests"][0]["message"]


def test_where_the_grader_cannot_be_installed_the_autograder_says_so_and_exits_1(tmp_path):
    (tmp_path / "a-file").write_text("")  # RUNNER_TEMP under a file: no environment can be made there
    process = subprocess.run([sys.executable, str(ROOT / "examples/classroom50/autograder.py")], cwd=tmp_path,
                             env=dict(ENVIRONMENT, PATH="/usr/bin:/bin", RUNNER_TEMP=str(tmp_path / "a-file/x")),
                             capture_output=True, text=True, timeout=120)
    assert process.returncode == 1
    assert "tfexam autograder: cannot install the grader" in process.stderr
    assert "examples/classroom50/requirements.txt" in process.stderr


def test_the_workspace_takes_only_the_solutions_and_their_modules_and_names_the_tampering(tmp_path):
    from tfexam.classes import workspace
    from tfexam.template import export_template
    checkout = tmp_path / "checkout"
    export_template(checkout)
    solution = "import helpers\nimport tfexam\nimport h5py\ndef solution_model(): ...\n"
    (checkout / "assessments/basic/solution.py").write_text(solution)
    (checkout / "assessments/basic/helpers.py").write_text("LAYERS = 1\n")
    (checkout / "assessments/basic/tfexam.py").write_text("# would stand in for the grader\n")
    (checkout / "assessments/basic/h5py.py").write_text("# would run in the grader when it reads a .h5 model\n")
    (checkout / "assessments/nlp/solution.py").unlink()
    (checkout / "assessments/nlp/solution.py").symlink_to("/etc/hostname")
    (checkout / ".github/workflows/autograde.yaml").write_text("on: push\n")  # what accepting writes
    (checkout / ".classroom50.yaml").write_text("assignment: tf-exam\n")
    with open(checkout / "tfexam/questions/ladder.py", "a") as ladder:
        ladder.write("# 5/5 for any value\n")
    (checkout / "conftest.py").write_text("import os\n")
    (checkout / "sitecustomize.py").write_text("import os\n")
    (checkout / "assessments/basic/evil.pth").write_text("import os\n")
    integrity.write_manifest(checkout)  # the digest list rewritten to match

    built = workspace.build(checkout, tmp_path / "workspace", ["basic", "nlp"])

    assert built.taken == ["assessments/basic/solution.py", "assessments/basic/helpers.py"]
    assert (built.root / "assessments/basic/helpers.py").read_text() == "LAYERS = 1\n"
    assert not (built.root / "assessments/basic/tfexam.py").exists()
    assert not (built.root / "sitecustomize.py").exists()
    assert (built.root / "conftest.py").read_text() == (TEMPLATE_FILES / "conftest.py").read_text()
    assert "5/5 for any value" not in (built.root / "tfexam/questions/ladder.py").read_text()
    assert not (built.root / "assessments/nlp/solution.py").is_symlink()
    assert not (built.root / "assessments/basic/h5py.py").exists()
    assert built.ignored == ["not taken (its name is the grader's): assessments/basic/tfexam.py",
                             "not taken (it would stand in for the installed module h5py): assessments/basic/h5py.py",
                             "not graded (a symbolic link, not a file): assessments/nlp/solution.py",
                             "changed: conftest.py", "changed: grading-files.sha256",
                             "changed: tfexam/questions/ladder.py", "added: assessments/basic/evil.pth",
                             "added: sitecustomize.py"]
    assert built.tampering().startswith("graded with the instructor's grader, so these were ignored")


def test_an_untouched_checkout_differs_in_nothing_from_its_template(tmp_path):
    from tfexam.classes import workspace
    from tfexam.template import export_template
    checkout = tmp_path / "checkout"
    export_template(checkout)
    (checkout / ".github/workflows/autograde.yaml").write_text("on: push\n")
    (checkout / "result.json").write_text("{}")
    built = workspace.build(checkout, tmp_path / "workspace", list(CATEGORIES))
    assert built.ignored == [] and built.tampering() == ""
    assert built.taken == [f"assessments/{folder}/solution.py" for folder in CATEGORIES]


SLOW_CONFTEST = '''
import json, pytest
def pytest_addoption(parser, pluginmanager):
    if pluginmanager.hasplugin("tfexam.plugin"):
        return  # tfexam installed with pip (or editable) registers these options itself
    for name in ("--retrain", "--results", "--html-report"):
        parser.addoption(name, action="store_true" if name == "--retrain" else "store")
@pytest.hookimpl(trylast=True)
def pytest_sessionfinish(session):
    results = {"schema": "tfexam/results/v1", "categories": {}, "total": 0, "max_total": 0, "exam_score": None,
               "pass_mark": 90, "passed": False, "complete_exam": False}  # what tfexam writes of an empty run
    open(session.config.option.results, "w").write(json.dumps(results))
'''


def test_at_the_time_limit_pytest_is_interrupted_and_still_writes_what_it_graded(tmp_path):
    (tmp_path / "conftest.py").write_text(SLOW_CONFTEST)
    (tmp_path / "assessments/basic").mkdir(parents=True)
    (tmp_path / "assessments/basic/test_basic.py").write_text("import time\ndef test_slow():\n    time.sleep(60)\n")
    results, reason = classroom50.grade_workspace(tmp_path, ["basic"], tmp_path / "results.json", seconds=3, workers=1)
    assert results["categories"] == {}  # written at the session's end, after the interrupt: the test sleeps 60 s
    assert "time limit (3 s, TFEXAM_AUTOGRADER_SECONDS) ran out" in reason
    result = classroom50.to_result(results, SUBMISSION, ["basic"], missing_reason=reason)
    assert_valid(result)
    assert (result["score"], result["max-score"]) == (0, 20) and reason in result["tests"][0]["message"]


def test_a_fall_back_to_the_process_sandbox_is_a_0_point_row_the_instructor_sees():
    from tfexam.sandbox.isolation import Sandbox
    for sandbox, passed in ((Sandbox("namespaces"), True), (Sandbox("process", why_process="in a container"), False)):
        results = dict(results_of(category("basic", 5)), sandbox=sandbox.as_record())
        result = classroom50.to_result(results, SUBMISSION, ["basic"], integrity_failure="")
        assert_valid(result)
        row = {row["test-name"]: row for row in result["tests"]}[classroom50.SANDBOX_ROW]
        assert (row["passed"], row["score"], row["max-score"]) == (passed, 0, 0)
        assert row["message"] == sandbox.describe()
        assert (result["score"], result["max-score"]) == (20, 20)
        body = classroom50.release_body(result, results)
        assert ("Trainings ran in the sandbox: process only (in a container)" in body) is not passed
        assert "Why points were lost" not in body


def test_on_github_actions_the_autograder_sets_up_the_sandbox_before_it_grades(tmp_path):
    calls = tmp_path / "calls"
    grader = tmp_path / "python"  # stands in for the grader's Python: records how it is called
    grader.write_text(f'#!/bin/sh\necho "$*" >> {calls}\n')
    grader.chmod(0o755)
    for actions, expected in (("true", ["-m tfexam sandbox-setup --grant --give-up-sudo"]), ("", [])):
        calls.unlink(missing_ok=True)
        process = run_autograder(tmp_path, dict(ENVIRONMENT, PATH="/usr/bin:/bin", GITHUB_ACTIONS=actions,
                                                TFEXAM_GRADER_PYTHON=str(grader)))
        assert process.returncode == 0, process.stderr
        assert calls.read_text().splitlines() == [*expected, f"-m tfexam.classes.classroom50 {tmp_path}"]


def exported(tmp_path):
    from tfexam.template import export_template
    checkout = tmp_path / "checkout"
    export_template(checkout)
    return checkout


def test_a_local_package_is_copied_without_what_pytest_or_python_would_run_and_its_test_file_is_named(tmp_path):
    from tfexam.classes import workspace
    checkout = exported(tmp_path)
    (checkout / "assessments/basic/solution.py").write_text("import tools\ndef solution_model(): ...\n")
    package = checkout / "assessments/basic/tools"
    package.mkdir()
    (package / "__init__.py").write_text("LAYERS = 1\n")
    for name in ("test_award.py", "conftest.py", "sitecustomize.py", "evil.pth"):
        (package / name).write_text("import os\n")
    (package / "passwords").symlink_to("/etc/passwd")
    built = workspace.build(checkout, tmp_path / "workspace", ["basic"])
    copied = sorted(p.name for p in (built.root / "assessments/basic/tools").iterdir())
    assert copied == ["__init__.py"]
    assert "added: assessments/basic/tools/test_award.py" in built.ignored  # named, against the bare template
    assert "added: assessments/basic/tools/evil.pth" in built.ignored
    assert workspace.grader_arguments(["basic", "nlp"]) == [
        "--import-mode=importlib", "assessments/basic/test_basic.py", "assessments/nlp/test_nlp.py"]


def test_links_in_a_checkout_are_named_never_followed_and_an_oversized_solution_is_not_taken(tmp_path):
    from tfexam.classes import workspace
    checkout = exported(tmp_path)
    shutil.rmtree(checkout / "tfexam")
    (checkout / "tfexam").symlink_to("/")  # walking it would read the whole disk
    (checkout / "conftest.py").unlink()
    (checkout / "conftest.py").symlink_to("/dev/zero")  # reading it would never end
    (checkout / "assessments/basic/solution.py").write_text("x = 1\n" * 200_000)
    (checkout / "assessments/nlp/solution.py").write_text("import helpers\ndef solution_model(): ...\n")
    (checkout / "assessments/nlp/helpers.py").symlink_to("/etc/hostname")
    built = workspace.build(checkout, tmp_path / "workspace", ["basic", "nlp"])
    assert built.ignored[:2] == ["not graded (larger than 1024 KiB): assessments/basic/solution.py",
                                 "not taken (a symbolic link): assessments/nlp/helpers.py"]
    assert "a symbolic link: conftest.py" in built.ignored and "a symbolic link: tfexam" in built.ignored
    assert not any(line.startswith("missing: tfexam/") for line in built.ignored)
    assert built.taken == ["assessments/nlp/solution.py"]


def test_the_result_is_written_anew_not_through_a_link_the_checkout_holds(tmp_path):
    target = tmp_path / "elsewhere.json"
    target.write_text("untouched")
    (tmp_path / "result.json").symlink_to(target)
    classroom50.write(tmp_path, classroom50.error_result(SUBMISSION, "x"), "body\n")
    assert target.read_text() == "untouched" and not (tmp_path / "result.json").is_symlink()
    assert json.loads((tmp_path / "result.json").read_text())["tests"][0]["message"] == "x"


def test_a_solution_too_deep_for_the_parser_has_no_local_modules_and_fails_in_its_training(tmp_path):
    from tfexam.sandbox.isolation import local_modules
    solution = tmp_path / "solution.py"
    solution.write_text("x = " + "-" * 200_000 + "1\n")
    assert local_modules(solution) == []
