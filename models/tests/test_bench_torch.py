"""bench_torch times the shipped networks: the upsampler it builds is the shipped architecture.

    /usr/bin/python3 -m pytest -q models/tests/test_bench_torch.py
"""
import json

from models.bench_torch import bench, upsampler_config
from models.flops import count_params
from models.upsampler import Upsampler, cost

MANIFEST = "public/models/upsampler/manifest.json"


def test_the_timed_upsampler_is_the_shipped_architecture() -> None:
    with open(MANIFEST, encoding="utf-8") as f:
        architecture = json.load(f)["architecture"]
    config = upsampler_config(MANIFEST)
    assert count_params(Upsampler(config)) == architecture["params"]
    assert cost(config)[1] == architecture["flopsPerFrame"]


def test_the_report_names_each_timed_case() -> None:
    report = bench("public/models/generalist", MANIFEST, repeats=1, batches=[1, 2])
    assert isinstance(report["device"], str) and report["device"]
    assert report["model"] == "arena"
    assert set(report["modelStepMs"]) >= {"fp32-batch1", "fp32-batch2"}
    assert set(report["upsamplerMs"]) >= {"fp32"}
