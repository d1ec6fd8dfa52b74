# tfexam question: fashion-mnist (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 2: a model on a learning dataset (Fashion-MNIST)
#
# Create a classifier for the Fashion-MNIST dataset: 28x28 greyscale
# images of clothing in 10 classes (0 T-shirt/top, 1 Trouser, 2 Pullover,
# 3 Dress, 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot).
# The labels are integers 0-9, not one-hot vectors.
#
# Note that the test will expect it to classify 10 classes and that the
# input shape should be the native size of the Fashion MNIST dataset
# which is 28x28 monochrome. Do not resize the data. Your input layer
# should accept (28,28) as the input shape only. If you amend this, the
# tests will fail.
#
# The grader scores accuracy on the 10,000 test images, pixels scaled to
# [0, 1] (divided by 255): one point for each of
#     accuracy >= 0.70, 0.78, 0.83, 0.86, 0.88
#
# Input the grader sends:   shape (batch, 28, 28), floats in [0, 1]
# Output it expects:        shape (batch, 10), softmax probabilities
# Time budget:              300 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/fashion
# ======================================================================
import tensorflow as tf
import tensorflow_datasets as tfds


def solution_model():
    # The grader prepares this dataset offline; elsewhere tfds downloads it.
    ds_train, ds_test = tfds.load("fashion_mnist", split=["train", "test"], as_supervised=True)

    # Each example is (image, label): image uint8 of shape (28, 28, 1), label an integer 0-9.
    # YOUR CODE HERE: scale the images to [0, 1], give them the shape (28, 28), batch them.

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
