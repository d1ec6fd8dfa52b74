# tfexam question: iris (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 2: a model on a learning dataset (iris; the exam, 2020)
#
# Train a classifier for iris flowers on the iris dataset: four
# measurements per flower (sepal length, sepal width, petal length, petal
# width, in cm) and its species, one of three (0 Iris-setosa,
# 1 Iris-versicolor, 2 Iris-virginica).
#
# The model's input is the four measurements as tensorflow-datasets gives
# them, shape (4,), not normalised. Its last layer must be
#     tf.keras.layers.Dense(3, activation=tf.nn.softmax)
# Write the preprocess function the data is mapped with: it returns the
# features and the label one-hot encoded.
#
# The grader scores accuracy on the other 20% of the dataset,
# split="train[80%:]", the 30 flowers this file does not train on: one
# point for each of
#     accuracy >= 0.80, 0.83, 0.86, 0.90, 0.93
# that is 24, 25, 26, 27 and 28 of the 30 flowers right (always guessing
# one species gets at most 11 right).
#
# Input the grader sends:   shape (batch, 4), floats in cm, not normalised
# Output it expects:        shape (batch, 3), softmax probabilities, unit i
#                           for species i
# Time budget:              120 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/fashion
# ======================================================================
import tensorflow as tf
import tensorflow_datasets as tfds


def preprocess(data):
    # data is a dict: data["features"] float32 of shape (4,), data["label"]
    # an integer 0-2.
    # YOUR CODE HERE: return x, y: the features, and the label one-hot
    # encoded (3 values).
    raise NotImplementedError("preprocess() is not implemented yet")


def solution_model():
    # The first 80% of the dataset. The exam wrote this split as
    # tfds.Split.TRAIN.subsplit(tfds.percent[:80]), an API tensorflow-datasets
    # 4 removed; the grader reads that line too. The grader prepares the
    # dataset offline; elsewhere tfds downloads it.
    data = tfds.load("iris", split="train[:80%]")
    train_dataset = data.map(preprocess).batch(10)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(4,)),
        # YOUR CODE HERE
        tf.keras.layers.Dense(3, activation=tf.nn.softmax)
    ])
    # YOUR CODE HERE: compile and train the model.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
