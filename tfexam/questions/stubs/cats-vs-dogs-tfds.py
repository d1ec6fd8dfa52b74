# tfexam question: cats-vs-dogs-tfds (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (cats vs dogs through
# tensorflow-datasets, the exam's own question)
#
# For this exercise you will build a cats v dogs classifier using the
# cats_vs_dogs dataset of tensorflow-datasets: pictures of every size
# with 3 bytes of colour (uint8) and an integer label: 0 cat, 1 dog
# (info.features['label'].names). Be sure to use the final layer as
# shown (Dense, 2 neurons, softmax activation; a single sigmoid neuron
# is accepted too).
#
# The testing infrastructure will resize all images to 224x224 with 3
# bytes of color depth. Make sure your input layer trains images to that
# specification, or the tests will fail: resize them in preprocess.
#
# tfds has only a train split. tfexam's copy of it leaves out every 25th
# picture (by the number in its file name), and the grader scores
# accuracy on those, resized to 224x224 and divided by 255 as preprocess
# does below (the larger of the two softmax outputs is the class): one
# point for each of
#     accuracy >= 0.65, 0.72, 0.78, 0.83, 0.86
# (a course's guide for this question: val_acc 0.8665; the thresholds
# are tfexam's, not calibrated on the real pictures; guessing one class
# scores about 0.50)
#
# Input the grader sends:   shape (batch, 224, 224, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 2), softmax probabilities
#                           (cat, dog); or (batch, 1), a sigmoid
#                           probability of dog
# Time budget:              600 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
import tensorflow_datasets as tfds

IMG_SIZE = 224


def preprocess(data):
    # The grader sends pictures resized and divided by 255 like this: keep it.
    x = tf.image.resize(data['image'], (IMG_SIZE, IMG_SIZE)) / 255.0
    y = data['label']
    # YOUR CODE HERE, if you need more (augmentation, say)
    return x, y


def solution_model():
    # The grader prepares this dataset offline; elsewhere tfds downloads it (825 MB).
    dataset = tfds.load(name='cats_vs_dogs', split=tfds.Split.TRAIN)
    train_dataset = dataset.map(preprocess).batch(32)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(IMG_SIZE, IMG_SIZE, 3)),
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
