"""Train the next-frame denoiser on recorded episodes; one process, or DDP under torchrun.

    /usr/bin/python3 -m models.train --data data/arena-train --preset arena --out runs/arena --seconds 4200
    /usr/bin/python3 -m models.train --data data/arena-train --out runs/arena --steps 12000 --resume   # continue
    torchrun --nproc_per_node=2 -m models.train --data data/arena-train --preset arena --out runs/arena-ddp ...

AdamW with linear warm-up then a constant rate, the EDM loss (models/loss.py), an EMA of
the weights (exported and evaluated), optional gradient clipping. On CUDA: bf16 autocast
and TF32. --batch-size is the global batch, split over the processes.

Context noise augmentation (GameNGen): on a random half of the samples, the context
frames get Gaussian noise with a std drawn from U(0, 0.1) (images in [-1, 1]), so the
model learns to tolerate the small errors of its own frames fed back at play time. The
model is not told the level in this version; keep it modest.

Self-rollout augmentation (--rollout-prob, models/rollout.py): a share of samples get a
context (and memory) the current weights painted over the last few ticks, so the model
learns to pull its own drift back toward the recorded world.

Every random draw of step s on rank r (data order, sigmas, noise) comes from generators
seeded by (seed, s, r), so `--resume` from a checkpoint (weights, EMA, optimizer, step)
continues exactly as the uninterrupted run would have. Rank 0 alone logs (OUT/log.jsonl
and stdout), writes OUT/last.pt atomically and OUT/samples/step-XXXXXX.png.
"""
from __future__ import annotations

import argparse
import dataclasses
import functools
import json
import math
import os
import shlex
import sys
import time
from dataclasses import dataclass
from typing import Any, Optional

# Before torch loads OpenMP: idle OpenMP threads sleep instead of spinning. On a busy 2-core
# machine spinning threads starve each other: 5 vs 47 samples/s measured for arena there.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import numpy as np  # noqa: E402
import torch  # noqa: E402
from torch import nn

from models import distributed
from models.config import PRESETS, ModelConfig, get_preset
from models.dataset import FrameDataset, ShardedSampler, eye_height, load_episodes, split_episodes
from models.denoiser import Denoiser
from models.ema import Ema, EmaConfig
from models.grow import grow_state_dict, grown_config
from models.loss import LossConfig, edm_loss, sample_sigmas
from models.metrics import mean_psnr, psnr, to_unit
from models.png import image_grid, to_uint8, write_png
from models.rollout import RolloutConfig, rollout_batch
from models.sampler import Sampler
from models.slim import resolve_checkpoint

CHECKPOINT = "last.pt"
LOG = "log.jsonl"


def scene_of(episodes: list) -> Optional[dict[str, str]]:
    """The scene every episode was recorded in ({"id", "hash"}), or None when they differ.

    The manifest keeps it, so a model used on another scene can say so."""
    scenes = {(e.meta.get("scene"), e.meta.get("sceneHash")) for e in episodes}
    if len(scenes) != 1:
        return None
    scene_id, scene_hash = next(iter(scenes))
    if not scene_id:
        return None
    return {"id": scene_id, **({"hash": scene_hash} if scene_hash else {})}


