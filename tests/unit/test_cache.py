"""The cache's key (everything that decides a training but the sandbox), which budgets an entry serves,
damaged entries and pruning; end to end: tests/integration/test_cache.py."""
from dataclasses import fields

from tfexam.grading import cache
from tfexam.sandbox import isolation
from tfexam.sandbox.device import Device
from tfexam.sandbox.runner import Training
from tfexam.sandbox.spec import TrainingSpec


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


def test_a_damaged_entry_is_not_used(tmp_path, monkeypatch):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path))
    model = tmp_path / "model.keras"
    model.write_bytes(b"a model's bytes")
    cache.store(key(), Training(model, None, 1.0, 1.0))
    assert cache.lookup(key(), tmp_path / "before") is not None
    for stored in (tmp_path / "models" / "basic").glob("*/model.keras"):
        stored.write_bytes(stored.read_bytes()[:-3])  # truncated
    assert cache.lookup(key(), tmp_path / "after") is None


def test_old_entries_are_pruned(tmp_path, monkeypatch):
    monkeypatch.setenv("TFEXAM_CACHE_DIR", str(tmp_path))
    model = tmp_path / "model.keras"
    model.write_bytes(b"not really a model")
    for seed in range(cache.ENTRIES_KEPT_PER_CATEGORY + 3):
        cache.store(key(seed=seed), Training(model, None, 1.0, 1.0))
    assert len(list((tmp_path / "models" / "basic").iterdir())) == cache.ENTRIES_KEPT_PER_CATEGORY
