# tfexam question: horses-or-humans-150 (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (horses or humans at 150x150; the
# Dicoding simulation, problem A2)
#
# Build and train a classifier for the horses-or-humans dataset, the same
# pictures as the horses-or-humans question, read at 150x150 this time:
# the training set has 500 horses and 527 humans, 300x300 colour PNGs
# that flow_from_directory shrinks to target_size. It takes each image's
# label from the name of the folder it sits in, in alphabetical order:
# horses = 0, humans = 1. The simulation asked for an accuracy and a
# validation accuracy above 83%.
#
# The grader scores accuracy on the 256 validation images, read at
# 150x150 and rescaled by 1/255 as below (a sigmoid output > 0.5 means
# human): one point for each of
#     accuracy >= 0.60, 0.68, 0.73, 0.76, 0.78
# (always guessing one class scores 0.50)
#
# Input the grader sends:   shape (batch, 150, 150, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 1), a sigmoid probability
# Time budget:              300 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted


def solution_model():
    # The simulation downloaded and unzipped these; the grader's data layer does it once, offline.
    train_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip")
    validation_dir = extracted(
        "https://storage.googleapis.com/download.tensorflow.org/data/validation-horse-or-human.zip")

    train_datagen = ImageDataGenerator(
        rescale=1 / 255,
        # YOUR CODE HERE: augmentation, if you want it
    )
    train_generator = train_datagen.flow_from_directory(
        train_dir, target_size=(150, 150), batch_size=32, class_mode='binary')

    model = tf.keras.models.Sequential([
        # The input: 150x150 images with 3 bytes of colour. Keep it.
        tf.keras.Input(shape=(150, 150, 3)),
        # YOUR CODE HERE, ending with the single sigmoid neuron below
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on train_generator.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
