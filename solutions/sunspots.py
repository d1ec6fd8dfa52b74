"""Reference solution, category 5: a small dense network on each 30-month window.

On this split a dense network beats the recurrent models learners often reach for, in a
fraction of their training time; Huber loss keeps the rare solar-maximum spikes from
dominating the fit.
"""
import csv

import numpy as np
import tensorflow as tf

from tfexam.data import fetch


# DO NOT CHANGE THIS CODE
def windowed_dataset(series, window_size, batch_size, shuffle_buffer):
    series = tf.expand_dims(series, axis=-1)
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(window_size + 1, shift=1, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(window_size + 1))
    ds = ds.shuffle(shuffle_buffer)
    ds = ds.map(lambda w: (w[:-1], w[-1]))
    return ds.batch(batch_size).prefetch(1)


def solution_model():
    path = fetch("https://storage.googleapis.com/download.tensorflow.org/data/Sunspots.csv")

    # DO NOT CHANGE THIS CODE
    time_step = []
    sunspots = []
    with open(path) as csvfile:
        reader = csv.reader(csvfile, delimiter=",")
        next(reader)
        for row in reader:
            sunspots.append(float(row[2]))
            time_step.append(int(row[0]))

    series = np.array(sunspots, dtype="float32")

    # DO NOT CHANGE THIS CODE
    # This is the normalization function
    min = np.min(series)
    max = np.max(series)
    series -= min
    series /= max
    time = np.array(time_step)

    # DO NOT CHANGE THIS CODE
    split_time = 3000
    time_train = time[:split_time]
    x_train = series[:split_time]
    time_valid = time[split_time:]
    x_valid = series[split_time:]

    # DO NOT CHANGE THIS CODE
    window_size = 30
    batch_size = 32
    shuffle_buffer_size = 1000

    train_set = windowed_dataset(x_train, window_size=window_size, batch_size=batch_size,
                                 shuffle_buffer=shuffle_buffer_size)

    model = tf.keras.Sequential([
        tf.keras.Input(shape=(window_size, 1)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(32, activation="relu"),
        tf.keras.layers.Dense(16, activation="relu"),
        tf.keras.layers.Dense(1),
    ])
    epochs = 80
    batches_per_epoch = -(-(split_time - window_size) // batch_size)
    learning_rate = tf.keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=epochs * batches_per_epoch)
    model.compile(loss=tf.keras.losses.Huber(), optimizer=tf.keras.optimizers.Adam(learning_rate),
                  metrics=["mae"])
    model.fit(train_set.cache(), epochs=epochs, verbose=0)
    return model


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
