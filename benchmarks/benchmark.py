"""Prints how long grading takes on this machine; the README records the figures.

    python benchmarks/benchmark.py

Runs the grader as a user would (a fresh pytest process each time) and prints, per category,
training and grading seconds for the reference solution and the grading of a saved model,
then the whole run's wall time serially and with -n 2. Nothing here asserts a time.
"""
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tfexam.categories import CATEGORIES  # noqa: E402

SAVED_MODELS = {"basic": "fixtures/models/basic_perfect.keras",
                "fashion": "fixtures/models/fashion_untrained.keras",
                "images": "fixtures/models/images_untrained.keras",
                "nlp": "fixtures/models/nlp_strings.keras",
                "timeseries": "fixtures/models/timeseries_persistence_sequence.keras"}


def grade(*args: str) -> tuple[float, dict]:
    with tempfile.TemporaryDirectory() as tmp:
        results = Path(tmp) / "results.json"
        started = time.monotonic()
        subprocess.run([sys.executable, "-m", "pytest", "-q", *args, "--results", str(results)],
                       cwd=ROOT, capture_output=True, check=False)
        wall = time.monotonic() - started
        return wall, json.loads(results.read_text())["categories"]


def main() -> None:
    sys.stdout.reconfigure(line_buffering=True)
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}")
    print(f"{'category':<12} {'train s':>8} {'grade s':>8} {'run wall s':>11} {'--model wall s':>15}")
    for name in CATEGORIES:
        wall, results = grade(f"assessments/{name}", "--solutions")
        model_wall, _ = grade(f"assessments/{name}", "--model", SAVED_MODELS[name])
        r = results[name]
        print(f"{name:<12} {r['train_seconds']:>8.1f} {r['grade_seconds']:>8.2f} {wall:>11.1f} {model_wall:>15.1f}")
    for label, extra in (("serial", []), ("-n 2", ["-n", "2"])):
        wall, results = grade("assessments", "--solutions", *extra)
        points = sum(r["points"] for r in results.values())
        print(f"all categories, {label}: {wall:.1f} s wall, {points}/{5 * len(results)} points")


if __name__ == "__main__":
    main()