def eye_height_range(episodes: list) -> Optional[dict[str, float]]:
    """{"min", "max"} of the player's eye height over the episodes, metres to 0.01 (1.6 where meta
    does not say); None without episodes. The manifest keeps it, so a game whose character's eyes
    are elsewhere can be warned."""
    heights = [eye_height(e.meta) for e in episodes]
    if not heights:
        return None
    lo, hi = (max(0.01, round(h, 2)) for h in (min(heights), max(heights)))  # positive, as the manifest wants
    return {"min": lo, "max": hi}


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 8000  # total optimizer steps (a resumed run continues up to this); ~1 h of CPU for arena
    batch_size: int = 32  # global: split over the processes
    lr: float = 6e-4  # AdamW, reached after the warm-up, then constant (EMA smooths the end)
    warmup_steps: int = 300
    weight_decay: float = 1e-2
    beta2: float = 0.999
    grad_clip: float = 1.0  # max global gradient norm; 0 turns clipping off
    ema_decay: float = 0.999
    context_noise_prob: float = 0.5  # share of samples whose context frames get noise
    context_noise_max: float = 0.1  # their noise std ~ U(0, this), images in [-1, 1]
    memory_dropout: float = 0.2  # share of samples whose memory stream is emptied (the model must also work without)
    rollout_prob: float = 0.0  # share of samples whose context the model paints itself (models/rollout.py; 0: off)
    rollout_ticks: int = 3  # painted ticks before the target, up to this many
    rollout_sampler_steps: int = 1  # sampler steps per painted frame in those rollouts
    # Share of samples trained at the sampler's sigma_max instead of a log-normal draw. A model
    # played with one step is only ever called at sigma_max, which the log-normal (median 0.67)
    # reaches for ~5 % of samples; this gives that call its own share of the gradient.
    sigma_max_prob: float = 0.0
    # Loss weight of pixels the memory stream does not cover, against 1 for covered ones. They are
    # a few percent of a frame in play (what turning brings into view, what an object uncovers),
    # and the only pixels where the network must paint rather than correct a re-render, so at
    # weight 1 they barely move the loss. Taken from the recorded memory's coverage, before
    # memory dropout (a dropped sample keeps its weights).
    uncovered_weight: float = 1.0
    # Weight of models/loss.py's detail_loss on each denoised frame (0: off). One-step rollouts
    # lose edge energy tick by tick (0.41 of the truth's at tick 64 on held-out worlds): the
    # squared error's best answer under uncertainty is a blur, and each painted frame is the
    # next one's context. This asks each frame for the truth's edge energy, not its edges.
    detail_weight: float = 0.0
    # The detail term per square tile of this many pixels (0: per whole frame). Per frame, a
    # rollout can match the truth's energy with grain on flat walls (sitting 13 on the dusk street).
    detail_crop: int = 0
    # Weigh each tile's detail term by the share of it memory does not cover (before memory
    # dropout), so the term asks for detail only where the network paints rather than corrects a
    # re-render. Over whole frames the tile terms sharpened the hand-made worlds' re-rendered walls
    # past the truth's edge energy (sittings 16A and 16C).
    detail_uncovered: bool = False
    heldout_fraction: float = 0.1  # episodes kept out of training (sample grids; evaluate them)
    seed: int = 0
    log_every: int = 10
    checkpoint_every: int = 250
    sample_every: int = 500
    sample_count: int = 6  # held-out samples in each grid
    seconds: float = 0.0  # wall-time budget for this run (0: none); stops cleanly at a step boundary
    compile: bool = False  # torch.compile the training module (PyTorch 2.x)


class TrainingLoss(nn.Module):
    """The denoiser plus its loss as one forward(), which is what DDP needs to sync gradients."""

    def __init__(self, denoiser: Denoiser, config: TrainConfig, loss: LossConfig = LossConfig()) -> None:
        super().__init__()
        self.denoiser, self.config, self.loss = denoiser, config, loss

    def forward(self, target: torch.Tensor, context: torch.Tensor, actions: torch.Tensor,
                generator: torch.Generator, **streams: torch.Tensor) -> torch.Tensor:
        context = augment_context(context, self.config, generator)
        pixel_weight = detail_share = None
        if "memory" in streams:
            pixel_weight = uncovered_pixel_weight(streams["memory"], self.config.uncovered_weight)
            if self.config.detail_uncovered:
                detail_share = uncovered_share(streams["memory"])
            streams["memory"] = augment_memory(streams["memory"], self.config, generator)
        sigma = training_sigmas(target.shape[0], self.config, self.loss, self.denoiser.config.sampler.sigma_max,
                                generator, target.device)
        return edm_loss(self.denoiser, target, {"context": context, "actions": actions, **streams}, self.loss,
                        sigma=sigma, generator=generator, pixel_weight=pixel_weight,
                        detail_weight=self.config.detail_weight, detail_crop=self.config.detail_crop,
                        detail_share=detail_share)


def uncovered_share(memory: torch.Tensor) -> torch.Tensor:
    """(B, 1, H, W): how much of each pixel memory (B, 4, H, W) leaves uncovered, 1 − coverage."""
    return 1.0 - memory[:, 3:4].clamp(0, 1)


