"""Reference solution, category 5 (daily-min-temperatures, the Dicoding simulation's C5): a small
dense network on each 64-day window, trained on the MAE.

On this noisy daily series an LSTM does about as well in ten times the training time; a dense
network with an L2 penalty forecasts the next day's minimum better than the day before does (the
naive forecast).
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
    path = fetch("https://raw.githubusercontent.com/jbrownlee/Datasets/master/daily-min-temperatures.csv")

    # DO NOT CHANGE THIS CODE
    time_step = []
    temps = []
    with open(path) as csvfile:
        reader = csv.reader(csvfile, delimiter=",")
        next(reader)
        step = 0
        for row in reader:
            temps.append(float(row[1]))
            time_step.append(step)
            step = step + 1

    series = np.array(temps, dtype="float32")

    # Normalization Function. DO NOT CHANGE THIS CODE
    min = np.min(series)
    max = np.max(series)
    series -= min
    series /= max
    time = np.array(time_step)

    # DO NOT CHANGE THIS CODE
    split_time = 2500
    time_train = time[:split_time]
    x_train = series[:split_time]
    time_valid = time[split_time:]
    x_valid = series[split_time:]

    # DO NOT CHANGE THIS CODE
    window_size = 64
    batch_size = 256
    shuffle_buffer_size = 1000

    train_set = windowed_dataset(x_train, window_size=window_size, batch_size=batch_size,
                                 shuffle_buffer=shuffle_buffer_size)

    # An L2 penalty keeps the hidden layer from fitting the noise of 2436 windows (without it the
    # network does worse than a linear model); MAE as the loss optimises what is scored.
    penalty = tf.keras.regularizers.l2(1e-3)
    model = tf.keras.Sequential([
        tf.keras.Input(shape=(window_size, 1)),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(32, activation="relu", kernel_regularizer=penalty),
        tf.keras.layers.Dense(1, kernel_regularizer=penalty),
    ])
    epochs = 100
    batches_per_epoch = -(-(split_time - window_size) // batch_size)
    learning_rate = tf.keras.optimizers.schedules.CosineDecay(2e-3, decay_steps=epochs * batches_per_epoch)
    model.compile(loss="mae", optimizer=tf.keras.optimizers.Adam(learning_rate), metrics=["mae"])
    model.fit(train_set.cache(), epochs=epochs, verbose=0)
    return model


if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
