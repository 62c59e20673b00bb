"""torchrun that also works with Debian's PyTorch 1.13 on Python 3.11.

    /usr/bin/python3 -m models.torchrun --standalone --nproc_per_node=2 -m models.train --data DIR --out runs/ddp ...

PyTorch 1.13 parses --redirects and --tee (default "0") by iterating the IntFlag `Std`;
Python 3.11 no longer yields the zero member (nor multi-bit ones) when iterating a flag,
so the parse returns None and the launcher dies with "'NoneType' object has no attribute
'get'". This wrapper replaces that parse with a plain Std(int) lookup and then runs
torch.distributed.run unchanged. Where torchrun works (PyTorch 2.x) it changes nothing,
and plain `torchrun` is equivalent there.
"""
from __future__ import annotations

import re
from typing import Union

from torch.distributed.elastic.multiprocessing import api


def _from_str(vm: str) -> Union["api.Std", dict[int, "api.Std"]]:
    if re.match(r"^[0123]$", vm):
        return api.Std(int(vm))
    if re.match(r"^(\d:[0123],)*(\d:[0123])$", vm):
        return {int(k): api.Std(int(v)) for k, v in (pair.split(":") for pair in vm.split(","))}
    raise ValueError(f"models.torchrun: {vm!r} does not match a value (0-3) or a mapping like 0:1,1:2")


def main() -> None:
    if api.Std.from_str("0") is None:  # the Python 3.11 + PyTorch 1.13 case
        api.Std.from_str = staticmethod(_from_str)  # type: ignore[assignment]
    from torch.distributed import run

    run.main()


if __name__ == "__main__":
    main()
