"""Prints the calibration evidence for each ladder; the README records the table.

    python benchmarks/calibrate.py [SEEDS ...]   (default: 0 1 2)

For each category: the reference solution on every seed (value, points, training seconds),
then the baselines every ladder must give 0 (untrained and constant models from fixtures/),
and any other reference points worth showing (e.g. the naive sunspots forecast).
"""
import os
import sys

from benchmark import grade

BASELINES = {
    "basic": ["basic_untrained.keras", "basic_constant.keras"],
    "fashion": ["fashion_untrained.keras", "fashion_constant.keras"],
    "images": ["images_untrained.keras", "images_constant.keras"],
    "nlp": ["nlp_untrained.keras", "nlp_constant.keras", "nlp_strings.keras"],
    "timeseries": ["timeseries_untrained.keras", "timeseries_constant.keras",
                   "timeseries_persistence_sequence.keras"],
}


def main(seeds: list[str]) -> None:
    sys.stdout.reconfigure(line_buffering=True)
    print(f"{'category':<11} {'graded':<40} {'value':>8} {'points':>6} {'train s':>8}")
    only = os.environ.get("CATEGORIES", "").split()
    for name, baselines in BASELINES.items():
        if only and name not in only:
            continue
        for seed in seeds:
            _, results = grade(f"assessments/{name}", "--solutions", "--retrain", "--seed", seed)
            r = results[name]
            print(f"{name:<11} {'reference, seed ' + seed:<40} {r['value']:>8.4f} {r['points']:>4}/5 "
                  f"{r['train_seconds']:>8.1f}")
        for fixture in baselines:
            _, results = grade(f"assessments/{name}", "--model", f"fixtures/models/{fixture}")
            r = results[name]
            print(f"{name:<11} {fixture:<40} {r['value']:>8.4f} {r['points']:>4}/5 {'-':>8}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["0", "1", "2"])
