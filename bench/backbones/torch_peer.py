#!/usr/bin/python3
"""PyTorch CPU peer for bench/backbones: times a torchvision network's forward pass in eval mode.

Usage: torch_peer.py ARCH SIZE BATCH REPEATS [ONNX_OUT]
  ARCH: mobilenet_v2 (features pooled to 1280-d) or vgg16 (fc7, 4096-d)
  ONNX_OUT: also export the same network (random weights, dynamic batch) to this .onnx path for the
  ONNX Runtime engine.
Prints one JSON line: {"seconds": median seconds per batch, "samples": [...], "threads": n}.
"""
import json
import statistics
import sys
import time

import torch
import torch.nn as nn
from torchvision import models


def build(arch):
    torch.manual_seed(0)
    if arch == 'mobilenet_v2':
        net = models.mobilenet_v2()
        return nn.Sequential(net.features, nn.AdaptiveAvgPool2d(1), nn.Flatten())
    if arch == 'vgg16':
        net = models.vgg16()
        net.classifier = net.classifier[:5]  # fc6, relu, dropout, fc7, relu
        return net
    raise SystemExit(f'unknown arch {arch}: expected mobilenet_v2 or vgg16')


def main():
    arch, size, batch, repeats = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    # The same two cores the TypeScript engines use.
    torch.set_num_threads(2)
    model = build(arch).eval()
    x = torch.randn(batch, 3, size, size)
    if len(sys.argv) > 5:
        torch.onnx.export(model, x, sys.argv[5], input_names=['input'], output_names=['features'],
                          dynamic_axes={'input': {0: 'batch'}, 'features': {0: 'batch'}},
                          opset_version=13)
    samples = []
    with torch.no_grad():
        model(x)
        for _ in range(repeats):
            t0 = time.perf_counter()
            model(x)
            samples.append(time.perf_counter() - t0)
    print(json.dumps({'seconds': statistics.median(samples), 'samples': samples,
                      'threads': torch.get_num_threads()}))


if __name__ == '__main__':
    main()
