"""Timing shared by the PyTorch peers: one warm-up call, then `repeats` timed calls."""
import json
import statistics
import time

import torch


def report_step_times(step, repeats):
    """Runs `step` once untimed and `repeats` times timed; prints the JSON line the harness reads."""
    step()
    samples = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        step()
        samples.append(time.perf_counter() - t0)
    print(json.dumps({"seconds": statistics.median(samples), "samples": samples,
                      "torch": torch.__version__, "threads": torch.get_num_threads()}))
