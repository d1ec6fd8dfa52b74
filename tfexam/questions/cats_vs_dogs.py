"""Category 3: cats vs dogs through tensorflow-datasets, the exam's own question (tfds.load('cats_vs_dogs')).

The starter loads tfds.load('cats_vs_dogs', split=tfds.Split.TRAIN): pictures of every size with
an integer label, 0 cat and 1 dog. Its preprocess must make them 224x224 ("The testing
infrastructure will resize all images to 224x224 with 3 bytes of color depth") and the model ends
in Dense(2, activation='softmax'). tfds has no other split, so the train split tfexam prepares
leaves out every 25th picture (tfexam/data/tfds_offline.py), and the grader scores on those: as the
exam scored on pictures the model had never seen. Each is read as tfds gives it (decoded,
re-encoded as tfds' builder does, decoded), resized bilinearly to 224x224 and divided by 255.

The archive (825 MB) is not in the shared mirror: the harness's tests grade this question on a small
copy of its layout (fixtures/make_cats_vs_dogs_layout.py). The ladder ends at the accuracy a Korean
exam-era guide reported for it (0.8665), and is not calibrated on the real pictures.
"""
import functools

import numpy as np

from tfexam.data import tfds_offline
from tfexam.questions.base import Question
from tfexam.questions.image_folders import scorer
from tfexam.questions.images import label_loss_mismatch, size_mismatch
from tfexam.questions.ladder import Ladder
from tfexam.questions.slots import IMAGES

IMAGE_SIZE = (224, 224)
CLASSES = ("cat", "dog")  # tfds' info.features['label'].names; the archive's folders are Cat and Dog
# Guessing one class scores about 0.50. Evidence (none on the real pictures) in docs/maintainers/calibration.md.
LADDER = Ladder("accuracy", (0.65, 0.72, 0.78, 0.83, 0.86), higher_is_better=True)
LAST_LAYER = "Dense(2, activation='softmax')"


def picture(data: bytes) -> np.ndarray:
    """One held-out picture as the question's preprocess makes it of what tfds gives: 224x224, divided by 255."""
    import tensorflow as tf
    as_tfds_stores_it = tf.io.encode_jpeg(tf.image.decode_image(data, expand_animations=False))
    return tf.image.resize(tf.io.decode_jpeg(as_tfds_stores_it, channels=3), IMAGE_SIZE).numpy() / 255.0


@functools.cache
def held_out_set() -> tuple[np.ndarray, np.ndarray]:
    """The pictures the prepared train split leaves out, with their labels, in archive order."""
    members = list(tfds_offline.withheld("cats_vs_dogs"))  # about 25 MB of JPEGs on the real archive
    images = np.empty((len(members), *IMAGE_SIZE, 3), dtype="float32")  # 560 MB there: filled, not stacked
    for i, (_, data) in enumerate(members):
        images[i] = picture(data)
    return images, np.array([CLASSES.index(name.split("/")[1].lower()) for name, _ in members])


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] not in ((2,), (1,)):
        return f"cat or dog: keep the starter's last layer, {LAST_LAYER}"
    if input_shape[1:3] != IMAGE_SIZE:
        return ("the pictures are tested at 224x224 with 3 colour channels: resize them to it in preprocess "
                "(tf.image.resize(image, (224, 224))) and start the model with keras.Input(shape=(224, 224, 3))")
    return ""


def training_hint(reason: str) -> str:
    if "Cannot batch tensors with different shapes" in reason or "Cannot add tensor to the batch" in reason:
        return ("the pictures differ in size: resize each to 224x224 in preprocess, before the dataset is "
                "batched (tf.image.resize(image, (224, 224)))")
    if label_loss_mismatch(reason):
        return (f"tfds gives integer labels, 0 cat and 1 dog: with {LAST_LAYER} use "
                "loss='sparse_categorical_crossentropy', or one-hot encode them in preprocess for "
                "'categorical_crossentropy'")
    if size_mismatch(reason):
        return "the model's input must be (224, 224, 3): resize the pictures to 224x224 in preprocess"
    return ""


QUESTIONS = (
    Question(
        id="cats-vs-dogs-tfds", slot=IMAGES, title="cats vs dogs through tensorflow-datasets, 224x224",
        origin="the exam, 2020-2024 (tfds.load)", budget_seconds=600,
        data_files=(tfds_offline.CATS_VS_DOGS_ARCHIVE,), signatures=("cats_vs_dogs",),
        input_text="(batch, 224, 224, 3): resized, pixels divided by 255",
        output_text="(batch, 2): softmax over cat, dog; or (batch, 1): a sigmoid probability of dog",
        inputs=((None, 224, 224, 3),), outputs=((None, 2), (None, 1)),
        ladder=LADDER, shape_hint=shape_hint, training_hint=training_hint,
        score=scorer(held_out_set, CLASSES, LADDER, unscaled_hint=(
            "the model does much better on pixels in 0-255: the grader sends them divided by 255, as the "
            "stub's preprocess does; divide the training pictures too"),
            numbering="tfds numbers them 0 cat and 1 dog (info.features['label'].names)"),
        prepare=functools.partial(tfds_offline.prepare, "cats_vs_dogs"), held_out=held_out_set,
    ),
)
