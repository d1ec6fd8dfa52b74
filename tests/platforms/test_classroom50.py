"""The Classroom 50 recipe, for real: examples/classroom50/autograder.py grades a student's checkout
(as `python -m tfexam export-template` writes it) the way Classroom 50's runner calls it."""
import json
import shutil
import subprocess
import sys


from conftest import ROOT, clean_environment
from tfexam.classes import classroom50


RUNNER_ENVIRONMENT = {"CLASSROOM": "tf-2026", "ASSIGNMENT": "tf-basic",
                      "SUBMISSION_TAG": "submit/2026-09-01T10-00-00Z-abc1234",
                      "COMMIT_URL": "https://github.com/tf-2026/tf-basic-alice/commit/abc1234",
                      "RELEASE_URL": "https://github.com/tf-2026/tf-basic-alice/releases/tag/submit%2F2026",
                      "REVIEW_URL": "https://github.com/tf-2026/tf-basic-alice/compare/base...abc1234",
                      "OWNER": "alice", "USERNAME": "alice", "ASSIGNMENT_TYPE": "individual"}


def test_the_autograder_grades_a_students_checkout_and_writes_a_valid_result_and_release_body(tmp_path):
    checkout = tmp_path / "tf-basic-alice"
    export = subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(checkout)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    shutil.copyfile(ROOT / "solutions/x-plus-6.py", checkout / "assessments/basic/solution.py")
    (checkout / ".github/workflows/autograde.yaml").write_text("on: push\n")  # what accepting adds
    (checkout / ".classroom50.yaml").write_text("assignment: tf-basic\n")
    bundle = tmp_path / "classroom50/tf-2026/autograders/tf-basic"  # where the instructor puts it
    shutil.copytree(ROOT / "examples/classroom50", bundle)
    environment = dict(clean_environment(), **RUNNER_ENVIRONMENT, CLASSROOM50_BUNDLE_DIR=str(bundle),
                       TFEXAM_CATEGORIES="basic")
    environment.pop("PYTHONPATH", None)  # tfexam must come from the checkout, as in Classroom 50

    process = subprocess.run([sys.executable, str(bundle / "autograder.py")], cwd=checkout, env=environment,
                             capture_output=True, text=True, timeout=900)

    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    result = json.loads((checkout / "result.json").read_text())
    assert classroom50.validate(result) == []
    assert set(result) == set(classroom50.WRITTEN_KEYS)
    assert {key: result[key] for key in ("classroom", "assignment", "submission", "commit", "release", "review")} == {
        "classroom": "tf-2026", "assignment": "tf-basic", "submission": RUNNER_ENVIRONMENT["SUBMISSION_TAG"],
        "commit": RUNNER_ENVIRONMENT["COMMIT_URL"], "release": RUNNER_ENVIRONMENT["RELEASE_URL"],
        "review": RUNNER_ENVIRONMENT["REVIEW_URL"]}
    assert (result["score"], result["max-score"]) == (20, 20)  # 5/5, 4 per point
    rows = {row["test-name"]: row for row in result["tests"]}
    basic = rows["1 · a basic model — x-plus-6"]
    assert (basic["score"], basic["max-score"], basic["passed"], basic["metric"]) == (20, 20, True, "MAE")
    assert rows["grading files unchanged"]["passed"] is True
    assert rows["pass mark 90%"]["passed"] is True
    assert not any("fashion" in name or "sunspots" in name for name in rows)  # only the selected category

    body = (checkout / "release-body.md").read_text()
    assert body.startswith("### tfexam: 20/20 (100%), PASS (pass mark 90%)")
    assert "| 1 · a basic model — x-plus-6 | 5/5 | 20/20 | MAE " in body
    assert "Why points were lost" not in body
    assert (checkout / classroom50.HTML_REPORT).is_file()
