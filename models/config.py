"""ModelConfig: everything that fixes a model's shape, I/O and defaults; and the named presets.

    /usr/bin/python3 -m models.config --preset arena      # print a preset as JSON

The exporter turns a ModelConfig into the manifest, and the trainer stores it in every
checkpoint ({"config": config.to_dict(), "model": state_dict}), so a checkpoint is
enough to rebuild its model.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
from dataclasses import dataclass, field
from typing import Any, Union

from models.actions import DEFAULT_ACTION_LAYOUT, ActionSlot
from models.sampler import SamplerConfig

# Optional conditioning streams, in the order they appear as ONNX inputs.
#   memory: reprojected memory RGB in [-1, 1] (zeros where uncovered) + coverage in [0, 1]
#   depth:  proxy view-space depth d, normalised as clamp(d / far, 0, 1) * 2 - 1
STREAM_CHANNELS: dict[str, int] = {"memory": 4, "depth": 1}

Dim = Union[int, str]


@dataclass(frozen=True)
class CameraConfig:
    fov_y_degrees: float = 70.0  # vertical; the aspect ratio always follows width / height
    near: float = 0.05  # metres
    far: float = 60.0  # metres; also the depth stream's normaliser


@dataclass(frozen=True)
class ModelConfig:
    name: str
    width: int = 64
    height: int = 64
    context_frames: int = 4  # K past frames the model sees, stacked on channels
    tick_hz: int = 20  # one generated frame per tick
    camera: CameraConfig = field(default_factory=CameraConfig)
    actions: tuple[ActionSlot, ...] = DEFAULT_ACTION_LAYOUT
    channels: tuple[int, ...] = (32, 64, 96)  # U-Net width per level; each level halves H and W
    res_blocks: int = 1  # residual blocks per level, encoder and decoder each
    attention: bool = False  # self-attention at the lowest level; off: Conv-only graphs run everywhere
    embed_dim: int = 64  # width of the conditioning vector (noise level + actions)
    streams: tuple[str, ...] = ()  # subset of STREAM_CHANNELS
    # Denoise the difference from a base image (memory where it covers, else the last context
    # frame) instead of the frame itself: a still camera or a view memory already holds needs
    # a residual of zero, which even a small network gets exactly (models/denoiser.py).
    residual: bool = False
    sampler: SamplerConfig = field(default_factory=SamplerConfig)

    def __post_init__(self) -> None:
        unknown = [s for s in self.streams if s not in STREAM_CHANNELS]
        if unknown:
            raise ValueError(
                f"ModelConfig {self.name!r}: unknown streams {unknown}; "
                f"expected a subset of {list(STREAM_CHANNELS)}"
            )
        down = 2 ** (len(self.channels) - 1)
        if self.width % down or self.height % down:
            raise ValueError(
                f"ModelConfig {self.name!r}: {self.width}x{self.height} is not divisible by {down} "
                f"({len(self.channels)} U-Net levels); change the resolution or the number of levels"
            )
        if self.context_frames < 1 or self.res_blocks < 1:
            raise ValueError(f"ModelConfig {self.name!r}: context_frames and res_blocks must be >= 1")

    @property
    def aspect(self) -> float:
        return self.width / self.height

    @property
    def action_dim(self) -> int:
        return len(self.actions)

    @property
    def stream_names(self) -> list[str]:
        """Configured streams in canonical input order, whatever order the config lists them."""
        return [s for s in STREAM_CHANNELS if s in self.streams]

    @property
    def in_channels(self) -> int:
        """U-Net input: noisy frame + K context frames + stream channels."""
        return 3 + 3 * self.context_frames + sum(STREAM_CHANNELS[s] for s in self.stream_names)

    def input_shapes(self, batch: Dim = "batch") -> dict[str, list[Dim]]:
        """The denoiser's inputs in ONNX order: name -> shape."""
        h, w = self.height, self.width
        shapes: dict[str, list[Dim]] = {
            "noisy": [batch, 3, h, w],
            "sigma": [batch],
            "context": [batch, 3 * self.context_frames, h, w],
            "actions": [batch, self.context_frames, self.action_dim],
        }
        for s in self.stream_names:
            shapes[s] = [batch, STREAM_CHANNELS[s], h, w]
        return shapes

    def output_shapes(self, batch: Dim = "batch") -> dict[str, list[Dim]]:
        return {"denoised": [batch, 3, self.height, self.width]}

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "ModelConfig":
        """Inverse of to_dict; tolerates lists where tuples were (JSON round trips)."""
        d = dict(d)
        d["camera"] = CameraConfig(**d.get("camera", {}))
        d["sampler"] = SamplerConfig(**d.get("sampler", {}))
        if "actions" in d:
            d["actions"] = tuple(ActionSlot(**a) for a in d["actions"])
        d["channels"] = tuple(d.get("channels", cls.channels))
        d["streams"] = tuple(d.get("streams", ()))
        return cls(**d)


# tiny: the random-weights fixture the TypeScript tests run (ONNX well under 1 MB).
TINY = ModelConfig(
    name="tiny", width=32, height=32, context_frames=2, channels=(8, 16), res_blocks=1, embed_dim=32
)

# arena: the default model to train, sized for real time: a 3-step frame in 35-38 ms
# (per-trial medians) in onnxruntime-web WASM with 2 threads on a shared 2-core machine
# (models/README.md has the measurements). ~2.2 M parameters, 0.133 GFLOPs per step.
# The full- and half-resolution levels are thin (8, 12 channels), where every parameter
# costs 4096 or 1024 multiply-adds per step; the capacity sits at 8x8 and 4x4 (48, 160
# channels), where a parameter costs 64 or 16, and where the model has the receptive
# field to move the scene by a tick's worth of yaw (up to ~13 px).
ARENA = ModelConfig(
    name="arena",
    width=64,
    height=64,
    context_frames=4,
    channels=(8, 12, 24, 48, 160),
    res_blocks=1,
    embed_dim=128,
    # The spatial memory (models/memory.py) rendered into the new view, and its proxy depth:
    # most of the next frame is the last frames seen from the new pose, which the host's
    # geometry knows; the network paints what memory does not cover and corrects the rest.
    streams=("memory", "depth"),
    residual=True,
    # The residual from the base image spreads far less than images do (std ~0.15 in [-1, 1]).
    sampler=SamplerConfig(sigma_data=0.25, start="base"),
)

# mini: arena's I/O (64x64, K=4, 7 actions) at toy size, for the record -> train -> export ->
# play loop test that CI runs in seconds. Not a useful model.
MINI = dataclasses.replace(ARENA, name="mini", channels=(8, 16), embed_dim=32)

PRESETS: dict[str, ModelConfig] = {
    "tiny": TINY,
    "tiny-streams": dataclasses.replace(TINY, name="tiny-streams", streams=("memory", "depth")),
    "arena": ARENA,
    "mini": MINI,
}


def get_preset(name: str) -> ModelConfig:
    if name not in PRESETS:
        raise KeyError(f"get_preset: unknown preset {name!r}; expected one of {sorted(PRESETS)}")
    return PRESETS[name]


def main() -> None:
    parser = argparse.ArgumentParser(description="Print a model preset as JSON.")
    parser.add_argument("--preset", choices=sorted(PRESETS), default="arena")
    args = parser.parse_args()
    print(json.dumps(get_preset(args.preset).to_dict(), indent=2))


if __name__ == "__main__":
    main()