def uncovered_pixel_weight(memory: torch.Tensor, weight: float) -> Optional[torch.Tensor]:
    """(B, 1, H, W): 1 where memory (B, 4, H, W) covers a pixel, `weight` where it does not,
    blended by the coverage channel; None at weight 1 (the plain mean)."""
    if weight == 1.0:
        return None
    return 1.0 + (weight - 1.0) * uncovered_share(memory)


def training_sigmas(batch: int, config: TrainConfig, loss: LossConfig, sigma_max: float, generator: torch.Generator,
                    device: Any) -> Optional[torch.Tensor]:
    """Noise levels (B,): sigma_max on a `sigma_max_prob` share, log-normal on the rest; None
    (edm_loss draws them all, as before) when that share is 0."""
    if config.sigma_max_prob <= 0:
        return None
    drawn = sample_sigmas(batch, loss, generator, device)
    at_max = torch.rand(batch, generator=generator, device=device) < config.sigma_max_prob
    return torch.where(at_max, torch.full_like(drawn, sigma_max), drawn)


def augment_context(context: torch.Tensor, config: TrainConfig, generator: torch.Generator) -> torch.Tensor:
    """context (B, 3K, H, W) + per-sample Gaussian noise (see the module docstring)."""
    return context + sample_noise(context, config, generator)


def sample_noise(images: torch.Tensor, config: TrainConfig, generator: torch.Generator) -> torch.Tensor:
    """Noise shaped like images (B, ...): on a `context_noise_prob` share of samples, Gaussian with
    a std drawn from U(0, context_noise_max) per sample; zero on the rest."""
    b, dev = images.shape[0], images.device
    on = torch.rand(b, generator=generator, device=dev) < config.context_noise_prob
    std = torch.rand(b, generator=generator, device=dev) * config.context_noise_max * on
    noise = torch.randn(images.shape, generator=generator, device=dev)
    return std.view(-1, *([1] * (images.dim() - 1))) * noise


def augment_memory(memory: torch.Tensor, config: TrainConfig, generator: torch.Generator) -> torch.Tensor:
    """memory (B, 4, H, W): empty (all zeros: no colour, no coverage) on a random `memory_dropout`
    share of samples, as at the start of play or wherever nothing was seen yet; the covered
    colours of the rest get the same noise as the context frames, since in play they come from
    the model's own frames."""
    b, dev = memory.shape[0], memory.device
    keep = (torch.rand(b, generator=generator, device=dev) >= config.memory_dropout).float().view(-1, 1, 1, 1)
    noise = sample_noise(memory[:, :3], config, generator)
    cover = memory[:, 3:]
    return torch.cat([(memory[:, :3] + noise * cover) * keep, cover * keep], dim=1)


def step_generator(seed: int, step: int, rank: int, device: torch.device) -> torch.Generator:
    state = np.random.SeedSequence([seed, step, rank]).generate_state(2, np.uint32)
    g = torch.Generator(device=device)
    g.manual_seed(int(state[0]) << 31 | int(state[1]) >> 1)
    return g


def lr_at(step: int, config: TrainConfig, warm_from: int = 0) -> float:
    """Linear warm-up over `warmup_steps` from step `warm_from` (0; a resume without the
    optimiser's moments warms up again from where it resumed), then constant."""
    return config.lr * min(1.0, (step - warm_from + 1) / max(1, config.warmup_steps))


@torch.no_grad()
def sample_frames(model: Denoiser, batch: dict[str, torch.Tensor], seed: int, steps: Optional[int] = None) -> torch.Tensor:
    """The model's next frames (B, 3, H, W) for a batch, with the default sampler (or `steps`
    steps of it) and fixed noise."""
    noise = torch.randn(batch["target"].shape, generator=torch.Generator().manual_seed(seed)).to(batch["target"])
    config = model.config.sampler if steps is None else dataclasses.replace(model.config.sampler, steps=steps)
    sampler = Sampler(model, config)
    streams = {name: batch[name] for name in model.config.stream_names}
    return sampler.sample(tuple(noise.shape), noise=noise, context=batch["context"], actions=batch["actions"],
                          **streams)


