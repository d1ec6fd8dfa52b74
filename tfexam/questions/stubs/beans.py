# tfexam question: beans (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (beans, the 2022 exam)
#
# Create and train a classifier to classify images between three
# categories of beans using the beans dataset of tensorflow-datasets:
# photographs of bean leaves, 2 disease classes (angular leaf spot, bean
# rust) and 1 healthy class. tfds gives each image as 500x500 with 3
# channels, and an integer label: 0 angular_leaf_spot, 1 bean_rust,
# 2 healthy (info.features['label'].names).
#
# 1. The input shape of your model must be (300, 300, 3): resize all the
#    images in the dataset to this size in preprocess.
# 2. The last layer must be a Dense layer of 3 neurons activated by
#    softmax, since the dataset has 3 classes.
#
# The grader scores accuracy on tfds' test split (128 leaves), resized to
# 300x300 and divided by 255 as preprocess does below (the largest of the
# three softmax outputs is the class): one point for each of
#     accuracy >= 0.50, 0.60, 0.67, 0.72, 0.75
# (the exam's hint: "approximately 0.75 or above on the normalized
# validation dataset for top marks"; the thresholds below it are tfexam's,
# not calibrated on the real leaves; guessing one class scores about 0.33)
#
# Input the grader sends:   shape (batch, 300, 300, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 3), softmax probabilities
#                           (angular_leaf_spot, bean_rust, healthy)
# Time budget:              420 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
import tensorflow_datasets as tfds

IMG_SIZE = 300


def preprocess(image, label):
    # The grader sends images resized and divided by 255 like this: keep it.
    image = tf.image.resize(image, (IMG_SIZE, IMG_SIZE)) / 255.0
    # YOUR CODE HERE, if you need more
    return image, label


def solution_model():
    # The grader prepares this dataset offline; elsewhere tfds downloads it.
    (ds_train, ds_validation), ds_info = tfds.load(
        name='beans', split=['train', 'validation'], as_supervised=True, with_info=True)

    BATCH_SIZE = 32
    ds_train = ds_train.map(preprocess).batch(BATCH_SIZE).prefetch(tf.data.AUTOTUNE)
    ds_validation = ds_validation.map(preprocess).batch(BATCH_SIZE)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(300, 300, 3)),
        # YOUR CODE HERE, BUT MAKE SURE YOUR LAST LAYER HAS 3 NEURONS ACTIVATED BY SOFTMAX
        tf.keras.layers.Dense(3, activation='softmax')
    ])
    # YOUR CODE HERE: compile and train the model on ds_train.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
