import { describe, expect, it } from 'vitest';
import { hammingDistances, hammingRanking, packSigns } from './binary-codes.js';

describe('binary codes', () => {
  it('packs signs little-endian within 32-bit words, over word boundaries', () => {
    const values = Array.from({ length: 40 }, (_, b) => (b === 0 || b === 33 || b === 39 ? 1 : -1));
    const codes = packSigns(values, 1, 40);
    expect(Array.from(codes.words)).toEqual([1, (1 << 1) | (1 << 7)]);
    expect(packSigns([0, -0, 1e-9], 1, 3).words[0]).toBe(0b100);
  });

  it('counts differing bits and ranks nearest first, ties in gallery order', () => {
    const bits = 36;
    const row = (ones: number[]) =>
      Array.from({ length: bits }, (_, b) => (ones.includes(b) ? 1 : -1));
    const query = packSigns(row([0, 1, 35]), 1, bits);
    // Hand-counted distances to the query {0, 1, 35}: 3, 0, 2, 2, 4.
    const gallery = packSigns(
      [
        row([]),
        row([0, 1, 35]),
        row([0, 1, 2, 3, 35]),
        row([1]),
        row([0, 1, 2, 3, 4, 5, 35]).map((v, b) => (b === 35 ? -1 : v)),
      ].flat(),
      5,
      bits,
    );
    const distances = new Float64Array(5);
    hammingDistances(query, 0, 1, gallery, distances);
    expect(Array.from(distances)).toEqual([3, 0, 2, 2, 5]);
    expect(Array.from(hammingRanking(query, gallery))).toEqual([1, 2, 3, 0, 4]);
  });

  it('refuses codes of different lengths', () => {
    const a = packSigns([1, 1], 1, 2);
    const b = packSigns([1, 1, 1], 1, 3);
    expect(() => hammingDistances(a, 0, 1, b, new Float64Array(1))).toThrow(
      /2 bits but gallery codes 3/,
    );
  });
});
