"""Category 2: MNIST, handwritten digits. Scored on the 10,000 test images, pixels scaled to [0, 1].

The exam's "Basic Datasets Question" on MNIST: the starter loads tf.keras.datasets.mnist, the
input is the native (28, 28) ("Your input layer should accept (28,28) as the input shape only"),
the output ten classes. Files also load it with tfds.load("mnist"). The test images are read
from the registered IDX files, the same 10,000 images and labels as mnist.npz's x_test, y_test
and tfds' "test" split.

The ladder, measured on the test images: always one digit scores at most 0.1135 (a 1), untrained
dense networks 0.18 at best (40 initialisations); softmax regression on the pixels reaches 0.92,
a dense network with one hidden layer of 128 units 0.962 after one epoch and 0.976 after five,
a small CNN 0.99. The lowest rung is the Dicoding simulation's C2 ("> 91%"), the fourth the
Korean guide's val_acc 0.97; full marks take 0.98, more than a plain dense network gives in a
few epochs. Evidence in docs/maintainers/calibration.md.
"""
import functools

import numpy as np

from tfexam.questions import fashion
from tfexam.questions.base import Question, Scored
from tfexam.questions.slots import LEARNING_DATASET
from tfexam.data import tfds_offline
from tfexam.questions.ladder import Ladder

CLASSES = tuple(str(digit) for digit in range(10))
LADDER = Ladder("accuracy", (0.91, 0.94, 0.96, 0.97, 0.98), higher_is_better=True)
# MNIST's IDX files share their base names with Fashion-MNIST's: the registry keeps them in a folder
FILES = {"train_images": "mnist/train-images-idx3-ubyte.gz", "train_labels": "mnist/train-labels-idx1-ubyte.gz",
         "test_images": "mnist/t10k-images-idx3-ubyte.gz", "test_labels": "mnist/t10k-labels-idx1-ubyte.gz"}


@functools.cache
def test_set() -> tuple[np.ndarray, np.ndarray]:
    """The 10,000 test images scaled to [0, 1], and their digits."""
    return fashion.idx_test_set(FILES["test_images"], FILES["test_labels"])


def score(model) -> Scored:
    """Accuracy on the test images; names unscaled inputs."""
    return fashion.score_28x28(model, *test_set(), CLASSES, LADDER.thresholds[-1])


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[1:] != (10,) and not fashion.input_28x28_hint(input_shape):
        return "ten digits: the last layer must be tf.keras.layers.Dense(10, activation='softmax')"
    return fashion.input_28x28_hint(input_shape)


def training_hint(reason: str) -> str:
    return fashion.integer_labels_hint(reason, "the digits 0-9")


QUESTION = Question(
    id="mnist", slot=LEARNING_DATASET, title="MNIST, handwritten digits 0-9",
    origin="the exam, 2020 (a variant of its basic datasets question)", budget_seconds=240,
    data_files=("mnist.npz", *FILES.values()),
    # tf.keras.datasets.mnist, tfds.load("mnist"), the files' URLs. Not Fashion-MNIST's: its tfds and
    # keras.datasets name is fashion_mnist, and its IDX files' URLs end in no mnist/ folder
    signatures=("mnist", "mnist.npz", *FILES.values()),
    input_text="(batch, 28, 28): pixels scaled to [0, 1]", output_text="(batch, 10): softmax",
    inputs=((None, 28, 28),), outputs=((None, 10),),
    ladder=LADDER,
    score=score, shape_hint=shape_hint, training_hint=training_hint,
    prepare=lambda: tfds_offline.prepare("mnist"), held_out=test_set,
)

QUESTIONS = (QUESTION,)
