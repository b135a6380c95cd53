import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NpyError } from './npy-error.js';
import { npyFixture } from './npy-fixture.testkit.js';
import { parseNpy } from './npy-read.js';
import { encodeNpy } from './npy-write.js';

// numpy.save output for the same arrays: scripts/make-npy-fixtures.py
describe('encodeNpy', () => {
  for (const name of [
    'save-f4',
    'save-i4-vector',
    'save-i8',
    'save-b1',
    'save-scalar',
    'save-wide',
  ]) {
    it(`writes ${name} byte for byte as numpy.save does`, () => {
      const file = readFileSync(npyFixture(`${name}.npy`));
      const encoded = encodeNpy(parseNpy(file));
      expect(Buffer.from(encoded).equals(file)).toBe(true);
    });
  }

  it('round-trips every dtype through parseNpy', () => {
    const arrays = [
      new Float32Array([1.5, -2, 3]),
      new Float64Array([Math.PI, -0, 1e-300]),
      new Int8Array([-128, 127, 0]),
      new Int16Array([-32768, 32767, 1]),
      new Int32Array([-(2 ** 31), 2 ** 31 - 1, 5]),
      new BigInt64Array([-(2n ** 63n), 2n ** 63n - 1n, 7n]),
      new Uint8Array([0, 255, 9]),
      new Uint16Array([0, 65535, 9]),
      new Uint32Array([0, 2 ** 32 - 1, 9]),
      new BigUint64Array([0n, 2n ** 64n - 1n, 9n]),
    ];
    for (const data of arrays) {
      const back = parseNpy(encodeNpy({ data, shape: [3, 1] }));
      expect(back.shape).toEqual([3, 1]);
      expect(back.data).toEqual(data);
    }
  });

  it('writes a Uint8Array as bool when asked', () => {
    const back = parseNpy(encodeNpy({ data: new Uint8Array([1, 0]), shape: [2], dtype: 'bool' }));
    expect(back.dtype).toBe('bool');
  });

  it('writes a subarray view without its neighbours', () => {
    const whole = new Float32Array([9, 1, 2, 9]);
    const back = parseNpy(encodeNpy({ data: whole.subarray(1, 3), shape: [2] }));
    expect(Array.from(back.data as Float32Array)).toEqual([1, 2]);
  });

  it('refuses a shape that does not match the data, naming both', () => {
    const bad = () => encodeNpy({ data: new Float32Array(6), shape: [4, 2] }, 'out.npy');
    expect(bad).toThrow(NpyError);
    expect(bad).toThrow(/out\.npy: shape \(4, 2\) holds 8 items but the data has 6/);
  });

  it('refuses a dtype that does not match the typed array', () => {
    expect(() => encodeNpy({ data: new Float32Array(2), shape: [2], dtype: 'int32' })).toThrow(
      /dtype int32 does not match the data \(Float32Array\)/,
    );
  });
});
