"""Category 4: sarcasm. Classify news headlines, scored on the 6709 after the first 20000."""
import functools
import json

import numpy as np

from tfexam.questions.base import Question, Scored, accuracy, confusion, constant_prediction_hint, predict
from tfexam.questions.slots import NLP
from tfexam.data import fetch
from tfexam.questions.ladder import Ladder

# The question's frozen block: DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
VOCAB_SIZE = 1000
MAX_LENGTH = 120
TRUNC_TYPE = "post"
PADDING_TYPE = "post"
OOV_TOKEN = "<OOV>"
TRAINING_SIZE = 20000


@functools.cache
def headlines() -> tuple[list[str], np.ndarray]:
    with open(fetch("sarcasm.json")) as f:
        records = json.load(f)
    return [r["headline"] for r in records], np.array([r["is_sarcastic"] for r in records])


@functools.cache
def held_out_tokens() -> np.ndarray:
    """The held-out headlines as the question's frozen Tokenizer and padding turn them into ids."""
    from tensorflow.keras.preprocessing.sequence import pad_sequences  # the names the question uses
    from tensorflow.keras.preprocessing.text import Tokenizer
    sentences, _ = headlines()
    tokenizer = Tokenizer(num_words=VOCAB_SIZE, oov_token=OOV_TOKEN)
    tokenizer.fit_on_texts(sentences[:TRAINING_SIZE])
    sequences = tokenizer.texts_to_sequences(sentences[TRAINING_SIZE:])
    return pad_sequences(sequences, maxlen=MAX_LENGTH, padding=PADDING_TYPE, truncating=TRUNC_TYPE)


def as_string_tensor(sentences: list[str], rank: int):
    """Headlines as a string tensor of shape (n,) or (n, 1), the way a text model takes them."""
    import tensorflow as tf
    text = tf.constant(sentences)
    return text if rank == 1 else text[:, tf.newaxis]


def score(model) -> Scored:
    """Accuracy on the held-out headlines: token ids, or raw strings for a model that takes text."""
    sentences, labels = headlines()
    if str(model.inputs[0].dtype) == "string":
        inputs = as_string_tensor(sentences[TRAINING_SIZE:], rank=len(model.inputs[0].shape))
    else:
        inputs = held_out_tokens()
    probabilities, held_out_labels = predict(model, inputs, batch_size=512), labels[TRAINING_SIZE:]
    return Scored(accuracy(probabilities, held_out_labels), constant_prediction_hint(probabilities),
                  confusion(probabilities, held_out_labels, ("not sarcastic", "sarcastic")))


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] == (2,):
        return ("sarcastic or not is one probability: keep the last layer "
                "tf.keras.layers.Dense(1, activation='sigmoid')")
    if len(input_shape) == 2 and input_shape[1] != MAX_LENGTH:
        return f"headlines are padded to max_length = {MAX_LENGTH} token ids"
    return ""


QUESTION = Question(
    id="sarcasm", slot=NLP, title="sarcasm in news headlines", origin="the exam, 2020-2024",
    budget_seconds=240, data_files=("sarcasm.json",), signatures=("sarcasm.json",),
    input_text=f"(batch, {MAX_LENGTH}): token ids from the frozen Tokenizer (or raw strings)",
    output_text="(batch, 1): sigmoid",
    inputs=((None, MAX_LENGTH),), text_inputs=((None,), (None, 1)),
    outputs=((None, 1),),
    # Guessing the majority class scores 0.563. Evidence in docs/maintainers/calibration.md.
    ladder=Ladder("accuracy", (0.65, 0.70, 0.74, 0.77, 0.79), higher_is_better=True),
    score=score, shape_hint=shape_hint, held_out=held_out_tokens,
)
