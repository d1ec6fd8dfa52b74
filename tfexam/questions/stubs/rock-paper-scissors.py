# tfexam question: rock-paper-scissors (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (rock, paper, scissors)
#
# Build and train a classifier for the rock-paper-scissors dataset:
# computer-drawn hands making one of the three gestures, 300x300 colour
# PNGs. The training set has 840 images of each class in the folders
# rps/paper, rps/rock and rps/scissors; the files carry no labels, so
# flow_from_directory takes each image's label from the name of its
# folder, in alphabetical order: paper = 0, rock = 1, scissors = 2.
#
# The grader scores accuracy on the 372 images of the separate test set
# (rps-test-set.zip: other hands, 124 of each class), read at 150x150 and
# rescaled by 1/255 as below (the largest of the three softmax outputs is
# the class): one point for each of
#     accuracy >= 0.60, 0.70, 0.80, 0.85, 0.90
# (always guessing one class scores 0.33)
#
# Input the grader sends:   shape (batch, 150, 150, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 3), softmax probabilities
#                           (paper, rock, scissors)
# Time budget:              360 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted


def solution_model():
    # The exam downloaded rps.zip and unzipped it into tmp/; the grader's data layer does it
    # once, offline. The folder holds rps/ and its three class folders.
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/rps.zip")
    TRAINING_DIR = str(data_dir / "rps")

    training_datagen = ImageDataGenerator(
        rescale=1 / 255,
        # YOUR CODE HERE: augmentation, if you want it
    )
    train_generator = training_datagen.flow_from_directory(
        TRAINING_DIR, target_size=(150, 150), batch_size=32, class_mode='categorical')

    model = tf.keras.models.Sequential([
        # Images will be tested as 150x150 with 3 bytes of color depth
        tf.keras.Input(shape=(150, 150, 3)),
        # YOUR CODE HERE, BUT END WITH A 3 Neuron Dense, activated by softmax
        tf.keras.layers.Dense(3, activation='softmax')
    ])
    # YOUR CODE HERE: compile and train the model on train_generator.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
