import { describe, expect, it } from 'vitest';
import { packSigns } from './binary-codes.js';
import { matrix } from './evaluation-fixture.testkit.js';
import { encodeItq, trainItq } from './itq.js';
import { itqFixture, maxAbsDiff } from './itq-fixture.testkit.js';

const { itq } = itqFixture;
const features = matrix(itq.features);

describe('trainItq', () => {
  it('reproduces a numpy ITQ run from the same starting rotation', () => {
    const { model, codes } = trainItq(features, {
      bits: itq.bits,
      iterations: itq.iterations,
      initialRotation: Float64Array.from(itq.initialRotation.flat()),
    });
    expect(maxAbsDiff(model.projection, itq.projection.flat())).toBeLessThan(1e-9);
    expect(maxAbsDiff(model.rotation, itq.rotation.flat())).toBeLessThan(1e-9);
    expect(codes).toEqual(
      packSigns(
        itq.codes.flat().map((b) => (b ? 1 : -1)),
        features.rows,
        itq.bits,
      ),
    );
  });

  it('gives codes equal to the signs of the rotated PCA projection, and encodes them again', () => {
    const { model, codes } = trainItq(features, { bits: 4, iterations: 5, seed: 3 });
    const { dim, bits, mean, projection, rotation } = model;
    const signs: number[] = [];
    for (let r = 0; r < features.rows; r++) {
      const v = Array.from({ length: bits }, (_, b) => {
        let sum = 0;
        for (let c = 0; c < dim; c++)
          sum += (features.data[r * dim + c]! - mean[c]!) * projection[c * bits + b]!;
        return sum;
      });
      for (let b = 0; b < bits; b++) {
        signs.push(v.reduce((sum, x, k) => sum + x * rotation[k * bits + b]!, 0));
      }
    }
    expect(codes).toEqual(packSigns(signs, features.rows, bits));
    expect(encodeItq(model, features)).toEqual(codes);
  });

  it('does not increase the quantization loss ||B - V R|| as iterations go on', () => {
    const losses = [0, 1, 3, 8].map((iterations) => {
      const { model, codes } = trainItq(features, { bits: 6, iterations, seed: 1 });
      const { dim, bits, mean, projection, rotation } = model;
      let loss = 0;
      for (let r = 0; r < features.rows; r++) {
        for (let b = 0; b < bits; b++) {
          let z = 0;
          for (let k = 0; k < bits; k++) {
            let v = 0;
            for (let c = 0; c < dim; c++)
              v += (features.data[r * dim + c]! - mean[c]!) * projection[c * bits + k]!;
            z += v * rotation[k * bits + b]!;
          }
          const bit = (codes.words[r]! >>> b) & 1 ? 1 : -1;
          loss += (bit - z) ** 2;
        }
      }
      return loss;
    });
    for (let i = 1; i < losses.length; i++)
      expect(losses[i]!).toBeLessThanOrEqual(losses[i - 1]! * (1 + 1e-12));
    expect(losses.at(-1)!).toBeLessThan(losses[0]!);
  });

  it("centres new features on their own mean with center: 'self' (SEM-PCYC compressITQ)", () => {
    const { model } = trainItq(features, { bits: 4, iterations: 2 });
    const shifted = { ...features, data: features.data.map((v) => v + 5) };
    expect(encodeItq(model, shifted, { center: 'self' })).toEqual(
      encodeItq(model, features, { center: 'self' }),
    );
    expect(encodeItq(model, shifted)).not.toEqual(encodeItq(model, features));
  });

  it('refuses bad options, naming them', () => {
    expect(() => trainItq(features, { bits: 13 })).toThrow(
      /bits must be an integer from 1 to the feature dimension 12, got 13/,
    );
    expect(() => trainItq(features, { bitz: 4 } as never)).toThrow(/unknown option 'bitz'/);
    const { model } = trainItq(features, { bits: 2, iterations: 1 });
    expect(() => encodeItq(model, { data: new Float32Array(3), rows: 1, cols: 3 })).toThrow(
      /3 dimensions, the model 12/,
    );
    expect(() => encodeItq(model, features, { center: 'mean' as never })).toThrow(
      /encodeItq: option 'center' must be one of train, self, got "mean"/,
    );
  });
});
