"""The exam's rules: five categories of five points, weighed equally, and a pass mark.

The exam never published its weights; tfexam weighs the categories equally (20 of 100 each, 4 a
point) and passes at 90, the community's understanding of the pass mark.
"""
from tfexam.questions.slots import SLOTS

CATEGORY_COUNT = len(SLOTS)
POINTS_PER_CATEGORY = 5
EXAM_WEIGHT_PER_POINT = 100 / (CATEGORY_COUNT * POINTS_PER_CATEGORY)  # 4
CATEGORY_WEIGHT = round(EXAM_WEIGHT_PER_POINT * POINTS_PER_CATEGORY)  # 20
PASS_MARK = 90  # percent of the points at stake


def passes(points: float, max_points: float) -> bool:
    """PASS at 90% or more of the points at stake: the exam's 100 with all five categories, else those graded."""
    return max_points > 0 and 100 * points >= PASS_MARK * max_points


def verdict(passed: bool) -> str:
    """The one word every output gives an exam's result."""
    return "PASS" if passed else "FAIL"


def exam_score(points: int) -> float:
    """A whole exam's score out of 100, from its points out of 25."""
    return round(points * EXAM_WEIGHT_PER_POINT, 1)
