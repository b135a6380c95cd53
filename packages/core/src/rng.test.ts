import { describe, expect, it } from 'vitest';
import { createRng } from './rng.js';

const take = (n: number, f: () => number) => Array.from({ length: n }, f);

describe('createRng', () => {
  it('gives the same stream for the same seed and another for another seed', () => {
    const a = createRng(42);
    const b = createRng(42);
    const c = createRng(43);
    const sa = take(20, () => a.next());
    expect(take(20, () => b.next())).toEqual(sa);
    expect(take(20, () => c.next())).not.toEqual(sa);
    expect(sa.every((u) => u >= 0 && u < 1)).toBe(true);
  });

  it('resumes exactly from a saved state', () => {
    const a = createRng('resume');
    take(7, () => a.normal());
    const saved = a.state();
    const rest = take(10, () => a.normal());
    const b = createRng('ignored', { state: saved });
    expect(take(10, () => b.normal())).toEqual(rest);
  });

  it('draws normals with the requested mean and standard deviation', () => {
    const r = createRng(1);
    const xs = take(20000, () => r.normal(3, 2));
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    const sd = Math.sqrt(xs.reduce((s, x) => s + (x - mean) ** 2, 0) / xs.length);
    // Standard error of the mean is 2/sqrt(20000) = 0.014; of the sd about 0.01.
    expect(Math.abs(mean - 3)).toBeLessThan(0.06);
    expect(Math.abs(sd - 2)).toBeLessThan(0.05);
  });

  it('int covers [0, n) uniformly and rejects bad n', () => {
    const r = createRng(5);
    const counts = new Array<number>(4).fill(0);
    for (let i = 0; i < 8000; i++) counts[r.int(4)]!++;
    for (const c of counts) expect(Math.abs(c - 2000)).toBeLessThan(200);
    expect(() => r.int(0)).toThrow(/positive integer/);
    expect(() => r.int(2.5)).toThrow(/positive integer/);
  });

  it('shuffle permutes and sample draws distinct indices', () => {
    const r = createRng(9);
    const items = Array.from({ length: 50 }, (_, i) => i);
    const shuffled = r.shuffle([...items]);
    expect(shuffled).not.toEqual(items);
    expect([...shuffled].sort((x, y) => x - y)).toEqual(items);
    const s = r.sample(10, 10);
    expect(new Set(s).size).toBe(10);
    expect(() => r.sample(3, 4)).toThrow(/cannot draw 4/);
  });

  it('fork gives reproducible independent streams', () => {
    const f1 = createRng(7).fork();
    const f2 = createRng(7).fork();
    const parent = createRng(7);
    expect(take(5, () => f1.next())).toEqual(take(5, () => f2.next()));
    expect(take(5, () => f1.next())).not.toEqual(take(5, () => parent.next()));
  });

  it('uint32s gives the bits of next() and continues the same stream', () => {
    const a = createRng('bits');
    const b = createRng('bits');
    a.next();
    b.next();
    const bulk = a.uint32s(1001);
    const oneByOne = Uint32Array.from({ length: 1001 }, () => Math.floor(b.next() * 2 ** 32));
    expect(bulk).toEqual(oneByOne);
    expect(bulk.some((x) => x >= 2 ** 31)).toBe(true);
    expect([a.next(), a.normal(), a.int(1000)]).toEqual([b.next(), b.normal(), b.int(1000)]);
    expect(a.state()).toEqual(b.state());
  });

  it('rejects a non-finite seed', () => {
    expect(() => createRng(Number.NaN)).toThrow(/seed/);
  });
});
