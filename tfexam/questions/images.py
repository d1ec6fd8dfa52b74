"""Category 3: horses or humans. Scored on the 256 validation images, rescaled by 1/255."""
import functools

import numpy as np

from tfexam.questions.base import Question, Scored, score_images
from tfexam.questions.slots import IMAGES
from tfexam.data import extracted
from tfexam.grading.ladder import Ladder

IMAGE_SIZE = (300, 300)
VALIDATION_IMAGES = 256
CLASSES = ("horses", "humans")  # flow_from_directory numbers the folders alphabetically
# Guessing one class scores 0.5. Evidence in README.md (calibration).
LADDER = Ladder("accuracy", (0.60, 0.68, 0.73, 0.77, 0.80), higher_is_better=True)


@functools.cache
def validation_set() -> tuple[np.ndarray, np.ndarray]:
    """Images and labels as the question's generator gives them: labels from folder names."""
    from tensorflow.keras.preprocessing.image import ImageDataGenerator
    batches = ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        extracted("validation-horse-or-human.zip"), target_size=IMAGE_SIZE, class_mode="binary",
        batch_size=VALIDATION_IMAGES, shuffle=False)
    images, labels = next(batches)
    return images, labels.astype(int)


def score(model) -> Scored:
    """Accuracy on the validation images; names unrescaled inputs and inverted labels."""
    images, labels = validation_set()
    scored = score_images(model, images, labels, CLASSES, LADDER.thresholds[-1], 32, unscaled_hint=(
        "the model does much better on pixels in 0-255: the grader sends them rescaled by 1/255, "
        "as the question's ImageDataGenerator(rescale=1/255) does; train on those"))
    if scored.value < 0.4 and not scored.hint:
        return Scored(scored.value, details=scored.details, hint=(
            "the labels look inverted: flow_from_directory numbers the folders alphabetically, "
            "horses = 0 and humans = 1"))
    return scored


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] == (2,):
        return "horse or human is one probability: keep the last layer Dense(1, activation='sigmoid')"
    if input_shape[1:3] != IMAGE_SIZE:
        return "the images are 300x300 with 3 colour channels: start the model with keras.Input(shape=(300, 300, 3))"
    return ""


QUESTION = Question(
    id="horses-or-humans", slot=IMAGES, title="horses or humans, 300x300 images",
    origin="the exam, 2020-2024 (ImageDataGenerator)", budget_seconds=420,
    data_files=("horse-or-human.zip", "validation-horse-or-human.zip"),
    signatures=("horse-or-human.zip", "validation-horse-or-human.zip"),
    input_text="(batch, 300, 300, 3): pixels rescaled by 1/255", output_text="(batch, 1): sigmoid",
    inputs=((None, 300, 300, 3),), outputs=((None, 1),),
    ladder=LADDER,
    score=score, shape_hint=shape_hint, held_out=validation_set,
)
