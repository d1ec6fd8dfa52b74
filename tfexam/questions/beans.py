"""Category 3: beans, the 2022 exam's tensorflow-datasets question. Scored on tfds' test split (128
leaves) resized to 300x300 and divided by 255.

The starter loads tfds.load('beans', split=['train', 'validation'], as_supervised=True): 500x500
photographs of bean leaves and an integer label, 0 angular_leaf_spot, 1 bean_rust, 2 healthy. Its
preprocess must "resize all the images in the dataset" to (300, 300, 3) and normalise them, and the
model ends in Dense(3, activation='softmax'). The exam graded "the normalized validation dataset";
the learner trains with that split in view, so tfexam scores the test split instead.

tfds' three zips are not in the shared mirror: the harness's tests grade this question on small
copies of their layout (fixtures/make_image_folder_layouts.py). The ladder ends at the exam's hint,
"approximately 0.75 or above ... for top marks", and is not calibrated on the real leaves.
"""
import functools

import numpy as np

from tfexam.data import tfds_offline
from tfexam.questions.base import Question
from tfexam.questions.image_folders import scorer
from tfexam.questions.images import label_loss_mismatch, size_mismatch
from tfexam.questions.ladder import Ladder
from tfexam.questions.slots import IMAGES

IMAGE_SIZE = (300, 300)
CLASSES = ("angular_leaf_spot", "bean_rust", "healthy")  # tfds' info.features['label'].names
# Guessing one class scores about 1/3. Evidence (none on the real leaves) in docs/maintainers/calibration.md.
LADDER = Ladder("accuracy", (0.50, 0.60, 0.67, 0.72, 0.75), higher_is_better=True)
LAST_LAYER = "Dense(3, activation='softmax')"


@functools.cache
def test_set() -> tuple[np.ndarray, np.ndarray]:
    """tfds' test split as the question's preprocess gives it: resized to 300x300 (bilinear), divided by 255."""
    import tensorflow as tf
    dataset = tfds_offline.load("beans", "test", as_supervised=True)
    images, labels = zip(*((tf.image.resize(image, IMAGE_SIZE).numpy() / 255.0, int(label))
                           for image, label in dataset))
    return np.stack(images).astype("float32"), np.array(labels)


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] != (3,):
        return f"three classes: the last layer must be {LAST_LAYER}"
    if input_shape[1:3] != IMAGE_SIZE:
        return ("the input shape of your model must be (300, 300, 3): resize the images to it in preprocess "
                "(tf.image.resize(image, (300, 300))) and start the model with keras.Input(shape=(300, 300, 3))")
    return ""


def training_hint(reason: str) -> str:
    if "Cannot batch tensors with different shapes" in reason or "500, 500, 3" in reason and size_mismatch(reason):
        return "the leaves are 500x500: resize them to 300x300 in preprocess, before the dataset is batched"
    if label_loss_mismatch(reason):
        return (f"tfds gives integer labels 0-2: with {LAST_LAYER} use loss='sparse_categorical_crossentropy', or "
                "one-hot encode them in preprocess for 'categorical_crossentropy'")
    if size_mismatch(reason):
        return "the model's input must be (300, 300, 3): resize the images to 300x300 in preprocess"
    return ""


QUESTIONS = (
    Question(
        id="beans", slot=IMAGES, title="beans: healthy and diseased leaves in three classes, 300x300",
        origin="the exam, 2022-2024 (tfds.load)", budget_seconds=420,
        data_files=("beans/train.zip", "beans/validation.zip", "beans/test.zip"), signatures=("beans",),
        input_text="(batch, 300, 300, 3): resized, pixels divided by 255",
        output_text="(batch, 3): softmax over angular_leaf_spot, bean_rust, healthy",
        inputs=((None, 300, 300, 3),), outputs=((None, 3),),
        ladder=LADDER, shape_hint=shape_hint, training_hint=training_hint,
        score=scorer(test_set, CLASSES, LADDER, unscaled_hint=(
            "the model does much better on pixels in 0-255: the grader sends them divided by 255, as the "
            "question's preprocess must; divide the training images too"),
            numbering="tfds numbers them 0 angular_leaf_spot, 1 bean_rust, 2 healthy (info.features['label'].names)"),
        prepare=functools.partial(tfds_offline.prepare, "beans"), held_out=test_set,
    ),
)
