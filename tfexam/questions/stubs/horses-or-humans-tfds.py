# tfexam question: horses-or-humans-tfds (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (horses or humans through
# tensorflow-datasets, the exam's "type A")
#
# Build and train a classifier for horses or humans with the dataset that
# tfds.load("horses_or_humans") gives: 1027 training images (500 horses,
# 527 humans), each 300x300 with 3 bytes of colour (uint8), and an integer
# label: 0 horses, 1 humans (info.features["label"].names).
#
# Please make sure your final layer has 2 neurons, activated by softmax,
# as below (a single sigmoid neuron is accepted too). The test uses
# images that are 300x300 with 3 bytes of colour depth: design your input
# layer to accept these, or the tests will fail.
#
# The grader scores accuracy on tfds' test split, the 256 validation
# images, divided by 255 as preprocess does below (the larger of the two
# softmax outputs is the class): one point for each of
#     accuracy >= 0.60, 0.68, 0.73, 0.77, 0.80
# (always guessing one class scores 0.50)
#
# Input the grader sends:   shape (batch, 300, 300, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 2), softmax probabilities
#                           (horses, humans); or (batch, 1), a sigmoid
#                           probability of human
# Time budget:              420 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
import tensorflow_datasets as tfds


def preprocess(data):
    # The grader sends pixels divided by 255 like this: keep it.
    x = tf.cast(data['image'], tf.float32) / 255.0
    y = data['label']
    # YOUR CODE HERE, if you need more (augmentation, say)
    return x, y


def solution_model():
    # The grader prepares this dataset offline; elsewhere tfds downloads it.
    dataset = tfds.load(name="horses_or_humans", split=tfds.Split.TRAIN)
    train_dataset = dataset.map(preprocess).batch(32)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(300, 300, 3)),
        # YOUR CODE HERE, BUT MAKE SURE YOUR LAST LAYER HAS 2 NEURONS ACTIVATED BY SOFTMAX
        tf.keras.layers.Dense(2, activation='softmax')
    ])
    # YOUR CODE HERE: compile and train the model on train_dataset.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
