"""The cache of trained models: an unchanged solution is graded without training, and any change
to what decides the result (the solution, a module it imports; the options, through the key) trains
again; a model trained within a budget serves a run with a larger one, never a smaller one."""
from dataclasses import fields

import pytest

from conftest import ROOT, run_grader
from tfexam.grading import cache
from tfexam.sandbox import isolation
from tfexam.sandbox.device import Device
from tfexam.sandbox.runner import Training
from tfexam.sandbox.spec import TrainingSpec


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

    return solution, grade, tmp_path / "cache"


def test_an_unchanged_solution_is_graded_from_the_cache_and_any_change_trains_again(workspace):
    solution, grade, _ = workspace
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


def test_retrain_trains_even_when_cached_and_a_damaged_entry_is_not_used(workspace):
    solution, grade, cache_dir = workspace
    grade()
    assert grade("--retrain")[1:3] == (1, False)
    for model in (cache_dir / "models" / "basic").glob("*/model.keras"):
        model.write_bytes(model.read_bytes()[:-100])
    assert grade()[1:3] == (1, False), "a truncated cached model was reused"


def test_a_failed_training_is_not_cached(tmp_path):
    environment = {"TFEXAM_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):  # the stub raises NotImplementedError
        basic = run_grader(tmp_path, "assessments/basic", env=environment, retrain=False).category("basic")
        assert (basic["points"], basic["training_runs"], basic["cached"]) == (0, 1, False)
    assert not list((tmp_path / "cache" / "models").glob("basic/*"))


def key(budget: float = 60, **settings) -> cache.TrainingKey:
    return cache.TrainingKey("basic", "0" * 64, "x-plus-6", budget, TrainingSpec(**{"threads": 2, **settings}))


def test_the_key_covers_packages_python_datasets_the_grader_and_every_setting_but_the_sandbox(monkeypatch):
    digest = key().digest()
    variations = {
        "installed_packages": lambda: ["tensorflow==2.99.0"],
        "registered_datasets": lambda: [("Sunspots.csv", ("another digest",), None)],
        "grader_sources": lambda: "another grader",
    }
    for name, variation in variations.items():
        with monkeypatch.context() as patched:
            patched.setattr(cache, name, variation)
            assert key().digest() != digest, name
    with monkeypatch.context() as patched:
        patched.setattr("sys.version", "3.99")
        assert key().digest() != digest, "python version"
    others = {"seed": 1, "memory_limit_bytes": 1, "threads": 1, "keras": "2", "function": "solution_A1",
              "device": Device("gpu", "gpu", ("Tesla T4",))}
    assert set(others) | {"sandbox"} == {f.name for f in fields(TrainingSpec)}, "a new setting: vary it here"
    for name, value in others.items():
        assert key(**{name: value}).digest() != digest, name
    assert key(sandbox=isolation.Sandbox("process")).digest() == digest, "the sandbox confines, it does not decide"
    assert key(budget=240).digest() == digest, "lookup compares budgets"


def test_an_entry_serves_a_run_with_its_budget_or_a_larger_one(tmp_path, monkeypatch):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path))
    model = tmp_path / "model.keras"
    model.write_bytes(b"a model's bytes")
    cache.store(key(60), Training(model, None, 1.0, 1.0))
    for budget, served in ((60, True), (240, True), (59, False)):
        found = cache.lookup(key(budget), tmp_path / f"into-{budget}")
        assert (found is not None) == served, budget


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path))
    model = tmp_path / "model.keras"
    model.write_bytes(b"not really a model")
    for seed in range(cache.ENTRIES_KEPT_PER_CATEGORY + 3):
        cache.store(key(seed=seed), Training(model, None, 1.0, 1.0))
    assert len(list((tmp_path / "models" / "basic").iterdir())) == cache.ENTRIES_KEPT_PER_CATEGORY
