"""Parameter and FLOP counting, and the arena budget.

    /usr/bin/python3 -m pytest -q models/tests/test_flops.py
"""
import torch
from torch import nn

from models.config import get_preset
from models.flops import count_flops, count_params, measure


class Toy(nn.Module):
    def __init__(self) -> None:
        super().__init__()
        self.conv = nn.Conv2d(3, 8, 3, padding=1)
        self.down = nn.Conv2d(8, 8, 3, stride=2, padding=1)
        self.fc = nn.Linear(10, 4)

    def forward(self, x: torch.Tensor, v: torch.Tensor) -> torch.Tensor:
        return self.down(self.conv(x)).mean() + self.fc(v).mean()


def test_counts_conv_and_linear_by_hand() -> None:
    totals = count_flops(Toy(), {"x": torch.zeros(1, 3, 16, 16), "v": torch.zeros(1, 10)})
    conv = 2 * (16 * 16 * 8) * 3 * 9 + 2 * (8 * 8 * 8) * 8 * 9
    assert totals == {"conv": conv, "linear": 2 * 4 * 10, "attention": 0}
    assert count_params(Toy()) == (3 * 8 * 9 + 8) + (8 * 8 * 9 + 8) + (10 * 4 + 4)


def test_flops_scale_with_batch() -> None:
    one = count_flops(Toy(), {"x": torch.zeros(1, 3, 16, 16), "v": torch.zeros(1, 10)})
    three = count_flops(Toy(), {"x": torch.zeros(3, 3, 16, 16), "v": torch.zeros(3, 10)})
    assert all(three[k] == 3 * one[k] for k in one)


def test_tiny_is_tiny() -> None:
    cost = measure(get_preset("tiny"))
    assert 10_000 < cost.params < 100_000
    assert cost.flops_by_kind["conv"] > 0.9 * cost.flops_per_step


def test_arena_budget() -> None:
    # real time on 2 CPU cores in WASM: 3 steps in ~35 ms measured at 0.133 GFLOPs per step;
    # more FLOPs need a new measurement (models/README.md), not just a new number here
    cost = measure(get_preset("arena"))
    assert 1_500_000 <= cost.params <= 3_000_000
    assert cost.flops_per_step <= 0.14e9
