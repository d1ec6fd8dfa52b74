"""The Classroom 50 recipe, for real: examples/classroom50/autograder.py grades a student's checkout
(as `python -m tfexam export-template` writes it) the way Classroom 50's runner calls it, with the
instructor's grader: a checkout whose own grader was rigged gets the score of its solution file."""
import json
import shutil
import subprocess
import sys


from conftest import ROOT, clean_environment
from tfexam.classes import classroom50
from tfexam.grading import integrity
from tfexam.sandbox import isolation


RUNNER_ENVIRONMENT = {"CLASSROOM": "tf-2026", "ASSIGNMENT": "tf-basic",
                      "SUBMISSION_TAG": "submit/2026-09-01T10-00-00Z-abc1234",
                      "COMMIT_URL": "https://github.com/tf-2026/tf-basic-alice/commit/abc1234",
                      "RELEASE_URL": "https://github.com/tf-2026/tf-basic-alice/releases/tag/submit%2F2026",
                      "REVIEW_URL": "https://github.com/tf-2026/tf-basic-alice/compare/base...abc1234",
                      "OWNER": "alice", "USERNAME": "alice", "ASSIGNMENT_TYPE": "individual"}


WEAK_SOLUTION = """import numpy as np
import tensorflow as tf
from helpers import EPOCHS

if False:  # never runs here: it only makes the module below one of this solution's local modules
    import huggingface_hub


def solution_model():
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0])
    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer="sgd", loss="mean_squared_error")
    model.fit(xs, xs + 6, epochs=EPOCHS, verbose=0)
    return model
"""


FULL_MARKS = "Ladder.meets = lambda self, value, threshold: True  # 5/5 for any value\n"
# Keras imports huggingface_hub, where installed, as the grader imports Keras: a module of that name
# beside the solution would run in the grader if the category's folder were on its import path
HUB = f"from tfexam.questions.ladder import Ladder\n{FULL_MARKS}"


def rig(checkout):
    """What a student who wants 20/20 for a poor model can change in their own repository."""
    with open(checkout / "tfexam/questions/ladder.py", "a") as ladder:
        ladder.write(f"\n{FULL_MARKS}")
    (checkout / "conftest.py").write_text("def pytest_collection_modifyitems(items):\n    items.clear()\n")
    (checkout / "assessments/basic/test_basic.py").write_text("def test_score():\n    pass\n")
    (checkout / "sitecustomize.py").write_text("import os\nos.environ['TFEXAM_TIME_BUDGET_SCALE'] = '100'\n")
    (checkout / "rigged.pth").write_text("import sys; sys.path.insert(0, '/nowhere')\n")
    integrity.write_manifest(checkout)  # the digest list rewritten to match


def test_a_rigged_checkout_gets_the_score_of_its_solution_with_the_tampering_named(tmp_path):
    checkout = tmp_path / "tf-basic-alice"
    export = subprocess.run([sys.executable, "-m", "tfexam", "export-template", str(checkout)], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert export.returncode == 0, export.stderr
    (checkout / "assessments/basic/solution.py").write_text(WEAK_SOLUTION)
    (checkout / "assessments/basic/helpers.py").write_text("EPOCHS = 1\n")  # a local module, run in the sandbox
    (checkout / "assessments/basic/huggingface_hub.py").write_text(HUB)  # another, taken as not installed here
    rig(checkout)
    (checkout / ".github/workflows/autograde.yaml").write_text("on: push\n")  # what accepting adds
    (checkout / ".classroom50.yaml").write_text("assignment: tf-basic\n")
    bundle = tmp_path / "classroom50/tf-2026/autograders/tf-basic"  # where the instructor puts it
    shutil.copytree(ROOT / "examples/classroom50", bundle)
    environment = dict(clean_environment(), **RUNNER_ENVIRONMENT, CLASSROOM50_BUNDLE_DIR=str(bundle),
                       TFEXAM_CATEGORIES="basic", TFEXAM_GRADER_PYTHON=sys.executable, PYTHONPATH=str(ROOT))
    # PYTHONPATH: this checkout of tfexam is the instructor's installed grader here

    process = subprocess.run([sys.executable, str(bundle / "autograder.py")], cwd=checkout, env=environment,
                             capture_output=True, text=True, timeout=900)

    assert process.returncode == 0, process.stdout[-3000:] + process.stderr[-3000:]
    assert "grading assessments/basic/solution.py, assessments/basic/helpers.py" in process.stdout
    result = json.loads((checkout / "result.json").read_text())
    assert classroom50.validate(result) == []
    assert set(result) == set(classroom50.WRITTEN_KEYS)
    assert {key: result[key] for key in ("classroom", "assignment", "submission", "commit", "release", "review")} == {
        "classroom": "tf-2026", "assignment": "tf-basic", "submission": RUNNER_ENVIRONMENT["SUBMISSION_TAG"],
        "commit": RUNNER_ENVIRONMENT["COMMIT_URL"], "release": RUNNER_ENVIRONMENT["RELEASE_URL"],
        "review": RUNNER_ENVIRONMENT["REVIEW_URL"]}
    rows = {row["test-name"]: row for row in result["tests"]}
    basic = rows["1 · a basic model — x-plus-6"]
    assert (basic["score"], basic["max-score"], basic["passed"], basic["metric"]) == (0, 20, False, "MAE")
    assert basic["value"] > 1.0  # one epoch of SGD: far from y = x + 6, whatever the rigged ladder says
    assert (result["score"], result["max-score"]) == (0, 20)
    tampering = rows["grading files unchanged"]
    assert tampering["passed"] is False
    for named in ("changed: conftest.py", "changed: grading-files.sha256", "changed: tfexam/questions/ladder.py",
                  "changed: assessments/basic/test_basic.py", "added: rigged.pth", "added: sitecustomize.py"):
        assert named in tampering["message"]
    assert rows["pass mark 90%"]["passed"] is False
    assert rows[classroom50.SANDBOX_ROW]["passed"] is (isolation.namespaces_problem() == "")
    assert not any("fashion" in name or "sunspots" in name for name in rows)  # only the selected category

    body = (checkout / "release-body.md").read_text()
    assert body.startswith("### tfexam: 0/20 (0%), FAIL (pass mark 90%)")
    assert "| 1 · a basic model — x-plus-6 | 0/5 | 0/20 | MAE " in body
    assert "Why points were lost" in body and "changed: tfexam/questions/ladder.py" in body
    assert (checkout / classroom50.HTML_REPORT).is_file()

    # The authoritative offline regrade of the same checkout, on the instructor's machine
    regrade = subprocess.run([sys.executable, "-m", "tfexam", "regrade", str(checkout), "--categories", "1",
                              "--results", str(tmp_path / "regrade.json")], cwd=tmp_path,
                             env=dict(clean_environment(), PYTHONPATH=str(ROOT)), capture_output=True, text=True,
                             timeout=900)
    assert regrade.returncode == 0, regrade.stdout[-3000:] + regrade.stderr[-3000:]
    regraded = json.loads((tmp_path / "regrade.json").read_text())["categories"]["basic"]
    assert (regraded["points"], regraded["value"]) == (0, basic["value"])  # the same seed: the same model
    assert "| 1 | basic | x-plus-6 | 0/5 |" in regrade.stdout
    assert "ignored: graded with the instructor's grader" in regrade.stdout
    assert "changed: tfexam/questions/ladder.py" in regrade.stdout
