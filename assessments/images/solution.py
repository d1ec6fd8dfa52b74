# tfexam question: horses-or-humans (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (horses or humans)
#
# Build and train a classifier for the horses-or-humans dataset. The
# images are 300x300 colour pictures; the training set has 500 horses and
# 527 humans. ImageDataGenerator.flow_from_directory takes each image's
# label from the name of the folder it sits in, in alphabetical order:
# horses = 0, humans = 1.
#
# The grader scores accuracy on the 256 validation images, rescaled by
# 1/255 as below (a sigmoid output > 0.5 means human): one point for each of
#     accuracy >= 0.60, 0.68, 0.73, 0.77, 0.80
# (always guessing one class scores 0.50)
#
# Input the grader sends:   shape (batch, 300, 300, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 1), a sigmoid probability
# Time budget:              420 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted


def solution_model():
    # The exam downloaded and unzipped these; the grader's data layer does it once, offline.
    train_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip")
    validation_dir = extracted(
        "https://storage.googleapis.com/download.tensorflow.org/data/validation-horse-or-human.zip")

    train_datagen = ImageDataGenerator(
        rescale=1 / 255,
        # YOUR CODE HERE: augmentation, if you want it
    )
    train_generator = train_datagen.flow_from_directory(
        train_dir, target_size=(300, 300), batch_size=32, class_mode='binary')

    model = tf.keras.models.Sequential([
        # Note the input shape specified on your first layer must be (300,300,3)
        # Your Code here
        # This is the last layer. You should not change this code.
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on train_generator.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
