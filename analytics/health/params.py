"""The health page's parameters.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# ----------------------------------------------------------------------------- the page's parameters


@dataclass(frozen=True)
class HealthParams:
    """What the 健診受診 page lets a planner set (one object, the model's input): the letter costs
    of the trial's arms (yen per letter), the number of letters of the targeting and the arm it
    sends, and the power planner's baseline and lift (fractions)."""

    letter_cost_yen: Mapping[str, float] = field(default_factory=lambda: {"standard": 84.0, "nudge": 120.0})
    letters: int = 10_000
    targeting_arm: str = "nudge"
    baseline: float = 0.30
    lift: float = 0.03

    def __post_init__(self) -> None:
        if self.letters < 0:
            raise ValueError(f"letters must be ≥ 0, got {self.letters}")
        if not 0 < self.baseline < 1 or not 0 < self.baseline + self.lift <= 1 or self.lift == 0:
            raise ValueError(f"baseline and baseline + lift must be proportions and lift ≠ 0, got {self.baseline}, "
                             f"{self.lift}")
        object.__setattr__(self, "letter_cost_yen", dict(self.letter_cost_yen))
