"""The student template, its integrity check, its workflow, the Classroom step, the Gradescope example."""
import base64
import json
import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import FIXTURE_MODELS, ROOT, clean_environment
from tfexam.questions import CATEGORIES


STEP_COMMAND = ".venv/bin/python -m tfexam classroom {target}"
WORKFLOW = ".github/workflows/tfexam.yml"


def run(cwd, *command, env=None) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=cwd, env=env or clean_environment(), capture_output=True, text=True,
                          timeout=1200)


def pytest_in(cwd, *args, results=None) -> tuple[subprocess.CompletedProcess, dict]:
    extra = ["--retrain"] + (["--results", str(results)] if results else [])
    process = run(cwd, sys.executable, "-m", "pytest", *args, *extra)
    return process, json.loads(results.read_text()) if results and results.exists() else {}


@pytest.fixture(scope="module")
def template(tmp_path_factory):
    destination = tmp_path_factory.mktemp("template") / "student-repo"
    process = run(ROOT, sys.executable, "-m", "tfexam", "export-template", str(destination))
    assert process.returncode == 0, process.stderr
    return destination


@pytest.fixture
def template_copy(template, tmp_path):
    return shutil.copytree(template, tmp_path / "student-repo")


def test_the_template_holds_stubs_checks_grader_and_workflow_but_no_solution(template):
    files = {p.relative_to(template).as_posix() for p in template.rglob("*") if p.is_file()}
    for name in CATEGORIES:
        assert (template / f"assessments/{name}/solution.py").read_bytes() == \
            (ROOT / f"assessments/{name}/solution.py").read_bytes()
        assert f"assessments/{name}/test_{name}.py" in files
    assert {"README.md", "grading-files.sha256", WORKFLOW, "assessments/test_integrity.py",
            "tfexam/plugin/__init__.py", "conftest.py", "pytest.ini", "requirements.txt"} <= files
    assert not any(f.startswith(("solutions/", "fixtures/", "tests/", "benchmarks/", "tfexam/template/"))
                   for f in files)
    every_text = "\n".join((template / f).read_text(errors="replace") for f in files)
    for reference in (ROOT / "solutions").glob("*.py"):
        body = reference.read_text().split("def solution_model():")[1]
        assert body not in every_text, f"{reference.name}'s solution_model() is in the template"


def test_the_templates_own_checks_run_the_stubs_score_zero_and_the_files_are_intact(template, tmp_path):
    process, results = pytest_in(template, "assessments/basic", "assessments/test_integrity.py",
                                 results=tmp_path / "results.json")
    assert process.returncode == 1, process.stdout  # a failing grade is a failing run
    assert results["categories"]["basic"]["points"] == 0
    assert "not implemented" in results["categories"]["basic"]["message"]
    assert "assessments/test_integrity.py::test_grading_files_are_unchanged PASSED" in \
        run(template, sys.executable, "-m", "pytest", "assessments/test_integrity.py", "-v").stdout


def test_editing_a_solution_is_allowed_but_editing_the_grader_fails_the_integrity_check(template_copy):
    with open(template_copy / "assessments/basic/solution.py", "a") as solution:
        solution.write("\n# my work\n")
    assert run(template_copy, sys.executable, "-m", "pytest", "assessments/test_integrity.py").returncode == 0
    with open(template_copy / "tfexam/ladder_override.py", "w") as added, \
            open(template_copy / "tfexam/plugin/run.py", "a") as changed:
        added.write("POINTS = 5\n")
        changed.write("\n# full marks please\n")
    (template_copy / "assessments/nlp/test_nlp.py").unlink()
    process = run(template_copy, sys.executable, "-m", "pytest", "assessments/test_integrity.py")
    assert process.returncode == 1
    for problem in ("changed: tfexam/plugin/run.py", "added: tfexam/ladder_override.py",
                    "missing: assessments/nlp/test_nlp.py"):
        assert problem in process.stdout


def test_export_refuses_a_folder_that_is_not_empty_and_touches_nothing(tmp_path):
    (tmp_path / "notes.txt").write_text("mine")
    process = run(ROOT, sys.executable, "-m", "tfexam", "export-template", str(tmp_path))
    assert process.returncode == 2
    assert "is not empty: export into a new folder" in process.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def _steps(template) -> dict:
    workflow = yaml.safe_load((template / WORKFLOW).read_text())
    assert workflow["name"] == "tfexam" and {"push", "workflow_dispatch"} <= set(workflow["on"])
    return {step["name"]: step for step in workflow["jobs"]["grade"]["steps"]}


