import { describe, expect, it } from 'vitest';
import { compileDotKernel } from './compile-dot-kernel.js';
import { lcg } from './lcg.testkit.js';

/** The module's bounded-pass functions over a fresh memory of four 64 KiB pages. */
function instance(fused: boolean) {
  const memory = new WebAssembly.Memory({ initial: 4, maximum: 4, shared: true });
  const exact = () => {
    throw new Error('not ranking');
  };
  const exports = new WebAssembly.Instance(compileDotKernel(fused).module, {
    env: { memory, exact },
  }).exports as Record<string, (...args: number[]) => number>;
  const { scaleScores, countCells, prepareCells } = exports;
  return {
    memory,
    scaleScores: scaleScores!,
    countCells: countCells!,
    prepareCells: prepareCells!,
  };
}

describe('scaleScores', () => {
  for (const fused of [false, true]) {
    it(`equals float64(dot) * inverse * inverseNorm in that order, bit for bit (fused module: ${fused})`, () => {
      const { memory, scaleScores } = instance(fused);
      const random = lcg(7);
      const n = 1001; // odd: the function writes one more, which must not spill into `norms`
      const dots = new Float32Array(memory.buffer, 0, n + 3);
      const norms = new Float64Array(memory.buffer, 8192, n + 1);
      const out = new Float64Array(memory.buffer, 8192 + 8 * 1008, n + 1);
      for (let j = 0; j < n; j++) {
        dots[j] = (random() - 0.5) * 2 ** Math.floor(random() * 40 - 20);
        norms[j] = 1 / (random() + 1e-3);
      }
      dots[0] = 0;
      dots[1] = -0;
      dots[2] = 2 ** -149; // float32 subnormal
      norms[3] = 0; // zero gallery vector
      const inverse = 1 / 3.7;
      scaleScores(0, 8192, inverse, n, 8192 + 8 * 1008);
      let differing = 0;
      for (let j = 0; j < n; j++) {
        // Left to right: (dot x inverse) x norm, not dot x (inverse x norm).
        if (!Object.is(out[j], dots[j]! * inverse * norms[j]!)) differing++;
      }
      expect(differing).toBe(0);
      // The two association orders differ on some of these values, so the check can fail.
      let reassociated = 0;
      for (let j = 0; j < n; j++) {
        if (out[j] !== dots[j]! * (inverse * norms[j]!)) reassociated++;
      }
      expect(reassociated).toBeGreaterThan(0);
    });
  }
});

