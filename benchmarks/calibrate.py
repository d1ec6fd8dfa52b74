"""Prints the calibration evidence for each question's ladder; docs/maintainers/calibration.md records the table.

    python benchmarks/calibrate.py [SEEDS ...]   (default: 0 1 2)
    QUESTIONS="bbc-news sunspots-2020" python benchmarks/calibrate.py   (only these)

For each question: the reference solution on every seed (value, points, training seconds),
then the baselines every ladder must give 0 (untrained and constant models from fixtures/),
and any other reference points worth showing (e.g. the naive forecast of a time series).
"""
import os
import sys

from benchmark import grade

from tfexam.questions import POOL

UNTRAINED_LINE = "basic_untrained.keras"  # one untrained Dense(1), graded against every line
BASELINES = {
    "x-plus-6": [UNTRAINED_LINE, "basic_constant.keras"],
    **{q: [UNTRAINED_LINE, f"{q}_constant.keras"] for q in
       ("x-plus-1", "5x-plus-1", "dicoding-a1", "dicoding-b1", "dicoding-c1")},
    "fashion-mnist": ["fashion_untrained.keras", "fashion_constant.keras"],
    "horses-or-humans": ["images_untrained.keras", "images_constant.keras"],
    **{q: [f"{q}_untrained.keras", f"{q}_constant.keras"]
       for q in ("mnist", "iris", "horses-or-humans-tfds", "horses-or-humans-150", "rock-paper-scissors",
                 "german-traffic-signs", "hurricane-damage", "cats-vs-dogs", "cats-vs-dogs-tfds", "beans",
                 "imdb-reviews")},
    "horses-inception": ["horses-or-humans-150_untrained.keras", "horses-or-humans-150_constant.keras"],
    "sarcasm": ["nlp_untrained.keras", "nlp_constant.keras", "nlp_strings.keras"],
    "bbc-news": ["bbc-news_untrained.keras", "bbc-news_constant.keras"],
    "sunspots": ["timeseries_untrained.keras", "timeseries_constant.keras", "timeseries_persistence_sequence.keras"],
    "sunspots-2020": ["sunspots-2020_untrained.keras", "sunspots-2020_constant.keras",
                      "timeseries_persistence_sequence.keras"],
    **{q: [f"{q}_untrained.keras", f"{q}_constant.keras", f"{q}_persistence.keras"]
       for q in ("household-power", "daily-min-temperatures", "daily-max-temperatures")},
}


def main(seeds: list[str]) -> None:
    sys.stdout.reconfigure(line_buffering=True)
    print(f"{'question':<24} {'graded':<40} {'value':>8} {'points':>6} {'train s':>8}")
    only = os.environ.get("QUESTIONS", "").split()
    for question in POOL:
        if only and question.id not in only:
            continue
        folder, chosen = f"assessments/{question.slot.folder}", ("--question", question.id)
        for seed in seeds:
            _, results = grade(folder, *chosen, "--solutions", "--retrain", "--seed", seed)
            r = results[question.slot.folder]
            print(f"{question.id:<24} {'reference, seed ' + seed:<40} {r['value']:>8.4f} {r['points']:>4}/5 "
                  f"{r['train_seconds']:>8.1f}")
        for fixture in BASELINES.get(question.id, []):
            _, results = grade(folder, *chosen, "--model", f"fixtures/models/{fixture}")
            r = results[question.slot.folder]
            print(f"{question.id:<24} {fixture:<40} {r['value']:>8.4f} {r['points']:>4}/5 {'-':>8}")


if __name__ == "__main__":
    main(sys.argv[1:] or ["0", "1", "2"])
