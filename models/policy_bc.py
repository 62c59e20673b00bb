"""Behaviour cloning: a small CNN policy trained on scripted demonstrations, exported to ONNX.

    npx nextframe record-demos --task all --episodes 120 --out runs/policy-demos
    /usr/bin/python3 -m models.policy_bc --demos runs/policy-demos --out public/policies/bc-cnn

The demonstrations come from a privileged expert (it reads physics state) acting in the
ground-truth environment; the student sees only what any policy sees: the RGB image and the
target's colour. Actions are a small discrete table (walk, walk-and-turn, turn, ...), so the
student is a classifier: a mode average of "turn left" and "turn right" would be a useless
"go straight", argmax is not. The table travels from the demos (`actions.json`) to the
exported `policy.json`, so TypeScript never hard-codes it.

Demonstration folder: `actions.json` (list of intents) and one folder per episode holding
`images.npy` uint8 [T,H,W,3], `targets.npy` uint8 [T,6] (the target's RGB, the goal's RGB or
0s) and `actions.npy` uint8 [T] (row index into the table), as the dataset format does it:
plain .npy that any tool reads.

ONNX I/O: `image` [B,3,H,W] float32 in [-1, 1] (row 0 at the top, the project's frame layout),
`target` [B,6] float32 in [-1, 1] (the target's RGB, then the goal's RGB for push tasks, -1 when
there is none) -> `logits` [B,A]. Opset 17, dynamic batch, no int64 inputs.
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import time
from dataclasses import asdict, dataclass, field
from typing import Any, Dict, List, Sequence, Tuple

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

POLICY_FILE = "policy.json"
MODEL_FILE = "policy.onnx"


@dataclass
class PolicyBCConfig:
    width: int = 64
    height: int = 64
    channels: Tuple[int, ...] = (16, 32, 48, 64)  # one stride-2 conv each: 64 -> 4 pixels
    hidden: int = 128
    target_dim: int = 6  # target RGB + goal RGB
    epochs: int = 4  # held-out accuracy flattens by the 4th pass (0.787 -> 0.793); a pass is 4-6 min on 2 shared CPU cores
    batch_size: int = 128
    lr: float = 2e-3
    weight_decay: float = 1e-4
    val_fraction: float = 0.1  # held out by episode file, not by frame: frames of one episode are near-duplicates
    seed: int = 0
    threads: int = 2
    # Augmentation against the gap between renderer and world model: the world model's frames are
    # blurrier and their colours drift a little, so the student is trained on both.
    blur_prob: float = 0.5
    colour_jitter: float = 0.12
    # Mirror image and swap left/right actions. Off by default: the expert searches by always
    # turning left when the target is out of view (so the student can copy it from pixels), and a
    # mirrored copy would teach "turn right" for the same empty view.
    flip: bool = False
    extra: Dict[str, Any] = field(default_factory=dict)


class PolicyCNN(nn.Module):
    """Image + target (and goal) colour -> action logits.

    The colours enter as constant planes beside the image (early fusion), so the
    first convolution can compare every pixel with it: "where is the thing of this colour" is
    then a local question, which a small CNN answers far better than matching a colour vector
    against a flattened feature map at the end.
    """

    def __init__(self, config: PolicyBCConfig, num_actions: int) -> None:
        super().__init__()
        layers: List[nn.Module] = []
        c_in = 3 + config.target_dim
        for c_out in config.channels:
            layers += [nn.Conv2d(c_in, c_out, 3, stride=2, padding=1), nn.GroupNorm(4, c_out), nn.SiLU()]
            c_in = c_out
        self.features = nn.Sequential(*layers)
        side_h = config.height // 2 ** len(config.channels)
        side_w = config.width // 2 ** len(config.channels)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c_in * side_h * side_w + config.target_dim, config.hidden),
            nn.SiLU(),
            nn.Linear(config.hidden, num_actions),
        )

    def forward(self, image: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        b, _, h, w = image.shape
        t = target.shape[1]
        planes = target.view(b, t, 1, 1).expand(b, t, h, w)  # (B, T, H, W)
        x = self.features(torch.cat([image, planes], dim=1))  # (B, C, H/16, W/16)
        x = torch.cat([x.flatten(1), target], dim=1)  # (B, C*h*w + T)
        return self.head(x)  # (B, A)


def load_demonstrations(root: str) -> Tuple[List[Dict[str, np.ndarray]], List[Dict[str, Any]]]:
    """Episodes (one dict of arrays per .npz) and the action table, checked for consistency."""
    table_path = os.path.join(root, "actions.json")
    if not os.path.exists(table_path):
        raise FileNotFoundError(f"policy_bc: no actions.json in {root}; record demonstrations with `npx nextframe record-demos`.")
    with open(table_path) as f:
        table = json.load(f)
    folders = sorted(os.path.dirname(p) for p in glob.glob(os.path.join(root, "*", "actions.npy")))
    if not folders:
        raise FileNotFoundError(f"policy_bc: no episode folders (*/actions.npy) in {root}.")
    episodes = []
    for path in folders:
        ep = {k: np.load(os.path.join(path, f"{k}.npy")) for k in ("images", "targets", "actions")}
        t = len(ep["actions"])
        if ep["images"].shape[0] != t or ep["targets"].ndim != 2 or ep["targets"].shape[0] != t or ep["images"].dtype != np.uint8:
            raise ValueError(f"policy_bc: {path}: expected images uint8 [T,H,W,3], targets [T,6], actions [T]; found {ep['images'].shape} {ep['images'].dtype}, {ep['targets'].shape}, {ep['actions'].shape}.")
        if ep["actions"].max(initial=0) >= len(table):
            raise ValueError(f"policy_bc: {path}: action index {int(ep['actions'].max())} is outside the table of {len(table)}.")
        episodes.append(ep)
    return episodes, table


def mirror_table(table: Sequence[Dict[str, Any]]) -> List[int]:
    """Index of each action's mirror image (turn and strafe negated); itself when symmetric."""
    out = []
    for a in table:
        mirrored = {**a, "yawRate": -a.get("yawRate", 0.0), "strafe": -a.get("strafe", 0.0)}
        matches = [j for j, b in enumerate(table) if all(abs(float(mirrored.get(k, 0)) - float(b.get(k, 0))) < 1e-9 for k in ("forward", "strafe", "yawRate", "pitchRate"))
                   and bool(mirrored.get("interact", False)) == bool(b.get("interact", False)) and bool(mirrored.get("jump", False)) == bool(b.get("jump", False))]
        out.append(matches[0] if matches else -1)
    return out


