import { describe, expect, it } from 'vitest';
import { createBoundedRankScratch, rankRelevantFromBounds } from './bounded-ranks.js';
import { createRankScratch, rankDescending } from './rank-descending.js';
import { tieGroupEnds } from './ranked-metrics.js';

function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Runs rankRelevantFromBounds; returns ranks, tie ends and how many exact scores it asked for. */
function bounded(exact: Float64Array, approximate: Float64Array, window: number, labels: number[]) {
  const n = exact.length;
  const ranks = new Int32Array(n);
  const ends = new Int32Array(n);
  let asked = 0;
  const positives = rankRelevantFromBounds(
    {
      approximate,
      window,
      labels: Int32Array.from(labels),
      label: 1,
      exact: (items, count, out) => {
        asked += count;
        for (let a = 0; a < count; a++) out[a] = exact[items[a]!]!;
      },
    },
    createBoundedRankScratch(n),
    ranks,
    ends,
  );
  return {
    ranks: Array.from(ranks.subarray(0, positives)),
    ends: Array.from(ends.subarray(0, positives)),
    asked,
  };
}

/** The same from a full stable sort of the exact scores. */
function sorted(exact: Float64Array, labels: number[]) {
  const n = exact.length;
  const order = new Uint32Array(n);
  rankDescending(exact, order, createRankScratch(n));
  const ranks = new Int32Array(n);
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[order[i]!] === 1) ranks[positives++] = i;
  const ends = new Int32Array(positives);
  tieGroupEnds(
    ranks,
    positives,
    Float64Array.from(order, (j) => exact[j]!),
    ends,
  );
  return { ranks: Array.from(ranks.subarray(0, positives)), ends: Array.from(ends) };
}

describe('rankRelevantFromBounds', () => {
  it('gives stable ranks and tie-group ends on a hand-computed case with ties', () => {
    // Stable descending order: 3 (0.9), 0 (0.5), 2 (0.5), 5 (0.5), 6 (0.3), 1 (0.2), 4 (0.1).
    // Relevant: 0, 3, 4, 5 -> ranks 0, 1, 3, 6; 0.5 ties end at 4, so ends 1, 4, 4, 7.
    const exact = Float64Array.from([0.5, 0.2, 0.5, 0.9, 0.1, 0.5, 0.3]);
    const labels = [1, 0, 0, 1, 1, 1, 0];
    const approximate = exact.map((v, i) => v + (i % 2 ? 1e-3 : -1e-3));
    const got = bounded(exact, approximate, 1e-3, labels);
    expect(got.ranks).toEqual([0, 1, 3, 6]);
    expect(got.ends).toEqual([1, 4, 4, 7]);
    // Four relevant items, and item 2 (0.499 is within the window of 0.5); nothing else.
    expect(got.asked).toBe(5);
  });

  it('places items by their approximate score when it is farther than the window', () => {
    const exact = Float64Array.from([0.8, 0.6, 0.4, 0.2]);
    const got = bounded(
      exact,
      exact.map((v) => v + 0.05),
      0.05,
      [0, 1, 0, 1],
    );
    expect(got).toEqual({ ranks: [1, 3], ends: [2, 4], asked: 2 });
  });

  it('matches a full stable sort on random scores, heavy ties and approximations at the window', () => {
    const random = lcg(7);
    for (let trial = 0; trial < 200; trial++) {
      const n = 1 + Math.floor(random() * 300);
      const levels = 1 + Math.floor(random() * 12);
      const heavy = trial % 2 === 0;
      const exact = Float64Array.from({ length: n }, () =>
        heavy ? Math.floor(random() * levels) / levels - 0.5 : random() * 2 - 1,
      );
      const labels = Array.from({ length: n }, () => (random() < 0.3 ? 1 : 0));
      const window = [0, 1e-9, 0.01, 0.3][trial % 4]!;
      // Errors up to the window, both signs, some exactly at it.
      const approximate = exact.map((v) => {
        const e =
          random() < 0.2 ? (random() < 0.5 ? -window : window) : (random() * 2 - 1) * window;
        return v + e;
      });
      const got = bounded(exact, approximate, window, labels);
      const want = sorted(exact, labels);
      expect(got.ranks, `trial ${trial}`).toEqual(want.ranks);
      expect(got.ends, `trial ${trial}`).toEqual(want.ends);
    }
  });

  it('matches a full stable sort at any scale and offset, one threshold, items far outside', () => {
    const random = lcg(11);
    for (let trial = 0; trial < 120; trial++) {
      const scale = [1e-300, 1e-6, 1, 1e12][trial % 4]!;
      const offset = [0, 5, -3][trial % 3]! * scale;
      const n = 1 + Math.floor(random() * 400);
      const few = trial % 5 === 0; // a single relevant item: the thresholds span nothing
      const labels = Array.from({ length: n }, (_, j) =>
        few ? (j === 0 ? 1 : 0) : random() < 0.1 ? 1 : 0,
      );
      // Relevant scores in a narrow band; others spread far above and below it, some on it.
      const exact = Float64Array.from({ length: n }, (_, j) => {
        const band = labels[j] === 1 || random() < 0.3;
        const v = band ? Math.floor(random() * 50) / 1000 : (random() * 2 - 1) * 100;
        return offset + v * scale;
      });
      const window = [0, 1e-4, 3e-3][trial % 3]! * scale;
      const approximate = exact.map((v) => v + (random() * 2 - 1) * window);
      const got = bounded(exact, approximate, window, labels);
      const want = sorted(exact, labels);
      expect(got.ranks, `trial ${trial}`).toEqual(want.ranks);
      expect(got.ends, `trial ${trial}`).toEqual(want.ends);
    }
  });

  it('returns 0 without asking for scores when no item is relevant', () => {
    const exact = Float64Array.from([0.1, 0.2]);
    expect(bounded(exact, exact, 0.1, [0, 0])).toEqual({ ranks: [], ends: [], asked: 0 });
  });
});
