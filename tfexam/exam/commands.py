"""The four commands. Each returns the lines it prints; a user error raises ExamError."""
import secrets
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from tfexam.exam import clock, draw, grading, result, state as exam_state, workspace
from tfexam.exam.state import ExamError, ExamState
from tfexam.questions import CATEGORIES, QUESTIONS
from tfexam import rules


def start(directory: Path, seed: int | None = None, questions: str | None = None,
          hours: float = clock.EXAM_HOURS, at: datetime | None = None) -> list[str]:
    if not hours > 0:
        raise ExamError(f"--hours {hours:g}: give a positive number of hours, e.g. --hours 0.5 for a practice run "
                        f"(the exam's is {clock.EXAM_HOURS:g})")
    workspace.check_empty(directory)
    seed = secrets.randbelow(10_000) if seed is None else seed
    drawn = draw.draw(seed, draw.parse_ids(questions))
    started = (at or clock.now()).replace(microsecond=0)
    state = ExamState(seed=seed, questions={folder: q.id for folder, q in drawn.items()},
                      started=clock.timestamp(started), deadline=clock.timestamp(clock.deadline_after(started, hours)))
    workspace.create(directory, state)
    exam_state.save(directory, state)
    lines = [f"mock exam started in {directory}: seed {seed} (python -m tfexam exam start DIR --seed {seed} "
             "draws the same questions)"]
    lines += [f"  {q.slot.number} assessments/{folder:<11} {q.id}: {q.title}" for folder, q in drawn.items()]
    passed_over = [q for q in draw.left_out() if q.id not in draw.parse_ids(questions)]
    if passed_over:
        missing = "; ".join(f"{q.id} ({', '.join(q.data_files)})" for q in passed_over)
        lines.append(f"not drawn, their data not here: {missing}; "
                     "python -m tfexam fetch-data downloads every dataset, or add the folder that holds them to "
                     "TFEXAM_DATA_DIR (--questions ID draws one anyway)")
    lines.append(f"the clock runs until {clock.clock_time(state.deadline_at)} "
                 f"({clock.duration(state.deadline_at - state.started_at)}); "
                 f"the rules are in {directory / 'README.md'}")
    lines.append(f"write assessments/<folder>/solution.py, then: python -m tfexam exam submit {directory} <folder>")
    return lines


def submit(directory: Path, category: str, model: Path | None = None, at: datetime | None = None,
           grade=grading.grade_attempt) -> list[str]:
    state = exam_state.load(directory)
    folder = category_folder(category)
    grading.check_model(model)
    submitted = at or clock.now()
    refuse_when_closed(directory, state, submitted)
    question_id = state.questions[folder]
    attempt = grade(directory, folder, question_id, model, submitted)
    state = exam_state.load(directory).with_attempt(attempt)  # again: a pytest run may have recorded meanwhile
    exam_state.save(directory, state)
    return attempt_lines(state, attempt, clock.now() if at is None else at)


def attempt_lines(state: ExamState, attempt, at: datetime) -> list[str]:
    number = len(state.attempts_of(attempt.category))
    value = f", value {attempt.value:.4g}" if attempt.value is not None else ""
    lines = [f"{attempt.category} ({attempt.question}), attempt {number}: "
             f"{attempt.points}/{rules.POINTS_PER_CATEGORY}{value}"]
    if attempt.reason:
        lines.append(f"    {attempt.reason}")
    lines.append(f"best so far: {result.best_points(state, attempt.category)}/{rules.POINTS_PER_CATEGORY}; "
                 f"time left {clock.duration(clock.time_left(state, at))}")
    return lines


def status(directory: Path, at: datetime | None = None) -> list[str]:
    state = exam_state.load(directory)
    at = at or clock.now()
    lines = [f"mock exam in {directory}: seed {state.seed}, started {clock.clock_time(state.started_at)}"]
    for folder, question_id in state.questions.items():
        attempts = state.attempts_of(folder)
        tried = " ".join(f"{a.points}" for a in attempts) or "none"
        lines.append(f"  {CATEGORIES[folder].slot.number} {folder:<11} {question_id:<24} best "
                     f"{result.best_points(state, folder)}/{rules.POINTS_PER_CATEGORY}  attempts: {tried}")
    if state.finished or clock.is_over(state, at):
        return lines + finish(directory, at)
    total = sum(result.best_points(state, folder) for folder in state.questions)
    lines.append(f"total so far {total}/{rules.POINTS_PER_CATEGORY * len(state.questions)}; time left "
                 f"{clock.duration(clock.time_left(state, at))} (until {clock.clock_time(state.deadline_at)})")
    return lines


def finish(directory: Path, at: datetime | None = None, report: bool = True) -> list[str]:
    """Close the exam (once: a later call prints the same result) and write result.json and the report."""
    state = exam_state.load(directory)
    finished = state.finished
    if finished is None:
        at = at or clock.now()
        finished = clock.timestamp(min(at, state.deadline_at))
        state = replace(state, finished=finished)
        exam_state.save(directory, state)
    final = result.final_result(state)
    result.write_json(directory / workspace.RESULT_FILE, final)
    lines = [f"mock exam finished at {clock.clock_time(datetime.fromisoformat(finished))}:"]
    lines += result.verdict_lines(final)
    written = [str(directory / workspace.RESULT_FILE)]
    if report:
        result.write_report(state, directory / workspace.REPORT_FILE)
        written.append(str(directory / workspace.REPORT_FILE))
    lines.append(f"wrote {' and '.join(written)}")
    return lines


def refuse_when_closed(directory: Path, state: ExamState, at: datetime) -> None:
    if state.finished:
        raise ExamError(f"this exam was finished at {clock.clock_time(datetime.fromisoformat(state.finished))}: "
                        f"submissions are closed (its result: {directory / workspace.RESULT_FILE}); "
                        "start a new one in another folder")
    if clock.is_over(state, at):
        lines = finish(directory, at)
        raise ExamError(f"the time ran out at {clock.clock_time(state.deadline_at)}: this submission is refused "
                        "and not graded; the exam is over and its result is final:\n" + "\n".join(lines))


def category_folder(category: str) -> str:
    """A category by folder (basic) or number (1)."""
    by_number = {str(q.slot.number): folder for folder, q in CATEGORIES.items()}
    folder = by_number.get(category, category)
    if folder not in CATEGORIES:
        question = QUESTIONS.get(category)
        hint = f" ({category} is a question of category {question.slot.folder})" if question else ""
        raise ExamError(f"no category {category!r}{hint}: give one of {', '.join(CATEGORIES)} (or 1-5)")
    return folder
