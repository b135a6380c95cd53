import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NpyError } from './npy-error.js';
import { npyFixture } from './npy-fixture.testkit.js';
import { parseNpy } from './npy-read.js';

// Fixtures written by numpy: scripts/make-npy-fixtures.py
interface Expected {
  shape: number[];
  dtype: string;
  fortranOrder: boolean;
  values: (number | string)[];
}
const expected = JSON.parse(readFileSync(npyFixture('expected.json'), 'utf8')) as Record<
  string,
  Expected
>;

function asComparable(data: ArrayLike<number | bigint>): (number | string)[] {
  return Array.from(data, (v) => (typeof v === 'bigint' ? v.toString() : v));
}

describe('parseNpy', () => {
  for (const [name, want] of Object.entries(expected)) {
    it(`reads ${name}.npy as numpy wrote it`, () => {
      const array = parseNpy(readFileSync(npyFixture(`${name}.npy`)), name);
      expect(array.shape).toEqual(want.shape);
      expect(array.dtype).toBe(want.dtype);
      expect(array.fortranOrder).toBe(want.fortranOrder);
      expect(asComparable(array.data)).toEqual(want.values);
    });
  }

  it('returns int64 data as BigInt64Array and bool as Uint8Array', () => {
    expect(parseNpy(readFileSync(npyFixture('i8-be.npy'))).data).toBeInstanceOf(BigInt64Array);
    expect(parseNpy(readFileSync(npyFixture('b1.npy'))).data).toBeInstanceOf(Uint8Array);
  });

  it('reads from a Uint8Array view at a non-zero offset', () => {
    const file = readFileSync(npyFixture('f8-le.npy'));
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    const array = parseNpy(padded.subarray(3));
    expect(asComparable(array.data)).toEqual(expected['f8-le']!.values);
  });

  const refused: [string, RegExp][] = [
    ['object', /pickled object array/],
    ['structured', /structured/],
    ['float16', /unsupported dtype <f2/],
    ['not-npy', /not an \.npy file/],
    ['truncated', /truncated data/],
  ];
  for (const [name, message] of refused) {
    it(`refuses ${name}.npy with an error naming the file`, () => {
      const bytes = readFileSync(npyFixture(`${name}.npy`));
      expect(() => parseNpy(bytes, `/data/${name}.npy`)).toThrow(NpyError);
      expect(() => parseNpy(bytes, `/data/${name}.npy`)).toThrow(message);
      expect(() => parseNpy(bytes, `/data/${name}.npy`)).toThrow(`/data/${name}.npy`);
    });
  }

  it('refuses an unknown format version', () => {
    const bytes = readFileSync(npyFixture('f4-le.npy'));
    bytes[6] = 4;
    expect(() => parseNpy(bytes)).toThrow(/version 4\.0/);
  });
});
