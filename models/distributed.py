"""Process-group setup for DDP under torchrun, and the few collectives the trainer needs.

    torchrun --nproc_per_node=2 -m models.train --data DIR --preset tiny --out runs/ddp --steps 20

Without torchrun's environment (WORLD_SIZE unset or 1) everything here is a no-op and
the trainer runs as one process. Backend: nccl on CUDA, gloo on the CPU.
"""
from __future__ import annotations

import os
from dataclasses import dataclass

import torch
import torch.distributed as dist


@dataclass(frozen=True)
class DistInfo:
    rank: int = 0
    world: int = 1
    local_rank: int = 0
    local_world: int = 1
    device: torch.device = torch.device("cpu")
    backend: str = ""  # "" when not distributed

    @property
    def is_main(self) -> bool:
        return self.rank == 0

    @property
    def distributed(self) -> bool:
        return self.world > 1


def setup(prefer_cuda: bool = True) -> DistInfo:
    """Reads torchrun's environment, picks the device, joins the process group if world > 1."""
    world = int(os.environ.get("WORLD_SIZE", "1"))
    rank = int(os.environ.get("RANK", "0"))
    local_rank = int(os.environ.get("LOCAL_RANK", "0"))
    local_world = int(os.environ.get("LOCAL_WORLD_SIZE", str(world)))
    cuda = prefer_cuda and torch.cuda.is_available()
    if cuda:
        torch.cuda.set_device(local_rank % torch.cuda.device_count())
        device = torch.device("cuda", torch.cuda.current_device())
    else:
        device = torch.device("cpu")
    backend = ""
    if world > 1:
        backend = "nccl" if cuda else "gloo"
        dist.init_process_group(backend=backend)
    return DistInfo(rank, world, local_rank, local_world, device, backend)


def cleanup(info: DistInfo) -> None:
    if info.distributed and dist.is_initialized():
        dist.barrier()
        dist.destroy_process_group()


def all_mean(info: DistInfo, values: list[float]) -> list[float]:
    """Mean of each value over the processes (identity in one process)."""
    if not info.distributed:
        return values
    t = torch.tensor(values, dtype=torch.float64, device=info.device)
    dist.all_reduce(t)
    return (t / info.world).tolist()


def any_true(info: DistInfo, flag: bool) -> bool:
    """True on every process if it is True on any (so all stop at the same step)."""
    if not info.distributed:
        return flag
    t = torch.tensor([1.0 if flag else 0.0], device=info.device)
    dist.all_reduce(t, op=dist.ReduceOp.MAX)
    return bool(t.item() > 0)
