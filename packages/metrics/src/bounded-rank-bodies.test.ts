import { describe, expect, it } from 'vitest';
import { compileDotKernel } from './compile-dot-kernel.js';
import { lcg } from './lcg.testkit.js';

/** The ranking's helper functions over a fresh memory of four 64 KiB pages. */
function instance() {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
  const exact = () => {
    throw new Error('not ranking');
  };
  const exports = new WebAssembly.Instance(compileDotKernel().module, { env: { memory, exact } })
    .exports as Record<string, (...args: number[]) => number>;
  return { memory, ...exports } as {
    memory: WebAssembly.Memory;
    distinct: (...args: number[]) => number;
    buildGrid: (...args: number[]) => number;
    slotOf: (...args: number[]) => number;
  };
}

// Byte offsets of the arrays in the memory.
const VALUES = 0;
const ORDER = 40_000;
const BUCKETS = 60_000;
const OUT = 80_000;
const INDEX_OF = 120_000;

/** Runs `distinct` on `input`; returns the distinct values and each input's index among them. */
function distinct(input: number[]) {
  const { memory, distinct } = instance();
  new Float64Array(memory.buffer, VALUES, input.length).set(input);
  const m = distinct(VALUES, input.length, ORDER, BUCKETS, OUT, INDEX_OF);
  return {
    out: Array.from(new Float64Array(memory.buffer, OUT, m)),
    indexOf: Array.from(new Int32Array(memory.buffer, INDEX_OF, input.length)),
  };
}

/** The same by a plain sort: distinct values descending (0 and -0 as one), and each one's index. */
function reference(input: number[]) {
  const out = [...new Set(input.map((v) => (v === 0 ? 0 : v)))].sort((a, b) => b - a);
  return { out, indexOf: input.map((v) => out.indexOf(v === 0 ? 0 : v)) };
}

describe('distinct (WebAssembly distinctDescending)', () => {
  const random = lcg(3);
  const cases: [string, number[]][] = [
    ['one value', [0.25]],
    ['hand-written with repeats', [0.5, 0.1, 0.5, 0.9, 0.1, -0.3]],
    ['random', Array.from({ length: 2000 }, () => random() * 2 - 1)],
    ['heavy ties', Array.from({ length: 2000 }, () => Math.floor(random() * 17) / 16)],
    ['all equal', new Array<number>(100).fill(0.7)],
    // 1,999 values in the top bucket, ascending, and one far below: the insertion sort would move
    // each value past all before it, so it gives up and the heap sort takes over.
    [
      'clustered, ascending (heap sort)',
      [...Array.from({ length: 1999 }, (_, i) => 1 + i * 1e-9), -1e6],
    ],
    [
      'clustered with repeats (heap sort)',
      [...Array.from({ length: 999 }, (_, i) => Math.floor(i / 3)), -1e12],
    ],
  ];
  for (const [label, input] of cases) {
    it(`gives the distinct values descending and each value's index: ${label}`, () => {
      const got = distinct(input);
      const want = reference(input);
      expect(got.out).toEqual(want.out);
      expect(got.indexOf).toEqual(want.indexOf);
    });
  }
  it('returns 0 for no values', () => {
    expect(distinct([]).out).toEqual([]);
  });
});

describe('buildGrid and slotOf (WebAssembly)', () => {
  const random = lcg(11);
  const cases: [string, number[]][] = [
    ['one threshold', [0.5]],
    ['random', Array.from({ length: 300 }, () => random() * 4 - 2)],
    ['clustered with an outlier', [1e3, ...Array.from({ length: 200 }, () => random() * 1e-6)]],
    ['two equal ends', [0.3, 0.3]],
  ];
  for (const [label, values] of cases) {
    it(`count the thresholds strictly above each value, as a linear scan does: ${label}`, () => {
      const t = [...new Set(values)].sort((a, b) => b - a);
      const m = t.length;
      const { memory, buildGrid, slotOf } = instance();
      new Float64Array(memory.buffer, VALUES, m).set(t);
      const scale = buildGrid(VALUES, m, ORDER);
      const probes = [
        ...t,
        ...t.map((v) => v + 1e-12),
        ...t.map((v) => v - 1e-12),
        ...Array.from(
          { length: 500 },
          () => (random() * 1.2 - 0.1) * (t[0]! - t[m - 1]!) + t[m - 1]!,
        ),
        Number.MAX_VALUE,
        -Number.MAX_VALUE,
      ];
      const wrong = probes.filter(
        (v) => slotOf(VALUES, ORDER, m, scale, v) !== t.filter((x) => x > v).length,
      );
      expect(wrong).toEqual([]);
    });
  }
});
