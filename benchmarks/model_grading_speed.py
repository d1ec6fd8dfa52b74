"""Prints how long grading a saved model takes, and where the time goes; docs/maintainers/speed.md records the figures.

    python benchmarks/model_grading_speed.py [ROUNDS] [--categories basic,nlp] [--compare TREE]

1. Whole runs as a user runs them (a fresh pytest process each), median wall seconds of ROUNDS:
   `pytest assessments/CATEGORY --model FILE`, and an unchanged `pytest assessments/CATEGORY
   --solutions` whose trained model comes from the cache (a first run, not timed, trains it if the
   cache does not hold it yet).
2. Where a run's time goes, median of ROUNDS: pytest's start (`pytest --collect-only` of the same
   command: Python, pytest and its plugins, tfexam's plugin, collection, exit), then a fresh process
   doing a run's steps one at a time: TensorFlow and Keras's import, the cache lookup (the
   unchanged re-run only), the held-out data, loading the model, scoring it, and the interpreter's exit.

--compare TREE times another copy of the project (e.g. `git worktree add /tmp/tfexam-head HEAD`)
in turns with this one, so that both see the same load on a shared machine. Default: basic, 5 rounds.
Nothing here asserts a time.
"""
import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The --model file per category: a trained one where the fixtures have it, else the untrained one
# (loading and scoring cost the same).
MODELS = {"basic": "basic_perfect.keras", "fashion": "fashion_untrained.keras", "images": "images_untrained.keras",
          "nlp": "nlp_untrained.keras", "timeseries": "timeseries_untrained.keras"}
STEPS = ("import", "cache lookup", "held-out data", "load", "score")


def pytest_wall(tree: Path, *args: str) -> float:
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-m", "pytest", "-q", *args], cwd=tree, capture_output=True, text=True)
    wall = time.monotonic() - started
    if done.returncode not in (0, 1):  # 1: a check failed, which is a grade, not a broken run
        sys.exit(f"pytest {' '.join(args)} in {tree} failed ({done.returncode}):\n"
                 f"{done.stdout[-2000:]}{done.stderr[-2000:]}")
    return wall


def steps(tree: Path, category: str, model: Path | None) -> dict:
    """The steps of one grading in a fresh process (see child()), in seconds."""
    started = time.monotonic()
    done = subprocess.run([sys.executable, __file__, "--child", category, str(model or "")], cwd=tree,
                          capture_output=True, text=True, env=dict(os.environ, TF_CPP_MIN_LOG_LEVEL="2"))
    ended = time.monotonic()
    if done.returncode:
        sys.exit(f"the steps of {category} failed in {tree}:\n{done.stderr[-3000:]}")
    marks = json.loads(done.stdout.strip().splitlines()[-1])
    times = {"start": marks[0][1] - started}
    times.update({name: mark - before for (_, before), (name, mark) in zip(marks, marks[1:])})
    times["exit"] = ended - marks[-1][1]
    return times


def child(category: str, model: str) -> None:
    """One grading's steps, in this fresh process, with the project in the working directory.

    Prints the monotonic clock (shared by all processes on Linux) after each step as JSON.
    """
    sys.path.insert(0, os.getcwd())
    import pytest  # noqa: F401  as a run has them imported, with tfexam's plugin
    import tfexam.plugin  # noqa: F401
    from tfexam.grading import cache, models
    from tfexam.grading.grade import CategoryGrade, Source
    from tfexam.questions import CATEGORIES
    from tfexam.sandbox import runner
    from tfexam.sandbox.spec import TrainingSpec
    marks = [("", time.monotonic())]
    mark = lambda name: marks.append((name, time.monotonic()))  # noqa: E731
    # The tree compared may predate import_keras(): it imported Keras as it is.
    getattr(models, "import_keras", lambda: __import__("keras"))()
    mark("import")
    question = CATEGORIES[category]
    with tempfile.TemporaryDirectory() as work:
        if model:
            path = Path(model)
        else:  # as the plugin grades an unchanged --solutions run
            scale = float(os.environ.get("TFEXAM_TIME_BUDGET_SCALE", "1"))
            grade = CategoryGrade(question, Source(question.reference, False, ""), Path(work),
                                  question.budget_seconds * scale, TrainingSpec(threads=runner.default_threads()))
            training = cache.lookup(grade._training_key(), Path(work))  # the key the grade would use
            if training is None:
                sys.exit(f"{category}: the cache does not hold the reference solution's model")
            path = training.model_path
            mark("cache lookup")
        question.held_out()
        mark("held-out data")
        loaded = models.load_for_grading(path, question.frozen_lambda)
        mark("load")
        question.score(loaded)
        mark("score")
    print(json.dumps(marks))


def measure(tree: Path, category: str, rounds_done: dict) -> None:
    """One round of every figure for `tree`, appended to rounds_done."""
    model = ROOT / "fixtures" / "models" / MODELS[category]
    folder = f"assessments/{category}"
    add = lambda key, value: rounds_done.setdefault(key, []).append(value)  # noqa: E731
    add("--model run", pytest_wall(tree, folder, "--model", str(model)))
    add("unchanged re-run", pytest_wall(tree, folder, "--solutions"))
    add("pytest start", pytest_wall(tree, "--collect-only", folder, "--model", str(model)))
    for name, seconds in steps(tree, category, model).items():
        add(f"--model {name}", seconds)
    for name, seconds in steps(tree, category, None).items():
        add(f"re-run {name}", seconds)


def report(label: str, category: str, figures: dict) -> None:
    median = lambda key: statistics.median(figures[key]) if key in figures else None  # noqa: E731
    runs = lambda key: " ".join(f"{v:.1f}" for v in figures[key])  # noqa: E731
    print(f"\n{label}, {category}:")
    for key in ("--model run", "unchanged re-run"):
        print(f"  {key:<18} {median(key):5.2f} s wall (median; runs {runs(key)})")
    print(f"  where the time goes (medians, s): pytest start {median('pytest start'):.2f}; then")
    for run in ("--model", "re-run"):
        parts = [(name, median(f"{run} {name}")) for name in ("start", *STEPS, "exit")]
        total = sum(value for _, value in parts if value is not None)
        print(f"    {run:<8} " + "  ".join(f"{name} {value:.2f}" for name, value in parts if value is not None)
              + f"  (sum {total:.2f}; start: Python, pytest and tfexam's imports)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("rounds", nargs="?", type=int, default=5)
    parser.add_argument("--categories", default="basic")
    parser.add_argument("--compare", metavar="TREE", type=Path)
    options = parser.parse_args()
    sys.stdout.reconfigure(line_buffering=True)
    trees = {"this tree": ROOT} | ({f"{options.compare}": options.compare.resolve()} if options.compare else {})
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}; python {sys.version.split()[0]}")
    for category in options.categories.split(","):
        for tree in trees.values():  # the cache's model, trained now if need be (not timed)
            pytest_wall(tree, f"assessments/{category}", "--solutions")
        figures = {label: {} for label in trees}
        for round_number in range(options.rounds):
            for label, tree in trees.items():  # in turns: both see the same load
                measure(tree, category, figures[label])
            print(f"{category}: round {round_number + 1} of {options.rounds} done")
        for label in trees:
            report(label, category, figures[label])
    print(f"\nload average at the end {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--child"]:
        child(sys.argv[2], sys.argv[3])
    else:
        main()
