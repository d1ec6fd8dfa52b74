# tfexam question: sunspots (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 5: a sequence model on real numeric data (sunspots)
#
# Build and train a neural network to predict the monthly mean total
# sunspot number, from the 30 months before it.
#
# The grader forecasts every month after SPLIT_TIME from the WINDOW_SIZE
# months before it, on the normalised scale of the frozen block below,
# and scores the mean absolute error (MAE): one point for each of
#     MAE <= 0.055, 0.05, 0.046, 0.043, 0.040
# (forecasting each month as the month before it scores 0.0405: full marks
# mean beating that naive forecast)
#
# Input the grader sends:   shape (batch, 30, 1), normalised values
#                           ((batch, None, 1) is accepted too)
# Output it expects:        shape (batch, 1), the next value; a sequence
#                           output (batch, 30, 1) is read at its last step
# Time budget:              240 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/timeseries
# ======================================================================
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
    # The exam downloaded this URL; the grader serves it from its data layer, offline.
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

    # YOUR CODE HERE: build a model whose input is (None, 30, 1) and whose
    # last layer is tf.keras.layers.Dense(1), train it on train_set, return it.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
