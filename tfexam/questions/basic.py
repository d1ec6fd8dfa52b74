"""Category 1: a basic model. Learn a line from a few points; predict x values it never saw.

The exam asked for y = x + 6 (and, in other years, y = x + 1 or y = 5x + 1) from six points;
the Dicoding simulation's A1, B1 and C1 for other lines over other ranges. All are graded alike:
mean absolute error on x values outside the training range.
"""
import numpy as np

from tfexam.questions.base import Question, Scored, predict, predictions
from tfexam.questions.slots import BASIC
from tfexam.questions.ladder import Ladder

UNSEEN_X = np.array([-10.0, -4.5, 7.0, 10.0, 15.0, 25.0], dtype="float32")
# The mean absolute error of an untrained Dense(1) or of predicting the mean y is above 1 for
# every line here (docs/maintainers/calibration.md); a trained Dense(1) is within 0.02.
LADDER = Ladder("MAE", (1.0, 0.5, 0.2, 0.1, 0.05), higher_is_better=False)


def scorer(slope: float, intercept: float):
    def score(model) -> Scored:
        """Mean absolute error of the model's predictions for x values outside the training data."""
        truth = slope * UNSEEN_X + intercept
        predicted = predict(model, UNSEEN_X.reshape(-1, 1)).reshape(-1)
        return Scored(float(np.mean(np.abs(predicted - truth))),
                      details=predictions(UNSEEN_X, truth, predicted, "x"))
    return score


def line_question(id: str, slope: float, intercept: float, title: str, origin: str, budget: float = 60) -> Question:
    return Question(
        id=id, slot=BASIC, title=title, origin=origin, budget_seconds=budget,
        inputs=((None, 1),), outputs=((None, 1),), ladder=LADDER, score=scorer(slope, intercept),
        line=(slope, intercept), input_text="(batch, 1): x", output_text="(batch, 1): y, Dense(1)",
    )


QUESTIONS = (
    line_question("x-plus-6", 1.0, 6.0, "y = x + 6 from six points", "the exam, 2021-2024"),
    line_question("x-plus-1", 1.0, 1.0, "y = x + 1 from six points", "the exam, 2020-2021"),
    line_question("5x-plus-1", 5.0, 1.0, "y = 5x + 1 from six points", "the exam"),
    line_question("dicoding-a1", 1.0, 9.0, "y = x + 9 from x = -4 to 5", "the Dicoding simulation, A1"),
    line_question("dicoding-b1", 2.0, 3.0, "y = 2x + 3 from x = 1 to 7", "the Dicoding simulation, B1"),
    line_question("dicoding-c1", 0.5, 1.0, "y = 0.5x + 1 from x = -1 to 5", "the Dicoding simulation, C1"),
)
EXAM_X = (-1.0, 0.0, 1.0, 2.0, 3.0, 4.0)
TRAINING_X = {  # the xs each question's stub trains on
    "x-plus-6": EXAM_X, "x-plus-1": EXAM_X, "5x-plus-1": EXAM_X,
    "dicoding-a1": tuple(float(x) for x in range(-4, 6)),
    "dicoding-b1": tuple(float(x) for x in range(1, 8)),
    "dicoding-c1": tuple(float(x) for x in range(-1, 6)),
}
