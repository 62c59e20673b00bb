"""Makes `models` importable when pytest runs from the repo root or from anywhere else,
and provides the synthetic datasets the data, training and evaluation tests share.

    /usr/bin/python3 -m pytest -q models/tests
"""
import os
import sys

# Before anything loads PyTorch's OpenMP: sleeping, not spinning, idle threads keep the
# suite's time steady on a shared 2-core machine (models/README.md, "Training").
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

import pytest  # noqa: E402

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if REPO_ROOT not in sys.path:
    sys.path.insert(0, REPO_ROOT)


@pytest.fixture(scope="session")
def synthetic_data(tmp_path_factory) -> str:
    """6 episodes x 48 ticks at 32x32 (the tiny preset's size); treat as read-only."""
    from models.tests.synthetic import write_synthetic_dataset

    root = str(tmp_path_factory.mktemp("synthetic"))
    write_synthetic_dataset(root, episodes=6, ticks=48, width=32, height=32, seed=0)
    return root
