"""The exam's five categories and the pool of questions each draws from.

    QUESTIONS   every question, by the id users type (--question, python -m tfexam new)
    CATEGORIES  each category's default question, by its folder: pytest assessments/<folder>
"""
from tfexam.questions import (basic, bbc, beans, cats_vs_dogs, fashion, household_power, image_folders, images, imdb,
                              iris, mnist, nlp, rps, temperatures, timeseries)
from tfexam.questions.base import Question, Slot
from tfexam.questions.slots import SLOTS

# In category order (the order `tfexam questions` lists them); within a category, the default first
POOL: tuple[Question, ...] = tuple(sorted(
    (*basic.QUESTIONS, fashion.QUESTION, *mnist.QUESTIONS, *iris.QUESTIONS, *images.QUESTIONS, *rps.QUESTIONS,
     *image_folders.QUESTIONS, *cats_vs_dogs.QUESTIONS, *beans.QUESTIONS, nlp.QUESTION, *bbc.QUESTIONS, *imdb.QUESTIONS,
     *timeseries.QUESTIONS, *household_power.QUESTIONS, *temperatures.QUESTIONS),
    key=lambda question: question.slot.number))
QUESTIONS: dict[str, Question] = {q.id: q for q in POOL}
DEFAULT_IDS = {"basic": "x-plus-6", "fashion": "fashion-mnist", "images": "horses-or-humans", "nlp": "sarcasm",
               "timeseries": "sunspots"}
CATEGORIES: dict[str, Question] = {folder: QUESTIONS[DEFAULT_IDS[folder]] for folder in SLOTS}
EXAM_CATEGORY_COUNT = len(SLOTS)

__all__ = ["CATEGORIES", "EXAM_CATEGORY_COUNT", "POOL", "QUESTIONS", "SLOTS", "Question", "Slot", "folders_named",
           "in_category", "is_default"]


def in_category(folder: str) -> list[Question]:
    return [q for q in POOL if q.slot.folder == folder]


def is_default(question: Question) -> bool:
    return CATEGORIES[question.slot.folder] is question


def folders_named(text: str) -> list[str]:
    """The category folders a list like "images, 1" names (folders or numbers), in exam order; all five for "".

    ValueError names a category that is not one, and the choices.
    """
    if not text.strip():
        return list(CATEGORIES)
    by_number = {str(slot.number): folder for folder, slot in SLOTS.items()}
    chosen = []
    for name in filter(None, (part.strip() for part in text.split(","))):
        folder = by_number.get(name, name)
        if folder not in CATEGORIES:
            raise ValueError(f"no category {name!r}; give folders or numbers separated by commas: "
                             f"{', '.join(CATEGORIES)} or 1-{len(SLOTS)}")
        if folder not in chosen:
            chosen.append(folder)
    return sorted(chosen, key=lambda folder: SLOTS[folder].number)
