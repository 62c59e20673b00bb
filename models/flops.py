"""Parameter count and FLOPs per denoising step (one ONNX run at batch 1).

    /usr/bin/python3 -m models.flops --preset arena
    /usr/bin/python3 -m models.flops --all

FLOPs = 2 x multiply-adds of Conv2d, Linear and attention matmuls, counted by forward
hooks on one real forward pass, so the count follows the code rather than a formula
that could drift from it. Norms and pointwise ops are left out (a few % here).
"""
from __future__ import annotations

import argparse
from dataclasses import dataclass

import torch
from torch import nn

from models.blocks import SelfAttention
from models.config import PRESETS, ModelConfig, get_preset
from models.denoiser import Denoiser


@dataclass(frozen=True)
class Cost:
    params: int
    flops_per_step: int  # batch 1
    flops_by_kind: dict[str, int]


def count_params(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def example_inputs(config: ModelConfig, batch: int = 1) -> dict[str, torch.Tensor]:
    """Zero tensors (sigma = 1) shaped like the model's inputs; enough for counting and tracing."""
    inputs = {name: torch.zeros([batch, *shape[1:]]) for name, shape in config.input_shapes().items()}
    inputs["sigma"] = torch.ones(batch)
    return inputs


@torch.no_grad()
def count_flops(model: nn.Module, inputs: dict[str, torch.Tensor]) -> dict[str, int]:
    """FLOPs by layer kind for one model(**inputs) pass (divide by the batch if > 1)."""
    totals = {"conv": 0, "linear": 0, "attention": 0}

    def conv_hook(m: nn.Conv2d, _inp, out: torch.Tensor) -> None:
        kh, kw = m.kernel_size
        totals["conv"] += 2 * out.numel() * (m.in_channels // m.groups) * kh * kw

    def linear_hook(m: nn.Linear, _inp, out: torch.Tensor) -> None:
        totals["linear"] += 2 * out.numel() * m.in_features

    def attention_hook(m: SelfAttention, inp: tuple, _out) -> None:
        b, c, h, w = inp[0].shape
        totals["attention"] += 2 * 2 * b * c * (h * w) ** 2  # q^T k and v attn^T

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Conv2d):
            hooks.append(m.register_forward_hook(conv_hook))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear_hook))
        elif isinstance(m, SelfAttention):
            hooks.append(m.register_forward_hook(attention_hook))
    try:
        model(**inputs)
    finally:
        for h in hooks:
            h.remove()
    return totals


def measure(config: ModelConfig) -> Cost:
    model = Denoiser(config).eval()
    kinds = count_flops(model, example_inputs(config, batch=1))
    return Cost(params=count_params(model), flops_per_step=sum(kinds.values()), flops_by_kind=kinds)


def describe(config: ModelConfig) -> str:
    cost = measure(config)
    s = config.sampler.steps
    return (
        f"{config.name}: {config.width}x{config.height}, K={config.context_frames}, "
        f"channels={list(config.channels)}, res_blocks={config.res_blocks}, "
        f"streams={config.stream_names or 'none'}\n"
        f"  params          {cost.params:,}\n"
        f"  FLOPs per step  {cost.flops_per_step / 1e9:.4f} G  ({cost.flops_per_step:,}; "
        + ", ".join(f"{k} {v / 1e9:.4f} G" for k, v in cost.flops_by_kind.items())
        + f")\n  FLOPs per frame {s * cost.flops_per_step / 1e9:.4f} G  ({s} {config.sampler.method} steps)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Print parameters and FLOPs per denoising step.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="arena")
    parser.add_argument("--all", action="store_true", help="every preset")
    args = parser.parse_args()
    names = sorted(PRESETS) if args.all else [args.preset]
    print("\n".join(describe(get_preset(n)) for n in names))


if __name__ == "__main__":
    main()
