"""Reference solution, category 3, rock paper scissors: a small CNN with augmentation inside it.

The test set holds other hands than the training set: without augmentation such a network
reaches about 0.88 on it, with a random flip, rotation and zoom (after the first pooling, where
they cost a quarter as much) about 0.95. The learning rate decays to zero along a cosine over
the whole training, which leaves the last epoch's weights steady. (Averaging the weights with
use_ema, as the horses references do, needs hundreds of updates; the small copy of this
dataset the harness's tests train on gives a few dozen.)
"""
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted

EPOCHS = 12
BATCH_SIZE = 32


def solution_model():
    data_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/rps.zip")
    TRAINING_DIR = str(data_dir / "rps")

    training_datagen = ImageDataGenerator(rescale=1 / 255)
    # All 2520 images in one batch: decoded once instead of every epoch.
    images, labels = next(training_datagen.flow_from_directory(
        TRAINING_DIR, target_size=(150, 150), batch_size=2520, class_mode='categorical'))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(150, 150, 3)),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.RandomFlip('horizontal'),
        tf.keras.layers.RandomRotation(0.1),
        tf.keras.layers.RandomZoom(0.15),
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
        tf.keras.layers.Dense(3, activation='softmax')
    ])
    steps = EPOCHS * -(-len(images) // BATCH_SIZE)
    learning_rate = tf.keras.optimizers.schedules.CosineDecay(1e-3, decay_steps=steps)
    model.compile(loss='categorical_crossentropy', optimizer=tf.keras.optimizers.Adam(learning_rate),
                  metrics=['accuracy'])
    model.fit(images, labels, batch_size=BATCH_SIZE, epochs=EPOCHS, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
