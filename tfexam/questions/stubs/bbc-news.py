# tfexam question: bbc-news (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 4: NLP text classification on real text (BBC news; the
# Dicoding simulation, problem B4)
#
# Build and train a classifier for the BBC news dataset: which of five
# topics (sport, business, politics, tech, entertainment) is an article
# about? It is trained on the first 80% of the 2225 articles in file
# order (1780), with the frozen block below: the stopwords in its list
# removed (each stopword between two spaces replaced by one space, in the
# list's order), a Tokenizer fitted on the training articles, and the
# topics numbered 1-5 by a second Tokenizer fitted on all the labels
# (label_tokenizer.word_index: sport 1, business 2, politics 3, tech 4,
# entertainment 5).
#
# The grader takes the remaining 445 articles (the last 20%) through
# exactly the same steps (stopwords removed, the same Tokenizer, padding
# and truncation) and scores accuracy: one point for each of
#     accuracy >= 0.60, 0.75, 0.84, 0.88, 0.91
# (always guessing one topic scores at most 0.238). Keep the frozen
# block as it is: a model trained on other token ids (stopwords kept,
# removed another way, another vocabulary) is scored on these ones.
#
# Input the grader sends:   shape (batch, 120), padded token ids
# Output it expects:        shape (batch, 6), a softmax whose unit i is
#                           label_tokenizer's topic i (unit 0 unused:
#                           the course's way, trained on the numbers
#                           1-5 as they are); or shape (batch, 5), a
#                           softmax whose unit i is topic i + 1 (trained
#                           on the numbers minus 1)
# Time budget:              240 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/nlp
# ======================================================================
import csv

import numpy as np
import tensorflow as tf
from tensorflow.keras.preprocessing.sequence import pad_sequences
from tensorflow.keras.preprocessing.text import Tokenizer

from tfexam.data import fetch


def solution_model():
    # The simulation downloaded this file; the grader serves it from its data layer, offline.
    path = fetch("https://storage.googleapis.com/learning-datasets/bbc-text.csv")

    # DO NOT CHANGE THIS CODE OR THE TESTS MAY NOT WORK
    vocab_size = 1000
    embedding_dim = 16
    max_length = 120
    trunc_type = 'post'
    padding_type = 'post'
    oov_tok = "<OOV>"
    training_portion = .8

    stopwords = [
        "a", "about", "above", "after", "again", "against", "all", "am", "an", "and", "any", "are", "as",
        "at", "be", "because", "been", "before", "being", "below", "between", "both", "but", "by", "could",
        "did", "do", "does", "doing", "down", "during", "each", "few", "for", "from", "further", "had",
        "has", "have", "having", "he", "he'd", "he'll", "he's", "her", "here", "here's", "hers", "herself",
        "him", "himself", "his", "how", "how's", "i", "i'd", "i'll", "i'm", "i've", "if", "in", "into", "is",
        "it", "it's", "its", "itself", "let's", "me", "more", "most", "my", "myself", "nor", "of", "on",
        "once", "only", "or", "other", "ought", "our", "ours", "ourselves", "out", "over", "own", "same",
        "she", "she'd", "she'll", "she's", "should", "so", "some", "such", "than", "that", "that's", "the",
        "their", "theirs", "them", "themselves", "then", "there", "there's", "these", "they", "they'd",
        "they'll", "they're", "they've", "this", "those", "through", "to", "too", "under", "until", "up",
        "very", "was", "we", "we'd", "we'll", "we're", "we've", "were", "what", "what's", "when", "when's",
        "where", "where's", "which", "while", "who", "who's", "whom", "why", "why's", "with", "would", "you",
        "you'd", "you'll", "you're", "you've", "your", "yours", "yourself", "yourselves"]

    sentences = []
    labels = []
    with open(path, encoding='utf-8', newline='') as csvfile:
        reader = csv.reader(csvfile, delimiter=',')
        next(reader)  # the header: category,text
        for row in reader:
            labels.append(row[0])
            sentence = row[1]
            for word in stopwords:
                sentence = sentence.replace(" " + word + " ", " ")
            sentences.append(sentence)

    train_size = int(len(sentences) * training_portion)
    train_sentences = sentences[:train_size]
    train_labels = labels[:train_size]
    validation_sentences = sentences[train_size:]
    validation_labels = labels[train_size:]

    tokenizer = Tokenizer(num_words=vocab_size, oov_token=oov_tok)
    tokenizer.fit_on_texts(train_sentences)
    train_padded = pad_sequences(tokenizer.texts_to_sequences(train_sentences),
                                 maxlen=max_length, padding=padding_type, truncating=trunc_type)
    validation_padded = pad_sequences(tokenizer.texts_to_sequences(validation_sentences),
                                      maxlen=max_length, padding=padding_type, truncating=trunc_type)

    label_tokenizer = Tokenizer()
    label_tokenizer.fit_on_texts(labels)
    training_label_seq = np.array(label_tokenizer.texts_to_sequences(train_labels))          # 1-5
    validation_label_seq = np.array(label_tokenizer.texts_to_sequences(validation_labels))  # 1-5

    model = tf.keras.Sequential([
        # YOUR CODE HERE. KEEP THIS OUTPUT LAYER INTACT OR TESTS MAY FAIL
        # (or Dense(5, activation='softmax'), trained on the labels minus 1)
        tf.keras.layers.Dense(6, activation='softmax')
    ])
    # YOUR CODE HERE: compile and train the model on train_padded and training_label_seq.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
