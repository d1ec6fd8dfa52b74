"""Category 2: Fashion-MNIST. Scored on the 10,000 test images, pixels scaled to [0, 1]."""
import functools
import gzip

import numpy as np

from tfexam.questions.base import Question, Scored, score_images
from tfexam.questions.slots import LEARNING_DATASET
from tfexam.data import fetch, tfds_offline
from tfexam.questions.ladder import Ladder

CLASSES = ("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot")
# Guessing one class scores 0.10. Evidence in docs/maintainers/calibration.md.
LADDER = Ladder("accuracy", (0.70, 0.78, 0.83, 0.86, 0.88), higher_is_better=True)


def read_idx(name: str, header_bytes: int) -> np.ndarray:
    """The bytes of a gzipped IDX file after its header: pixels or labels."""
    with gzip.open(fetch(name)) as f:
        return np.frombuffer(f.read(), dtype=np.uint8, offset=header_bytes)


def idx_test_set(images_file: str, labels_file: str) -> tuple[np.ndarray, np.ndarray]:
    """28x28 images scaled to [0, 1] and their integer labels, from a pair of IDX files."""
    images = read_idx(images_file, 16).reshape(-1, 28, 28)
    return images.astype("float32") / 255.0, read_idx(labels_file, 8).astype(int)


@functools.cache
def test_set() -> tuple[np.ndarray, np.ndarray]:
    return idx_test_set("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz")


def score_28x28(model, images, labels, classes, full_marks: float) -> Scored:
    """Accuracy on 28x28 images; below full marks, names unscaled inputs."""
    return score_images(model, images, labels, classes, full_marks, 1000, unscaled_hint=(
        "the model does much better on pixels in 0-255: the grader sends them scaled to [0, 1]; "
        "divide the training images by 255 too"))


def score(model) -> Scored:
    """Accuracy on the test images; names unscaled inputs."""
    return score_28x28(model, *test_set(), CLASSES, LADDER.thresholds[-1])


def input_28x28_hint(input_shape) -> str:
    """The exam's (28, 28) rule, for a model that takes a channel or flat pixels instead."""
    rule = "the exam's rule: 'Your input layer should accept (28,28) as the input shape only'; "
    if input_shape[1:] == (28, 28, 1):  # the batch dimension is fixed in a model built without keras.Input
        return rule + "use keras.Input(shape=(28, 28)) and a Reshape((28, 28, 1)) layer after it for convolutions"
    if input_shape[1:] == (784,):
        return rule + "flatten inside the model: keras.Input(shape=(28, 28)), then a Flatten layer"
    return ""


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[1:] != (10,) and not input_28x28_hint(input_shape):
        return "ten classes: the last layer must be tf.keras.layers.Dense(10, activation='softmax')"
    return input_28x28_hint(input_shape)


def integer_labels_hint(reason: str, labels: str) -> str:
    if any(sign in reason for sign in ("incompatible", "must have the same shape", "must have the same rank",
                                       "Received a label value")):
        return (f"the labels are {labels} as integers: use loss='sparse_categorical_crossentropy', or one-hot "
                "encode them for 'categorical_crossentropy'")
    return ""


def training_hint(reason: str) -> str:
    return integer_labels_hint(reason, "the classes 0-9")


QUESTION = Question(
    id="fashion-mnist", slot=LEARNING_DATASET, title="Fashion-MNIST, ten classes of clothing",
    origin="the exam, 2020-2024", budget_seconds=300,
    data_files=("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz",
                "t10k-labels-idx1-ubyte.gz"),
    signatures=("fashion_mnist",),
    input_text="(batch, 28, 28): pixels scaled to [0, 1]", output_text="(batch, 10): softmax",
    inputs=((None, 28, 28),), outputs=((None, 10),),
    ladder=LADDER,
    score=score, shape_hint=shape_hint, training_hint=training_hint,
    prepare=lambda: tfds_offline.prepare("fashion_mnist"), held_out=test_set,
)
