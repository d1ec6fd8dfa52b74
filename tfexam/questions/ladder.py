"""A ladder of five thresholds on one metric: one point for each threshold a model meets."""
from dataclasses import dataclass


def measured(metric: str, value: float | None, missing: str = "-") -> str:
    """A metric's value as every output shows it, e.g. 'MAE 0.0412'; `missing` where it was not scored."""
    return f"{metric} {value:.4g}".strip() if value is not None else missing


@dataclass(frozen=True)
class Ladder:
    metric: str
    thresholds: tuple[float, ...]  # easiest first
    higher_is_better: bool

    @property
    def sign(self) -> str:
        return ">=" if self.higher_is_better else "<="

    def meets(self, value: float, threshold: float) -> bool:
        return value >= threshold if self.higher_is_better else value <= threshold

    def points(self, value: float) -> int:
        return sum(self.meets(value, t) for t in self.thresholds)

    def label(self, threshold: float) -> str:
        return f"{self.metric}{self.sign}{threshold:g}"

    def verdict(self, value: float, threshold: float) -> str:
        """e.g. 'MAE 0.051 <= 0.055: passed'."""
        if self.meets(value, threshold):
            return f"{self.metric} {value:.4g} {self.sign} {threshold:g}: passed"
        return f"{self.metric} {value:.4g} does not reach {self.sign} {threshold:g}"
