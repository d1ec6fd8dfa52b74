"""Reference solution, category 3 "type A": horses or humans through tensorflow-datasets.

The network and training of the ImageDataGenerator reference (solutions/horses-or-humans.py), fed
from tfds: the 1027 training images are decoded once into one array, the first layer pools
300x300 down to 150x150, and the weights are averaged as training goes (use_ema, one fit() per
epoch). The last layer is the starter's two softmax neurons, trained on tfds' integer labels.
"""
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds


def preprocess(data):
    x = tf.cast(data['image'], tf.float32) / 255.0
    y = data['label']
    return x, y


def solution_model():
    dataset = tfds.load(name="horses_or_humans", split=tfds.Split.TRAIN)
    # Every image in one batch: decoded once instead of every epoch.
    images, labels = next(iter(dataset.map(preprocess).batch(2000)))
    images, labels = np.asarray(images), np.asarray(labels)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(300, 300, 3)),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(16, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.5),
        tf.keras.layers.Dense(64, activation='relu'),
        tf.keras.layers.Dense(2, activation='softmax')
    ])
    optimizer = tf.keras.optimizers.Adam(1e-3, use_ema=True, ema_momentum=0.99)
    model.compile(loss='sparse_categorical_crossentropy', optimizer=optimizer, metrics=['accuracy'])
    for _ in range(12):
        model.fit(images, labels, batch_size=32, epochs=1, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
