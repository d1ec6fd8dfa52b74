# tfexam question: x-plus-1 (DO NOT CHANGE this line: the grader reads it)
# ======================================================================
# Category 1: a basic model (y = x + 1; the exam, 2020-2021)
#
# Given the data below, train a neural network to match the xs to the ys
# so that a predictor for a new value of X gives a float value very close
# to the desired answer, i.e. print(model.predict(np.array([10.0])))
# should give a satisfactory result.
#
# The grader predicts y for x values the model has never seen and scores
# the mean absolute error (MAE): one point for each of
#     MAE <= 1.0, 0.5, 0.2, 0.1, 0.05
#
# Input the grader sends:   shape (batch, 1), one float x per row
# Output it expects:        shape (batch, 1), one float y per row
# Time budget:              60 seconds of wall-clock time on a 2-core CPU,
#                           from the start of the training process
#
# Grade it with:            pytest assessments/basic
# ======================================================================
import numpy as np
import tensorflow as tf


def solution_model():
    # DO NOT CHANGE THIS CODE
    xs = np.array([-1.0, 0.0, 1.0, 2.0, 3.0, 4.0], dtype=float)
    ys = np.array([0.0, 1.0, 2.0, 3.0, 4.0, 5.0], dtype=float)

    # YOUR CODE HERE: build and train a model, then return it.
    raise NotImplementedError("solution_model() is not implemented yet")


# The code below is how you would save your model yourself (for example in
# Colab, to grade it with --model). The grader does not run it.
if __name__ == "__main__":
    model = solution_model()
    model.save("mymodel.keras")
