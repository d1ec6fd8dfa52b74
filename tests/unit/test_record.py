"""The results file's schema: what the score board writes is valid, and the one reader refuses, with
the place and the fix, a file that is not tfexam's, another version's, or one a writer got wrong."""
import json

import pytest

from tfexam.results import record
from tfexam.results.board import CategoryResult, ScoreBoard
from unit.test_classroom50 import category, results_of


def written(*categories: CategoryResult) -> dict:
    return results_of(*categories)


def test_every_field_the_board_writes_is_in_the_schema():
    full = category("basic", 3, value=0.3)
    full.history = {"loss": [1.0, None], "val_loss": [1.2, 0.9]}
    full.details = {"predictions": {"x": [1.0], "actual": [7.0], "predicted": [7.1], "x_label": "x"}}
    full.keras, full.keras_note, full.device, full.peak_memory_gib = 2, "ran under Keras 2: ...", "CPU", 0.6
    full.stopped_by_budget, full.epochs_completed, full.epochs_planned = True, 12, 30
    full.budget_note = "the budget ran out in epoch 12 of 30; ..."
    broken = category("fashion", 0, value=None, failure="training failed: it raised")
    results = written(full, broken)
    assert results["schema"] == record.SCHEMA and record.problem(results) is None
    complete = written(*(category(folder, 5) for folder in ("basic", "fashion", "images", "nlp", "timeseries")))
    assert complete["exam_score"] == 100 and record.problem(complete) is None


def test_a_field_the_schema_does_not_know_or_a_wrong_type_is_named_with_its_place(tmp_path):
    results = written(category("basic", 5))
    results["categories"]["basic"]["points"] = "5"
    path = tmp_path / "results.json"
    path.write_text(json.dumps(results))
    with pytest.raises(record.NoResults, match="at categories/basic/points: '5' is not of type 'integer'"):
        record.read(path)
    results["categories"]["basic"]["points"] = 5
    results["categories"]["basic"]["grade"] = "A"  # a writer's new field, not yet in the schema and its page
    path.write_text(json.dumps(results))
    with pytest.raises(record.NoResults, match="Additional properties are not allowed .'grade' was unexpected"):
        record.read(path)


def test_another_versions_file_is_refused_with_the_fix(tmp_path):
    path = tmp_path / "results.json"
    path.write_text(json.dumps(dict(written(category("basic", 5)), schema="tfexam/results/v0")))
    with pytest.raises(record.NoResults, match="it says tfexam/results/v0; grade again with this version's"):
        record.read(path)
    path.write_text(json.dumps(written(category("basic", 5))))
    assert record.read(path)["categories"]["basic"]["points"] == 5


def test_the_schema_file_is_in_the_package():
    assert record.SCHEMA_FILE.is_file() and json.loads(record.SCHEMA_FILE.read_text())["properties"]["schema"] == \
        {"const": record.SCHEMA}
    assert ScoreBoard().as_json()["schema"] == record.SCHEMA


def test_the_sandbox_a_run_confined_its_trainings_in_is_in_the_results_and_valid():
    from tfexam.sandbox.isolation import Sandbox
    for sandbox in (Sandbox("namespaces"), Sandbox("process", why_process="AppArmor restricts user namespaces")):
        board = ScoreBoard(sandbox=sandbox.as_record())
        board.results["basic"] = category("basic", 5)
        results = json.loads(json.dumps(board.as_json()))
        assert record.problem(results) is None
        assert results["sandbox"]["mode"] == sandbox.mode
        assert results["sandbox"]["description"] == sandbox.describe()
    assert results["sandbox"]["why_process"] == "AppArmor restricts user namespaces"
    assert "sandbox" not in ScoreBoard().as_json()  # a board with no run behind it (the mock exam's) says nothing
