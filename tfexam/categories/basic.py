"""Category 1: a basic model. Learn y = x + 6 from six points; predict x values it never saw."""
import numpy as np

from tfexam.categories.base import Category, Scored, predict, predictions
from tfexam.grading.ladder import Ladder

UNSEEN_X = np.array([-10.0, -4.5, 7.0, 10.0, 15.0, 25.0], dtype="float32")


def truth(x):
    return x + 6.0


def score(model) -> Scored:
    """Mean absolute error of the model's predictions for x values outside the training data."""
    predicted = predict(model, UNSEEN_X.reshape(-1, 1)).reshape(-1)
    return Scored(float(np.mean(np.abs(predicted - truth(UNSEEN_X)))),
                  details=predictions(UNSEEN_X, truth(UNSEEN_X), predicted, "x"))


CATEGORY = Category(
    number=1, name="basic", title="a basic model (y = x + 6)", budget_seconds=60,
    inputs=((None, 1),), outputs=((None, 1),),
    ladder=Ladder("MAE", (1.0, 0.5, 0.2, 0.1, 0.05), higher_is_better=False),
    score=score,
)
