"""Train the display upsampler on dump folders (models/upsampler_data.py).

    /usr/bin/python3 -m models.train_upsampler --data data/upsampler-train --out runs/upsampler --seconds 1800
    /usr/bin/python3 -m models.train_upsampler --data data/upsampler-train --out runs/upsampler --seconds 600 --resume
    /usr/bin/python3 -m models.train_upsampler --data data/upsampler-train --out runs/upsampler \
        --evaluate runs/upsampler/best.pt --eval-samples 256 > eval.json   # held-out metrics of a checkpoint
    /usr/bin/python3 -m models.train_upsampler --data data/upsampler-train --out runs/upsampler --seconds 600 \
        --export public/models/upsampler          # train, then export (models.export_upsampler --checkpoint exports any time)

Adam on L1 to the display-resolution truth (+ `--grad-weight` × L1 of the x/y differences,
+ `--detail-weight` × the per-crop log mismatch of edge energy) over random aligned crops. Every `eval_every` steps the held-out split (the last samples of
each folder) is upsampled whole and its PSNR reported beside the two baselines: the bicubic
base and the warp (memory where covered, bicubic elsewhere; covered is memory channel 3 > 0
whether the data holds coverage or confidence). A new run's net takes the data's kind of
memory channel (meta.json's memoryChannel); a checkpoint of the other kind is refused, for
--resume and --evaluate alike. With `--copy-memory-at x` (confidence data) the run trains what
the runtime shows under the manifest's copyMemoryAt x: a net that reads coverage (confidence with
`--net-reads-confidence`), with memory's RGB wherever memory's score reaches x, so its loss is
only where it paints; the evaluation scores the same composite, and the export writes
copyMemoryAt x. Progress goes to stderr, one JSON line per log/eval to OUT/log.jsonl;
OUT/last.pt (EMA weights as "model", the trained ones as "raw_model", Adam, step, configs,
provenance, last held-out metrics) is written atomically, and `--resume` continues from it with
the crops the uninterrupted run would have drawn (step-seeded generators). OUT/best.pt is
the same at the best held-out PSNR so far: on data/upsampler-train (2,304 training samples)
held-out PSNR sat at 26.1-26.3 dB from 2.5k to 10.5k steps and then fell (25.56 dB by 12.5k)
while the training loss stayed flat, so export best.pt; its metrics say `selectedOnHeldout`,
as the split chose the step.
"""
from __future__ import annotations

import argparse
import dataclasses
import json
import os
import shlex
import sys
import time
from dataclasses import dataclass
from typing import Any, Optional

os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")  # before torch loads OpenMP (see models/train.py)

import numpy as np  # noqa: E402
import torch  # noqa: E402
import torch.nn.functional as F  # noqa: E402

from models.ema import Ema, EmaConfig  # noqa: E402
from models.loss import crop_gradient_energy, detail_loss  # noqa: E402
from models.metrics import mean_psnr, psnr, to_unit  # noqa: E402
from models.upsampler import Upsampler, UpsamplerConfig, cost  # noqa: E402
from models.upsampler_data import DataConfig, UpsamplerData, covered, warp  # noqa: E402

CHECKPOINT = "last.pt"
BEST = "best.pt"  # the checkpoint of the best held-out PSNR so far (early stopping; see the docstring)
LOG = "log.jsonl"


