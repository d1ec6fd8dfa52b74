# tfexam question: household-power (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 5: a sequence model on real numeric data (household power)
#
# Build and train a neural network that forecasts a household's electric
# power consumption: from the readings of the past 24 minutes (7 features
# per minute), predict all 7 features for each of the next 24 minutes.
#
# The data is 60 days of one-minute readings (86400 rows), normalised by
# the frozen normalize_series() below. The first half trains the model;
# the grader forecasts every window of the second half (24 minutes in,
# the next 24 out, shifted by one minute each time) and scores the mean
# absolute error (MAE) over all of them, on the normalised scale: one
# point for each of
#     MAE <= 0.055, 0.052, 0.049, 0.047, 0.045
# (the exam asked for about 0.055 for top marks; repeating the last
# observed minute for all 24 future ones scores 0.0465: full marks mean
# beating that naive forecast)
#
# Input the grader sends:   shape (batch, 24, 7), normalised values
#                           ((batch, None, 7) is accepted too)
# Output it expects:        shape (batch, 24, 7): the next 24 minutes of
#                           all 7 features; the last layer is Dense(7)
# Time budget:              300 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/timeseries
# ======================================================================
import pandas as pd
import tensorflow as tf

from tfexam.data import extracted


# The question's normalisation: each column minus its minimum, divided by
# its maximum.
# DO NOT CHANGE THIS CODE
def normalize_series(data, min, max):
    data = data - min
    data = data / max
    return data


# Cuts the series into windows for training and validation: window k
# starts at row k * shift and holds n_past rows, the features, followed by
# the n_future rows after them, the targets: (batch, 24, 7) -> (batch, 24, 7).
# DO NOT CHANGE THIS CODE
def windowed_dataset(series, batch_size, n_past=24, n_future=24, shift=1):
    ds = tf.data.Dataset.from_tensor_slices(series)
    ds = ds.window(size=n_past + n_future, shift=shift, drop_remainder=True)
    ds = ds.flat_map(lambda w: w.batch(n_past + n_future))
    ds = ds.map(lambda w: (w[:n_past], w[n_past:]))
    return ds.batch(batch_size).prefetch(1)


def solution_model():
    # The exam downloaded and extracted this zip; the grader serves it from its
    # data layer, offline, as a folder holding household_power_consumption.csv.
    folder = extracted("https://storage.googleapis.com/download.tensorflow.org/data/certificate/household_power.zip")

    # Reads the dataset from the csv.
    df = pd.read_csv(folder / "household_power_consumption.csv", sep=",", index_col="datetime", header=0)

    # Number of features in the dataset. All of them are used as predictors
    # of all of them at the future time steps.
    N_FEATURES = len(df.columns)  # DO NOT CHANGE THIS

    # Normalizes the data
    # DO NOT CHANGE THIS CODE
    data = df.values
    data = normalize_series(data, data.min(axis=0), data.max(axis=0))

    # Splits the data into training and validation sets.
    SPLIT_TIME = int(len(data) * 0.5)  # DO NOT CHANGE THIS
    x_train = data[:SPLIT_TIME]
    x_valid = data[SPLIT_TIME:]

    # DO NOT CHANGE 'BATCH_SIZE' IF YOU ARE USING A STATEFUL LSTM/RNN/GRU:
    # the test will fail to grade it. Otherwise it is advised not to change it.
    BATCH_SIZE = 32  # ADVISED NOT TO CHANGE THIS

    # DO NOT CHANGE N_PAST, N_FUTURE, SHIFT. The tests will fail to run
    # on the server.
    # Number of past time steps from which the future ones are predicted.
    N_PAST = 24  # DO NOT CHANGE THIS
    # Number of future time steps to predict.
    N_FUTURE = 24  # DO NOT CHANGE THIS
    # By how many positions the window slides to make the next window.
    SHIFT = 1  # DO NOT CHANGE THIS

    # Code to create windowed train and validation datasets.
    train_set = windowed_dataset(series=x_train, batch_size=BATCH_SIZE, n_past=N_PAST, n_future=N_FUTURE,
                                 shift=SHIFT)
    valid_set = windowed_dataset(series=x_valid, batch_size=BATCH_SIZE, n_past=N_PAST, n_future=N_FUTURE,
                                 shift=SHIFT)

    # YOUR CODE HERE: build a model whose input is (None, N_PAST, N_FEATURES)
    # = (None, 24, 7) and whose output is (None, N_FUTURE, N_FEATURES)
    # = (None, 24, 7), with tf.keras.layers.Dense(N_FEATURES) as its last
    # layer; train it on train_set (valid_set may be its validation data),
    # return it. No Lambda layers: the grader refuses them, as the exam did.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
