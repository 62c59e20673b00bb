"""The display upsampler: the model's H×W frame -> an sH×sW display frame, with the memory's help.

    /usr/bin/python3 -m models.upsampler                  # params and FLOPs of the default
    /usr/bin/python3 -m models.upsampler --preset tiny    # ... of the test fixture's size

Inputs (batch 1, NCHW float32, the ONNX contract the TypeScript runtime feeds):

| name | shape | meaning |
|---|---|---|
| `base` | (1, 3, sH, sW) | Catmull-Rom upsample of `frame` (models/bicubic.py), [-1, 1] |
| `memory` | (1, 4, sH, sW) | display-resolution memory render: RGB in [-1, 1] (0 where uncovered), then per `memory_channel` coverage {0, 1} or confidence [0, 1] (the covering keyframe's: 1 real, less painted; 0 uncovered) |
| `frame` | (1, 3, H, W) | the world model's frame, [-1, 1] |
| `depth` | (1, 1, H, W) | proxy depth, clamp(d / far, 0, 1)·2 - 1 |

Output `display` (1, 3, sH, sW) = clamp(base + residual + g·(memory RGB - base), -1, 1),
or with `memory_over_residual` clamp((1 - g)·(base + residual) + g·memory RGB, -1, 1), where
g = gate·memory channel 3: the gate where covered, scaled down by confidence for painted memory.
With `residual_mean_free` the residual is zero-mean over every s×s block of each colour: detail,
never a colour change at model resolution (a projection of the head's weights, folded into the
exported Conv by `Upsampler.folded`: no new ops).

The net works at model resolution: a stride-`scale` `scale`×`scale` conv reads base and
memory (the same as pixel-unshuffling them and a 1×1 conv, without the 6-D transposes
on display-size tensors), a 1×1 conv reads frame and depth, their sum goes through ReLU
and `layers` 3×3 convs, and 1×1 heads give per display pixel a residual (3·s² channels)
and a memory gate (s² channels, clamped to [0, 1]), pixel-shuffled with Reshape/Transpose.
The gate lets the net copy the remembered real frame where it trusts it (detail the
channels could not carry), and the residual sharpens the rest. Heads start at zero, so an
untrained net returns exactly the bicubic base. Ops in the graph: Conv, Relu, Add,
Mul, Concat, Reshape, Transpose, Clip.
"""
from __future__ import annotations

import argparse
import dataclasses
from dataclasses import dataclass
from typing import Any

import torch
import torch.nn.functional as F
from torch import nn

# What channel 3 of `memory` holds; both are 0 exactly where memory is uncovered.
MEMORY_CHANNELS = ("coverage", "confidence")


@dataclass(frozen=True)
class UpsamplerConfig:
    name: str = "upsampler"
    scale: int = 4  # display pixels per model pixel, per side
    width: int = 64  # model frame; the display is width·scale × height·scale
    height: int = 64
    channels: int = 16  # feature width at model resolution (cost ~ channels² · layers)
    layers: int = 2  # 3×3 convs between the stem and the heads
    memory_gate: bool = True  # the learned per-pixel blend towards the memory render
    # The residual sums to zero over each s×s block (per colour): it adds detail inside a model
    # pixel but cannot shift its colour. A free residual learned each training scene's colour
    # corrections of its world model: on three scenes' rollouts it rose on the two it trained on
    # and fell 1.5 dB under bicubic on worlds it never saw (public/models/upsampler/README.md).
    residual_mean_free: bool = False
    # Where the gate copies memory it copies memory alone: (1 - g)·(base + residual) + g·memory.
    # Otherwise the residual's sharpening lands on top of an already sharp remembered frame: trained
    # for detail, that cost 1.4 dB against the warp on the dusk street at tick 16.
    memory_over_residual: bool = False
    # What memory channel 3 holds (MEMORY_CHANNELS): "confidence" lets the net tell a remembered
    # real frame (1) from a painted one (< 1). The weights are the same shape for both, so it is
    # recorded to keep a net from being fed the kind it was not trained on. Old configs: coverage.
    memory_channel: str = "coverage"

    def __post_init__(self) -> None:
        if self.memory_channel not in MEMORY_CHANNELS:
            raise ValueError(f"UpsamplerConfig: memory_channel must be one of {MEMORY_CHANNELS}, "
                             f"found {self.memory_channel!r}")

    @property
    def display_size(self) -> tuple[int, int]:
        return self.width * self.scale, self.height * self.scale

    def input_shapes(self) -> dict[str, list[int]]:
        s, h, w = self.scale, self.height, self.width
        return {"base": [1, 3, s * h, s * w], "memory": [1, 4, s * h, s * w],
                "frame": [1, 3, h, w], "depth": [1, 1, h, w]}

    def output_shapes(self) -> dict[str, list[int]]:
        return {"display": [1, 3, self.scale * self.height, self.scale * self.width]}

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @staticmethod
    def from_dict(d: dict[str, Any]) -> "UpsamplerConfig":
        return UpsamplerConfig(**d)


