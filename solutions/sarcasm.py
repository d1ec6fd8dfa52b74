"""Reference solution, category 4: an embedding, one convolution over word windows, max pooling.

Convolution and max pooling find sarcastic phrases wherever they sit in the headline and ignore
the padding, so one epoch already reaches the ladder's top; two steady it.
"""
import json

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

from tfexam.data import fetch


def solution_model():
    path = fetch("https://storage.googleapis.com/download.tensorflow.org/data/sarcasm.json")

    # DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
    vocab_size = 1000
    embedding_dim = 16
    max_length = 120
    trunc_type = 'post'
    padding_type = 'post'
    oov_tok = "<OOV>"
    training_size = 20000

    sentences = []
    labels = []
    with open(path) as f:
        for item in json.load(f):
            sentences.append(item['headline'])
            labels.append(item['is_sarcastic'])

    training_sentences = sentences[0:training_size]
    testing_sentences = sentences[training_size:]
    training_labels = np.array(labels[0:training_size])
    testing_labels = np.array(labels[training_size:])

    tokenizer = Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    tokenizer.fit_on_texts(training_sentences)
    training_padded = pad_sequences(tokenizer.texts_to_sequences(training_sentences),
                                    maxlen=max_length, padding=padding_type, truncating=trunc_type)
    testing_padded = pad_sequences(tokenizer.texts_to_sequences(testing_sentences),
                                   maxlen=max_length, padding=padding_type, truncating=trunc_type)

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(max_length,)),
        tf.keras.layers.Embedding(vocab_size, embedding_dim),
        tf.keras.layers.Conv1D(32, 5, activation='relu'),
        tf.keras.layers.GlobalMaxPooling1D(),
        tf.keras.layers.Dense(24, activation='relu'),
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    model.fit(training_padded, training_labels, epochs=2, verbose=0,
              validation_data=(testing_padded, testing_labels))
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