def test_the_workflow_grades_then_checks_the_grading_files_and_publishes_the_table_and_the_report(template):
    steps = _steps(template)
    names = list(steps)
    grade = steps["Grade the five categories"]["run"]
    assert grade.startswith(".venv/bin/pytest assessments --ignore=assessments/test_integrity.py")
    assert "--retrain" in grade and "--results results.json" in grade and "--html-report tfexam-report.html" in grade
    sandbox = steps["Sandbox (grant the grader's unshare user namespaces, then give up sudo)"]
    assert names.index("Install the grader") < names.index(sandbox["name"]) < names.index("Grade the five categories")
    assert sandbox["run"] == ".venv/bin/python -m tfexam sandbox-setup --grant --give-up-sudo"
    assert sandbox["continue-on-error"] is True  # a runner that cannot grant still grades, in the process sandbox
    after = names[names.index("Grade the five categories") + 1:]
    assert after[0] == "Grading files unchanged (after every solution has run)"  # after every solution ran
    for name in after:
        assert steps[name]["if"].startswith("always()")  # also when a category lost points
    assert steps["Score table"]["run"] == '.venv/bin/python -m tfexam summary results.json >> "$GITHUB_STEP_SUMMARY"'
    assert steps["HTML report"]["uses"].startswith("actions/upload-artifact@")
    assert steps["HTML report"]["with"]["path"] == "tfexam-report.html"


def test_the_workflows_summary_step_writes_the_score_table_into_the_jobs_summary(template_copy, tmp_path):
    shutil.copyfile(ROOT / "solutions/x-plus-6.py", template_copy / "assessments/basic/solution.py")
    (template_copy / ".venv").symlink_to(ROOT / ".venv")
    process, _ = pytest_in(template_copy, "assessments/basic", "--html-report", "tfexam-report.html",
                           results=template_copy / "results.json")
    assert process.returncode == 0, process.stdout[-3000:]
    summary = tmp_path / "step_summary.md"
    env = dict(clean_environment(), GITHUB_STEP_SUMMARY=str(summary))
    step = run(template_copy, "bash", "-c", _steps(template_copy)["Score table"]["run"], env=env)
    assert step.returncode == 0, step.stderr
    table = summary.read_text()
    assert "| 1 |" in table and "x-plus-6" in table and "5/5" in table
    assert (template_copy / "tfexam-report.html").is_file()


def classroom_step(tmp_path, *args) -> tuple[subprocess.CompletedProcess, dict]:
    output = tmp_path / "github_output"
    env = dict(clean_environment(), GITHUB_OUTPUT=str(output))
    process = run(ROOT, sys.executable, "-m", "tfexam", "classroom", *args, env=env)
    line = output.read_text().strip()
    assert line.startswith("result=") and "\n" not in line
    return process, json.loads(base64.b64decode(line.removeprefix("result=")))


def test_a_classroom_step_outputs_base64_json_the_reporter_reads(tmp_path):
    process, result = classroom_step(tmp_path, "assessments/basic", "--model",
                                     str(FIXTURE_MODELS / "basic_perfect.keras"))
    assert process.returncode == 0
    assert (result["version"], result["status"], result["max_score"]) == (1, "pass", 5)
    assert sum(test["score"] for test in result["tests"]) == 5


def test_a_classroom_step_that_fails_still_reports_and_lets_the_next_step_run(tmp_path):
    process, result = classroom_step(tmp_path, "assessments/basic")  # the stub
    assert process.returncode == 0
    assert (result["status"], result["max_score"], sum(t["score"] for t in result["tests"])) == ("fail", 5, 0)


def test_a_classroom_step_whose_pytest_crashed_reports_an_error_worth_zero(tmp_path):
    process, result = classroom_step(tmp_path, "assessments/basic", "--model", "no-such-model.keras")
    assert process.returncode == 0
    assert (result["status"], result["max_score"]) == ("error", 5)
    assert "pytest exit code 4" in result["tests"][0]["message"]
