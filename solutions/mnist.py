"""Reference solution, category 2 (MNIST): a small CNN behind the exam's (28, 28) input.

The question fixes the input at (28, 28); a Reshape adds the channel the convolutions need.
It loads the digits with tensorflow-datasets; the exam's tf.keras.datasets.mnist works the same.
"""
import tensorflow as tf
import tensorflow_datasets as tfds

EPOCHS = 3


def to_model_input(image, label):
    return tf.reshape(tf.cast(image, tf.float32) / 255.0, (28, 28)), label


def solution_model():
    ds_train = tfds.load("mnist", split="train", as_supervised=True)
    ds_train = ds_train.map(to_model_input).cache().shuffle(10000).batch(128).prefetch(2)

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(28, 28)),
        tf.keras.layers.Reshape((28, 28, 1)),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(128, activation='relu'),
        tf.keras.layers.Dense(10, activation=tf.nn.softmax)
    ])
    model.compile(optimizer='adam', loss='sparse_categorical_crossentropy', metrics=['accuracy'])
    model.fit(ds_train, epochs=EPOCHS, verbose=0)
    return model


if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
