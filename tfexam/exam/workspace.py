"""The workspace: a student repository (export-template) with the drawn stubs and the exam's rules."""
from pathlib import Path

from tfexam.exam.clock import clock_time, duration
from tfexam.exam.state import STATE_FILE, ExamError, ExamState
from tfexam.questions import QUESTIONS, Question

RESULT_FILE = "result.json"
REPORT_FILE = "report.html"


def create(directory: Path, state: ExamState) -> None:
    """Write the exam's project into `directory` (new or empty)."""
    try:
        from tfexam.template import ExportError, export_template
    except ImportError:  # a student repository's grader has no template to copy
        raise ExamError("this copy of the grader cannot write a workspace (it has no tfexam/template): run "
                        "python -m tfexam exam start in the tfexam project's folder") from None
    try:
        export_template(directory)
    except ExportError as error:
        raise ExamError(str(error)) from None
    for folder, question_id in state.questions.items():
        question = QUESTIONS[question_id]
        (directory / "assessments" / folder / "solution.py").write_bytes(question.stub.read_bytes())
    (directory / "README.md").write_text(readme(directory, state))


def readme(directory: Path, state: ExamState) -> str:
    rows = "\n".join(_row(QUESTIONS[question_id]) for question_id in state.questions.values())
    hours = duration(state.deadline_at - state.started_at)
    return f"""# Mock exam: TensorFlow Developer Certificate

Five questions, one per category, drawn from the pool{_seed_text(state)}. The clock started at
{clock_time(state.started_at)} and stops at {clock_time(state.deadline_at)} ({hours}).

| # | folder | question | input | output | metric, one point per threshold | budget |
|---|---|---|---|---|---|---|
{rows}

## Submit and Test

Write `solution_model()` in `assessments/<folder>/solution.py`, then, from the grader's folder:

```sh
python -m tfexam exam submit {directory} basic                     # grade assessments/basic/solution.py
python -m tfexam exam submit {directory} basic --model mymodel.h5  # grade a model trained elsewhere (Colab)
python -m tfexam exam status {directory}                           # attempts, best scores, time left
python -m tfexam exam finish {directory}                           # the final result: result.json, report.html
```

`pytest assessments/basic` run in this folder grades the same way and records the attempt too.
Submit as often as you like: each category keeps its best attempt.

## Rules

- The time limit is {hours} (hours:minutes:seconds). A submission after it is refused; the result is then final.
- Each category scores 0-5, one point per threshold its metric reaches on held-out data. The exam
  score is out of 100 (each category weighs 20); 90 passes. A category never submitted scores 0.
- `solution_model()` must return the trained model; the grader saves it and loads it back. When you
  train elsewhere, save it with `model.save("mymodel.h5")` (or `.keras`) and submit it with `--model`.
- No `Lambda` layers: "Lambda layers are not supported by the grading infrastructure" (a frozen
  one a stub gives you is the exception). The category scores 0.
- The model's input and output must have the shapes the stub states (the table above); a mismatch
  scores 0 and names both shapes.
- Training runs in a fresh process without network access (only the question's own dataset URLs
  answer), within the category's time budget on a 2-core CPU.
- Only edit `assessments/<folder>/solution.py`. `{STATE_FILE}` holds the draw, the clock and your
  attempts: do not edit it.
"""


def _row(question: Question) -> str:
    ladder = question.ladder
    sign = ">=" if ladder.higher_is_better else "<="
    thresholds = " ".join(f"{t:g}" for t in ladder.thresholds)
    return (f"| {question.slot.number} | `assessments/{question.slot.folder}` | {question.id}: {question.title} | "
            f"{question.input_text} | {question.output_text} | {ladder.metric} {sign} {thresholds} | "
            f"{question.budget_seconds:g} s |")


def _seed_text(state: ExamState) -> str:
    return f" with seed {state.seed}" if state.seed is not None else ""


def check_empty(directory: Path) -> None:
    if directory.exists() and not directory.is_dir():
        raise ExamError(f"{directory} is a file: give a new folder for the exam's workspace")
    if directory.is_dir() and (directory / STATE_FILE).is_file():
        raise ExamError(f"{directory} already holds a mock exam: to resume it, submit with "
                        f"python -m tfexam exam submit {directory} CATEGORY, and see where it stands with "
                        f"python -m tfexam exam status {directory}; to start another, give a new folder")
    if directory.is_dir() and any(directory.iterdir()):
        raise ExamError(f"{directory} is not empty: start the exam in a new folder, so nothing there is overwritten")
