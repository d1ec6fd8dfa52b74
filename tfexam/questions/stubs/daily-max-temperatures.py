# tfexam question: daily-max-temperatures (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 5: a sequence model on real numeric data (daily maximum
# temperatures; the Dicoding simulation, problem B5)
#
# Build and train a neural network to predict the daily maximum
# temperature (3650 days, 1981-1990) from the 64 days before it. The
# data is normalised by the frozen block below; do not change it (it
# divides by the maximum taken before subtracting the minimum, so the
# values span 0 to 0.84, not 0 to 1).
#
# The grader forecasts every day after SPLIT_TIME from the WINDOW_SIZE
# days before it, on the normalised scale of the frozen block below,
# and scores the mean absolute error (MAE): one point for each of
#     MAE <= 0.095, 0.085, 0.080, 0.075, 0.069
# (forecasting each day as the day before scores 0.0704: full marks
# mean beating that naive forecast; the simulation's "MAE < 0.2" is met
# by forecasting the same temperature every day)
#
# Input the grader sends:   shape (batch, 64, 1), normalised values
#                           ((batch, None, 1) is accepted too)
# Output it expects:        shape (batch, 1), the next value; a sequence
#                           output (batch, 64, 1) is read at its last step
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
    # The simulation downloaded this URL; the grader serves it from its data layer, offline.
    path = fetch("https://raw.githubusercontent.com/jbrownlee/Datasets/master/daily-max-temperatures.csv")

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

    # YOUR CODE HERE: build a model whose input is (None, 64, 1) and whose
    # last layer is tf.keras.layers.Dense(1), train it on train_set, return it.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
