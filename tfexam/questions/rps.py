"""Category 3: rock, paper, scissors, the 2020-2021 exam's question. Scored on the 372 images of
rps-test-set.zip at 150x150, rescaled by 1/255.

The starter trains from rps.zip with ImageDataGenerator ("NOTE THAT THIS IS UNLABELLED DATA": the
labels are the folder names, which flow_from_directory numbers alphabetically: paper = 0, rock =
1, scissors = 2) and ends with "a 3 Neuron Dense, activated by softmax". The test set holds other
hands than the training set, so it measures what the model learned about hands, not the pictures.
"""
import functools

from tfexam.data import extracted
from tfexam.questions.ladder import Ladder
from tfexam.questions.base import Question, Scored, score_images
from tfexam.questions.images import (GENERATOR_UNSCALED_HINT, LOSS_SHAPES, directory_images, order_hint,
                                     size_mismatch)
from tfexam.questions.slots import IMAGES

IMAGE_SIZE = (150, 150)
CLASSES = ("paper", "rock", "scissors")
ZIPS = ("rps.zip", "rps-test-set.zip")
# Guessing one class scores 1/3. Evidence in docs/maintainers/calibration.md.
LADDER = Ladder("accuracy", (0.60, 0.70, 0.80, 0.85, 0.90), higher_is_better=True)
NUMBERING = "flow_from_directory numbers the folders alphabetically: paper = 0, rock = 1, scissors = 2"


@functools.cache
def test_set():
    """The test images and their labels, as the question's generator gives them."""
    return directory_images(extracted("rps-test-set.zip") / "rps-test-set", IMAGE_SIZE, CLASSES)


def score(model) -> Scored:
    """Accuracy on the test images; names unrescaled inputs and classes in another order."""
    images, labels = test_set()
    scored = score_images(model, images, labels, CLASSES, LADDER.thresholds[-1], 32, GENERATOR_UNSCALED_HINT)
    if not scored.hint and (hint := order_hint(scored.details, scored.value, CLASSES, NUMBERING)):
        return Scored(scored.value, details=scored.details, hint=hint)
    return scored


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] != (3,):
        return "three classes: END WITH A 3 Neuron Dense, activated by softmax: Dense(3, activation='softmax')"
    if input_shape[1:3] != IMAGE_SIZE:
        return ("the images are tested at 150x150 with 3 colour channels: read them with target_size=(150, 150) "
                "and start the model with keras.Input(shape=(150, 150, 3))")
    return ""


def training_hint(reason: str) -> str:
    if "must have rank (ndim) `target.ndim - 1`" in reason:
        return ("flow_from_directory's default class_mode='categorical' gives one-hot labels: use "
                "loss='categorical_crossentropy', or class_mode='sparse' for 'sparse_categorical_crossentropy'")
    if "target.shape=(None, 1), output.shape=(None, 3)" in reason:
        return ("flow_from_directory found one class: point it at the folder that holds paper/, rock/ and "
                "scissors/ (rps/ inside the extracted zip)")
    if "Received a label value of 2 " in reason or any(sign in reason for sign in LOSS_SHAPES) and \
            any(f"output.shape=(None, {units})" in reason for units in (1, 2)):
        return "three classes: END WITH A 3 Neuron Dense, activated by softmax: Dense(3, activation='softmax')"
    if "target.shape=(None,), output.shape=(None, 3)" in reason:
        return ("class_mode='sparse' or 'binary' gives integer labels: use loss='sparse_categorical_crossentropy', "
                "or class_mode='categorical' for 'categorical_crossentropy'")
    if size_mismatch(reason):
        return ("the images the generator gives and the model's input must have one size: target_size=(150, 150) "
                "and keras.Input(shape=(150, 150, 3))")
    return ""


QUESTIONS = (
    Question(
        id="rock-paper-scissors", slot=IMAGES, title="rock, paper, scissors: hands in three classes, 150x150",
        origin="the exam, 2020-2021 (ImageDataGenerator)", budget_seconds=360,
        data_files=ZIPS, signatures=ZIPS,
        input_text="(batch, 150, 150, 3): pixels rescaled by 1/255",
        output_text="(batch, 3): softmax over paper, rock, scissors",
        inputs=((None, 150, 150, 3),), outputs=((None, 3),),
        ladder=LADDER, score=score, shape_hint=shape_hint, training_hint=training_hint, held_out=test_set,
    ),
)
