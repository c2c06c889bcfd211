"""Timing matrix products fairly on the CPU and, when present, on a CUDA GPU.

GPU kernels run asynchronously: the Python call returns before the work is done, so a
timer must wait for the device (``torch.cuda.synchronize``) before reading the clock, and
the first call pays one-off start-up costs, so it is run once untimed. Introduced in lesson
"Tensors and matrix multiplication".
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import torch

from dlcourse.runtime import seeded_generator


def synchronize(device: torch.device) -> None:
    """Wait until every queued kernel on ``device`` has finished (no-op on the CPU)."""
    if device.type == "cuda":
        torch.cuda.synchronize(device)


@dataclass(frozen=True)
class MatmulTiming:
    size: int
    device: str
    seconds: float  # best of the repeats

    @property
    def gflops(self) -> float:
        """Billions of floating-point operations per second: an n x n product costs 2 n^3."""
        return 2 * self.size**3 / self.seconds / 1e9


def time_matmul(
    size: int, device: torch.device, *, repeats: int = 3, dtype: torch.dtype = torch.float32
) -> MatmulTiming:
    """Best time of ``repeats`` products of two random ``size x size`` matrices on ``device``."""
    generator = seeded_generator(0)
    a = torch.randn(size, size, generator=generator, dtype=dtype).to(device)  # (n, n)
    b = torch.randn(size, size, generator=generator, dtype=dtype).to(device)  # (n, n)
    a @ b  # warm-up: kernel selection, memory pools
    synchronize(device)
    best = float("inf")
    for _ in range(repeats):
        start = time.perf_counter()
        a @ b
        synchronize(device)
        best = min(best, time.perf_counter() - start)
    return MatmulTiming(size, str(device), best)