PRESETS = {
    "default": UpsamplerConfig(),
    # the TypeScript tests' fixture: 16×16 -> 64×64, a few channels
    "tiny": UpsamplerConfig(name="tiny-upsampler", width=16, height=16, channels=4, layers=1),
}


def pixel_shuffle(x: torch.Tensor, c: int, scale: int) -> torch.Tensor:
    """(B, c·s·s, H, W) -> (B, c, H·s, W·s), channel c·s² + i·s + j -> pixel (s·y + i, s·x + j)
    (nn.PixelShuffle's order), as Reshape/Transpose with constant shapes."""
    b, _, h, w = x.shape
    x = x.reshape(b, c, scale, scale, h, w)  # (B, c, i, j, H, W)
    x = x.permute(0, 1, 4, 2, 5, 3)  # (B, c, H, i, W, j)
    return x.reshape(b, c, h * scale, w * scale)


class Upsampler(nn.Module):
    def __init__(self, config: UpsamplerConfig = UpsamplerConfig()) -> None:
        super().__init__()
        self.config = config
        s, c = config.scale, config.channels
        self.stem_display = nn.Conv2d(7, c, kernel_size=s, stride=s)  # base + memory, one patch per model pixel
        self.stem_model = nn.Conv2d(4, c, kernel_size=1, bias=False)  # frame + depth
        self.body = nn.ModuleList(nn.Conv2d(c, c, 3, padding=1) for _ in range(config.layers))
        self.head_residual = nn.Conv2d(c, 3 * s * s, 1)
        self.head_gate = nn.Conv2d(c, s * s, 1) if config.memory_gate else None
        # Fixed 1×1 convs split the memory into (RGB - base) and channel 3 without Slice ops.
        diff = torch.zeros(3, 7, 1, 1)  # over concat(base, memory)
        for k in range(3):
            diff[k, k], diff[k, 3 + k] = -1.0, 1.0
        cover = torch.zeros(1, 4, 1, 1)  # over memory
        cover[0, 3] = 1.0
        self.register_buffer("memory_minus_base", diff, persistent=False)
        self.register_buffer("coverage_of", cover, persistent=False)
        self.zero_heads()

    def zero_heads(self) -> None:
        """Untrained = bicubic: the heads give zero residual and zero gate."""
        for head in (self.head_residual, self.head_gate):
            if head is not None:
                nn.init.zeros_(head.weight)
                nn.init.zeros_(head.bias)

    def mean_free_head(self) -> tuple[torch.Tensor, torch.Tensor]:
        """The residual head's weights and bias with (I - 11ᵀ/s²) applied per colour: the
        residual then sums to zero over every s×s block."""
        head, s2 = self.head_residual, self.config.scale ** 2
        w = head.weight.reshape(3, s2, -1)  # (3, s², C)
        b = head.bias.reshape(3, s2)
        return (w - w.mean(dim=1, keepdim=True)).reshape(head.weight.shape), (b - b.mean(dim=1, keepdim=True)).reshape(-1)

    def folded(self) -> "Upsampler":
        """The same function with the projection written into a plain residual head (config
        without `residual_mean_free`): one Conv in the ONNX graph instead of ReduceMean/Sub on
        the weights, and a module the FLOP hooks count. Self when there is nothing to fold."""
        if not self.config.residual_mean_free:
            return self
        plain = Upsampler(dataclasses.replace(self.config, residual_mean_free=False))
        plain.load_state_dict(self.state_dict())
        with torch.no_grad():
            w, b = self.mean_free_head()
            plain.head_residual.weight.copy_(w)
            plain.head_residual.bias.copy_(b)
        return plain.train(self.training)

    def residual(self, x: torch.Tensor) -> torch.Tensor:
        """(B, C, H, W) -> (B, 3·s², H, W) residual head, mean-free per colour's s² block when
        configured."""
        if not self.config.residual_mean_free:
            return self.head_residual(x)
        return F.conv2d(x, *self.mean_free_head())

    def memory_terms(self, display_in: torch.Tensor, memory: torch.Tensor, as_conv: bool) -> tuple[torch.Tensor, torch.Tensor]:
        """concat(base, memory) (B, 7, sH, sW), memory (B, 4, sH, sW) -> channel 3 (B, 1, sH, sW):
        coverage or confidence, which scales the gate as it is; memory RGB - base (B, 3, sH, sW).

        The export writes them as fixed 1×1 Convs (the runtime's op set has no Slice); training
        slices, the same values, because PyTorch's CPU convs with so few channels are ~100× slower."""
        if as_conv:
            return F.conv2d(memory, self.coverage_of), F.conv2d(display_in, self.memory_minus_base)
        return memory[:, 3:], memory[:, :3] - display_in[:, :3]

    def forward(self, base: torch.Tensor, memory: torch.Tensor, frame: torch.Tensor, depth: torch.Tensor) -> torch.Tensor:
        s = self.config.scale
        display_in = torch.cat([base, memory], dim=1)  # (B, 7, sH, sW)
        model_in = torch.cat([frame, depth], dim=1)  # (B, 4, H, W)
        x = F.relu(self.stem_display(display_in) + self.stem_model(model_in))  # (B, C, H, W)
        for conv in self.body:
            x = F.relu(conv(x))  # (B, C, H, W)
        residual = pixel_shuffle(self.residual(x), 3, s)  # (B, 3, sH, sW)
        out = base + residual
        if self.head_gate is not None:
            gate = pixel_shuffle(self.head_gate(x), 1, s).clamp(0.0, 1.0)  # (B, 1, sH, sW)
            cover, toward = self.memory_terms(display_in, memory, as_conv=torch.onnx.is_in_onnx_export())
            if self.config.memory_over_residual:
                toward = toward + residual * -1.0  # Mul + Add: the graph's op set has no Sub
            out = out + (gate * cover) * toward
        return out.clamp(-1.0, 1.0)