@dataclass(frozen=True)
class TrainConfig:
    steps: int = 1_000_000  # upper bound; --seconds is what usually ends a run
    batch_size: int = 32  # crops per step
    lr: float = 2e-3  # Adam; constant (a small net, a short run)
    grad_weight: float = 0.0  # weight of the L1 on image x/y differences (edges), beside the plain L1
    detail_weight: float = 0.0  # weight of the per-crop |log| mismatch of gradient energy (detail_loss)
    ema_decay: float = 0.999  # the averaged weights are what is evaluated, checkpointed as "model" and exported
    seconds: float = 0.0  # wall-time budget of this run (0: none); stops at a step boundary
    seed: int = 0
    log_every: int = 50
    eval_every: int = 500
    eval_samples: int = 64  # whole held-out samples per evaluation
    checkpoint_every: int = 500
    # > 0: train what the runtime shows with the manifest's copyMemoryAt = this (confidence data
    # only): the net reads coverage (or, --net-reads-confidence, the score), and where memory's
    # score reaches this the shown pixel is memory's RGB, so the loss and the detail term see
    # the composite and the net learns only the pixels it will paint. The export writes it as
    # copyMemoryAt unless `models.export_upsampler --copy-memory-at` says otherwise.
    copy_memory_at: float = 0.0


def loss_fn(out: torch.Tensor, truth: torch.Tensor, grad_weight: float, detail_weight: float = 0.0) -> torch.Tensor:
    """L1 (B, 3, h, w) + grad_weight · L1 of the horizontal and vertical differences
    + detail_weight · detail_loss."""
    loss = F.l1_loss(out, truth)
    if grad_weight > 0:
        dx = F.l1_loss(out[..., 1:] - out[..., :-1], truth[..., 1:] - truth[..., :-1])
        dy = F.l1_loss(out[..., 1:, :] - out[..., :-1, :], truth[..., 1:, :] - truth[..., :-1, :])
        loss = loss + grad_weight * (dx + dy)
    if detail_weight > 0:
        loss = loss + detail_weight * detail_loss(out, truth)
    return loss


def frame_psnr(img: torch.Tensor, truth: torch.Tensor) -> float:
    """Mean per-frame PSNR (dB, models/metrics.py) of [-1, 1] images (B, 3, H, W), clamped first."""
    return mean_psnr(psnr(to_unit(img.clamp(-1, 1).numpy()), to_unit(truth.numpy())))


def shown(model: Upsampler, base: torch.Tensor, memory: torch.Tensor, frame: torch.Tensor, depth: torch.Tensor,
          copy_memory_at: float = 0.0) -> torch.Tensor:
    """What the display shows (worldmodel/DisplayPainter.ts): the net's output, or with
    copy_memory_at > 0 (memory channel 3 holding confidence) memory's RGB wherever the score
    reaches copy_memory_at and the net's output elsewhere, the net fed coverage (score > 0) or,
    if it reads confidence, the score as it is."""
    if copy_memory_at <= 0:
        return model(base, memory, frame, depth)
    score = memory[:, 3:]
    if model.config.memory_channel == "coverage":
        memory = torch.cat([memory[:, :3], covered(memory).to(memory.dtype)], dim=1)
    out = model(base, memory, frame, depth)
    return torch.where(score >= copy_memory_at, memory[:, :3], out)


@torch.no_grad()
def evaluate(model: Upsampler, held: dict[str, torch.Tensor], chunk: int = 16, copy_memory_at: float = 0.0) -> dict[str, float]:
    """Held-out PSNR of what is shown and of the two baselines, whole frames."""
    outs = [shown(model, *(held[n][k: k + chunk] for n in ("base", "memory", "frame", "depth")), copy_memory_at=copy_memory_at)
            for k in range(0, len(held["base"]), chunk)]
    truth, out = held["truth"], torch.cat(outs)
    warped = warp(held["base"], held["memory"])
    truth_energy = crop_gradient_energy(truth).sum().item()

    def detail(img: torch.Tensor) -> float:  # eval-fidelity's detail ratio: summed edge energy over the truth's
        return round(crop_gradient_energy(img.clamp(-1, 1)).sum().item() / truth_energy, 3) if truth_energy > 0 else float("nan")

    return {"heldoutPsnr": round(frame_psnr(out, truth), 3),
            "heldoutPsnrBicubic": round(frame_psnr(held["base"], truth), 3),
            "heldoutPsnrWarp": round(frame_psnr(warped, truth), 3),
            "heldoutDetailRatio": detail(out), "heldoutDetailRatioBicubic": detail(held["base"]),
            "heldoutDetailRatioWarp": detail(warped),
            "heldoutSamples": len(truth), "heldoutCoverage": round(covered(held["memory"]).float().mean().item(), 4)}


