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
      "option 'name' is 'resnet18': expected one of vgg16, resnet50, mobilenet-v2, small-cnn",
    );
  });

  it('lists the valid options for an unknown option', () => {
    expect(check({ name: 'resnet50', depth: 50 })).toThrow(
      /unknown option\(s\) depth for resnet50: valid options are name, weights, inputSize, normalisation, layer, seed, width/,
    );
    expect(check({ name: 'small-cnn', output: 'adapter' })).toThrow(BackboneError);
  });

  it('checks values', () => {
    expect(check({ name: 'vgg16', inputSize: 0 })).toThrow(
      /'inputSize' must be a positive integer/,
    );
    expect(check({ name: 'vgg16', output: 'fc8' })).toThrow(
      /'output' is 'fc8': expected one of fc7, adapter/,
    );
    expect(check({ name: 'vgg16', normalisation: 'torch' })).toThrow(
      /expected one of caffe, imagenet, unit, symmetric/,
    );
    expect(check({ onnx: 'm.onnx', inputSize: 224 })).toThrow(
      /needs 'inputSize' and 'normalisation'/,
    );
  });
});
