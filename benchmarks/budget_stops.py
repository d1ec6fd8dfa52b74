"""How many exam-era files reach scoring at a budget that bites (issue 23)?

    TFEXAM_DATA_DIR=/work/shared/datasets python benchmarks/budget_stops.py --scale 0.25
    python benchmarks/budget_stops.py --scale 0.1 --files fixtures/solutions/exam_era/mnist.py

Grades each file as `pytest assessments/<category> --submission FILE` does (the question it was
written for, the training runner under --keras auto, the question's checks), in this process, one
at a time, with every budget times --scale, and prints per file:

    outcome   "scored" (finished within its budget), "scored, budget stopped fit()" (its fit() ran
              past the budget, was stopped and the model graded: before issue 23 these scored 0),
              or the reason it was not graded
    value, pts   the metric on the held-out data and the ladder's points
    cpu s     CPU seconds of the training's processes, against the budget's

Default files: the project's own exam-era fixtures (fixtures/solutions/exam_era, idioms, keras2).
Nothing here asserts; the output is the evidence (docs/maintainers/speed.md and docs/sandbox.md record it).
"""
import argparse
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tfexam.grading.grade import CategoryGrade, NotGraded, Source  # noqa: E402
from tfexam.questions import CATEGORIES  # noqa: E402
from tfexam.questions.recognise import recognise  # noqa: E402

FIXTURES = ROOT / "fixtures" / "solutions"
DEFAULT_FILES = sorted([*FIXTURES.glob("exam_era/*.py"), *FIXTURES.glob("idioms/*.py"), *FIXTURES.glob("keras2/*.py")])


def grade(path: Path, scale: float, work: Path) -> dict:
    question = recognise(path) or CATEGORIES["basic"]
    graded = CategoryGrade(question, Source(path, False, path.name), work, question.budget_seconds * scale,
                           reuse_cached=False)
    row = {"file": f"{path.parent.name}/{path.name}", "question": question.id, "value": None, "points": 0}
    try:
        scored = graded.scored()
        row.update(value=scored.value, points=question.ladder.points(scored.value),
                   outcome="scored, budget stopped fit()" if graded.budget_stop else "scored")
    except NotGraded as failure:
        row["outcome"] = str(failure)[:110]
    training = graded.training
    row["cpu"] = f"{training.cpu_seconds:.0f}/{graded.budget_seconds:.0f}" if training else "-"
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=0.25, help="every budget times this")
    parser.add_argument("--files", nargs="*", type=Path, default=DEFAULT_FILES)
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for number, path in enumerate(args.files):
            row = grade(path.resolve(), args.scale, Path(work) / str(number))
            rows.append(row)
            value = f"{row['value']:.4g}" if row["value"] is not None else "-"
            print(f"{row['file']:<42} {row['question']:<24} {value:>9} {row['points']}/5 {row['cpu']:>9} s  "
                  f"{row['outcome']}", flush=True)
    scored = [r for r in rows if r["outcome"].startswith("scored")]
    stopped = [r for r in scored if "budget" in r["outcome"]]
    print(f"\n{len(scored)} of {len(rows)} reached scoring at budget x{args.scale:g}; {len(stopped)} of them "
          "because the budget stopped their fit() instead of the training")


if __name__ == "__main__":
    main()
