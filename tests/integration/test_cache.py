"""The cache of trained models, end to end: an unchanged solution is graded without training, and any
change to what decides the result (the solution, a module it imports) trains again. The key, budgets,
damaged entries and pruning: tests/unit/test_cache.py."""
import pytest

from conftest import ROOT, run_grader


@pytest.fixture
def workspace(tmp_path):
    """A private cache, and a copy of the basic reference solution that imports a local module."""
    solution = tmp_path / "learner" / "solution.py"
    solution.parent.mkdir()
    source = (ROOT / "solutions" / "x-plus-6.py").read_text()
    assert "epochs=300" in source
    source = source.replace("epochs=300", "epochs=10")  # any trained model will do: what is tested is its reuse
    solution.write_text("import helper  # a local module: its changes must reach the key\n" + source)
    (solution.parent / "helper.py").write_text("UNITS = 1\n")
    environment = {"TFEXAM_CACHE_DIR": str(tmp_path / "cache")}

    def grade(*args: str):
        run = run_grader(tmp_path, "assessments/basic", "--submission", str(solution), *args,
                         env=environment, retrain=False)
        basic = run.category("basic")
        return basic["points"], basic["training_runs"], basic["cached"], basic["value"]

    return solution, grade


def test_an_unchanged_solution_is_graded_from_the_cache_any_change_trains_again_and_retrain_always_trains(workspace):
    solution, grade = workspace
    runs, cached, value = grade()[1:]
    assert (runs, cached, value is not None) == (1, False, True)
    assert grade()[1:] == (0, True, value)  # the same model, graded again
    changes = {
        "the solution": lambda: solution.write_text(solution.read_text() + "\n# an edit\n"),
        "a local module it imports": lambda: (solution.parent / "helper.py").write_text("UNITS = 2\n"),
    }
    for what, change in changes.items():
        change()
        assert grade()[1:3] == (1, False), f"a change to {what} reused the cache"
    assert grade()[1:3] == (0, True), "the unchanged solution trained again"  # the options: the key's test
    assert grade("--retrain")[1:3] == (1, False)  # a damaged entry: tests/unit/test_cache.py


def test_a_failed_training_is_not_cached(tmp_path):
    environment = {"TFEXAM_CACHE_DIR": str(tmp_path / "cache")}
    started = tmp_path / "solution.py"  # a stub as shipped is not trained at all (tests/unit/test_cache.py)
    started.write_text((ROOT / "assessments" / "basic" / "solution.py").read_text() + "\n# started\n")
    for _ in range(2):  # it still raises NotImplementedError
        basic = run_grader(tmp_path, "assessments/basic", "--submission", str(started), env=environment,
                           retrain=False).category("basic")
        assert (basic["points"], basic["training_runs"], basic["cached"]) == (0, 1, False)
        assert "is not implemented yet" in basic["message"]
    assert not list((tmp_path / "cache" / "models").glob("basic/*"))
