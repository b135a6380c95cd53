#!/usr/bin/python3
"""Writes the PyTorch reference fixtures under src/__fixtures__/torch/ for @zs-sbir/backbones.

Regenerate (Debian python3-torch 1.13 + python3-torchvision 0.14, no other package needed):

    /usr/bin/python3 packages/backbones/scripts/make-torch-fixture.py

What it writes, all small enough to commit:

- vgg16-narrow.safetensors: a randomly initialised torchvision VGG16 (the same 13 conv + 3 linear
  layout and state_dict names) with narrow widths: conv stages 8/16/32/32/32 channels, fc6/fc7 64
  units, and a 16-unit `classifier.6` standing for SEM-PCYC's 512-d adapter.
  vgg16-narrow-io.safetensors: `input` [3, 64, 64, 3] (NHWC), `fc7` [3, 64] (after ReLU, eval
  mode), `adapter` [3, 16]. A 64 px input leaves a 2x2 map that AdaptiveAvgPool2d((7, 7)) spreads
  to 7x7, so fc6 sees a CHW flatten of a map with real spatial structure.
- resnet50-narrow.safetensors: torchvision's ResNet-50 layout (Bottleneck blocks 3/4/6/3,
  downsample branches, batch norm with running statistics) at base width 8 instead of 64, so the
  pooled vector has 8 * 8 * 4 = 256 dims. resnet50-narrow-io.safetensors: `input` [3, 64, 64, 3],
  `pooled` [3, 256].
- tiny.onnx: a small conv / batch-norm / linear network exported with torch.onnx.export (dynamic
  batch), input NCHW [batch, 3, 32, 32], output `features` [batch, 10]; tiny-io.safetensors:
  `input` [3, 32, 32, 3] (NHWC) and `features` [3, 10].
- torchvision-shapes.json: every `state_dict` name and shape of the full-size torchvision vgg16
  and resnet50 (no weights), to check the full networks' layouts without storing them.
- dtypes.safetensors + dtypes.json: one small tensor per dtype (F32, F16, BF16, F64, I64) and the
  float values each must decode to.

Weights are drawn with He-scaled normals and batch-norm statistics away from 0/1, so every layout
conversion changes the outputs if it is wrong. The safetensors files are written by hand (8-byte
little-endian header length, JSON header, raw little-endian data), since Debian has no
`safetensors` Python package.
"""
import json
import math
import os
import struct

import numpy as np
import torch
import torch.nn as nn
from torchvision.models import resnet, vgg

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'src', '__fixtures__', 'torch')

DTYPES = {
    np.dtype('float32'): 'F32',
    np.dtype('float16'): 'F16',
    np.dtype('float64'): 'F64',
    np.dtype('int64'): 'I64',
}


def write_safetensors(path, tensors):
    """tensors: name -> numpy array, or (numpy uint16 array of raw bfloat16 bits, 'BF16')."""
    header = {}
    blobs = []
    offset = 0
    for name in sorted(tensors):
        value = tensors[name]
        if isinstance(value, tuple):
            array, dtype = value
        else:
            array, dtype = value, DTYPES[value.dtype]
        raw = np.ascontiguousarray(array).astype(array.dtype.newbyteorder('<')).tobytes()
        header[name] = {'dtype': dtype, 'shape': list(array.shape), 'data_offsets': [offset, offset + len(raw)]}
        blobs.append(raw)
        offset += len(raw)
    text = json.dumps(header, separators=(',', ':')).encode('utf8')
    text += b' ' * ((8 - len(text) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(text)))
        f.write(text)
        for raw in blobs:
            f.write(raw)


def state_dict_arrays(model):
    return {k: v.detach().cpu().numpy() for k, v in model.state_dict().items()}


def nhwc(x):
    return x.permute(0, 2, 3, 1).contiguous().numpy()


def randomise(model, gen):
    """He-scaled weights, non-trivial biases and batch-norm statistics."""
    with torch.no_grad():
        for m in model.modules():
            if isinstance(m, (nn.Conv2d, nn.Linear)):
                fan_in = m.weight[0].numel()
                m.weight.copy_(torch.randn(m.weight.shape, generator=gen) * math.sqrt(2.0 / fan_in))
                if m.bias is not None:
                    m.bias.copy_(torch.randn(m.bias.shape, generator=gen) * 0.1)
            elif isinstance(m, nn.BatchNorm2d):
                n = m.num_features
                m.weight.copy_(0.5 + torch.rand(n, generator=gen))
                m.bias.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_mean.copy_(torch.randn(n, generator=gen) * 0.1)
                m.running_var.copy_(0.5 + torch.rand(n, generator=gen))
                m.num_batches_tracked.fill_(7)


