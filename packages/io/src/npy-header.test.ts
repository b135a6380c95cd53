import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { NpyError } from './npy-error.js';
import { npyFixture } from './npy-fixture.testkit.js';
import { encodeNpyHeader, hasNpyMagic, parseNpyHeader } from './npy-header.js';

describe('parseNpyHeader', () => {
  it('reads a version 3.0 header and where its data starts', () => {
    const header = parseNpyHeader(readFileSync(npyFixture('v3.npy')), 'v3.npy');
    expect(header).toEqual({
      version: [3, 0],
      descr: '<f8',
      fortranOrder: false,
      shape: [3, 4],
      dataOffset: 128,
    });
  });

  it('returns the header of a pickled object array, whose pickle starts at dataOffset', () => {
    const bytes = readFileSync(npyFixture('object.npy'));
    const header = parseNpyHeader(bytes, 'object.npy');
    expect(header.descr).toBe('|O');
    expect(header.shape).toEqual([2]);
    expect(bytes[header.dataOffset]).toBe(0x80); // the pickle's PROTO opcode
  });

  it('reads back the headers it writes', () => {
    const bytes = encodeNpyHeader('<i4', [7]);
    expect(bytes.length % 64).toBe(0);
    expect(parseNpyHeader(bytes, 'x')).toMatchObject({ descr: '<i4', shape: [7] });
  });

  it('refuses a truncated header, naming the file', () => {
    const bytes = readFileSync(npyFixture('f4-le.npy')).subarray(0, 40);
    expect(() => parseNpyHeader(bytes, '/data/f4.npy')).toThrow(NpyError);
    expect(() => parseNpyHeader(bytes, '/data/f4.npy')).toThrow(
      '/data/f4.npy: truncated .npy header',
    );
  });
});

describe('hasNpyMagic', () => {
  it('is true for .npy bytes only', () => {
    expect(hasNpyMagic(readFileSync(npyFixture('f4-le.npy')))).toBe(true);
    expect(hasNpyMagic(readFileSync(npyFixture('not-npy.npy')))).toBe(false);
    expect(hasNpyMagic(new Uint8Array([0x93, 0x4e]))).toBe(false);
  });
});
