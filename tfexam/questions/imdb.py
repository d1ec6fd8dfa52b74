"""Category 4: IMDB reviews, the Dicoding simulation's A4. Classify movie reviews as positive or
negative, scored on tensorflow-datasets' 25,000 test reviews.

The starter loads tfds.load("imdb_reviews", as_supervised=True) and fixes its text handling in a
block learners keep: a Tokenizer of vocab_size = 10000 words with oov_tok = "<OOV>", fitted on the
training reviews in tfds' order, and sequences cut to max_length = 120 with trunc_type = 'post'
(pad_sequences' default padding, 'pre'). The grader turns the test reviews into ids the same way;
a model that takes raw strings (TextVectorization inside) gets the reviews themselves.

The archive is not in the shared mirror: the harness's tests grade this question on a small copy of
its layout (fixtures/make_imdb_layout.py). The ladder ends just above Dicoding's "> 83%" and is not
calibrated on the real reviews.
"""
import functools

import numpy as np

from tfexam.data import tfds_offline
from tfexam.questions.base import Question, Scored, accuracy, confusion, constant_prediction_hint, predict
from tfexam.questions.ladder import Ladder
from tfexam.questions.nlp import as_string_tensor
from tfexam.questions.slots import NLP

# The question's block: keep it, or the grader's ids are not your model's
VOCAB_SIZE = 10000
MAX_LENGTH = 120
TRUNC_TYPE = "post"
OOV_TOKEN = "<OOV>"
CLASSES = ("neg", "pos")  # tfds' label names: 0 negative, 1 positive
# Guessing scores 0.50 (the test reviews are half positive). Evidence (none on the real reviews) in
# docs/maintainers/calibration.md.
LADDER = Ladder("accuracy", (0.65, 0.72, 0.77, 0.81, 0.84), higher_is_better=True)


def _split(name: str) -> tuple[list[str], np.ndarray]:
    import tensorflow_datasets as tfds
    dataset = tfds_offline.load("imdb_reviews", name, as_supervised=True)
    texts, labels = zip(*((text.decode("utf8"), int(label)) for text, label in tfds.as_numpy(dataset)))
    return list(texts), np.array(labels)


@functools.cache
def test_reviews() -> tuple[list[str], np.ndarray]:
    return _split("test")


@functools.cache
def test_tokens() -> np.ndarray:
    """The test reviews as the question's block turns them into ids."""
    from tensorflow.keras.preprocessing.sequence import pad_sequences  # the names the question uses
    from tensorflow.keras.preprocessing.text import Tokenizer
    tokenizer = Tokenizer(num_words=VOCAB_SIZE, oov_token=OOV_TOKEN)
    tokenizer.fit_on_texts(_split("train")[0])
    return pad_sequences(tokenizer.texts_to_sequences(test_reviews()[0]), maxlen=MAX_LENGTH, truncating=TRUNC_TYPE)


def score(model) -> Scored:
    """Accuracy on the test reviews: token ids, or raw strings for a model that takes text."""
    texts, labels = test_reviews()
    if str(model.inputs[0].dtype) == "string":
        inputs = as_string_tensor(texts, rank=len(model.inputs[0].shape))
    else:
        inputs = test_tokens()
    probabilities = predict(model, inputs, batch_size=512)
    return Scored(accuracy(probabilities, labels), constant_prediction_hint(probabilities),
                  confusion(probabilities, labels, CLASSES))


def shape_hint(input_shape, output_shape) -> str:
    if output_shape[-1:] != (1,):
        return "positive or not is one probability: keep the last layer tf.keras.layers.Dense(1, activation='sigmoid')"
    if len(input_shape) == 2 and input_shape[1] != MAX_LENGTH:
        return f"reviews are cut and padded to max_length = {MAX_LENGTH} token ids"
    return ""


QUESTIONS = (
    Question(
        id="imdb-reviews", slot=NLP, title="IMDB movie reviews, positive or negative",
        origin="the Dicoding simulation, A4 (tfds.load)", budget_seconds=300,
        data_files=("aclImdb_v1.tar.gz",), signatures=("imdb_reviews", "aclImdb_v1.tar.gz"),
        input_text=f"(batch, {MAX_LENGTH}): token ids from the question's Tokenizer (or raw strings)",
        output_text="(batch, 1): sigmoid, the probability of a positive review",
        inputs=((None, MAX_LENGTH),), text_inputs=((None,), (None, 1)), outputs=((None, 1),),
        ladder=LADDER, score=score, shape_hint=shape_hint,
        prepare=functools.partial(tfds_offline.prepare, "imdb_reviews"), held_out=test_tokens,
    ),
)
