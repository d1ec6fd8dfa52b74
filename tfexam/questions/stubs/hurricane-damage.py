# tfexam question: hurricane-damage (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (hurricane damage, the 2022 exam)
#
# Build and train a classifier for satellite images of Texas after
# Hurricane Harvey, in two classes: buildings with damage and without.
# satellitehurricaneimages.zip holds train/ and validation/, each with the
# folders damage/ and no_damage/; image_dataset_from_directory takes each
# image's label from its folder, alphabetically: damage = 0, no_damage = 1.
#
# 1. The input shape of your model must be (128, 128, 3): resize the
#    images to that size (image_size=(128, 128) below does it).
# 2. The last layer must be a Dense layer of 1 neuron activated by
#    sigmoid, since the dataset has 2 classes.
#
# The grader scores accuracy on the validation images, read at 128x128 and
# divided by 255 as preprocess does below (an output above 0.5 is
# no_damage): one point for each of
#     accuracy >= 0.75, 0.83, 0.88, 0.92, 0.95
# (the exam's hint: "approximately 0.95 or above on the normalized
# validation dataset for top marks"; the thresholds below it are tfexam's,
# not calibrated on the real images)
#
# Input the grader sends:   shape (batch, 128, 128, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 1), the sigmoid probability of
#                           no_damage
# Time budget:              420 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf

from tfexam.data import extracted


def preprocess(image, label):
    # The grader sends pixels divided by 255 like this: keep it.
    image = image / 255.0
    return image, label


def solution_model():
    # The exam downloaded satellitehurricaneimages.zip and unzipped it beside the file; the grader's
    # data layer does it once, offline. The folder holds train/ and validation/.
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/certificate/"
                         "satellitehurricaneimages.zip")

    IMG_SIZE = (128, 128)
    BATCH_SIZE = 64
    train_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "train"), image_size=IMG_SIZE, batch_size=BATCH_SIZE)
    val_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "validation"), image_size=IMG_SIZE, batch_size=BATCH_SIZE)
    train_ds = train_ds.map(preprocess).prefetch(tf.data.AUTOTUNE)
    val_ds = val_ds.map(preprocess)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(128, 128, 3)),
        # YOUR CODE HERE
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    # YOUR CODE HERE: compile and train the model on train_ds.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
