"""Category 5: sunspots. Forecast each month after split_time from the 30 months before it.

Two questions: the 2021-2024 exam's, on the series normalised to [0, 1], and the 2020 exam's, on
the raw monthly numbers with a frozen `Lambda(lambda x: x * 400)` output layer, which the grader
loads as the built-in Rescaling(400) it computes.
"""
import csv
import functools

import numpy as np

from tfexam.questions.base import Question, Scored, predict, predictions
from tfexam.questions.slots import SEQUENCES
from tfexam.data import fetch
from tfexam.questions.ladder import Ladder

SPLIT_TIME = 3000
WINDOW_SIZE = 30


@functools.cache
def raw_series() -> np.ndarray:
    """Monthly sunspot numbers as the file has them (the 2020 question)."""
    with open(fetch("Sunspots.csv"), newline="") as f:
        rows = list(csv.reader(f))[1:]
    return np.array([float(row[2]) for row in rows], dtype="float32")


@functools.cache
def normalised_series() -> np.ndarray:
    """Monthly sunspot numbers, normalised exactly as the question's frozen block does."""
    series = raw_series().copy()
    series -= np.min(series)
    series /= np.max(series)
    return series


def held_out_windows(series: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Every point after SPLIT_TIME, with the WINDOW_SIZE points before it."""
    times = range(SPLIT_TIME, len(series))
    windows = np.stack([series[t - WINDOW_SIZE:t] for t in times])[..., np.newaxis]
    return windows, series[SPLIT_TIME:]


def forecast(model, windows: np.ndarray) -> np.ndarray:
    """One forecast per window; a sequence output is read at its last step, as the exam did."""
    out = predict(model, windows)
    return out[:, -1, 0] if out.ndim == 3 else out[:, 0]


def score(model, series=normalised_series) -> Scored:
    """Mean absolute error of the forecasts on the normalised scale (or the raw one, for 2020)."""
    windows, actual = held_out_windows(series())
    predicted = forecast(model, windows)
    return Scored(float(np.mean(np.abs(predicted - actual))),
                  details=predictions(range(SPLIT_TIME, SPLIT_TIME + len(actual)), actual, predicted, "month"))


def shape_hint(input_shape, output_shape) -> str:
    if len(input_shape) == 2:
        return ("the windowed dataset yields windows of shape (30, 1): start the model with "
                "keras.Input(shape=(30, 1))")
    return ""


QUESTION = Question(
    id="sunspots", slot=SEQUENCES, title="monthly sunspots, normalised", origin="the exam, 2021-2024",
    budget_seconds=240, data_files=("Sunspots.csv",), signatures=("Sunspots.csv", "sunspots.csv"),  # Dicoding's name
    recognises=lambda source: "* 400" not in source and "*400" not in source,  # not the 2020 question's Lambda
    input_text=f"(batch, {WINDOW_SIZE}, 1): windows of the normalised series",
    output_text="(batch, 1) or (batch, time, 1): the next month",
    inputs=((None, WINDOW_SIZE, 1), (None, None, 1)),
    outputs=((None, 1), (None, WINDOW_SIZE, 1), (None, None, 1)),
    # Untrained networks reach 0.06 by chance; the naive last-value forecast scores 0.0405,
    # so full marks mean beating it. Evidence in docs/maintainers/calibration.md.
    ladder=Ladder("MAE", (0.055, 0.05, 0.046, 0.043, 0.040), higher_is_better=False),
    score=score, shape_hint=shape_hint, held_out=normalised_series,
)


SUNSPOTS_2020 = Question(
    id="sunspots-2020", slot=SEQUENCES, title="monthly sunspots, raw values, a frozen Lambda(x * 400) output",
    origin="the exam, 2020 ('type A')", budget_seconds=240, data_files=("Sunspots.csv",),
    signatures=("Sunspots.csv", "sunspots.csv"), recognises=lambda source: "* 400" in source or "*400" in source,
    input_text=f"(batch, {WINDOW_SIZE}, 1): windows of the raw series",
    output_text="(batch, 1) or (batch, time, 1), ending in the frozen Dense(1) and Lambda(lambda x: x * 400)",
    inputs=((None, WINDOW_SIZE, 1), (None, None, 1)),
    outputs=((None, 1), (None, WINDOW_SIZE, 1), (None, None, 1)),
    # The exam's tester scored ceil(20 - MAE), capped at 5: MAE below 20, 19, 18, 17, 16. On this
    # scale the naive last-value forecast is 16.1 (0.0405 normalised): full marks mean beating it.
    ladder=Ladder("MAE", (20.0, 19.0, 18.0, 17.0, 16.0), higher_is_better=False),
    score=functools.partial(score, series=raw_series), shape_hint=shape_hint, held_out=raw_series,
    frozen_lambda={"class_name": "Rescaling", "config": {"scale": 400.0, "offset": 0.0}},
)
QUESTIONS = (QUESTION, SUNSPOTS_2020)
