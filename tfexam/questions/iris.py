"""Category 2: iris. Three species from four measurements, scored on the 30 flowers the exam's file leaves out.

The 2020 exam's "Basic Datasets question" on iris loads
`tfds.load("iris", split=tfds.Split.TRAIN.subsplit(tfds.percent[:80]))`, the first 80% of
tensorflow-datasets' only split, and asks for a `preprocess` that returns the four features and
one-hot labels, and a model ending in `tf.keras.layers.Dense(3, activation=tf.nn.softmax)`.
tensorflow-datasets 4 removed that split API; the grader reads the line as split="train[:80%]"
(tfexam/sandbox/tfds_legacy.py), which is what a file written today would say.

Held-out data: the other 20%, split="train[80%:]", 30 flowers. They are the only iris examples
the exam's own file never trains on, so a file written for it is scored on data it did not see;
the Korean guide's target for this question, val_acc 0.93, is 28 of these 30, as if its
validation were this split. tfds prepares iris in a fixed order (it shuffles the examples by a
hash of their row number in iris.data, the same on every installation of this tfds version);
HELD_OUT_ROWS are the rows split="train[80%:]" yields, read here from the registered file
without tfds, and a test checks them against tfds' own order.

Are 30 flowers enough? One flower is 0.033 of accuracy, so the ladder's rungs are counts: 24,
25, 26, 27 and 28 of 30. Iris is nearly separable: logistic regression, linear discriminant
analysis, an SVM and a threshold on the petal length alone all get 28 (the two they miss are
versicolor flowers with virginica measurements, rows 70 and 83), five neighbours 29, a decision
tree 27; the reference network 28 on every seed tried (0-5). So full marks mean what any sound
classifier does, and the lower rungs count the flowers a model still confuses. Below the first
rung: always one species scores at most 11/30 (versicolor; chance is 1/3), and untrained
networks on the raw measurements 20/30 at best (setosa and one other species told apart) in
2,000 initialisations, and 23/30 once in 600 more, so an untrained model is 0/5. More data
would steady the score, but any other held-out flower is one the exam's file trains on.
Evidence in docs/maintainers/calibration.md.
"""
import functools
from pathlib import Path
from typing import NamedTuple

import numpy as np

from tfexam.questions.base import Question, Scored, accuracy, confusion, constant_prediction_hint, predict
from tfexam.questions.slots import LEARNING_DATASET
from tfexam.data import fetch, tfds_offline
from tfexam.questions.ladder import Ladder

SPECIES = ("Iris-setosa", "Iris-versicolor", "Iris-virginica")  # tfds' ClassLabel names, numbered 0, 1, 2
LADDER = Ladder("accuracy", (0.80, 0.83, 0.86, 0.90, 0.93), higher_is_better=True)  # 24..28 of 30
# The rows of iris.data (numbered from 0, blank lines left out) in the order tfds' split="train[80%:]"
# yields them: tfds orders the 150 examples by a hash of their row number, and these are the last 30.
HELD_OUT_ROWS = (42, 9, 118, 7, 83, 144, 43, 115, 130, 139, 70, 89, 68, 38, 93, 75, 63, 126, 11, 149,
                 85, 125, 92, 2, 148, 46, 57, 140, 80, 37)


class Flowers(NamedTuple):
    features: np.ndarray  # (n, 4) float32: sepal length, sepal width, petal length, petal width in cm
    labels: np.ndarray    # (n,) species numbers 0-2


@functools.cache
def flowers() -> Flowers:
    """All 150 flowers of iris.data in file order, as tfds' builder reads them."""
    rows = [line.split(",") for line in Path(fetch("iris.data")).read_text().splitlines() if line]
    features = np.array([[float(value) for value in row[:4]] for row in rows], dtype="float32")
    return Flowers(features, np.array([SPECIES.index(row[4]) for row in rows]))


@functools.cache
def held_out() -> Flowers:
    """The 30 flowers of split="train[80%:]", in tfds' order."""
    everything = flowers()
    rows = list(HELD_OUT_ROWS)
    return Flowers(everything.features[rows], everything.labels[rows])


@functools.cache
def training_features() -> np.ndarray:
    """The 120 flowers of split="train[:80%]" (in file order): what a learner's normalisation was fitted on."""
    everything = flowers()
    return everything.features[[row for row in range(len(everything.labels)) if row not in HELD_OUT_ROWS]]