describe('countCells', () => {
  /** The loop it replaces, written out plainly. */
  function reference(
    scores: Float64Array,
    top: number,
    scale: number,
    last: number,
    cellSlot: Int32Array,
    trash: number,
    lanes: Int32Array,
  ) {
    const candidates: number[] = [];
    for (let j = 0; j < scores.length; j++) {
      const c = Math.trunc(Math.min(last, Math.max(0, (top - scores[j]!) * scale + 1))) || 0;
      lanes[cellSlot[c]! + (j % 4)]!++;
      if (cellSlot[c] === trash) candidates.push(j);
    }
    return candidates;
  }

  for (const fused of [false, true]) {
    it(`counts each item in its cell's lane and lists the items of dirty cells (fused module: ${fused})`, () => {
      const { memory, countCells } = instance(fused);
      const random = lcg(11);
      const n = 997;
      const cells = 40;
      const last = cells + 1;
      const top = 1.5;
      const scale = cells / 3; // cells of width 3 / 40 below 1.5
      const scores = new Float64Array(memory.buffer, 0, n);
      for (let j = 0; j < n; j++) scores[j] = top - (random() * 3.4 - 0.2);
      // Cell boundaries exactly, above the top, below the bottom, and values no grid expects.
      const special = [top, top - 3 / 40, top - 3, top + 1, top - 10, -0, NaN, Infinity];
      special.push(-Infinity, 1e300, -1e300, top - 3 + 1e-12, top + 1e-12, top - 3 / scale);
      special.forEach((v, i) => {
        scores[i * 7] = v;
      });
      const slots = 12;
      const trash = 4 * (slots - 1);
      const cellSlot = new Int32Array(memory.buffer, 65536, last + 1);
      const lanes = new Int32Array(memory.buffer, 65536 + 8192, 4 * slots);
      const candidates = new Int32Array(memory.buffer, 2 * 65536, n);
      for (let c = 0; c <= last; c++) {
        cellSlot[c] = random() < 0.3 ? trash : 4 * Math.min(slots - 2, Math.floor(c / 4));
      }
      const expectedLanes = new Int32Array(4 * slots);
      const expected = reference(
        Float64Array.from(scores),
        top,
        scale,
        last,
        cellSlot,
        trash,
        expectedLanes,
      );
      lanes.fill(0);
      const k = countCells(0, n, top, scale, last, 65536, trash, 65536 + 8192, 2 * 65536);
      expect(k).toBe(expected.length);
      expect(Array.from(candidates.subarray(0, k))).toEqual(expected);
      expect(Array.from(lanes)).toEqual(Array.from(expectedLanes));
      // Every lane of the first and last cells' slots was reached (NaN, -Infinity and 1e300 land
      // in cell 0 or the last cell).
      expect(
        expectedLanes[0]! + expectedLanes[1]! + expectedLanes[2]! + expectedLanes[3]!,
      ).toBeGreaterThan(0);
      expect(expected.length).toBeGreaterThan(100);
    });
  }
});

describe('prepareCells', () => {
  /** The grid set-up it replaces, written out plainly. */
  function reference(t: number[], top: number, scale: number, margin: number, cells: number) {
    const m = t.length;
    const last = cells + 1;
    const slot = new Int32Array(last + 1);
    slot[last] = 4 * m;
    for (let d = 1; d <= cells; d++) {
      // The first threshold whose run reaches cell d, else 4m.
      let owner = m;
      for (let i = 0; i < m; i++) {
        if (Math.floor((top - t[i]!) * scale + 0.5) >= d) {
          owner = i;
          break;
        }
      }
      slot[d] = 4 * owner;
    }
    const allowance = 2 ** -40 * (cells + 2);
    for (const v of t) {
      const from = Math.max(1, Math.floor((top - v - margin) * scale - allowance) + 1);
      const to = Math.min(cells, Math.floor((top - v + margin) * scale + allowance) + 1);
      for (let d = from; d <= to; d++) slot[d] = 4 * (m + 1);
    }
    return slot;
  }

  const cases: [string, number[], number, number, number, number][] = [
    ['spread thresholds', [0.9, 0.7, 0.69, 0.3, -0.2], 1, 50 / 1.4, 0.004, 50],
    // Several thresholds in one cell, a run that ends before the previous one, one at the top.
    [
      'clustered, at the top and bottom',
      [1, 0.999999, 0.9999, 0.5, 0.5 - 1e-9, 0],
      1,
      20,
      1e-3,
      20,
    ],
    ['a margin wider than the grid', [0.4, 0.2], 0.5, 10, 5, 5],
    ['a zero scale', [0.3, 0.1], 0, 0, 0.01, 7],
    ['one threshold', [0.25], 0.5, 1000, 1e-6, 600],
  ];
  for (const fused of [false, true]) {
    for (const [label, t, top, scale, margin, cells] of cases) {
      it(`sets every cell's slot (the trash slot where dirty) as the plain loops do: ${label} (fused module: ${fused})`, () => {
        const { memory, prepareCells } = instance(fused);
        new Float64Array(memory.buffer, 0, t.length).set(t);
        const slot = new Int32Array(memory.buffer, 65536, cells + 2);
        slot.fill(-7); // stale values from an earlier query must all be overwritten
        prepareCells(0, t.length, top, scale, margin, cells, 65536);
        expect(Array.from(slot)).toEqual(Array.from(reference(t, top, scale, margin, cells)));
      });
    }
  }
});