def write_samples(path: str, target: torch.Tensor, sampled: torch.Tensor, memory: Optional[torch.Tensor] = None) -> None:
    """Ground truth row, then the memory stream's row (when the model has one), then the model's row."""
    gt, model = to_uint8(target.float().cpu().numpy()), to_uint8(sampled.float().clamp(-1, 1).cpu().numpy())
    rows = [list(gt), list(model)]
    if memory is not None:
        rows.insert(1, list(to_uint8(memory[:, :3].float().cpu().numpy())))
    write_png(path, image_grid(rows, scale=2 if gt.shape[1] <= 64 else 1))


def hardware(info: distributed.DistInfo, amp: bool) -> str:
    if info.device.type == "cuda":
        name = torch.cuda.get_device_name(info.device)
        return f"{info.world}x {name}{', bf16 autocast' if amp else ''}, PyTorch {torch.__version__}"
    return (f"CPU, {info.world} process(es) x {torch.get_num_threads()} thread(s) of {os.cpu_count()} cores, "
            f"PyTorch {torch.__version__}")


def save_checkpoint(path: str, state: dict[str, Any]) -> None:
    """torch.save to a temp file, then rename: a crash never leaves a half-written last.pt."""
    tmp = f"{path}.tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)


def load_checkpoint_file(path: str) -> dict[str, Any]:
    # Our own file with optimizer state; PyTorch 1.13's weights-only loader refuses its floats.
    return torch.load(path, map_location="cpu", weights_only=False)


def cpu_state(module: nn.Module) -> dict[str, torch.Tensor]:
    return {k: v.detach().cpu().clone() for k, v in module.state_dict().items()}


