"""tfexam: the TensorFlow Developer Certificate exam as an offline pytest suite."""
