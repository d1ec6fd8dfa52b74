"""A category is an exam slot (its number, folder and title); a question is what a slot asks.

The real exam drew each category's question from a pool. A question holds everything grading
needs: its data, the shapes it accepts, its budget, its ladder and scoring, its hints, its
exam-style stub and its reference solution, and the signs that recognise a file written for it.
"""
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import numpy as np

from tfexam.questions.ladder import Ladder

Shape = tuple
PROJECT_ROOT = Path(__file__).resolve().parents[2]
SOLUTIONS_VARIABLE = "TFEXAM_SOLUTIONS_DIR"  # where the reference solutions are, for an installed package
STUBS = Path(__file__).resolve().parent / "stubs"  # each question's exam-style stub, <id>.py


def solutions_folder() -> Path:
    """The checkout's solutions/, or the folder $TFEXAM_SOLUTIONS_DIR names."""
    return Path(os.environ.get(SOLUTIONS_VARIABLE) or PROJECT_ROOT / "solutions")


@dataclass(frozen=True)
class Slot:
    """One of the exam's five categories: `pytest assessments/<folder>` grades its question."""
    number: int
    folder: str
    title: str
    weight: float = 20.0  # of the exam's 100 points; the exam never published its weights


@dataclass(frozen=True)
class Question:
    id: str                # what users type (--question, python -m tfexam new): stable once released
    slot: Slot
    title: str
    origin: str            # where the question comes from (exam years, the Dicoding simulation)
    budget_seconds: float  # wall clock for the training process on a 2-core CPU
    inputs: tuple[Shape, ...]   # accepted input shapes, batch dimension included
    outputs: tuple[Shape, ...]  # accepted output shapes
    ladder: Ladder
    score: Callable        # score(model) -> Scored, on held-out data
    data_files: tuple[str, ...] = ()  # the registered files it reads (tfexam/data/registry.py)
    # What a file written for it loads: dataset URLs or file names, tf.keras.datasets or tfds names
    signatures: tuple[str, ...] = ()
    recognises: Callable = lambda source: True  # a further test of a file's source, among those signed alike
    line: tuple[float, float] | None = None  # category 1: the slope and intercept its training arrays follow
    shape_hint: Callable = lambda input_shape, output_shape: ""
    text_inputs: tuple[Shape, ...] = ()  # accepted shapes of a string input (text models)
    prepare: Callable = lambda: None     # readies the data before training (outside the budget)
    # loads (and caches) the held-out data before training, so a solution cannot change what it is scored on
    held_out: Callable = lambda: None
    training_hint: Callable = lambda reason: ""  # names a likely mistake behind a training failure
    # For a question whose frozen last layer is a Lambda: the built-in layer the grader loads in its
    # place (it never deserialises a Lambda), e.g. {"class_name": "Rescaling", "config": {...}}
    frozen_lambda: dict | None = None
    input_text: str = ""   # the input and output as the stub states them, for `python -m tfexam questions`
    output_text: str = ""

    @property
    def stub(self) -> Path:
        return STUBS / f"{self.id}.py"

    @property
    def reference(self) -> Path:
        """The reference solution (not in a student template, nor in the pip package)."""
        return solutions_folder() / f"{self.id}.py"

    def input_problem(self, shape: Shape, dtype: str = "float32") -> str | None:
        if dtype == "string":
            if not self.text_inputs:
                return "input mismatch: the model takes strings; this question sends numbers"
            return _mismatch("input", shape, self.text_inputs)
        return _mismatch("input", shape, self.inputs)

    def output_problem(self, shape: Shape) -> str | None:
        return _mismatch("output", shape, self.outputs)


def _mismatch(what: str, shape: Shape, accepted: tuple[Shape, ...]) -> str | None:
    # The batch dimension is the learner's business: Keras 3 fixes it to the first batch's size
    # in a Sequential model built without keras.Input, as exam-era code was.
    if shape[1:] in [a[1:] for a in accepted] and len(shape) > 0:
        return None
    wanted = " or ".join(str(s) for s in accepted)
    return f"{what} shape mismatch: the model's {what} is {shape}, the question expects {wanted}"


@dataclass(frozen=True)
class Scored:
    value: float
    hint: str = ""  # names a likely mistake, shown when points are lost
    details: dict = field(default_factory=dict)  # for the report: a confusion matrix or predictions


def predicted_classes(probabilities: np.ndarray) -> np.ndarray:
    """Classes from sigmoid outputs (one column) or softmax outputs (one column per class)."""
    if probabilities.shape[1] == 1:
        return (probabilities[:, 0] > 0.5).astype(int)
    return probabilities.argmax(axis=1)


def accuracy(probabilities: np.ndarray, labels: np.ndarray) -> float:
    return float(np.mean(predicted_classes(probabilities) == labels))


def confusion(probabilities: np.ndarray, labels: np.ndarray, classes: tuple[str, ...]) -> dict:
    """details: rows are the true classes, columns the predicted ones."""
    matrix = np.zeros((len(classes), len(classes)), dtype=int)
    np.add.at(matrix, (labels, predicted_classes(probabilities)), 1)
    return {"confusion": {"classes": list(classes), "matrix": matrix.tolist()}}


def predictions(x, actual, predicted, x_label: str) -> dict:
    """details: the model's predictions beside the truth."""
    as_list = lambda values: [round(float(v), 6) for v in values]  # noqa: E731
    return {"predictions": {"x": as_list(x), "actual": as_list(actual), "predicted": as_list(predicted),
                            "x_label": x_label}}


def constant_prediction_hint(probabilities: np.ndarray) -> str:
    if np.ptp(probabilities, axis=0).max() < 1e-6:
        return ("the model gives the same output for every input: a softmax over a single unit "
                "always outputs 1 (use sigmoid), or training diverged")
    return ""


def predict(model, inputs, batch_size: int = 256, scale: float = 1.0) -> np.ndarray:
    """The model's outputs for `inputs` (times `scale`), batch by batch.

    Calling the model directly is several times faster than Model.predict for one pass over a
    few thousand examples: predict builds a tf.data pipeline and traces a function first.
    """
    batches = (inputs[start:start + batch_size] for start in range(0, len(inputs), batch_size))
    return np.concatenate([np.asarray(model(batch * scale if scale != 1.0 else batch, training=False),
                                      dtype="float64") for batch in batches])


def score_images(model, images: np.ndarray, labels: np.ndarray, classes: tuple[str, ...], full_marks: float,
                 batch_size: int, unscaled_hint: str) -> Scored:
    """Accuracy on images scaled to [0, 1]; below full marks, names a model that only works on 0-255 pixels."""
    probabilities = predict(model, images, batch_size)
    value = accuracy(probabilities, labels)
    hint = constant_prediction_hint(probabilities)
    if not hint and value < full_marks and \
            accuracy(predict(model, images, batch_size, scale=255), labels) > value + 0.1:
        hint = unscaled_hint
    return Scored(value, hint, confusion(probabilities, labels, classes))