class Trainer:
    def __init__(self, args: argparse.Namespace, info: distributed.DistInfo, started: float) -> None:
        self.info, self.started, self.out = info, started, args.out
        ckpt_path = os.path.join(args.out, CHECKPOINT)
        resume = load_checkpoint_file(ckpt_path) if args.resume and os.path.isfile(ckpt_path) else None
        if args.resume and resume is None:
            self.log_main(f"models.train: no checkpoint at {ckpt_path}; starting from step 0")
        init_path = resolve_checkpoint(args.init) if getattr(args, "init", None) and resume is None else None
        init = load_checkpoint_file(init_path) if init_path else None

        base = TrainConfig(**resume["trainConfig"]) if resume else TrainConfig()
        overrides = {f.name: getattr(args, f.name) for f in dataclasses.fields(TrainConfig)
                     if getattr(args, f.name, None) is not None}
        self.config = cfg = dataclasses.replace(base, **overrides)
        if cfg.batch_size % info.world:
            raise SystemExit(f"models.train: --batch-size {cfg.batch_size} must divide by the {info.world} processes")
        # A run's architecture: its checkpoint's (resume), the one it fine-tunes (init), or the preset.
        source = resume or init
        self.model_config = ModelConfig.from_dict(source["config"]) if source else get_preset(args.preset)
        self.model_config = architecture(self.model_config, args, resume is not None, init is not None)

        episodes = load_episodes(args.data, self.model_config, log=self.log_main)
        train_eps, held_eps = split_episodes(episodes, cfg.heldout_fraction)
        k = self.model_config.context_frames
        cache = getattr(args, "memory_cache", None) or os.path.join(args.out, "memory-cache")
        cache = None if cache == "off" else cache
        self.train_data = FrameDataset(train_eps, k, self.model_config, log=self.log_main, memory_cache=cache)
        self.held_data = FrameDataset(held_eps or train_eps, k, self.model_config, memory_cache=cache)
        if info.device.type == "cuda":  # gather batches on the GPU: stacking samples in Python would starve it
            held = self.train_data.to_device(info.device)
            self.log_main(f"dataset: {held / 2**30:.2f} GiB of training arrays held on {info.device}")
        self.sampler = ShardedSampler(len(self.train_data), cfg.batch_size // info.world, cfg.seed, info.rank,
                                      info.world)
        picks = np.linspace(0, len(self.held_data) - 1, min(cfg.sample_count, len(self.held_data))).astype(int)
        self.sample_batch = self.held_data.batch(picks, info.device)
        name = os.path.splitext(os.path.basename(os.path.normpath(args.data)))[0]
        self.dataset_desc = (f"{name} ({len(train_eps)} train / {len(held_eps)} held-out episodes, "
                             f"{self.train_data.frames} train frames)")
        self.scene = scene_of(episodes)
        self.eye_height = eye_height_range(train_eps)

        torch.manual_seed(cfg.seed)  # identical initial weights on every rank
        self.denoiser = Denoiser(self.model_config).to(info.device)
        self.ema = Ema(self.denoiser, EmaConfig(cfg.ema_decay))
        self.optimizer = torch.optim.AdamW(self.denoiser.parameters(), lr=cfg.lr, betas=(0.9, cfg.beta2),
                                           weight_decay=cfg.weight_decay)
        self.step, self.prev_wall, self.warm_from = 0, 0.0, 0
        # What this run started from: kept in the checkpoint (and the model card) through resumes.
        self.init_from: Optional[dict[str, Any]] = (resume or {}).get("training", {}).get("initFrom")
        if resume:
            self.denoiser.load_state_dict(resume["raw_model"])
            self.ema.load_state_dict(resume["model"])
            self.step, self.prev_wall = int(resume["step"]), float(resume["training"]["wallTimeSeconds"])
            if "optimizer" in resume:
                self.optimizer.load_state_dict(resume["optimizer"])
                self.warm_from = int(resume.get("warmFrom", 0))
            else:
                # A slim checkpoint (models/slim.py): fresh AdamW moments, so warm up again.
                self.warm_from = self.step
                self.log_main(f"models.train: {ckpt_path} has no optimiser state (slim); AdamW re-warms over "
                              f"{cfg.warmup_steps} steps from step {self.step}")
        elif init:
            # A deeper network than the one fine-tuned from (--res-blocks) starts as its function.
            grow = functools.partial(grow_state_dict, config=ModelConfig.from_dict(init["config"]),
                                     res_blocks=self.model_config.res_blocks, seed=cfg.seed)
            self.denoiser.load_state_dict(grow(init["raw_model"]))
            self.ema.load_state_dict(grow(init["model"]))  # a slim file's float16 EMA: load_state_dict casts it
            done = init.get("training", {})
            self.init_from = {"checkpoint": init_path, "steps": int(init.get("step", 0)),
                              **({"dataset": done["dataset"]} if "dataset" in done else {})}
            self.log_main(f"models.train: initialised from {init_path} ({self.model_config.name}, "
                          f"{self.init_from['steps']} steps on {done.get('dataset', 'unknown data')}); --preset ignored")

        module: nn.Module = TrainingLoss(self.denoiser, cfg)
        if info.distributed:
            ids = [info.device.index] if info.device.type == "cuda" else None
            module = nn.parallel.DistributedDataParallel(module, device_ids=ids)
        if cfg.compile:
            if not hasattr(torch, "compile"):
                raise SystemExit(f"models.train: --compile needs PyTorch 2.x, this is {torch.__version__}")
            module = torch.compile(module)
        self.module = module
        self.amp = info.device.type == "cuda" and torch.cuda.is_bf16_supported()
        self.command = self._command(args)
        if info.is_main:
            os.makedirs(os.path.join(args.out, "samples"), exist_ok=True)

    def log_main(self, message: str) -> None:
        if self.info.is_main:
            print(message, flush=True)

    def _command(self, args: argparse.Namespace) -> str:
        launcher = f"torchrun --nproc_per_node={self.info.local_world} -m models.train" if self.info.distributed \
            else "python3 -m models.train"
        return f"{launcher} {shlex.join(args.argv)}"

    def train_step(self) -> tuple[float, float]:
        cfg, info = self.config, self.info
        for group in self.optimizer.param_groups:
            group["lr"] = lr_at(self.step, cfg, self.warm_from)
        indices = self.sampler.indices(self.step)
        batch = self.train_data.batch(indices, info.device)
        gen = step_generator(cfg.seed, self.step, info.rank, info.device)
        if cfg.rollout_prob > 0:
            rollout = RolloutConfig(cfg.rollout_prob, cfg.rollout_ticks, cfg.rollout_sampler_steps)
            with torch.autocast(device_type=info.device.type, dtype=torch.bfloat16, enabled=self.amp):
                batch = rollout_batch(self.denoiser, self.train_data, indices, batch, rollout, gen)
        with torch.autocast(device_type=info.device.type, dtype=torch.bfloat16, enabled=self.amp):
            streams = {name: batch[name] for name in self.model_config.stream_names}
            loss = self.module(batch["target"], batch["context"], batch["actions"], gen, **streams)
        self.optimizer.zero_grad(set_to_none=True)
        loss.backward()
        clip = cfg.grad_clip if cfg.grad_clip > 0 else math.inf
        grad_norm = float(torch.nn.utils.clip_grad_norm_(self.denoiser.parameters(), clip))
        self.optimizer.step()
        self.ema.update(self.denoiser, self.step)
        self.step += 1
        return float(loss.detach()), grad_norm

    def checkpoint(self) -> None:
        if not self.info.is_main:
            return
        wall = self.prev_wall + time.time() - self.started
        state = {
            "config": self.model_config.to_dict(),
            "model": cpu_state(self.ema.model),
            "raw_model": cpu_state(self.denoiser),
            "optimizer": self.optimizer.state_dict(),
            "step": self.step,
            "warmFrom": self.warm_from,
            "trainConfig": dataclasses.asdict(self.config),
            "rng": {"scheme": "generators seeded by (seed, step, rank)", "seed": self.config.seed},
            "training": {"dataset": self.dataset_desc, "steps": self.step, "batchSize": self.config.batch_size,
                         "hardware": hardware(self.info, self.amp), "wallTimeSeconds": round(wall, 1),
                         "command": self.command, **({"scene": self.scene} if self.scene else {}),
                         **({"eyeHeight": self.eye_height} if self.eye_height else {}),
                         **({"initFrom": self.init_from} if self.init_from else {})},
            "metrics": {},
        }
        save_checkpoint(os.path.join(self.out, CHECKPOINT), state)

    def samples(self) -> tuple[float, float]:
        """Writes the sample grid; returns the mean PSNR of the EMA model's frames on it with the
        default sampler, and with one step (what the shipped models play with)."""
        target = to_unit(self.sample_batch["target"].cpu().numpy())
        quality = []
        for steps in (None, 1):
            sampled = sample_frames(self.ema.model, self.sample_batch, self.config.seed, steps)
            quality.append(mean_psnr(psnr(to_unit(sampled.float().clamp(-1, 1).cpu().numpy()), target)))
            if steps is None:
                path = os.path.join(self.out, "samples", f"step-{self.step:06d}.png")
                write_samples(path, self.sample_batch["target"], sampled, self.sample_batch.get("memory"))
        return quality[0], quality[1]

    def write_log(self, record: dict[str, Any], line: str) -> None:
        if self.info.is_main:
            with open(os.path.join(self.out, LOG), "a", encoding="utf-8") as f:
                f.write(json.dumps(record) + "\n")
            print(line, flush=True)

    def run(self) -> None:
        cfg, info = self.config, self.info
        print(f"models.train: rank {info.rank}/{info.world} on {info.device} "
              f"({info.backend or 'single process'}), {cfg.batch_size // info.world} samples per step", flush=True)
        self.log_main(f"models.train: {self.model_config.name}, {sum(p.numel() for p in self.denoiser.parameters()):,}"
                      f" params; {self.dataset_desc}; {len(self.train_data)} samples; "
                      f"step {self.step} -> {cfg.steps}; {hardware(info, self.amp)}")
        losses, busy, done_in_window = [], 0.0, 0
        while self.step < cfg.steps:
            t0 = time.time()
            loss, grad_norm = self.train_step()
            busy += time.time() - t0
            losses.append(loss)
            done_in_window += 1
            out_of_time = cfg.seconds > 0 and time.time() - self.started >= cfg.seconds
            stop = distributed.any_true(info, out_of_time)
            last = stop or self.step == cfg.steps
            if self.step % cfg.log_every == 0 or last:
                (mean_loss,) = distributed.all_mean(info, [float(np.mean(losses))])
                rate = done_in_window * cfg.batch_size / max(busy, 1e-9)
                elapsed = self.prev_wall + time.time() - self.started
                record = {"step": self.step, "loss": mean_loss, "lr": lr_at(self.step - 1, cfg, self.warm_from),
                          "gradNorm": grad_norm, "samplesPerSec": rate, "wallTimeSeconds": elapsed}
                self.write_log(record, f"step {self.step:6d}/{cfg.steps}  loss {mean_loss:.4f}  "
                               f"lr {record['lr']:.2e}  |g| {grad_norm:.3f}  {rate:6.1f} samples/s  "
                               f"{elapsed / 60:6.1f} min")
                losses, busy, done_in_window = [], 0.0, 0
            if info.is_main and (self.step % cfg.sample_every == 0 or last):
                quality, one_step = self.samples()
                self.write_log({"step": self.step, "samplePsnr": quality, "samplePsnr1Step": one_step},
                               f"step {self.step:6d}  held-out sample PSNR {quality:.2f} dB ({one_step:.2f} in one step)  "
                               f"-> samples/step-{self.step:06d}.png")
            if self.step % cfg.checkpoint_every == 0 or last:
                self.checkpoint()
            if stop:
                self.log_main(f"models.train: --seconds {cfg.seconds:g} reached; stopped at step {self.step}")
                break
        if not os.path.isfile(os.path.join(self.out, CHECKPOINT)):
            self.checkpoint()  # nothing to train (e.g. --steps 0): still leave a loadable checkpoint


