"""DDP: two gloo processes under torchrun train the tiny model and rank 0 writes the checkpoint.

    /usr/bin/python3 -m pytest -q models/tests/test_ddp.py
"""
import os
import subprocess
import sys

from models.train import CHECKPOINT, load_checkpoint_file

from .conftest import REPO_ROOT


def test_torchrun_two_processes(synthetic_data: str, tmp_path) -> None:
    out = str(tmp_path)
    env = {k: v for k, v in os.environ.items() if k not in ("RANK", "WORLD_SIZE", "LOCAL_RANK", "MASTER_PORT")}
    # models.torchrun is torchrun with PyTorch 1.13's Python 3.11 crash fixed (see its docstring)
    command = [sys.executable, "-m", "models.torchrun", "--standalone", "--nproc_per_node=2",
               "-m", "models.train", "--data", synthetic_data, "--preset", "tiny", "--out", out,
               "--steps", "4", "--batch-size", "8", "--log-every", "2", "--sample-every", "4"]
    done = subprocess.run(command, cwd=REPO_ROOT, env=env, capture_output=True, text=True, timeout=60)
    output = done.stdout + done.stderr
    assert done.returncode == 0, output
    assert "rank 0/2 on cpu (gloo), 4 samples per step" in output
    assert "rank 1/2 on cpu (gloo), 4 samples per step" in output
    assert output.count("step      4/4") == 1  # rank 0 alone logs
    ckpt = load_checkpoint_file(os.path.join(out, CHECKPOINT))
    assert ckpt["step"] == 4 and ckpt["training"]["batchSize"] == 8
    assert ckpt["training"]["command"].startswith("torchrun --nproc_per_node=2 -m models.train")
    assert "2 process(es)" in ckpt["training"]["hardware"]
    assert os.path.isfile(os.path.join(out, "samples", "step-000004.png"))
