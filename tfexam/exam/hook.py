"""A plain `pytest assessments/...` run inside a mock exam's workspace records its attempts too.

Called by the plugin once a run ends (on the controller), with the run's results. Does nothing
outside a workspace, and nothing under `exam submit`, which records the attempt itself.
"""
import os
from pathlib import Path

from tfexam.exam import clock, commands, grading, state as exam_state


def record_run(root: Path, results: dict) -> list[str]:
    """Record each graded category of the drawn question as an attempt; return what to tell the user."""
    if os.environ.get(grading.SUBMIT_VARIABLE) or not exam_state.is_exam(root):
        return []
    try:
        state = exam_state.load(root)
    except exam_state.ExamError as error:
        return [f"mock exam: not recorded: {error}"]
    at = clock.now()
    if state.finished or clock.is_over(state, at):
        return [f"mock exam: not recorded: the exam is over (its time ran out at "
                f"{clock.clock_time(state.deadline_at)}); python -m tfexam exam finish {root} gives its result"]
    lines = []
    for folder, graded in results.get("categories", {}).items():
        drawn = state.questions.get(folder)
        if graded.get("question") != drawn:
            lines.append(f"mock exam: {folder} not recorded: this run graded {graded.get('question')}, "
                         f"the exam drew {drawn}")
            continue
        attempt = grading.attempt_from(graded, at)
        state = state.with_attempt(attempt)
        lines += [f"mock exam: {line}" for line in commands.attempt_lines(state, attempt, at)]
    exam_state.save(root, state)
    return lines
