"""Exponential moving average of a model's weights (what gets exported and evaluated).

    /usr/bin/python3 -m pytest -q models/tests/test_train.py

decay_t = min(decay, (1 + t) / (10 + t)) at update t, so the average is not dominated
by the random initial weights early in a run; with decay 0.999 it then averages over
roughly the last 1000 steps. Buffers are copied, not averaged.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass

import torch
from torch import nn


@dataclass(frozen=True)
class EmaConfig:
    decay: float = 0.999


class Ema:
    def __init__(self, model: nn.Module, config: EmaConfig = EmaConfig()) -> None:
        self.config = config
        self.model = copy.deepcopy(model).eval()
        for p in self.model.parameters():
            p.requires_grad_(False)

    def decay_at(self, step: int) -> float:
        return min(self.config.decay, (1.0 + step) / (10.0 + step))

    @torch.no_grad()
    def update(self, model: nn.Module, step: int) -> None:
        """Moves the average towards `model` (the same architecture); `step` counts from 0."""
        w = 1.0 - self.decay_at(step)
        for avg, p in zip(self.model.parameters(), model.parameters()):
            avg.lerp_(p.detach(), w)
        for avg, b in zip(self.model.buffers(), model.buffers()):
            avg.copy_(b)

    def state_dict(self) -> dict[str, torch.Tensor]:
        return self.model.state_dict()

    def load_state_dict(self, state: dict[str, torch.Tensor]) -> None:
        self.model.load_state_dict(state)