def architecture(config: ModelConfig, args: argparse.Namespace, resuming: bool, init: bool) -> ModelConfig:
    """The run's network: `config` with --channels and --res-blocks applied where they may be.

    From scratch both apply; from --init only a larger --res-blocks (models/grow.py); a resumed
    run keeps its checkpoint's network, so a flag that would change it is an error."""
    channels = tuple(int(c) for c in args.channels.split(",")) if getattr(args, "channels", None) else None
    res_blocks = getattr(args, "res_blocks", None)
    changes = {**({"channels": channels} if channels and channels != config.channels else {}),
               **({"res_blocks": res_blocks} if res_blocks and res_blocks != config.res_blocks else {})}
    if not changes:
        return config
    if resuming:
        raise SystemExit(f"models.train: --resume continues the checkpoint's network (channels {config.channels}, "
                         f"res_blocks {config.res_blocks}); drop {sorted(changes)} or start a new --out")
    if init and "channels" in changes:
        raise SystemExit(f"models.train: --init cannot change the channels {config.channels} (only --res-blocks "
                         f"can grow a trained network); drop --channels, or train from scratch without --init")
    if init:
        return grown_config(config, changes["res_blocks"])
    return dataclasses.replace(config, **changes)


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    d = TrainConfig()
    p = argparse.ArgumentParser(description="Train the nextframe denoiser.", argument_default=None)
    p.add_argument("--data", required=True, help="dataset folder or pack (.npz)")
    p.add_argument("--preset", choices=sorted(PRESETS), default="arena", help="ignored with --resume")
    p.add_argument("--out", required=True, help="run folder: last.pt, log.jsonl, samples/")
    p.add_argument("--resume", action="store_true", help="continue OUT/last.pt (its settings unless overridden)")
    p.add_argument("--init", help="start from these weights (a checkpoint, or a model folder with checkpoint.pt: "
                                  "fine-tune the generalist); its architecture, --preset ignored")
    p.add_argument("--channels", help="U-Net width per level, comma-separated (from scratch only; default: the "
                                      "preset's)")
    p.add_argument("--res-blocks", dest="res_blocks", type=int,
                   help="residual blocks per level; with --init, more than the checkpoint's grows it (models/grow.py)")
    p.add_argument("--steps", type=int, help=f"total steps (default {d.steps})")
    p.add_argument("--batch-size", dest="batch_size", type=int, help=f"global batch (default {d.batch_size})")
    p.add_argument("--lr", type=float, help=f"peak learning rate (default {d.lr})")
    p.add_argument("--warmup-steps", dest="warmup_steps", type=int, help=f"default {d.warmup_steps}")
    p.add_argument("--weight-decay", dest="weight_decay", type=float, help=f"default {d.weight_decay}")
    p.add_argument("--grad-clip", dest="grad_clip", type=float, help=f"0 = off (default {d.grad_clip})")
    p.add_argument("--ema-decay", dest="ema_decay", type=float, help=f"default {d.ema_decay}")
    p.add_argument("--context-noise-max", dest="context_noise_max", type=float, help=f"default {d.context_noise_max}")
    p.add_argument("--context-noise-prob", dest="context_noise_prob", type=float,
                   help=f"default {d.context_noise_prob}")
    p.add_argument("--memory-dropout", dest="memory_dropout", type=float, help=f"default {d.memory_dropout}")
    p.add_argument("--uncovered-weight", dest="uncovered_weight", type=float,
                   help=f"loss weight of pixels memory does not cover, covered ones 1 (default {d.uncovered_weight})")
    p.add_argument("--detail-weight", dest="detail_weight", type=float,
                   help=f"weight of the edge-energy term on each denoised frame, 0 = off (default {d.detail_weight})")
    p.add_argument("--detail-crop", dest="detail_crop", type=int,
                   help=f"score the detail term per square tile of this many pixels, 0 = whole frame (default {d.detail_crop})")
    p.add_argument("--detail-uncovered", dest="detail_uncovered", action="store_const", const=True,
                   help="weigh each tile's detail term by the share of it memory does not cover")
    p.add_argument("--rollout-prob", dest="rollout_prob", type=float,
                   help=f"share of samples trained on the model's own rollout (default {d.rollout_prob})")
    p.add_argument("--rollout-ticks", dest="rollout_ticks", type=int, help=f"default {d.rollout_ticks}")
    p.add_argument("--rollout-sampler-steps", dest="rollout_sampler_steps", type=int,
                   help=f"default {d.rollout_sampler_steps}")
    p.add_argument("--sigma-max-prob", dest="sigma_max_prob", type=float,
                   help=f"share of samples trained at the sampler's sigma_max, the one-step call (default {d.sigma_max_prob})")
    p.add_argument("--heldout-fraction", dest="heldout_fraction", type=float, help=f"default {d.heldout_fraction}")
    p.add_argument("--seed", type=int, help=f"default {d.seed}")
    p.add_argument("--log-every", dest="log_every", type=int, help=f"default {d.log_every}")
    p.add_argument("--checkpoint-every", dest="checkpoint_every", type=int, help=f"default {d.checkpoint_every}")
    p.add_argument("--sample-every", dest="sample_every", type=int, help=f"default {d.sample_every}")
    p.add_argument("--memory-cache", dest="memory_cache",
                   help="folder keeping each episode's memory stream between runs (default OUT/memory-cache; off)")
    p.add_argument("--seconds", type=float, help="wall-time budget of this run in seconds (default: none)")
    p.add_argument("--compile", action="store_const", const=True, help="torch.compile (PyTorch 2.x)")
    p.add_argument("--cpu", action="store_true", help="train on the CPU even if CUDA is available")
    p.add_argument("--threads", type=int, help="CPU threads per process (default: the cores / processes)")
    argv = sys.argv[1:] if argv is None else argv
    args = p.parse_args(argv)
    args.argv = list(argv)  # recorded in the checkpoint as the command
    return args


def main(argv: Optional[list[str]] = None) -> None:
    started = time.time()
    args = parse_args(argv)
    info = distributed.setup(prefer_cuda=not args.cpu)
    if info.device.type == "cpu":
        # PyTorch may start with a single thread here; use the cores, shared between the processes
        torch.set_num_threads(args.threads or max(1, len(os.sched_getaffinity(0)) // info.local_world))
    if info.device.type == "cuda":
        torch.backends.cuda.matmul.allow_tf32 = True
        torch.backends.cudnn.allow_tf32 = True
        torch.backends.cudnn.benchmark = True
    try:
        Trainer(args, info, started).run()
    finally:
        distributed.cleanup(info)


if __name__ == "__main__":
    main()
