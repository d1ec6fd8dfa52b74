"""Reference solution, category 3, beans (the 2022 exam): a small CNN on the leaves at 300x300.

The images are resized once into arrays (decoding 500x500 JPEGs every epoch costs more than the
training), and halved again by the first pooling, where a flip costs a quarter as much (a leaf
has no up or down).
"""
import numpy as np
import tensorflow as tf
import tensorflow_datasets as tfds

IMG_SIZE = 300
EPOCHS = 12


def preprocess(image, label):
    image = tf.image.resize(image, (IMG_SIZE, IMG_SIZE)) / 255.0
    return image, label


def solution_model():
    ds_train = tfds.load(name='beans', split='train', as_supervised=True)
    images, labels = (np.concatenate(part) for part in zip(*((x.numpy(), y.numpy())
                                                             for x, y in ds_train.map(preprocess).batch(64))))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(300, 300, 3)),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.RandomFlip(),
        tf.keras.layers.Conv2D(16, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.GlobalAveragePooling2D(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(3, activation='softmax')
    ])
    model.compile(loss='sparse_categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    model.fit(images, labels, batch_size=16, epochs=EPOCHS, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
