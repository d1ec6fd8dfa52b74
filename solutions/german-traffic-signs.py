"""Reference solution, category 2, German traffic signs (the 2022 exam): a small CNN on 30x30 images.

The images are read once into arrays (decoding them every epoch costs more than the training at
this size). Signs are not mirror images of each other's classes' meanings (a left turn flipped is
a right turn), so the only augmentation is a small shift.
"""
import numpy as np
import tensorflow as tf

from tfexam.data import extracted

EPOCHS = 25


def preprocess(image, label):
    image = image / 255.0
    return image, label


def solution_model():
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/certificate/"
                         "germantrafficsigns.zip")
    train_ds = tf.keras.preprocessing.image_dataset_from_directory(
        directory=str(data_dir / "train"), label_mode='categorical', image_size=(30, 30), batch_size=256)
    images, labels = (np.concatenate(part) for part in zip(*((x.numpy(), y.numpy())
                                                             for x, y in train_ds.map(preprocess))))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(30, 30, 3)),
        tf.keras.layers.RandomTranslation(0.1, 0.1),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.3),
        tf.keras.layers.Dense(128, activation='relu'),
        tf.keras.layers.Dense(43, activation='softmax')
    ])
    model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
    model.fit(images, labels, batch_size=32, epochs=EPOCHS, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
