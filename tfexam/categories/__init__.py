"""The exam's categories, by the folder name a learner types: pytest assessments/<name>."""
from tfexam.categories import basic, fashion, images, nlp, timeseries
from tfexam.categories.base import Category

CATEGORIES: dict[str, Category] = {c.name: c for c in (basic.CATEGORY, fashion.CATEGORY, images.CATEGORY, nlp.CATEGORY,
                                                      timeseries.CATEGORY)}
EXAM_CATEGORY_COUNT = 5
