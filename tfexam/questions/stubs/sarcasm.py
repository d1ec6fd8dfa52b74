# tfexam question: sarcasm (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 4: NLP text classification on real text (sarcasm)
#
# Build and train a classifier for the sarcasm dataset: is a news headline
# sarcastic or not? It is trained on the first 20000 headlines, with the
# frozen Tokenizer below.
#
# The grader tokenizes the remaining 6709 headlines exactly as the frozen
# block does and scores accuracy (a sigmoid output > 0.5 means sarcastic):
# one point for each of
#     accuracy >= 0.65, 0.70, 0.74, 0.77, 0.79
# (always guessing "not sarcastic" scores 0.563)
#
# Input the grader sends:   shape (batch, 120), padded token ids.
#                           A model that takes the raw headline strings
#                           (a TextVectorization layer inside it, input
#                           shape (batch,) or (batch, 1), dtype string) is
#                           accepted too.
# Output it expects:        shape (batch, 1), a sigmoid probability
# Time budget:              240 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/nlp
# ======================================================================
import json

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

from tfexam.data import fetch


def solution_model():
    # The exam downloaded this URL; the grader serves it from its data layer, offline.
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
        # YOUR CODE HERE. KEEP THIS OUTPUT LAYER INTACT OR TESTS MAY FAIL
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on training_padded and training_labels.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
