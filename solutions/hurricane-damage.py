"""Reference solution, category 3, hurricane damage (the 2022 exam): a small CNN on 128x128 images.

The images are read once into arrays and halved by the first pooling, where a flip costs a quarter
as much (satellite images have no up or down, so both flips are fair).
"""
import numpy as np
import tensorflow as tf

from tfexam.data import extracted

EPOCHS = 12


def preprocess(image, label):
    image = image / 255.0
    return image, label


def solution_model():
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/certificate/"
                         "satellitehurricaneimages.zip")
    train_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "train"), image_size=(128, 128), batch_size=256)
    images, labels = (np.concatenate(part) for part in zip(*((x.numpy(), y.numpy())
                                                             for x, y in train_ds.map(preprocess))))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(128, 128, 3)),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.RandomFlip(),
        tf.keras.layers.Conv2D(16, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(64, activation='relu'),
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
    model.fit(images, labels, batch_size=16, epochs=EPOCHS, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
