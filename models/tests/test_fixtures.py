"""The committed fixtures in tests/fixtures/ are valid and match the current code.

    /usr/bin/python3 -m pytest -q models/tests/test_fixtures.py

If this fails after a model change, regenerate them with the commands in
tests/fixtures/README.md.
"""
import os

import numpy as np
import onnx
import pytest
from onnx import numpy_helper

from models.config import get_preset
from models.export import random_model
from models.manifest import check_model_folder
from models.reference import read_reference, run_case
from models.sampler import build_sigmas

from .conftest import REPO_ROOT

FIXTURES = os.path.join(REPO_ROOT, "tests", "fixtures")
SEED = 0  # the seed the README's commands use


@pytest.mark.parametrize("preset", ["tiny", "tiny-streams"])
def test_fixture_is_current(preset: str) -> None:
    folder = os.path.join(FIXTURES, preset)
    for name in ("model.onnx", "manifest.json", "reference.bin", "reference.json"):
        assert os.path.isfile(os.path.join(folder, name)), f"missing {preset}/{name}"
    assert os.path.getsize(os.path.join(folder, "model.onnx")) < 1_000_000
    manifest = check_model_folder(folder)
    assert manifest["id"] == preset and manifest["training"] is None

    model = random_model(get_preset(preset), SEED)
    # the weights in the ONNX file are the ones this code builds from the seed ...
    graph = onnx.load(os.path.join(folder, "model.onnx")).graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    expected = model.net.conv_out.weight.detach().numpy()
    np.testing.assert_array_equal(weights["denoiser.net.conv_out.weight"], expected)
    assert manifest["architecture"]["params"] == sum(p.numel() for p in model.parameters())
    # ... and PyTorch still produces the recorded outputs
    index, cases = read_reference(folder)
    assert index["sigmas"] == build_sigmas(3, 0.002, 5.0, 7.0)
    for case in cases:
        expected = case["outputs"]["denoised"]
        np.testing.assert_allclose(run_case(model, case["inputs"]), expected, rtol=0, atol=1e-5)
