"""The exam's result: each category's best attempt, the score out of 100, PASS at 90."""
import json
from pathlib import Path

from tfexam.exam.state import Attempt, ExamState
from tfexam import rules
from tfexam.results.board import CategoryResult, ScoreBoard

NEVER_SUBMITTED = "never submitted: a category without an attempt scores 0"


def best_attempt(attempts: list[Attempt]) -> Attempt | None:
    """The most points; among equals, the earliest (a later attempt must do better to count)."""
    best = None
    for attempt in attempts:
        if best is None or attempt.points > best.points:
            best = attempt
    return best


def best_points(state: ExamState, folder: str) -> int:
    best = best_attempt(state.attempts_of(folder))
    return best.points if best else 0


def final_result(state: ExamState) -> dict:
    """What result.json holds."""
    categories = {folder: category_result(state, folder, question_id)
                  for folder, question_id in state.questions.items()}
    total = sum(c["points"] for c in categories.values())
    exam_score = rules.exam_score(total)
    return {"categories": categories, "total": total, "max_total": rules.POINTS_PER_CATEGORY * len(categories),
            "exam_score": exam_score, "pass_mark": rules.PASS_MARK, "passed": exam_score >= rules.PASS_MARK,
            "started": state.started, "deadline": state.deadline, "finished": state.finished,
            "seed": state.seed}


def category_result(state: ExamState, folder: str, question_id: str) -> dict:
    attempts = state.attempts_of(folder)
    best = best_attempt(attempts)
    return {"question": question_id, "points": best.points if best else 0,
            "value": best.value if best else None, "reason": best.reason if best else NEVER_SUBMITTED,
            "best_attempt": attempts.index(best) + 1 if best else None,
            "attempts": [a.summary() for a in attempts]}


def write_json(path: Path, data: dict) -> None:
    path.write_text(json.dumps(data, indent=2) + "\n")


def verdict_lines(result: dict) -> list[str]:
    lines = []
    for number, (folder, category) in enumerate(result["categories"].items(), start=1):
        tried = len(category["attempts"])
        name = f"{number} {folder:<11} {category['question']:<24}"
        lines.append(f"{name} {category['points']}/{rules.POINTS_PER_CATEGORY}  best of {tried} "
                     f"attempt{'s' if tried != 1 else ''}" if tried else
                     f"{name} 0/{rules.POINTS_PER_CATEGORY}  never submitted")
    lines.append(f"total {result['total']}/{result['max_total']}: exam score {result['exam_score']:g}/100 "
                 f"{rules.verdict(result['passed'])} (pass mark {rules.PASS_MARK}; "
                 "a category never submitted scores 0)")
    return lines


def scoreboard(state: ExamState) -> ScoreBoard:
    """The best attempts as the grader's scoreboard, for its HTML report."""
    board = ScoreBoard()
    for folder, question_id in state.questions.items():
        best = best_attempt(state.attempts_of(folder))
        board.results[folder] = (CategoryResult.from_record(best.graded) if best and best.graded
                                 else CategoryResult.not_graded(question_id, NEVER_SUBMITTED, "never submitted"))
    return board


def write_report(state: ExamState, path: Path) -> None:
    from tfexam.results import html_report  # matplotlib: only when the report is written
    html_report.write(scoreboard(state), path)
