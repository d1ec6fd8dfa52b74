"""Prints how long grading takes on this machine; docs/maintainers/speed.md records the figures.

    python benchmarks/benchmark.py [ROUNDS]   (default 3)

1. Per category, side by side: the reference solution trained by a plain Python script
   (plain_training.py) and by the grader's sandboxed runner, in the same environment, taking
   turns for ROUNDS rounds; the ratio of their median wall times is the harness's overhead on
   training. (One run of a training varies by 10-15% on this VM: hence the turns.)
2. Grading the model the runner saved: loading it and scoring it on the held-out data, after
   TensorFlow is imported, in this process.
3. The grader as a user runs it (a fresh pytest process each time): the whole exam serially and
   with -n 2 (training, --retrain), each category re-run unchanged (from the cache), the whole
   exam re-run unchanged, and each category's --model run.

Nothing here asserts a time.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tfexam.questions import CATEGORIES  # noqa: E402
from tfexam.grading.models import load_for_grading  # noqa: E402
from tfexam.sandbox import runner  # noqa: E402
from tfexam.sandbox.spec import TrainingSpec  # noqa: E402

SEED = 0


def grade(*args: str) -> tuple[float, dict]:
    """Wall seconds of `pytest ARGS` in a fresh process, and its results per category."""
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.json"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", "-q", *args, "--results", str(results)],
                       cwd=ROOT, capture_output=True, check=False)
        wall = time.monotonic() - started
        return wall, json.loads(results.read_text())["categories"]


def plain_training_seconds(solution: Path, workdir: Path) -> float:
    """Wall seconds of a plain script training `solution`, with the runner's environment."""
    env = runner.child_environment(TrainingSpec(seed=SEED, threads=runner.default_threads()),
                                   runner.process_layout(workdir))
    started = time.monotonic()
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "plain_training.py"), str(solution),
                    str(workdir / "plain.keras"), str(SEED)], cwd=workdir, env=env, capture_output=True, check=True)
    return time.monotonic() - started


def overhead_and_grading(name: str, models: Path, rounds: int) -> dict:
    """Median training wall times plain and under the runner, then grading the runner's model."""
    category = CATEGORIES[name]  # the category's default question
    category.prepare()
    solution = category.reference
    plain, supervised = [], []
    for _ in range(rounds):
        with tempfile.TemporaryDirectory() as tmp:
            plain.append(plain_training_seconds(solution, Path(tmp)))
        training = runner.train(solution, models / name, category.budget_seconds,
                                TrainingSpec(seed=SEED, threads=runner.default_threads()))
        assert training.ok, training.reason
        supervised.append(training.wall_seconds)
    started = time.monotonic()
    value = category.score(load_for_grading(training.model_path)).value
    plain_s, runner_s = statistics.median(plain), statistics.median(supervised)
    return {"plain s": plain_s, "runner s": runner_s, "ratio": runner_s / plain_s,
            "grade s": time.monotonic() - started, "value": value}


def main(rounds: int) -> None:
    sys.stdout.reconfigure(line_buffering=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    import keras  # noqa: F401  grading is timed after TensorFlow and Keras are imported
    with tempfile.TemporaryDirectory() as tmp:
        models = Path(tmp)
        print(f"\n1-2. training: a plain script against the grader's runner (median of {rounds}); "
              "grading the runner's model")
        print(f"{'category':<11} {'plain s':>8} {'runner s':>9} {'ratio':>6} {'grade s':>8} {'value':>8}")
        for name in CATEGORIES:
            row = overhead_and_grading(name, models, rounds)
            print(f"{name:<11} {row['plain s']:>8.1f} {row['runner s']:>9.1f} {row['ratio']:>6.3f} "
                  f"{row['grade s']:>8.2f} {row['value']:>8.4g}")
        print("\n3. the grader as a user runs it (fresh pytest processes)")
        user_runs(models)


def user_runs(models: Path) -> None:
    exam = {}
    for label, extra in (("serial", []), ("-n 2", ["-n", "2"])):
        wall, results = grade("assessments", "--solutions", "--retrain", *extra)
        exam[label] = results
        points = sum(r["points"] for r in results.values())
        print(f"whole exam, trained, {label}: {wall:.1f} s wall, {points}/{5 * len(results)} points")
    wall, results = grade("assessments", "--solutions", "-n", "2")
    cached = sum(r["cached"] for r in results.values())
    print(f"whole exam, unchanged, -n 2: {wall:.1f} s wall, {cached} of {len(results)} from the cache")
    print(f"{'category':<11} {'train s':>8} {'grade s':>8} {'peak GiB':>9} {'unchanged re-run s':>19} "
          f"{'--model run s':>14}")
    for name in CATEGORIES:
        serial = exam["serial"][name]
        rerun_wall, rerun = grade(f"assessments/{name}", "--solutions")
        model_wall, _ = grade(f"assessments/{name}", "--model", str(models / name / "model.keras"))
        cached = "" if rerun[name]["cached"] else " (trained!)"
        print(f"{name:<11} {serial['train_seconds']:>8.1f} {serial['grade_seconds']:>8.2f} "
              f"{serial['peak_memory_gib']:>9.2f} {rerun_wall:>19.1f}{cached} {model_wall:>14.1f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
