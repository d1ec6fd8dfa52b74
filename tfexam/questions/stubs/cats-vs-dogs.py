# tfexam question: cats-vs-dogs (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (cats vs dogs, the Dicoding
# simulation's C3)
#
# Build a CNN based classifier for the course's cats and dogs: 2,000
# training and 1,000 validation photographs from Kaggle's Dogs vs. Cats,
# in cats_and_dogs_filtered/train/ and cats_and_dogs_filtered/validation/,
# each with the folders cats/ and dogs/. This is unlabelled data: use
# ImageDataGenerator, which labels each image by its folder,
# alphabetically: cats = 0, dogs = 1. Don't use Lambda layers.
#
# The grader scores accuracy on the validation images, read at 150x150 and
# rescaled by 1/255 as below (an output above 0.5 is a dog): one point
# for each of
#     accuracy >= 0.60, 0.64, 0.68, 0.72, 0.76
# (Dicoding asked for accuracy and validation accuracy above 72%; the
# other thresholds are tfexam's, not calibrated on the real images)
#
# Input the grader sends:   shape (batch, 150, 150, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 1), the sigmoid probability of
#                           a dog
# Time budget:              360 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted


def solution_model():
    # Dicoding's file downloaded cats_and_dogs.zip and unzipped it into data/; the grader's data
    # layer does it once, offline. The folder holds cats_and_dogs_filtered/.
    data_dir = extracted("https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip")
    BASE_DIR = data_dir / "cats_and_dogs_filtered"

    train_datagen = ImageDataGenerator(
        rescale=1 / 255,
        # YOUR CODE HERE: augmentation, if you want it
    )
    # YOUR IMAGE SIZE SHOULD BE 150x150. Make sure you use "binary".
    train_generator = train_datagen.flow_from_directory(
        str(BASE_DIR / "train"), target_size=(150, 150), batch_size=32, class_mode='binary')

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(150, 150, 3)),
        # YOUR CODE HERE, BUT END WITH A Neuron Dense, activated by sigmoid
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on train_generator.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
