# tfexam question: german-traffic-signs (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 2: a model on a learning dataset (German traffic signs, the
# 2022 exam's "BASIC DATASETS QUESTION")
#
# Build and train a classifier for the German Traffic Sign Recognition
# Benchmark: colour photographs of 43 kinds of sign, in the folders
# train/<class>/ and validation/<class>/ of germantrafficsigns.zip, one
# folder per class, named 0 to 42. image_dataset_from_directory takes each
# image's label from its folder, numbering the names in sorted order as
# strings: 0, 1, 10, 11, ..., 19, 2, 20, ...
#
# 1. The input shape of your model must be (30, 30, 3): resize the images
#    to that size (image_size=(30, 30) below does it).
# 2. The last layer must be a Dense layer of 43 neurons activated by
#    softmax, since the dataset has 43 classes.
#
# The grader scores accuracy on the validation images, read at 30x30 and
# divided by 255 as preprocess does below: one point for each of
#     accuracy >= 0.70, 0.80, 0.87, 0.92, 0.95
# (the exam's hint: "approximately 0.95 or above on the normalized
# validation dataset for top marks"; the thresholds below it are tfexam's,
# not calibrated on the real images)
#
# Input the grader sends:   shape (batch, 30, 30, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 43), softmax probabilities
# Time budget:              300 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/fashion
# ======================================================================
import tensorflow as tf

from tfexam.data import extracted


def preprocess(image, label):
    # The grader sends pixels divided by 255 like this: keep it.
    image = image / 255.0
    return image, label


def solution_model():
    # The exam downloaded germantrafficsigns.zip and unzipped it beside the file; the grader's data
    # layer does it once, offline. The folder holds train/ and validation/.
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/certificate/"
                         "germantrafficsigns.zip")

    train_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "train"), label_mode='categorical', image_size=(30, 30), batch_size=32)
    val_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "validation"), label_mode='categorical', image_size=(30, 30), batch_size=32)
    train_ds = train_ds.map(preprocess).prefetch(tf.data.AUTOTUNE)
    val_ds = val_ds.map(preprocess)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(30, 30, 3)),
        # YOUR CODE HERE
        tf.keras.layers.Dense(43, activation='softmax')
    ])
    # YOUR CODE HERE: compile and train the model on train_ds.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
