"""The draw: one question per category, from a seed a class can share, or chosen by id."""
import random
from collections.abc import Callable, Sequence

from tfexam.data import store
from tfexam.exam.state import ExamError
from tfexam.questions import CATEGORIES, QUESTIONS, Question, in_category


def has_its_data(question: Question) -> bool:
    """Every file the question reads is here, in a folder of TFEXAM_DATA_DIR or the cache: gradable offline."""
    return all(store.where(name) != "download" for name in question.data_files)


def draw(seed: int, chosen: Sequence[str] = (),
         here: Callable[[Question], bool] = has_its_data) -> dict[str, Question]:
    """Category folder -> question: the chosen ids where given, else drawn with `seed` among the questions
    whose data is here (among all of the category's where none has its data here: it is downloaded)."""
    picked = chosen_questions(chosen)
    generator = random.Random(seed)
    drawn = {}
    for folder in CATEGORIES:
        pool = in_category(folder)
        # drawn always, so a choice leaves the rest alike
        candidate = generator.choice([q for q in pool if here(q)] or pool)
        drawn[folder] = picked.get(folder, candidate)
    return drawn


def left_out(here: Callable[[Question], bool] = has_its_data) -> list[Question]:
    """The questions the draw passes over, their data not here while another of their category's is."""
    return [q for folder in CATEGORIES for q in in_category(folder)
            if not here(q) and any(here(other) for other in in_category(folder))]


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
