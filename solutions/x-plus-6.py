"""Reference solution, category 1: one Dense unit learns y = x + 6 exactly enough to extrapolate."""
import numpy as np
import tensorflow as tf


def solution_model():
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
    ys = np.array([5.0, 6.0, 7.0, 8.0, 9.0, 10.0], dtype=float)

    model = tf.keras.Sequential([tf.keras.Input(shape=(1,)), tf.keras.layers.Dense(1)])
    model.compile(optimizer=tf.keras.optimizers.Adam(learning_rate=0.1), loss="mean_squared_error")
    model.fit(xs, ys, epochs=300, verbose=0)
    return model


if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
