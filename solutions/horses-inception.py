"""Reference solution, category 3 by transfer learning (the Dicoding simulation's A3): InceptionV3 frozen.

InceptionV3 with the course's ImageNet weights, cut at mixed7 as the course did, every layer frozen,
and a small classifier on top. Frozen, the base gives every image the same features in every epoch:
they are computed once (one pass over the 1027 images, the costly part on a CPU), the classifier is
trained on them, and the model returned is the base with that classifier on top, which the grader
scores on images.
"""
import tensorflow as tf
from tensorflow.keras.applications.inception_v3 import InceptionV3
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted, fetch


def solution_model():
    local_weights_file = fetch("https://storage.googleapis.com/mledu-datasets/"
                               "inception_v3_weights_tf_dim_ordering_tf_kernels_notop.h5")
    train_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip")

    pre_trained_model = InceptionV3(input_shape=(150, 150, 3), include_top=False, weights=None)
    pre_trained_model.load_weights(local_weights_file)
    for layer in pre_trained_model.layers:
        layer.trainable = False
    base = tf.keras.Model(pre_trained_model.input, pre_trained_model.get_layer('mixed7').output)

    images, labels = next(ImageDataGenerator(rescale=1 / 255).flow_from_directory(
        train_dir, target_size=(150, 150), batch_size=1027, class_mode='binary'))
    features = base.predict(images, batch_size=64, verbose=0)

    # Each pooled feature scaled to mean 0 and variance 1 over the training images: a few of the 768 vary
    # far more than the rest, and unscaled they swing what the classifier learns from seed to seed
    normalization = tf.keras.layers.Normalization()
    normalization.adapt(features.mean(axis=(1, 2)))
    classifier = tf.keras.models.Sequential([
        tf.keras.Input(shape=features.shape[1:]),
        tf.keras.layers.GlobalAveragePooling2D(),
        normalization,
        tf.keras.layers.Dense(256, activation='relu'),
        tf.keras.layers.Dropout(0.2),
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    classifier.compile(loss='binary_crossentropy', optimizer=tf.keras.optimizers.Adam(1e-3), metrics=['accuracy'])
    classifier.fit(features, labels, batch_size=32, epochs=20, verbose=0)
    return tf.keras.Model(base.input, classifier(base.output))


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
