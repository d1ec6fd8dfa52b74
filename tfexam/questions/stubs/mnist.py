# tfexam question: mnist (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 2: a model on a learning dataset (MNIST; the exam, 2020)
#
# Create a classifier for the MNIST dataset: 28x28 greyscale images of
# handwritten digits, labelled with the digit they show. The labels are
# integers 0-9, not one-hot vectors.
#
# The model takes the images at their native size, 28x28 monochrome, not
# resized and without a channel axis (the exam's rule: "Your input layer
# should accept (28,28) as the input shape only"), and classifies them
# into the 10 digits.
#
# The grader scores accuracy on the 10,000 test images, pixels scaled to
# [0, 1] (divided by 255): one point for each of
#     accuracy >= 0.91, 0.94, 0.96, 0.97, 0.98
# (always answering one digit scores at most 0.11)
#
# Input the grader sends:   shape (batch, 28, 28), floats in [0, 1]
# Output it expects:        shape (batch, 10), softmax probabilities,
#                           unit i for the digit i
# Time budget:              240 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/fashion
# ======================================================================
import tensorflow as tf


def solution_model():
    # The exam downloaded this dataset; the grader serves it offline.
    # (tfds.load("mnist", split=["train", "test"], as_supervised=True) works too.)
    mnist = tf.keras.datasets.mnist
    (training_images, training_labels), (test_images, test_labels) = mnist.load_data()

    # training_images: uint8 array of shape (60000, 28, 28), pixels 0-255.
    # YOUR CODE HERE: scale the images to [0, 1].

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(28, 28)),
        # YOUR CODE HERE
        tf.keras.layers.Dense(10, activation=tf.nn.softmax)
    ])
    # YOUR CODE HERE: compile and train the model.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