def score(model) -> Scored:
    """Accuracy on the 30 held-out flowers; names normalised inputs, another species order, a non-softmax head."""
    data = held_out()
    probabilities = predict(model, data.features)
    value = accuracy(probabilities, data.labels)
    hint = ""
    if value < LADDER.thresholds[-1]:
        # A model trained on normalised measurements often answers one species for every flower in cm.
        # The other reading must also earn four points, which untrained networks do not by chance.
        explained, explanation = max(_normalised(model, data), _reordered(probabilities, data))
        hint = explanation if explained > value + 0.1 and explained >= LADDER.thresholds[3] else ""
        hint = hint or constant_prediction_hint(probabilities) or _softmax_hint(probabilities)
    return Scored(value, hint, confusion(probabilities, data.labels, SPECIES))


def _normalised(model, data: Flowers) -> tuple[float, str]:
    """How well the model does on the measurements normalised as learners do (fitted on the training flowers)."""
    train = training_features()
    scalings = ((train.mean(axis=0), train.std(axis=0)), (train.min(axis=0), np.ptp(train, axis=0)),
                (np.zeros(4, "float32"), train.max(axis=0)))
    best = max(accuracy(predict(model, (data.features - offset) / scale), data.labels) for offset, scale in scalings)
    return best, ("the model does much better on normalised measurements: the grader sends the four features as "
                  "tfds gives them, in centimetres; train on them as they are, or normalise inside the model "
                  "(a Normalization layer adapted on the training features)")


def _reordered(probabilities: np.ndarray, data: Flowers) -> tuple[float, str]:
    """How well the model does if its units stand for the species in another order than tfds' label numbers."""
    if probabilities.shape[1] != len(SPECIES):
        return 0.0, ""
    best, order = max((accuracy(probabilities[:, list(order)], data.labels), order)
                      for order in ((0, 2, 1), (1, 0, 2), (1, 2, 0), (2, 0, 1), (2, 1, 0)))
    units = ", ".join(f"unit {unit} {name}" for unit, name in sorted(
        (unit, SPECIES[species]) for species, unit in enumerate(order)))
    return best, ("the model's units stand for the species in another order than the grader's: it reads unit 0 "
                  f"as Iris-setosa, 1 Iris-versicolor, 2 Iris-virginica (tfds' label numbers); the model has {units}")


def _softmax_hint(probabilities: np.ndarray) -> str:
    if probabilities.shape[1] == len(SPECIES) and not np.allclose(probabilities.sum(axis=1), 1.0, atol=1e-3):
        return ("the outputs are not softmax probabilities: the exam's last layer is "
                "tf.keras.layers.Dense(3, activation=tf.nn.softmax)")
    return ""


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[1:] != (3,):
        return ("three species, one-hot: the exam's last layer is tf.keras.layers.Dense(3, activation=tf.nn.softmax)"
                + (" (not one sigmoid unit: there are three classes)" if output_shape[1:] == (1,) else "")
                + (" (not two units: there are three classes)" if output_shape[1:] == (2,) else ""))
    if input_shape[1:] != (4,):
        return "four measurements per flower: the model's input shape is (4,), e.g. keras.Input(shape=(4,))"
    return ""


def training_hint(reason: str) -> str:
    if "subsplit" in reason or "has no attribute 'percent'" in reason:
        return ('tfds.Split.TRAIN.subsplit(tfds.percent[:80]) is gone from tensorflow-datasets 4: write '
                'split="train[:80%]"')
    if any(sign in reason for sign in ("incompatible", "must have the same shape", "must have the same rank",
                                       "Received a label value", "logits and labels")):
        return ("preprocess returns one-hot labels of 3 species: use loss='categorical_crossentropy' and end "
                "with Dense(3, activation=tf.nn.softmax); sparse_categorical_crossentropy takes the integer labels")
    return ""


QUESTION = Question(
    id="iris", slot=LEARNING_DATASET, title="iris, three species from four measurements",
    origin="the exam, 2020 (a variant of its basic datasets question)", budget_seconds=120,
    data_files=("iris.data",),
    signatures=("iris", "iris.data", "load_iris"),  # tfds.load("iris"), UCI's file, sklearn.datasets.load_iris
    input_text="(batch, 4): sepal length, sepal width, petal length, petal width in cm, not normalised",
    output_text="(batch, 3): softmax, unit i is tfds' label i (setosa, versicolor, virginica)",
    inputs=((None, 4),), outputs=((None, 3),),
    ladder=LADDER,
    score=score, shape_hint=shape_hint, training_hint=training_hint,
    prepare=lambda: tfds_offline.prepare("iris"), held_out=held_out,
)

QUESTIONS = (QUESTION,)
