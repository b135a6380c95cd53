import { describe, expect, it } from 'vitest';
import { blockStarts } from './block-starts.js';

/** Block sizes from the starts. */
const sizes = (starts: number[]) => starts.slice(1).map((s, i) => s - starts[i]!);

describe('blockStarts', () => {
  it('splits the last block of each worker in two when every worker has at least four blocks', () => {
    // 3,000 queries, 2 workers, blocks of 64: full blocks while they start before 3,000 - 2 x 64
    // (45 of them, to 2,880), then the last 120 queries in halves.
    const starts = blockStarts(3000, 64, 2);
    expect(starts[0]).toBe(0);
    expect(starts.at(-1)).toBe(3000);
    const s = sizes(starts);
    expect(s.slice(0, 45)).toEqual(new Array(45).fill(64));
    expect(s.slice(45)).toEqual([32, 32, 32, 24]);
    expect(s.reduce((a, b) => a + b, 0)).toBe(3000);
  });

  it('keeps whole blocks in one thread, and for fewer than four blocks a worker', () => {
    expect(sizes(blockStarts(130, 64, 0))).toEqual([64, 64, 2]);
    expect(sizes(blockStarts(511, 64, 2))).toEqual([64, 64, 64, 64, 64, 64, 64, 63]);
    expect(sizes(blockStarts(512, 64, 2))).toEqual([64, 64, 64, 64, 64, 64, 32, 32, 32, 32]);
  });

  it('gives no block for no queries, and single queries for blocks of one', () => {
    expect(blockStarts(0, 64, 2)).toEqual([0]);
    expect(sizes(blockStarts(9, 1, 2))).toEqual(new Array(9).fill(1));
  });
});
