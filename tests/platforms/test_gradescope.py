"""The Gradescope example (examples/gradescope) grades a submission with the instructor's grader."""
import json
import shutil
import sys

from conftest import ROOT, clean_environment
from platforms.test_template import run
from tfexam.questions import CATEGORIES


def test_the_gradescope_example_grades_a_submission_with_the_instructors_grader(tmp_path):
    autograder = tmp_path / "autograder"
    source = autograder / "source"
    assert run(ROOT, sys.executable, "-m", "tfexam", "export-template", str(source)).returncode == 0
    (source / ".venv").symlink_to(ROOT / ".venv")
    (autograder / "submission").mkdir()
    shutil.copyfile(ROOT / "solutions/x-plus-6.py", autograder / "submission/basic.py")
    env = dict(clean_environment(), AUTOGRADER_ROOT=str(autograder))
    process = run(tmp_path, "bash", str(ROOT / "examples/gradescope/run_autograder"), env=env)
    assert process.returncode == 0, process.stdout[-3000:]
    results = json.loads((autograder / "results/results.json").read_text())
    by_category = {name: [t for t in results["tests"] if f"assessments/{name}/" in t["extra_data"]["test"]]
                   for name in CATEGORIES}
    assert sum(t["score"] for t in by_category["basic"]) == 5
    assert all(t["score"] == 0 for name in CATEGORIES if name != "basic" for t in by_category[name])
    assert sum(t["max_score"] for t in results["tests"]) == 25
