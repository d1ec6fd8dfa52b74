"""The draw: one question per category, from a seed a class can share, or chosen by id."""
import random
from collections.abc import Sequence

from tfexam.exam.state import ExamError
from tfexam.questions import CATEGORIES, QUESTIONS, Question, in_category


def draw(seed: int, chosen: Sequence[str] = ()) -> dict[str, Question]:
    """Category folder -> question: the chosen ids where given, else drawn with `seed`."""
    picked = chosen_questions(chosen)
    generator = random.Random(seed)
    drawn = {}
    for folder in CATEGORIES:
        candidate = generator.choice(in_category(folder))  # drawn always, so a choice leaves the rest alike
        drawn[folder] = picked.get(folder, candidate)
    return drawn


def chosen_questions(ids: Sequence[str]) -> dict[str, Question]:
    picked: dict[str, Question] = {}
    for question_id in ids:
        question = QUESTIONS.get(question_id)
        if question is None:
            raise ExamError(f"--questions: no question {question_id!r}; python -m tfexam questions lists "
                            f"them ({', '.join(QUESTIONS)})")
        folder = question.slot.folder
        if folder in picked:
            raise ExamError(f"--questions names two category {question.slot.number} questions "
                            f"({picked[folder].id}, {question_id}): the exam has one per category, choose one")
        picked[folder] = question
    return picked


def parse_ids(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]