def to_tensors(episodes: Sequence[Dict[str, np.ndarray]]) -> Tuple[torch.Tensor, torch.Tensor, torch.Tensor]:
    images = torch.from_numpy(np.concatenate([e["images"] for e in episodes]))  # (N, H, W, 3) uint8
    targets = torch.from_numpy(np.concatenate([e["targets"] for e in episodes]).astype(np.float32) / 127.5 - 1)  # (N, 6)
    actions = torch.from_numpy(np.concatenate([e["actions"] for e in episodes]).astype(np.int64))  # (N,)
    return images, targets, actions


def prepare(images_u8: torch.Tensor) -> torch.Tensor:
    """uint8 (B, H, W, 3) -> float (B, 3, H, W) in [-1, 1], the project's frame layout."""
    return images_u8.permute(0, 3, 1, 2).float() / 127.5 - 1


def augment(image: torch.Tensor, actions: torch.Tensor, mirror: torch.Tensor, config: PolicyBCConfig, gen: torch.Generator) -> Tuple[torch.Tensor, torch.Tensor]:
    b = image.shape[0]
    if config.blur_prob > 0:
        kernel = torch.tensor([1.0, 2.0, 1.0]) / 4
        k2 = (kernel[:, None] * kernel[None, :]).expand(3, 1, 3, 3)
        blurred = F.conv2d(F.pad(image, (1, 1, 1, 1), mode="replicate"), k2, groups=3)
        pick = (torch.rand(b, 1, 1, 1, generator=gen) < config.blur_prob).float()
        image = pick * blurred + (1 - pick) * image
    if config.colour_jitter > 0:
        gain = 1 + config.colour_jitter * (2 * torch.rand(b, 3, 1, 1, generator=gen) - 1)
        shift = config.colour_jitter * (2 * torch.rand(b, 1, 1, 1, generator=gen) - 1)
        image = ((image + 1) * gain - 1 + shift).clamp(-1, 1)
    if config.flip:
        flip = (torch.rand(b, generator=gen) < 0.5) & (mirror[actions] >= 0)
        image = torch.where(flip[:, None, None, None], image.flip(3), image)
        actions = torch.where(flip, mirror[actions], actions)
    return image, actions