def example_inputs(config: UpsamplerConfig) -> dict[str, torch.Tensor]:
    return {name: torch.zeros(shape) for name, shape in config.input_shapes().items()}


def cost(config: UpsamplerConfig) -> tuple[int, int]:
    """(params, FLOPs per frame): FLOPs = 2 × multiply-adds of every Conv2d, the fixed split
    convs included; pointwise ops left out."""
    from models.flops import count_flops, count_params

    model = Upsampler(config).eval().folded()  # the residual head as its module, which the hooks count
    conv = count_flops(model, example_inputs(config))["conv"]
    if config.memory_gate:  # F.conv2d calls, not modules, so the hooks miss them
        sh, sw = config.scale * config.height, config.scale * config.width
        conv += 2 * sh * sw * (3 * 7 + 1 * 4)
    return count_params(model), conv


def describe(config: UpsamplerConfig) -> str:
    params, flops = cost(config)
    (dw, dh) = config.display_size
    return (f"{config.name}: {config.width}x{config.height} -> {dw}x{dh}, channels {config.channels}, "
            f"layers {config.layers}, memory gate {config.memory_gate}, mean-free residual {config.residual_mean_free}, "
            f"memory over residual {config.memory_over_residual}, memory channel {config.memory_channel}\n"
            f"  params           {params:,}\n"
            f"  FLOPs per frame  {flops / 1e9:.4f} G ({flops:,}; {flops // 2 / 1e6:.1f} M multiply-adds)")


def main() -> None:
    parser = argparse.ArgumentParser(description="Print the upsampler's parameters and FLOPs.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="default")
    parser.add_argument("--channels", type=int, help="override the preset's channels")
    parser.add_argument("--layers", type=int, help="override the preset's layers")
    parser.add_argument("--no-gate", action="store_true", help="without the memory gate")
    parser.add_argument("--mean-free", action="store_true", help="residual zero-mean over each model pixel's block")
    parser.add_argument("--memory-over-residual", action="store_true", help="where the gate copies memory, no residual")
    args = parser.parse_args()
    config = PRESETS[args.preset]
    if args.channels is not None:
        config = dataclasses.replace(config, channels=args.channels)
    if args.layers is not None:
        config = dataclasses.replace(config, layers=args.layers)
    if args.no_gate:
        config = dataclasses.replace(config, memory_gate=False)
    if args.mean_free:
        config = dataclasses.replace(config, residual_mean_free=True)
    if args.memory_over_residual:
        config = dataclasses.replace(config, memory_over_residual=True)
    print(describe(config))


if __name__ == "__main__":
    main()
