# tfexam question: imdb-reviews (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 4: NLP text classification on real text (IMDB reviews, the
# Dicoding simulation's A4)
#
# Build and train a binary classifier for the IMDB review dataset of
# tensorflow-datasets: 25,000 movie reviews to train on, each labelled
# 0 negative or 1 positive. The classifier should have a final layer with
# 1 neuron activated by sigmoid. Do not use Lambda layers in your model.
#
# The grader turns tfds' 25,000 test reviews into token ids exactly as
# the block below does (a Tokenizer fitted on the training reviews in
# tfds' order, sequences cut to 120 ids at the end and padded at the
# start) and scores accuracy (a sigmoid output > 0.5 means positive): one
# point for each of
#     accuracy >= 0.65, 0.72, 0.77, 0.81, 0.84
# (Dicoding asked for accuracy and validation accuracy above 83%; the
# other thresholds are tfexam's, not calibrated on the real reviews;
# guessing scores 0.50)
#
# Input the grader sends:   shape (batch, 120), padded token ids.
#                           A model that takes the raw review strings
#                           (a TextVectorization layer inside it, input
#                           shape (batch,) or (batch, 1), dtype string) is
#                           accepted too.
# Output it expects:        shape (batch, 1), a sigmoid probability
# Time budget:              300 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/nlp
# ======================================================================
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer


def solution_model():
    # The grader prepares this dataset offline; elsewhere tfds downloads it.
    imdb, info = tfds.load("imdb_reviews", with_info=True, as_supervised=True)
    train_data, test_data = imdb['train'], imdb['test']
    training_sentences = [s.decode('utf8') for s, _ in tfds.as_numpy(train_data)]
    training_labels = np.array([label for _, label in tfds.as_numpy(train_data)])

    # KEEP THIS BLOCK: THE GRADER TOKENIZES THE TEST REVIEWS THIS WAY
    vocab_size = 10000
    embedding_dim = 16
    max_length = 120
    trunc_type = 'post'
    oov_tok = "<OOV>"
    tokenizer = Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    tokenizer.fit_on_texts(training_sentences)
    sequences = tokenizer.texts_to_sequences(training_sentences)
    padded = pad_sequences(sequences, maxlen=max_length, truncating=trunc_type)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(max_length,)),
        tf.keras.layers.Embedding(vocab_size, embedding_dim),
        # YOUR CODE HERE. Do not change the last layer.
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on padded, training_labels.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