/** The next float64 after `x` towards `to`. */
function nextAfter(x: number, to: number): number {
  if (x === to) return x;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x === 0 ? (to > 0 ? 0 : -0) : x);
  const bits = view.getBigUint64(0);
  const away = to > x === (x >= 0 && !Object.is(x, -0));
  view.setBigUint64(0, x === 0 ? 1n | (to < 0 ? 1n << 63n : 0n) : away ? bits + 1n : bits - 1n);
  return view.getFloat64(0);
}

describe('prepareCells and countCells together', () => {
  for (const [label, spread, margin] of [
    ['cosine-like scores, a float32 window', 1, 3.4e-6],
    ['a margin wider than the gaps', 1e-3, 2e-4],
    ['large offset, tiny range', 1e-9, 1e-12],
  ] as const) {
    it(`put every item within margin of a threshold in a dirty cell, every other in its slot: ${label}`, () => {
      const { memory, prepareCells, countCells } = instance(true);
      const random = lcg(23);
      const offset = label.startsWith('large') ? 1e3 : 0;
      const t = [...new Set(Array.from({ length: 60 }, () => offset + random() * spread))].sort(
        (a, b) => b - a,
      );
      const m = t.length;
      // Items at, just inside and just outside margin of each threshold, and random ones.
      const items: number[] = [];
      for (const x of t) {
        for (const v of [x - margin, x + margin]) items.push(v, nextAfter(v, x), nextAfter(v, -x));
        items.push(x, nextAfter(x, 1e300), nextAfter(x, -1e300), x + (random() * 2 - 1) * margin);
      }
      for (let i = 0; i < 3000; i++) items.push(offset + (random() * 1.2 - 0.1) * spread);
      const n = items.length;
      // The grid as countByCells sets it up.
      const hi = t[0]!;
      const lo = t[m - 1]!;
      const pad = 2 * margin + 2 ** -40 * (Math.abs(hi) + Math.abs(lo)) + Number.MIN_VALUE;
      const top = hi + pad;
      const span = hi - lo + 2 * pad;
      const cells = Math.max(1, Math.min(2 * n, Math.ceil(span / margin)));
      const scale = cells / span;
      const at = { t: 0, scores: 1024, cellSlot: 65536, lanes: 2 * 65536, candidates: 3 * 65536 };
      new Float64Array(memory.buffer, at.t, m).set(t);
      new Float64Array(memory.buffer, at.scores, n).set(items);
      new Int32Array(memory.buffer, at.lanes, 4 * (m + 2)).fill(0);
      prepareCells(at.t, m, top, scale, margin, cells, at.cellSlot);
      const trash = 4 * (m + 1);
      const k = countCells(
        at.scores,
        n,
        top,
        scale,
        cells + 1,
        at.cellSlot,
        trash,
        at.lanes,
        at.candidates,
      );
      const dirty = new Set(new Int32Array(memory.buffer, at.candidates, k));
      const lanes = new Int32Array(memory.buffer, at.lanes, 4 * (m + 2));
      const perSlot = Array.from(
        { length: m + 1 },
        (_, p) => lanes[4 * p]! + lanes[4 * p + 1]! + lanes[4 * p + 2]! + lanes[4 * p + 3]!,
      );
      const expected = new Array<number>(m + 1).fill(0);
      let near = 0;
      items.forEach((v, j) => {
        if (t.some((x) => Math.abs(v - x) <= margin)) {
          near++;
          expect(dirty.has(j), `item ${j} (${v}) within margin`).toBe(true);
        } else if (!dirty.has(j)) expected[t.filter((x) => x > v).length]!++;
      });
      expect(perSlot).toEqual(expected);
      expect(near).toBeGreaterThan(6 * m);
      // Tight marking: with cells much wider than the margin, few other items are candidates.
      if (margin * 100 < spread / m) expect(k).toBeLessThan(near + 0.1 * (n - near));
    });
  }
});
