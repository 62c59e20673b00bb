"""One place for tracing a PyTorch module to an ONNX file, as both exporters (the world model's,
models/export.py, and the display upsampler's, models/export_upsampler.py) do it."""
from __future__ import annotations

import inspect
import warnings
from typing import Any, Optional

import onnx
import torch
from torch import nn


def trace_to_onnx(module: nn.Module, inputs: tuple[torch.Tensor, ...], path: str, input_names: list[str],
                  output_names: list[str], opset: int,
                  dynamic_axes: Optional[dict[str, dict[int, str]]] = None) -> onnx.ModelProto:
    """Traces `module` (in eval mode) with the TorchScript exporter into `path` and returns the
    file as loaded back. The TorchScript exporter, because PyTorch >= 2.9 defaults to dynamo,
    whose graphs the runtime's checks were not written for; the tracer's warnings (F.group_norm's
    batch check, shape notes) are known and harmless here."""
    kwargs: dict[str, Any] = {}
    if "dynamo" in inspect.signature(torch.onnx.export).parameters:
        kwargs["dynamo"] = False
    if dynamic_axes is not None:
        kwargs["dynamic_axes"] = dynamic_axes
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
        warnings.filterwarnings("ignore", message="The shape inference of prim::Constant")
        torch.onnx.export(module.eval(), inputs, path, input_names=input_names, output_names=output_names,
                          opset_version=opset, do_constant_folding=True, **kwargs)
    return onnx.load(path)
