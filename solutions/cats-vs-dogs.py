"""Reference solution, category 3, cats vs dogs (the Dicoding simulation's C3): a small CNN at 150x150.

The horses-or-humans-150 network with a random flip and zoom after its first pooling (2,000
photographs of every kind of cat and dog overfit without them), the images decoded once into
one batch.
"""
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted

EPOCHS = 15


def solution_model():
    data_dir = extracted("https://storage.googleapis.com/mledu-datasets/cats_and_dogs_filtered.zip")
    train_dir = data_dir / "cats_and_dogs_filtered" / "train"

    train_datagen = ImageDataGenerator(rescale=1 / 255)
    generator = train_datagen.flow_from_directory(str(train_dir), target_size=(150, 150), batch_size=32,
                                                  class_mode='binary')
    images, labels = next(train_datagen.flow_from_directory(
        str(train_dir), target_size=(150, 150), batch_size=generator.samples, class_mode='binary'))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(150, 150, 3)),
        tf.keras.layers.Conv2D(16, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.RandomFlip('horizontal'),
        tf.keras.layers.RandomZoom(0.1),
        tf.keras.layers.Conv2D(32, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(64, 3, activation='relu'),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dropout(0.5),
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