def check_memory_channel(config: UpsamplerConfig, data: UpsamplerData, checkpoint: str, copy_memory_at: float = 0.0) -> None:
    """Raises unless the checkpoint's net was trained on the data's kind of memory channel 3: the
    shapes match either way, so nothing else would notice a net fed confidence it never saw.
    A net trained with copy_memory_at needs confidence data, whichever it reads (`shown` makes
    coverage of it for a coverage net)."""
    if copy_memory_at > 0:
        if data.memory_channel != "confidence":
            raise SystemExit(f"train_upsampler: --copy-memory-at needs data dumped with `upsampler-data --memory-channel "
                             f"confidence` (found {data.memory_channel} in {checkpoint}'s data)")
        return
    if config.memory_channel != data.memory_channel:
        raise SystemExit(f"train_upsampler: {checkpoint} was trained with memory channel {config.memory_channel!r}, "
                         f"the data ({', '.join(f.path for f in data.folders)}) holds {data.memory_channel!r}; "
                         f"use data dumped with `upsampler-data --memory-channel {config.memory_channel}`, "
                         f"or a checkpoint trained on {data.memory_channel} data (a new run: another --out)")


def save_checkpoint(path: str, state: dict[str, Any]) -> None:
    tmp = f"{path}.tmp"
    torch.save(state, tmp)
    os.replace(tmp, path)  # never a half-written last.pt


def hardware() -> str:
    return f"CPU, {torch.get_num_threads()} thread(s) of {os.cpu_count()} cores, PyTorch {torch.__version__}"


