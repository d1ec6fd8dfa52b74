"""Grading a trained model: load it safely, check its shapes, score it on a ladder."""
