"""Reference solution, category 3 at 150x150 (the Dicoding simulation's A2): a small CNN.

The same network as the 300x300 reference after its first pooling: reading the images at 150x150
does that pooling's work. The images are decoded once, into one batch, and the weights are
averaged as training goes (use_ema; Keras swaps the average in at the end of each fit(), so one
fit() per epoch): validation accuracy on these 256 images swings by several points from epoch to
epoch, and the average steadies it (README, calibration).
"""
import tensorflow as tf
from tensorflow.keras.preprocessing.image import ImageDataGenerator

from tfexam.data import extracted


def solution_model():
    train_dir = extracted("https://storage.googleapis.com/download.tensorflow.org/data/horse-or-human.zip")

    train_datagen = ImageDataGenerator(rescale=1 / 255)
    # One batch of all 1027 images: decoded once instead of every epoch, several times faster on a CPU.
    images, labels = next(train_datagen.flow_from_directory(
        train_dir, target_size=(150, 150), batch_size=1027, class_mode='binary'))

    model = tf.keras.models.Sequential([
        tf.keras.Input(shape=(150, 150, 3)),
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
        tf.keras.layers.Dense(1, activation='sigmoid')
    ])
    optimizer = tf.keras.optimizers.Adam(1e-3, use_ema=True, ema_momentum=0.99)
    model.compile(loss='binary_crossentropy', optimizer=optimizer, metrics=['accuracy'])
    for _ in range(14):
        model.fit(images, labels, batch_size=32, epochs=1, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
