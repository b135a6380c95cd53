import { describe, expect, it } from 'vitest';
import { BackboneError } from './backbone-error.js';
import { checkBackboneOptions, type LoadBackboneOptions } from './load-backbone-options.js';

const check = (options: unknown) => () => checkBackboneOptions(options as LoadBackboneOptions);

describe('checkBackboneOptions', () => {
  it('accepts each network and the ONNX form', () => {
    expect(check({ name: 'vgg16', output: 'adapter', adapterDim: 512 })).not.toThrow();
    expect(check({ name: 'resnet50', width: 64, weights: 'r.safetensors' })).not.toThrow();
    expect(check({ name: 'mobilenet-v2', inputSize: 112 })).not.toThrow();
    expect(check({ onnx: 'm.onnx', inputSize: 224, normalisation: 'imagenet' })).not.toThrow();
  });

  it('lists the valid names for an unknown network', () => {
    expect(check({ name: 'resnet18' })).toThrow(
      new BackboneError(
        `loadBackbone: option 'name' must be one of vgg16, resnet50, mobilenet-v2, inception-v3, mobilenet-v2-1.4, graph-model, small-cnn (or give { onnx: path, ... }), got "resnet18"`,
      ),
    );
    expect(check(5)).toThrow(
      'loadBackbone: options must be an options object such as { name: "vgg16" }, got 5',
    );
  });

  it('lists the valid options for an unknown option', () => {
    expect(check({ name: 'resnet50', depth: 50 })).toThrow(
      "loadBackbone resnet50: unknown option 'depth'; valid options are name, weights, inputSize, normalisation, layer, seed, width",
    );
    expect(check({ name: 'small-cnn', output: 'adapter' })).toThrow(BackboneError);
  });

  it('checks values', () => {
    expect(check({ name: 'vgg16', inputSize: 0 })).toThrow(
      "loadBackbone vgg16: option 'inputSize' must be an integer >= 1, got 0",
    );
    expect(check({ name: 'vgg16', output: 'fc8' })).toThrow(
      `loadBackbone vgg16: option 'output' must be one of fc7, adapter, got "fc8"`,
    );
    expect(check({ name: 'vgg16', normalisation: 'torch' })).toThrow(
      `loadBackbone vgg16: option 'normalisation' must be one of caffe, imagenet, unit, symmetric, got "torch"`,
    );
    // Types the old hand-written checks let through:
    expect(check({ name: 'vgg16', weights: 3 })).toThrow(
      "loadBackbone vgg16: option 'weights' must be a string, got 3",
    );
    expect(check({ name: 'small-cnn', channels: [8, 'x', 32] })).toThrow(
      `loadBackbone small-cnn: option 'channels[1]' must be an integer >= 1, got "x"`,
    );
    expect(check({ onnx: 'm.onnx', inputSize: 224, normalisation: 'unit', layout: 'chw' })).toThrow(
      `loadBackbone onnx: option 'layout' must be one of nchw, nhwc, got "chw"`,
    );
    expect(check({ onnx: 'm.onnx', inputSize: 224 })).toThrow(
      /needs 'inputSize' and 'normalisation'/,
    );
  });

  it("takes 'engine' for graph models only", () => {
    expect(check({ name: 'mobilenet-v2-1.4', engine: 'onnx' })).not.toThrow();
    expect(check({ name: 'mobilenet-v2-1.4', engine: 'gpu' })).toThrow(
      `loadBackbone mobilenet-v2-1.4: option 'engine' must be one of tfjs, onnx, auto, got "gpu"`,
    );
    expect(check({ name: 'mobilenet-v2', engine: 'onnx' })).toThrow(/unknown option 'engine'/);
  });
});
