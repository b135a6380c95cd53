import { readFileSync } from 'node:fs';
import { initBackend } from '@zs-sbir/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { buildResnet50 } from './resnet50.js';
import { torchFixture } from './torch-fixture.testkit.js';
import { torchShape } from './torch-layout.js';
import type { TorchWeightMap } from './torch-weights.js';
import { buildVgg16 } from './vgg16.js';

// torchvision-shapes.json: every state_dict name and shape of torchvision's full-size vgg16 and
// resnet50, dumped by scripts/make-torch-fixture.py.
const shapes = JSON.parse(readFileSync(torchFixture('torchvision-shapes.json'), 'utf8')) as Record<
  'vgg16' | 'resnet50',
  Record<string, number[]>
>;

function expectedNames(network: 'vgg16' | 'resnet50', map: TorchWeightMap): string[] {
  return Object.keys(shapes[network]).filter((name) => !map.ignore(name));
}

beforeAll(async () => {
  await initBackend({ backend: 'cpu' });
});

describe('full-size networks against torchvision state_dict layouts', () => {
  it('vgg16 reads every torchvision tensor but fc8, with the same shapes', () => {
    const { model, torch } = buildVgg16({}, 'zeros');
    const ours = Object.fromEntries(
      torch.weights.map((w) => [w.name, torchShape(w.variable.shape as number[], w.layout)]),
    );
    expect(Object.keys(ours).sort()).toEqual(expectedNames('vgg16', torch).sort());
    for (const [name, shape] of Object.entries(ours)) expect(shape).toEqual(shapes.vgg16[name]);
    expect(model.outputs[0]!.shape).toEqual([null, 4096]);
    model.dispose();
  });

  it('resnet50 reads every torchvision tensor but fc and the batch counters, 2048-d output', () => {
    const { model, torch } = buildResnet50({}, 'zeros');
    const ours = Object.fromEntries(
      torch.weights.map((w) => [w.name, torchShape(w.variable.shape as number[], w.layout)]),
    );
    expect(Object.keys(ours).sort()).toEqual(expectedNames('resnet50', torch).sort());
    for (const [name, shape] of Object.entries(ours)) expect(shape).toEqual(shapes.resnet50[name]);
    expect(model.outputs[0]!.shape).toEqual([null, 2048]);
    model.dispose();
  });
});
