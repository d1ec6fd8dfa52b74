# tfexam question: horses-inception (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 3: a CNN on real images (horses or humans at 150x150 by
# transfer learning; the Dicoding simulation, problem A3)
#
# Build a classifier for the horses-or-humans dataset with transfer
# learning: InceptionV3, with the ImageNet weights the course published
# (inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5), and your
# own layers on top. All the layers of the pre-trained model must be
# non-trainable. Do not use Lambda layers. The training set has 500 horses
# and 527 humans, read at 150x150; flow_from_directory labels each image
# by its folder, in alphabetical order: horses = 0, humans = 1. The
# simulation asked for an accuracy and a validation accuracy above 93%.
#
# The grader scores accuracy on the 256 validation images, read at
# 150x150 and rescaled by 1/255 as below (a sigmoid output > 0.5 means
# human): one point for each of
#     accuracy >= 0.80, 0.85, 0.89, 0.91, 0.93
# (always guessing one class scores 0.50)
#
# Input the grader sends:   shape (batch, 150, 150, 3), pixels in [0, 1]
# Output it expects:        shape (batch, 1), a sigmoid probability
# Time budget:              420 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/images
# ======================================================================
import tensorflow as tf
from tensorflow.keras.applications.inception_v3 import InceptionV3
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted, fetch


def solution_model():
    # The simulation downloaded these; the grader's data layer does it once, offline.
    local_weights_file = fetch("https://storage.googleapis.com/mledu-datasets/"
                               "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5")
    train_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip")

    pre_trained_model = InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)
    pre_trained_model.load_weights(local_weights_file)
    for layer in pre_trained_model.layers:
        layer.trainable = False
    last_output = pre_trained_model.get_layer('mixed7').output

    train_datagen = ImageDataGenerator(
        rescale=1 / 255,
        # YOUR CODE HERE: augmentation, if you want it
    )
    train_generator = train_datagen.flow_from_directory(
        train_dir, target_size=(150, 150), batch_size=32, class_mode='binary')

    x = tf.keras.layers.Flatten()(last_output)
    # YOUR CODE HERE, ending with the single sigmoid neuron below
    x = tf.keras.layers.Dense(1, activation='sigmoid')(x)
    model = tf.keras.Model(pre_trained_model.input, x)
    # YOUR CODE HERE: compile and train the model on train_generator.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