class Trainer:
    def __init__(self, data: UpsamplerData, model_config: UpsamplerConfig, config: TrainConfig, out: str,
                 command: str, far: Optional[float], resume: Optional[dict[str, Any]] = None) -> None:
        self.data, self.config, self.out, self.command = data, config, out, command
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(config.seed)
            self.model = Upsampler(model_config)  # the same initial weights for a seed
        self.ema = Ema(self.model, EmaConfig(config.ema_decay))
        self.optim = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        self.step, self.past_seconds, self.metrics = 0, 0.0, {}
        self.best_psnr = float("-inf")
        self.far = far
        if resume is not None:
            self.model.load_state_dict(resume.get("raw_model", resume["model"]))
            self.ema.load_state_dict(resume["model"])
            self.optim.load_state_dict(resume["optimizer"])
            for group in self.optim.param_groups:
                group["lr"] = config.lr
            self.step, self.metrics = resume["step"], resume.get("metrics", {})
            self.past_seconds = resume["training"]["seconds"]
            self.best_psnr = resume.get("bestPsnr", float("-inf"))
            self.far = far if far is not None else resume.get("far")
        self.held = data.heldout_batch(config.eval_samples) if data.heldout else None
        os.makedirs(out, exist_ok=True)

    def log(self, record: dict[str, Any]) -> None:
        with open(os.path.join(self.out, LOG), "a", encoding="utf-8") as f:
            f.write(json.dumps(record) + "\n")
        print(" ".join(f"{k} {v}" for k, v in record.items()), file=sys.stderr, flush=True)

    def train_step(self) -> float:
        rng = np.random.default_rng(np.random.SeedSequence([self.config.seed, self.step]))
        batch = self.data.batch(self.config.batch_size, rng)
        out = shown(self.model, batch["base"], batch["memory"], batch["frame"], batch["depth"],
                    self.config.copy_memory_at)  # (B, 3, c·s, c·s)
        loss = loss_fn(out, batch["truth"], self.config.grad_weight, self.config.detail_weight)
        self.optim.zero_grad(set_to_none=True)
        loss.backward()
        self.optim.step()
        self.ema.update(self.model, self.step)
        self.step += 1
        return loss.item()

    def state(self, seconds: float) -> dict[str, Any]:
        cfg = self.config
        return {
            "config": self.model.config.to_dict(), "model": self.ema.state_dict(), "raw_model": self.model.state_dict(),
            "optimizer": self.optim.state_dict(), "step": self.step, "trainConfig": dataclasses.asdict(cfg),
            "bestPsnr": self.best_psnr, "far": self.far, "data": [f.path for f in self.data.folders], "metrics": self.metrics,
            "training": {"command": self.command, "hardware": hardware(), "steps": self.step,
                         "seconds": round(self.past_seconds + seconds, 1), "samples": len(self.data.train),
                         "data": [{"path": f.path, "samples": f.samples, "source": f.meta.get("source")}
                                  for f in self.data.folders]},
        }

    def evaluate(self, seconds: float) -> None:
        """Held-out metrics into self.metrics and the log; OUT/best.pt when they are the best yet."""
        self.metrics = evaluate(self.ema.model, self.held, copy_memory_at=self.config.copy_memory_at)
        self.log({"step": self.step, **self.metrics})
        if self.metrics["heldoutPsnr"] > self.best_psnr:
            self.best_psnr = self.metrics["heldoutPsnr"]
            self.metrics = {**self.metrics, "selectedOnHeldout": True}  # say so wherever the numbers go
            save_checkpoint(os.path.join(self.out, BEST), self.state(seconds))

    def run(self) -> None:
        cfg, start = self.config, time.time()
        params, flops = cost(self.model.config)
        print(f"upsampler {params:,} params, {flops / 1e9:.4f} GFLOP per frame; {len(self.data.train)} train / "
              f"{len(self.data.heldout)} held-out samples; step {self.step}; {hardware()}", file=sys.stderr, flush=True)
        losses: list[float] = []
        last_log = 0.0
        while self.step < cfg.steps and not (cfg.seconds and time.time() - start >= cfg.seconds):
            losses.append(self.train_step())
            if self.step % cfg.log_every == 0:
                wall = time.time() - start
                self.log({"step": self.step, "loss": round(float(np.mean(losses)), 5),
                          "cropsPerSec": round(len(losses) * cfg.batch_size / max(wall - last_log, 1e-9), 1),
                          "wallTimeSeconds": round(self.past_seconds + wall, 1)})
                losses, last_log = [], wall
            if self.held is not None and self.step % cfg.eval_every == 0:
                self.evaluate(time.time() - start)
            if self.step % cfg.checkpoint_every == 0:
                save_checkpoint(os.path.join(self.out, CHECKPOINT), self.state(time.time() - start))
        if self.held is not None and self.step > 0 and self.step % cfg.eval_every != 0:
            self.evaluate(time.time() - start)
        elapsed = time.time() - start
        save_checkpoint(os.path.join(self.out, CHECKPOINT), self.state(elapsed))
        self.past_seconds += elapsed  # what state(0) reports from now on


def parse_args(argv: Optional[list[str]] = None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description="Train the display upsampler.")
    p.add_argument("--data", action="append", required=True, help="dump folder (repeat for more)")
    p.add_argument("--out", required=True, help="run folder: last.pt, log.jsonl")
    p.add_argument("--resume", action="store_true", help="continue OUT/last.pt (its settings unless given again)")
    p.add_argument("--export", help="after training, export model.onnx + manifest.json here")
    p.add_argument("--evaluate", metavar="CHECKPOINT",
                   help="no training: print the held-out metrics of this checkpoint (--eval-samples of them) as JSON")
    p.add_argument("--far", type=float, help="camera far for the manifest (default: the data's meta)")
    p.add_argument("--threads", type=int, help="torch threads (default: all cores)")
    for f in dataclasses.fields(TrainConfig):
        p.add_argument(f"--{f.name.replace('_', '-')}", type=type(f.default), default=None)
    for name in ("channels", "layers", "crop"):
        p.add_argument(f"--{name}", type=int, default=None)
    p.add_argument("--no-gate", action="store_true", help="without the memory gate (new runs only)")
    p.add_argument("--mean-free", action="store_true",
                   help="residual zero-mean over each model pixel's block: detail, no colour shifts (new runs only)")
    p.add_argument("--memory-over-residual", action="store_true",
                   help="where the gate copies memory it copies memory alone, without the residual (new runs only)")
    p.add_argument("--net-reads-confidence", action="store_true",
                   help="with --copy-memory-at: the net reads memory's confidence, not coverage (new runs only)")
    return p.parse_args(argv)