def log_line(text: str) -> None:
    print(text, flush=True)  # training runs for minutes: show progress even when piped


def train(config: PolicyBCConfig, episodes: Sequence[Dict[str, np.ndarray]], table: Sequence[Dict[str, Any]], log: Any = log_line) -> Tuple[PolicyCNN, Dict[str, Any]]:
    """Train on all but the held-out episodes; returns the model and a history of losses."""
    torch.manual_seed(config.seed)
    torch.set_num_threads(config.threads)
    gen = torch.Generator().manual_seed(config.seed)
    order = torch.randperm(len(episodes), generator=gen).tolist()
    n_val = int(round(len(episodes) * config.val_fraction)) if len(episodes) > 1 else 0
    val_eps = [episodes[i] for i in order[:n_val]]
    train_eps = [episodes[i] for i in order[n_val:]]
    images, targets, actions = to_tensors(train_eps)
    if targets.shape[1] != config.target_dim:
        raise ValueError(f"policy_bc: demonstrations have {targets.shape[1]} target values per frame, the config expects {config.target_dim}.")
    if images.shape[1:] != (config.height, config.width, 3):
        raise ValueError(f"policy_bc: demonstrations are {tuple(images.shape[1:3])} pixels, the config expects {(config.height, config.width)}.")
    mirror = torch.tensor(mirror_table(table))
    model = PolicyCNN(config, len(table))
    optimiser = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    steps_per_epoch = max(1, len(actions) // config.batch_size)
    schedule = torch.optim.lr_scheduler.OneCycleLR(optimiser, max_lr=config.lr, total_steps=config.epochs * steps_per_epoch)
    # Class weights: turning frames are rarer than walking ones, but getting them wrong is what loses episodes.
    counts = torch.bincount(actions, minlength=len(table)).float()
    weights = (counts.sum() / counts.clamp(min=1) / len(table)).clamp(max=5.0)
    history: Dict[str, Any] = {"train_loss": [], "val_loss": [], "val_accuracy": [], "frames": int(len(actions)), "val_frames": 0}
    started = time.time()
    for epoch in range(config.epochs):
        model.train()
        perm = torch.randperm(len(actions), generator=gen)
        total = 0.0
        for s in range(steps_per_epoch):
            idx = perm[s * config.batch_size:(s + 1) * config.batch_size]
            image, label = augment(prepare(images[idx]), actions[idx], mirror, config, gen)
            loss = F.cross_entropy(model(image, targets[idx]), label, weight=weights)
            optimiser.zero_grad(set_to_none=True)
            loss.backward()
            optimiser.step()
            schedule.step()
            total += float(loss)
            if (s + 1) % 50 == 0:
                log(f"  step {s + 1}/{steps_per_epoch}: loss {total / (s + 1):.3f} ({time.time() - started:.0f} s)")
        history["train_loss"].append(total / steps_per_epoch)
        if val_eps:
            v_loss, v_acc, v_n = evaluate(model, val_eps)
            history["val_loss"].append(v_loss)
            history["val_accuracy"].append(v_acc)
            history["val_frames"] = v_n
        log(f"epoch {epoch + 1}/{config.epochs}: train loss {history['train_loss'][-1]:.3f}"
            + (f", held-out loss {history['val_loss'][-1]:.3f}, accuracy {history['val_accuracy'][-1]:.3f}" if val_eps else "")
            + f" ({time.time() - started:.0f} s)")
    history["seconds"] = time.time() - started
    return model, history


@torch.no_grad()
def evaluate(model: PolicyCNN, episodes: Sequence[Dict[str, np.ndarray]]) -> Tuple[float, float, int]:
    model.eval()
    images, targets, actions = to_tensors(episodes)
    logits = torch.cat([model(prepare(images[i:i + 512]), targets[i:i + 512]) for i in range(0, len(actions), 512)])
    return float(F.cross_entropy(logits, actions)), float((logits.argmax(1) == actions).float().mean()), int(len(actions))


def export_onnx(model: PolicyCNN, config: PolicyBCConfig, path: str) -> None:
    model.eval()
    example = (torch.zeros(2, 3, config.height, config.width), torch.zeros(2, config.target_dim))  # B > 1: nothing specialises to one
    torch.onnx.export(model, example, path, input_names=["image", "target"], output_names=["logits"], opset_version=17,
                      dynamic_axes={"image": {0: "batch"}, "target": {0: "batch"}, "logits": {0: "batch"}})


def write_policy(out: str, model: PolicyCNN, config: PolicyBCConfig, table: Sequence[Dict[str, Any]], history: Dict[str, Any], provenance: Dict[str, Any]) -> Dict[str, Any]:
    """policy.onnx + policy.json (what the TypeScript loader reads: IO, size, action table)."""
    os.makedirs(out, exist_ok=True)
    export_onnx(model, config, os.path.join(out, MODEL_FILE))
    card = {
        "format": "nextframe.policy",
        "formatVersion": 1,
        "name": "bc-cnn",
        "modelFile": MODEL_FILE,
        "resolution": {"width": config.width, "height": config.height},
        "inputs": {"image": [-1, 3, config.height, config.width], "target": [-1, config.target_dim]},
        "outputs": {"logits": [-1, len(table)]},
        "actions": list(table),
        "training": {**provenance, "config": {k: list(v) if isinstance(v, tuple) else v for k, v in asdict(config).items() if k != "extra"},
                     "params": sum(p.numel() for p in model.parameters()), **history},
    }
    with open(os.path.join(out, POLICY_FILE), "w") as f:
        json.dump(card, f, indent=2)
    return card


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--demos", required=True, help="folder written by `nextframe record-demos`")
    parser.add_argument("--out", required=True, help="folder for policy.onnx and policy.json")
    parser.add_argument("--epochs", type=int, default=PolicyBCConfig.epochs)
    parser.add_argument("--seed", type=int, default=PolicyBCConfig.seed)
    parser.add_argument("--threads", type=int, default=PolicyBCConfig.threads)
    args = parser.parse_args(argv)
    config = PolicyBCConfig(epochs=args.epochs, seed=args.seed, threads=args.threads)
    episodes, table = load_demonstrations(args.demos)
    model, history = train(config, episodes, table)
    meta_path = os.path.join(args.demos, "meta.json")
    demos_meta: Dict[str, Any] = {}
    if os.path.exists(meta_path):
        with open(meta_path) as f:
            demos_meta = json.load(f)
    card = write_policy(args.out, model, config, table, history, {"demonstrations": {"episodes": len(episodes), **demos_meta}, "hardware": "CPU", "torch": torch.__version__})
    print(json.dumps({"out": args.out, "params": card["training"]["params"], "seconds": round(history["seconds"], 1),
                      "trainLoss": history["train_loss"][-1], "valAccuracy": history["val_accuracy"][-1] if history["val_accuracy"] else None}))


if __name__ == "__main__":
    main()