def make_vgg(gen):
    cfg = [8, 8, 'M', 16, 16, 'M', 32, 32, 32, 'M', 32, 32, 32, 'M', 32, 32, 32, 'M']
    model = vgg.VGG(vgg.make_layers(cfg), num_classes=10, init_weights=False)
    hidden, adapter = 64, 16
    # The same Sequential indices as torchvision (0 fc6, 3 fc7, 6 the last linear), narrowed.
    model.classifier = nn.Sequential(
        nn.Linear(32 * 7 * 7, hidden), nn.ReLU(True), nn.Dropout(),
        nn.Linear(hidden, hidden), nn.ReLU(True), nn.Dropout(),
        nn.Linear(hidden, adapter),
    )
    randomise(model, gen)
    model.eval()
    x = torch.randn((3, 3, 64, 64), generator=gen)
    with torch.no_grad():
        flat = torch.flatten(model.avgpool(model.features(x)), 1)
        fc7 = model.classifier[:5](flat)
        out = model.classifier(flat)
    write_safetensors(os.path.join(OUT, 'vgg16-narrow.safetensors'), state_dict_arrays(model))
    write_safetensors(os.path.join(OUT, 'vgg16-narrow-io.safetensors'),
                      {'input': nhwc(x), 'fc7': fc7.numpy(), 'adapter': out.numpy()})


class NarrowResNet50(resnet.ResNet):
    """torchvision's ResNet-50 (same modules and state_dict names) with base width `width`."""

    def __init__(self, width, num_classes=10):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes = width
        self.dilation = 1
        self.groups = 1
        self.base_width = 64
        self.conv1 = nn.Conv2d(3, width, kernel_size=7, stride=2, padding=3, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.MaxPool2d(kernel_size=3, stride=2, padding=1)
        self.layer1 = self._make_layer(resnet.Bottleneck, width, 3)
        self.layer2 = self._make_layer(resnet.Bottleneck, width * 2, 4, stride=2)
        self.layer3 = self._make_layer(resnet.Bottleneck, width * 4, 6, stride=2)
        self.layer4 = self._make_layer(resnet.Bottleneck, width * 8, 3, stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d((1, 1))
        self.fc = nn.Linear(width * 8 * resnet.Bottleneck.expansion, num_classes)


def make_resnet(gen):
    model = NarrowResNet50(8)
    randomise(model, gen)
    model.eval()
    x = torch.randn((3, 3, 64, 64), generator=gen)
    with torch.no_grad():
        weights = state_dict_arrays(model)
        model.fc = nn.Identity()
        pooled = model(x)
    write_safetensors(os.path.join(OUT, 'resnet50-narrow.safetensors'), weights)
    write_safetensors(os.path.join(OUT, 'resnet50-narrow-io.safetensors'),
                      {'input': nhwc(x), 'pooled': pooled.numpy()})


def make_onnx(gen):
    model = nn.Sequential(
        nn.Conv2d(3, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),
        nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.ReLU(),
        nn.AdaptiveAvgPool2d((1, 1)), nn.Flatten(), nn.Linear(16, 10),
    )
    randomise(model, gen)
    model.eval()
    x = torch.randn((3, 3, 32, 32), generator=gen)
    with torch.no_grad():
        y = model(x)
    torch.onnx.export(model, x, os.path.join(OUT, 'tiny.onnx'), input_names=['input'],
                      output_names=['features'], dynamic_axes={'input': {0: 'batch'}, 'features': {0: 'batch'}},
                      opset_version=13)
    write_safetensors(os.path.join(OUT, 'tiny-io.safetensors'), {'input': nhwc(x), 'features': y.numpy()})


def make_dtypes():
    values = [1.5, -2.25, 0.1, 65504.0, -0.0, 3.0e-5]
    bf16 = torch.tensor(values, dtype=torch.float32).to(torch.bfloat16)
    tensors = {
        'f32': np.array(values, dtype=np.float32).reshape(2, 3),
        'f16': np.array(values, dtype=np.float16).reshape(3, 2),
        'f64': np.array(values, dtype=np.float64),
        'bf16': (bf16.view(torch.int16).numpy().view(np.uint16).reshape(6, 1), 'BF16'),
        'i64': np.array([7, -3], dtype=np.int64),
    }
    write_safetensors(os.path.join(OUT, 'dtypes.safetensors'), tensors)
    expected = {
        'f32': {'shape': [2, 3], 'values': np.array(values, dtype=np.float32).astype(float).tolist()},
        'f16': {'shape': [3, 2], 'values': np.array(values, dtype=np.float16).astype(float).tolist()},
        'f64': {'shape': [6], 'values': values},
        'bf16': {'shape': [6, 1], 'values': bf16.to(torch.float64).tolist()},
        'i64': {'shape': [2], 'values': [7, -3]},
    }
    with open(os.path.join(OUT, 'dtypes.json'), 'w') as f:
        json.dump(expected, f, indent=1)
        f.write('\n')


def make_shapes():
    from torchvision import models
    shapes = {}
    for name, build in (('vgg16', models.vgg16), ('resnet50', models.resnet50)):
        model = build()
        shapes[name] = {k: list(v.shape) for k, v in model.state_dict().items()}
    with open(os.path.join(OUT, 'torchvision-shapes.json'), 'w') as f:
        json.dump(shapes, f)
        f.write('\n')


def main():
    os.makedirs(OUT, exist_ok=True)
    gen = torch.Generator().manual_seed(20261125)
    make_vgg(gen)
    make_resnet(gen)
    make_onnx(gen)
    make_dtypes()
    make_shapes()
    print(json.dumps({'torch': torch.__version__, 'out': os.path.normpath(OUT)}))


if __name__ == '__main__':
    main()