def main(argv: Optional[list[str]] = None) -> None:
    args = parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.evaluate:
        from models.export_upsampler import load_checkpoint

        model, ckpt = load_checkpoint(args.evaluate)
        data = UpsamplerData(args.data)
        copy_at = args.copy_memory_at if args.copy_memory_at is not None else ckpt.get("trainConfig", {}).get("copy_memory_at", 0.0)
        check_memory_channel(model.config, data, args.evaluate, copy_at)
        print(json.dumps(evaluate(model, data.heldout_batch(args.eval_samples or TrainConfig().eval_samples), copy_memory_at=copy_at)))
        return
    path = os.path.join(args.out, CHECKPOINT)
    resume = torch.load(path, map_location="cpu") if args.resume and os.path.exists(path) else None
    base_cfg = TrainConfig(**resume["trainConfig"]) if resume else TrainConfig()
    config = dataclasses.replace(base_cfg, **{f.name: getattr(args, f.name) for f in dataclasses.fields(TrainConfig)
                                              if getattr(args, f.name) is not None})
    if args.net_reads_confidence and not config.copy_memory_at:
        raise SystemExit("train_upsampler: --net-reads-confidence goes with --copy-memory-at (without it the net reads what the data holds)")
    if not 0 <= config.copy_memory_at <= 1:
        raise SystemExit(f"train_upsampler: --copy-memory-at takes a memory score in (0, 1] (0: off), found {config.copy_memory_at}")
    data = UpsamplerData(args.data, DataConfig(**({"crop": args.crop} if args.crop else {})))
    if resume:
        model_config = UpsamplerConfig.from_dict(resume["config"])
    else:
        model_config = UpsamplerConfig(scale=data.scale, width=data.width, height=data.height,
                                       **{k: getattr(args, k) for k in ("channels", "layers") if getattr(args, k)},
                                       memory_gate=not args.no_gate, residual_mean_free=args.mean_free,
                                       memory_over_residual=args.memory_over_residual,
                                       memory_channel=("confidence" if args.net_reads_confidence else "coverage")
                                       if config.copy_memory_at > 0 else data.memory_channel)
    if (model_config.scale, model_config.width, model_config.height) != (data.scale, data.width, data.height):
        raise SystemExit(f"train_upsampler: checkpoint is {model_config.width}x{model_config.height} x{model_config.scale}, "
                         f"the data {data.width}x{data.height} x{data.scale}")
    check_memory_channel(model_config, data, path if resume else "the new net", config.copy_memory_at)
    command = "/usr/bin/python3 -m models.train_upsampler " + shlex.join(sys.argv[1:] if argv is None else argv)
    if resume:
        command = resume["training"]["command"] + " ; " + command
    trainer = Trainer(data, model_config, config, args.out, command, args.far if args.far else data.far, resume)
    trainer.run()
    if args.export:
        from models.export_upsampler import export_folder

        state = trainer.state(0.0)
        far = trainer.far if trainer.far is not None else 60.0
        manifest = export_folder(trainer.ema.model, args.export, "upsampler", far, state["training"], trainer.metrics,
                                 copy_memory_at=config.copy_memory_at or None)
        print(f"exported {args.export} ({manifest['architecture']['params']:,} params)", file=sys.stderr)


if __name__ == "__main__":
    main()
