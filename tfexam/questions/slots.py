"""The exam's five categories, each a slot one question of the pool fills."""
from tfexam.questions.base import Slot

BASIC = Slot(1, "basic", "a basic model")
LEARNING_DATASET = Slot(2, "fashion", "a model on a learning dataset")
IMAGES = Slot(3, "images", "a CNN on real images")
NLP = Slot(4, "nlp", "NLP text classification")
SEQUENCES = Slot(5, "timeseries", "a sequence model on real numeric data")

SLOTS = {slot.folder: slot for slot in (BASIC, LEARNING_DATASET, IMAGES, NLP, SEQUENCES)}
