"""A whole mock exam through its commands, graded for real: python -m tfexam exam start, submit (a saved
model, a reference solution copied in, and a plain pytest run in the workspace), finish; and the clock
with a short --hours. Cheap on purpose: one training (category 1), the rest --model or never submitted."""
import json
import os
import shutil
import subprocess
import sys
import time

import pytest

from conftest import FIXTURE_MODELS, ROOT, clean_environment


DRAW = "x-plus-6,fashion-mnist,horses-or-humans,sarcasm,sunspots"


@pytest.fixture
def environment() -> dict:
    """A user's shell. Its cache of trained models is shared: the reference solution copied in may be
    there already (the whole exam's run trains it), else its first submission trains it."""
    return clean_environment()


def exam(environment: dict, *args: str, cwd=ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "tfexam", "exam", *args], cwd=cwd, env=environment,
                          capture_output=True, text=True, timeout=900)


def test_a_whole_mock_exam_keeps_each_best_attempt_and_scores_a_never_submitted_category_0(tmp_path, environment):
    workspace = tmp_path / "exam"
    started = exam(environment, "start", str(workspace), "--questions", DRAW)
    assert started.returncode == 0, started.stderr
    assert "the clock runs until" in started.stdout and "(5:00:00)" in started.stdout

    first = exam(environment, "submit", str(workspace), "basic", "--model",
                 str(FIXTURE_MODELS / "basic_constant.keras"))
    assert first.returncode == 0, first.stderr
    assert first.stdout.startswith("basic (x-plus-6), attempt 1: 0/5")
    shutil.copyfile(ROOT / "solutions" / "x-plus-6.py", workspace / "assessments" / "basic" / "solution.py")
    second = exam(environment, "submit", str(workspace), "1")
    assert second.returncode == 0, second.stderr
    assert "attempt 2: 5/5" in second.stdout and "best so far: 5/5; time left 4:5" in second.stdout

    # pytest in the workspace grades the same way (the cached model: no training) and records it too
    data = ({"TFEXAM_DATA_DIR": os.path.abspath(environment["TFEXAM_DATA_DIR"])}
            if "TFEXAM_DATA_DIR" in environment else {})
    in_workspace = subprocess.run([sys.executable, "-m", "pytest", "assessments/basic"], cwd=workspace,
                                  env=dict(environment, **data), capture_output=True, text=True, timeout=900)
    assert in_workspace.returncode == 0, in_workspace.stdout + in_workspace.stderr
    assert "mock exam: basic (x-plus-6), attempt 3: 5/5" in in_workspace.stdout

    sequence = exam(environment, "submit", str(workspace), "timeseries", "--model",
                    str(FIXTURE_MODELS / "timeseries_persistence_sequence.keras"))
    assert sequence.returncode == 0, sequence.stderr
    assert sequence.stdout.startswith("timeseries (sunspots), attempt 1: ")

    status = exam(environment, "status", str(workspace))
    assert "basic       x-plus-6                 best 5/5  attempts: 0 5 5" in status.stdout
    assert "fashion     fashion-mnist            best 0/5  attempts: none" in status.stdout

    finished = exam(environment, "finish", str(workspace))
    assert finished.returncode == 0, finished.stderr
    result = json.loads((workspace / "result.json").read_text())
    basic, timeseries = result["categories"]["basic"], result["categories"]["timeseries"]
    assert (basic["question"], basic["points"], basic["best_attempt"]) == ("x-plus-6", 5, 2)
    assert [a["points"] for a in basic["attempts"]] == [0, 5, 5]
    assert basic["attempts"][0]["source"].startswith("--model ") and basic["attempts"][0]["reason"]
    assert timeseries["points"] == timeseries["attempts"][0]["points"] and timeseries["value"] is not None
    for never in ("fashion", "images", "nlp"):
        assert (result["categories"][never]["points"], result["categories"][never]["attempts"]) == (0, [])
    assert result["total"] == 5 + timeseries["points"] and result["max_total"] == 25
    assert result["exam_score"] == result["total"] * 4 and result["passed"] is False
    assert result["started"] < result["finished"]
    assert f"exam score {result['exam_score']:g}/100 FAIL" in finished.stdout
    report = (workspace / "report.html").read_text()
    assert "x-plus-6" in report and "never submitted" in report

    late = exam(environment, "submit", str(workspace), "basic")
    assert late.returncode == 2 and "submissions are closed" in late.stderr


def test_the_clock_refuses_a_submission_after_a_short_time_limit(tmp_path, environment):
    workspace = tmp_path / "exam"
    started = exam(environment, "start", str(workspace), "--seed", "3", "--hours", "0.0005")  # 1.8 s
    assert started.returncode == 0, started.stderr
    deadline = json.loads((workspace / "exam-state.json").read_text())["deadline"]
    time.sleep(2)
    late = exam(environment, "submit", str(workspace), "basic")
    assert late.returncode == 2 and late.stdout == ""
    assert "the time ran out at" in late.stderr and "this submission is refused and not graded" in late.stderr
    result = json.loads((workspace / "result.json").read_text())
    assert result["finished"] == deadline and result["total"] == 0
