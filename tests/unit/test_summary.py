"""`tfexam summary`: the Markdown score table a GitHub job's summary shows."""
import json
import subprocess
import sys

import pytest

from conftest import ROOT
from tfexam.questions import CATEGORIES
from tfexam.results.board import CategoryResult, ScoreBoard
from tfexam.results.record import NoResults, read
from tfexam.results.summary import markdown


def _results(points: list[int], message: str = "") -> dict:
    """As the score board writes them (every category on an MAE ladder, for short rows)."""
    board = ScoreBoard()
    for number, (folder, p) in enumerate(zip(CATEGORIES, points), start=1):
        board.results[folder] = CategoryResult(
            number=number, category=folder, title="t", source="x.py", metric="MAE", higher_is_better=False,
            thresholds=[1, 0.5, 0.2, 0.1, 0.05], budget_seconds=60, question=CATEGORIES[folder].id, points=p,
            value=0.123456, first_failure=(message or None) if p < 5 else None)
    return json.loads(json.dumps(board.as_json()))


def test_a_whole_exam_gives_the_exam_score_and_the_verdict_then_a_row_per_category():
    table = markdown(_results([5, 5, 5, 4, 3], message="MAE 0.123 misses <= 0.1"))
    assert table.splitlines()[0] == "### tfexam: exam score 88/100, FAIL (pass mark 90)"
    rows = [line for line in table.splitlines() if line.startswith("| ") and line[2].isdigit()]
    assert len(rows) == 5
    assert rows[3].startswith("| 4 | nlp | sarcasm | 4/5 | MAE 0.1235 | <= 1 0.5 0.2 0.1 0.05 | MAE 0.123 misses")


def test_a_partial_run_gives_its_points_over_the_categories_graded():
    assert markdown(_results([5])).splitlines()[0] == "### tfexam: 5/5 over 1 of 5 categories"


def test_a_reason_cannot_break_the_table():
    table = markdown(_results([0], message="training failed: a | b\n  --- log ---"))
    row = table.splitlines()[4]
    assert row.endswith("| training failed: a \\| b --- log --- |")
    assert row.count(" | ") == 6


def test_a_missing_or_foreign_file_is_refused_with_the_reason(tmp_path):
    with pytest.raises(NoResults, match="stopped before writing it"):
        read(tmp_path / "results.json")
    (tmp_path / "other.json").write_text(json.dumps({"tests": []}))
    with pytest.raises(NoResults, match="not a results file of this tfexam .tfexam/results/v1.: it says no schema"):
        read(tmp_path / "other.json")


def test_the_command_prints_the_table_and_fails_without_results(tmp_path):
    (tmp_path / "results.json").write_text(json.dumps(_results([5, 5, 5, 5, 5])))
    command = [sys.executable, "-m", "tfexam", "summary"]
    done = subprocess.run(command + ["results.json"], cwd=tmp_path, capture_output=True, text=True,
                          env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert done.returncode == 0 and "exam score 100/100, PASS" in done.stdout
    missing = subprocess.run(command + ["nothing.json"], cwd=tmp_path, capture_output=True, text=True,
                             env={"PYTHONPATH": str(ROOT), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert missing.returncode == 1 and "nothing.json does not exist" in missing.stderr


def test_a_run_that_fell_back_to_the_process_sandbox_says_so_above_the_table():
    from tfexam.sandbox.isolation import Sandbox
    results = _results([5])
    assert "Trainings ran" not in markdown(dict(results, sandbox=Sandbox("namespaces").as_record()))
    fell_back = Sandbox("process", why_process="AppArmor restricts user namespaces")
    lines = markdown(dict(results, sandbox=fell_back.as_record())).splitlines()
    assert lines[2] == f"Trainings ran in the {fell_back.describe()}"
